"""Pre-aggregated hazard counts as they stand now: ``HazardTally`` (region × sector × channel ×
grade × status × deadline week × on time) and ``HazardWeekTally`` (region × sector × grade ×
status × week first reported). They feed the statistics page, the five-colour board and the home
cards when those show "now"; figures as of a past instant (``hazards.asof``: bulletins, weekly
snapshots, ``?as_of=``) keep reading the event trail.

Kept current **in the writing transaction** by database triggers on ``hazards_hazard`` (PostgreSQL
PL/pgSQL, SQLite triggers): every insert, delete and update of a key column (region codes,
sector, channel, grade, status, deadline, closed_at, first_reported_at) decrements the old key
and increments the new one. So every writer is covered — the services' compare-and-set
transitions, create, merge, void, reopen, regrade, the bulk import (``core.bulk`` COPY fires row
triggers too), the demo loaders — and nothing can forget to. On PostgreSQL the two key rows of a
move are locked in a fixed order (by key text) so two opposite moves cannot deadlock.

Bulk loads may switch the triggers off (``suspended``) and ``rebuild`` afterwards: one
``INSERT … SELECT … GROUP BY`` per table, for one region or everything. ``reconcile`` compares the
tally with a GROUP BY over the hazards and rebuilds what differs (periodic job
``tallies.reconcile``; ``manage.py rebuild_tallies``).

Reading: ``counts(scope, by=[...], **filters)`` — ``scope`` an ``accounts.scope.Scope`` (or a user);
``None`` when the scope cannot be expressed on tally keys (enterprise and agency users: their
counts are small, read them directly).
"""

import contextlib
import datetime

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from . import workflow
from .models import (
    NO_DEADLINE,
    PAST_DEADLINE,
    HazardCityTally,
    HazardCityWeekTally,
    HazardCountyTally,
    HazardTally,
    HazardTallyCutoff,
    HazardWeekTally,
)

ZONE = "Asia/Shanghai"  # hazards.asof.ZONE; no daylight saving since 1991
SQLITE_OFFSET = "+8 hours"
HAZARDS = "hazards_hazard"
MAIN = HazardTally._meta.db_table
COUNTY = HazardCountyTally._meta.db_table
CITY = HazardCityTally._meta.db_table
CITY_WEEK = HazardCityWeekTally._meta.db_table
WEEK = HazardWeekTally._meta.db_table
CUTOFF = HazardTallyCutoff._meta.db_table
CODES = ("county_code", "township_code", "province_code", "city_code")
MAIN_KEYS = ("county_code", "township_code", "sector_id", "channel", "grade", "status", "deadline_week", "on_time",
             "province_code", "city_code")
COUNTY_KEYS = tuple(k for k in MAIN_KEYS if k != "township_code")
CITY_KEYS = ("province_code", "city_code", "sector_id", "channel", "grade", "status", "deadline_week", "on_time")
WEEK_KEYS = ("county_code", "township_code", "sector_id", "grade", "status", "week", "province_code", "city_code")
CITY_WEEK_KEYS = ("week", "province_code", "city_code", "sector_id", "grade", "status")
DEADLINE_TABLES = ((MAIN, MAIN_KEYS), (COUNTY, COUNTY_KEYS), (CITY, CITY_KEYS))  # folded by fold()
LEVELS = ("province", "city", "county", "township")
WATCHED = ("province_code", "city_code", "county_code", "township_code", "sector_id", "channel", "grade", "status",
           "deadline", "closed_at", "first_reported_at")
TRIGGER = "hazards_tally"
DEFERRED = "qingling.tally_deferred"  # PostgreSQL, transaction-local: see defer()


# ---------------------------------------------------------------- key expressions (one per dialect)

def _cutoff_sql() -> str:
    """The collapse point as SQL (NULL when there is none: nothing collapsed)."""
    return f"(SELECT past_before FROM {CUTOFF} WHERE id = 1)"


def _expressions(vendor: str, row: str, cutoff: str | None = None) -> tuple[dict, dict]:
    """SQL expressions of every key column of both tallies for the hazard row ``row`` (``NEW``,
    ``OLD`` or a table alias). ``cutoff``: SQL giving ``HazardTallyCutoff.past_before`` (default:
    a subquery reading it); an open hazard whose deadline lies before it is keyed
    ``PAST_DEADLINE`` instead of its deadline's week. ``cutoff="NULL"``: nothing collapsed (the
    form before migration 0013)."""
    p = f"{row}."
    cutoff = cutoff or _cutoff_sql()
    opens = ", ".join(f"'{s}'" for s in workflow.OPEN_STATES)
    if vendor == "postgresql":
        def week(d):
            return f"(date_trunc('week', ({d})::timestamp)::date)"

        def local(ts):
            return f"(({ts}) AT TIME ZONE '{ZONE}')::date"
        true, false, none = "TRUE", "FALSE", f"DATE '{NO_DEADLINE.isoformat()}'"
        past = f"DATE '{PAST_DEADLINE.isoformat()}'"
    else:
        def week(d):
            return f"date({d}, 'weekday 0', '-6 days')"

        def local(ts):
            return f"date({ts}, '{SQLITE_OFFSET}')"
        true, false, none = "1", "0", f"'{NO_DEADLINE.isoformat()}'"
        past = f"'{PAST_DEADLINE.isoformat()}'"
    plain = {c: f"{p}{c}" for c in ("county_code", "township_code", "province_code", "city_code", "sector_id", "channel",
                                     "grade", "status")}
    main = dict(plain)
    main["deadline_week"] = (f"CASE WHEN {p}status IN ({opens}) AND {p}deadline IS NOT NULL "
                             f"THEN CASE WHEN {p}deadline < {cutoff} THEN {past} ELSE {week(p + 'deadline')} END "
                             f"ELSE {none} END")
    main["on_time"] = (f"CASE WHEN {p}status = '{workflow.CLOSED}' AND {p}deadline IS NOT NULL AND {p}closed_at IS NOT NULL "
                       f"AND {local(p + 'closed_at')} <= {p}deadline THEN {true} ELSE {false} END")
    weekly = {k: v for k, v in plain.items() if k != "channel"}
    weekly["week"] = week(local(p + "first_reported_at"))
    return ({k: main[k] for k in MAIN_KEYS}, {k: weekly[k] for k in WEEK_KEYS})


def _tables(vendor: str, row: str, cutoff: str | None = None, legacy: bool = False) -> list[tuple[str, tuple, dict]]:
    """(table, key columns, key expressions) of every tally. ``legacy``: the two tallies of
    migrations 0006–0012 (no county tally, nothing collapsed), for reversing 0013."""
    main, weekly = _expressions(vendor, row, "NULL" if legacy else cutoff)
    out = [(MAIN, MAIN_KEYS, main)]
    if not legacy:
        out += [(COUNTY, COUNTY_KEYS, {k: main[k] for k in COUNTY_KEYS}), (CITY, CITY_KEYS, {k: main[k] for k in CITY_KEYS})]
    out.append((WEEK, WEEK_KEYS, weekly))
    if not legacy:
        out.append((CITY_WEEK, CITY_WEEK_KEYS, {k: weekly[k] for k in CITY_WEEK_KEYS}))
    return out


def _cols(keys) -> str:
    return ", ".join(keys)


def _match(keys, values: dict) -> str:
    return " AND ".join(f"{k} = {values[k]}" for k in keys)


# ---------------------------------------------------------------- triggers

def _pg_statements(legacy: bool = False) -> list[str]:
    olds = _tables("postgresql", "OLD", "cut", legacy)
    news = _tables("postgresql", "NEW", "cut", legacy)
    body = []
    for (table, keys, old), (_, _, new) in zip(olds, news):
        o_txt = "ROW(" + ", ".join(old[k] for k in keys) + ")::text"
        n_txt = "ROW(" + ", ".join(new[k] for k in keys) + ")::text"
        dec = f"UPDATE {table} SET n = n - 1 WHERE {_match(keys, old)};"
        inc = (f"INSERT INTO {table} ({_cols(keys)}, n) VALUES ({', '.join(new[k] for k in keys)}, 1) "
               f"ON CONFLICT ({_cols(keys)}) DO UPDATE SET n = {table}.n + 1;")
        body.append(f"""
    o := CASE WHEN TG_OP <> 'INSERT' THEN {o_txt} END;
    nw := CASE WHEN TG_OP <> 'DELETE' THEN {n_txt} END;
    IF o IS DISTINCT FROM nw THEN
        IF o IS NOT NULL AND (nw IS NULL OR o < nw) THEN {dec} END IF;
        IF nw IS NOT NULL THEN {inc} END IF;
        IF o IS NOT NULL AND nw IS NOT NULL AND o > nw THEN {dec} END IF;
    END IF;""")
    function = (f"CREATE OR REPLACE FUNCTION {TRIGGER}_row() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"DECLARE o text; nw text; cut date;\nBEGIN\n"
                f"    IF current_setting('{DEFERRED}', true) = 'on' THEN RETURN NULL; END IF;\n"
                + ("" if legacy else f"    SELECT past_before INTO cut FROM {CUTOFF} WHERE id = 1;") +
                f"{''.join(body)}\n    RETURN NULL;\nEND $$;")
    return [
        function,
        f"DROP TRIGGER IF EXISTS {TRIGGER} ON {HAZARDS};",
        # WHEN: a deferred transaction's rows (defer(): an import) queue no trigger event at all —
        # the condition is evaluated as the row is written, without calling the function per row
        f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR DELETE OR UPDATE OF {_cols(WATCHED)} ON {HAZARDS} "
        f"FOR EACH ROW WHEN (current_setting('{DEFERRED}', true) IS DISTINCT FROM 'on') "
        f"EXECUTE FUNCTION {TRIGGER}_row();",
    ]


def _sqlite_statements(legacy: bool = False) -> list[str]:
    olds = _tables("sqlite", "OLD", legacy=legacy)
    news = _tables("sqlite", "NEW", legacy=legacy)

    def inc(table, keys, new):
        return (f"INSERT OR IGNORE INTO {table} ({_cols(keys)}, n) VALUES ({', '.join(new[k] for k in keys)}, 0); "
                f"UPDATE {table} SET n = n + 1 WHERE {_match(keys, new)};")

    def dec(table, keys, old):
        return f"UPDATE {table} SET n = n - 1 WHERE {_match(keys, old)};"

    ins = " ".join(inc(table, keys, new) for table, keys, new in news)
    dele = " ".join(dec(table, keys, old) for table, keys, old in olds)
    return [
        *drop_statements("sqlite"),
        f"CREATE TRIGGER {TRIGGER}_ins AFTER INSERT ON {HAZARDS} BEGIN {ins} END;",
        f"CREATE TRIGGER {TRIGGER}_del AFTER DELETE ON {HAZARDS} BEGIN {dele} END;",
        f"CREATE TRIGGER {TRIGGER}_upd AFTER UPDATE OF {_cols(WATCHED)} ON {HAZARDS} BEGIN {dele} {ins} END;",
    ]


def drop_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {TRIGGER} ON {HAZARDS};", f"DROP FUNCTION IF EXISTS {TRIGGER}_row();"]
    return [f"DROP TRIGGER IF EXISTS {TRIGGER}_{s};" for s in ("ins", "del", "upd")]


def _legacy(conn) -> bool:
    """The schema of migrations 0006–0012 (no county tally nor cutoff yet): migrating through them."""
    return not {COUNTY, CITY, CITY_WEEK, CUTOFF} <= set(conn.introspection.table_names())


def install(conn=None, legacy: bool | None = None) -> None:
    """Create (or replace) the triggers that keep the tallies current (``legacy``: those of
    migrations 0006–0012, for reversing 0013; None: as the schema has it)."""
    conn = conn or connection
    if legacy is None:
        legacy = _legacy(conn)
    statements = _pg_statements(legacy) if conn.vendor == "postgresql" else _sqlite_statements(legacy)
    with conn.cursor() as cur:
        for sql in statements:
            cur.execute(sql)


def uninstall(conn=None) -> None:
    conn = conn or connection
    with conn.cursor() as cur:
        for sql in drop_statements(conn.vendor):
            cur.execute(sql)


def installed(conn=None) -> bool:
    """Are the triggers present and enabled?"""
    conn = conn or connection
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass", [TRIGGER, HAZARDS])
            row = cur.fetchone()
            return row is not None and row[0] != "D"
        cur.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{TRIGGER}_%"])
        return cur.fetchone()[0] == 3


def ensure_installed() -> bool:
    """Install the triggers if they are missing or disabled; True when they had to be."""
    if installed():
        return False
    install()
    return True


# ---------------------------------------------------------------- rebuild

CODE_LENGTH = {"province": 2, "city": 4, "county": 6, "township": 9}  # regional codes nest by prefix


def _region_where(region, keys=MAIN_KEYS) -> tuple[str, list]:
    """``region``: None (everything), a ``regions.Region`` or a (level, code) pair. For a tally
    without that level's codes (a county in the city tally): the enclosing region it has (the
    code's prefix), so that tally's rows of the region are recounted whole."""
    if region is None:
        return "", []
    level, code = (region.level, region.code) if hasattr(region, "level") else region
    if level not in LEVELS:
        raise ValueError(level)
    while f"{level}_code" not in keys:
        level = LEVELS[LEVELS.index(level) - 1]
        code = code[:CODE_LENGTH[level]]
    return f" WHERE {level}_code = %s", [code]


def rebuild(region=None, legacy: bool | None = None) -> dict:
    """Recount the tallies of ``region`` (None = everything) from the hazards table: one DELETE and
    one ``INSERT … SELECT … GROUP BY`` per tally, in one transaction. On PostgreSQL hazard writes
    wait (SHARE lock) while it runs, so no concurrent change is lost between the two. Deadlines
    before the cutoff are collapsed as the triggers do (the cutoff is not moved: ``fold`` does)."""
    counts = {}
    if legacy is None:
        legacy = _legacy(connection)
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"LOCK TABLE {HAZARDS} IN SHARE MODE")
        for table, keys, exprs in _tables(connection.vendor, "h", legacy=legacy):
            where, params = _region_where(region, keys)
            cur.execute(f"DELETE FROM {table}{where}", params)
            group = ", ".join(str(i) for i in range(1, len(keys) + 1))
            cur.execute(f"INSERT INTO {table} ({_cols(keys)}, n) SELECT {', '.join(exprs[k] for k in keys)}, COUNT(*) "
                        f"FROM {HAZARDS} h{where.replace(' WHERE ', ' WHERE h.')} GROUP BY {group}", params)
            counts[table] = cur.rowcount
    return {"rows": counts[MAIN], "county_rows": counts.get(COUNTY, 0), "city_rows": counts.get(CITY, 0),
            "week_rows": counts[WEEK], "city_week_rows": counts.get(CITY_WEEK, 0)}


def cutoff():
    """The current collapse point (a Monday), or None."""
    return HazardTallyCutoff.objects.filter(pk=1).values_list("past_before", flat=True).first()


def fold(today: datetime.date | None = None) -> dict:
    """Move the collapse point to the Monday of ``today`` (default: today, Asia/Shanghai) and fold
    the deadline weeks that fell before it into ``PAST_DEADLINE``: per tally one grouped upsert of
    those rows into their past key and one DELETE. Never moves the point back; nothing to do
    (``folded`` 0) when it is already there. In one transaction, with hazard writes held back
    (PostgreSQL: SHARE lock on the hazards, as ``rebuild``) so no trigger keys a row by the old point
    after the fold. The periodic job ``tallies.fold`` runs it daily; ``reconcile`` too."""
    new = monday(today or timezone.localdate())
    past = f"DATE '{PAST_DEADLINE.isoformat()}'" if connection.vendor == "postgresql" else f"'{PAST_DEADLINE.isoformat()}'"
    folded = 0
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"LOCK TABLE {HAZARDS} IN SHARE MODE")
        old = cutoff()
        if old is not None and old >= new:
            return {"cutoff": old, "folded": 0}
        # raw SQL as every tally write here (maintenance of derived counts, no event); an upsert,
        # so that a cutoff row left empty (by hand) is set rather than inserted a second time
        cur.execute(f"INSERT INTO {CUTOFF} (id, past_before) VALUES (1, %s) "
                    f"ON CONFLICT (id) DO UPDATE SET past_before = excluded.past_before", [new])
        for table, keys in DEADLINE_TABLES:
            other = [k for k in keys if k != "deadline_week"]
            cols = ", ".join(other)
            group = ", ".join(str(i) for i in range(1, len(other) + 1))
            stale = f"deadline_week < %s AND deadline_week <> {past}"
            cur.execute(f"INSERT INTO {table} ({cols}, deadline_week, n) SELECT {cols}, {past}, SUM(n) FROM {table} "
                        f"WHERE {stale} GROUP BY {group} ORDER BY {group} "
                        f"ON CONFLICT ({_cols(keys)}) DO UPDATE SET n = {table}.n + excluded.n", [new])
            cur.execute(f"DELETE FROM {table} WHERE {stale}", [new])
            folded += cur.rowcount
    return {"cutoff": new, "folded": folded}


def defer() -> bool:
    """A long bulk transaction (the hazard import): the triggers skip this transaction's hazard
    writes, and the caller counts its new rows with ``count_new(ids)`` just before committing —
    one grouped upsert per tally instead of two or four statements per row.

    On PostgreSQL a transaction-local setting switches the row trigger off, so the import does not
    hold tally rows locked — and other writers of the same keys waiting — for its whole length.
    On SQLite the triggers are dropped *inside* the transaction (SQLite's DDL is transactional):
    no other connection can write meanwhile (one writer holds the lock) or ever see them missing
    (``count_new`` recreates them before the commit, and a rollback — a dry run, a bad row —
    brings them back by itself). Returns False (nothing deferred) outside a transaction."""
    if not connection.in_atomic_block:
        return False
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT set_config(%s, 'on', true)", [DEFERRED])
        return True
    if connection.vendor == "sqlite" and installed():
        uninstall()
        return True
    return False


def count_new(ids) -> None:
    """End a ``defer()``: count the hazards ``ids`` (inserted in this transaction) in one grouped
    upsert per tally, and let the triggers count this transaction's further writes again. The new
    rows are read once and each key computed once per row (the week of a registration instant,
    in Asia/Shanghai, was computed for two tallies and the deadline week for three): on
    PostgreSQL in one statement, on SQLite into a temporary table."""
    ids = list(ids)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT set_config(%s, 'off', true)", [DEFERRED])
        if not ids:
            return
        upserts = [f"t{i} AS ({_upsert_from(table, keys, 'k')})" for i, (table, keys, _) in enumerate(_tables("postgresql", "h"))]
        with connection.cursor() as cur:
            cur.execute(f"WITH k AS MATERIALIZED ({_keys_select('postgresql')} WHERE h.id = ANY(%s)), "
                        f"{', '.join(upserts)} SELECT 1", [ids])
        return
    install()
    if not ids:
        return
    import json

    with connection.cursor() as cur:  # the keys once per row in a temporary table, then one upsert per tally
        cur.execute("DROP TABLE IF EXISTS temp.tally_new_keys")
        cur.execute(f"CREATE TEMP TABLE tally_new_keys AS {_keys_select(connection.vendor)} "
                    f"WHERE h.id IN (SELECT value FROM json_each(%s))", [json.dumps(ids)])
        for table, keys, _ in _tables(connection.vendor, "h"):
            cur.execute(_upsert_from(table, keys, "temp.tally_new_keys"))
        cur.execute("DROP TABLE temp.tally_new_keys")


def _keys_select(vendor: str) -> str:
    """``SELECT`` of every tally key column of the hazard rows ``h`` (each computed once: the five
    tallies share them; the caller adds the WHERE)."""
    main, weekly = _expressions(vendor, "h")
    keys = {**main, "week": weekly["week"]}  # the weekly tallies' other keys are the main tally's columns
    return f"SELECT {', '.join(f'{expr} AS {name}' for name, expr in keys.items())} FROM {HAZARDS} h"


def _upsert_from(table: str, keys, source: str) -> str:
    """Add the rows of ``source`` (key columns by name) to ``table``, one grouped upsert in key order."""
    group = ", ".join(str(i) for i in range(1, len(keys) + 1))
    return (f"INSERT INTO {table} ({_cols(keys)}, n) SELECT {_cols(keys)}, COUNT(*) FROM {source} GROUP BY {group} "
            f"ORDER BY {group} ON CONFLICT ({_cols(keys)}) DO UPDATE SET n = {table}.n + excluded.n")


@contextlib.contextmanager
def suspended(region=None):
    """For a bulk load (e.g. the benchmark generator's COPY path): the triggers are off inside the
    block, and on leaving it — also after an error — they are back and the tallies of ``region``
    (None = all) are rebuilt. Only for offline loads: other writers' changes meanwhile are
    recounted by the rebuild, not by the triggers."""
    uninstall()
    try:
        yield
    finally:
        install()
        fold()
        rebuild(region)


def _norm(value) -> str:
    return str(int(value)) if isinstance(value, bool) else str(value)


def differences(region=None) -> list[dict]:
    """Keys whose tally differs from a GROUP BY over the hazards (zero rows ignored)."""
    out = []
    with connection.cursor() as cur:
        for table, keys, exprs in _tables(connection.vendor, "h"):
            where, params = _region_where(region, keys)
            group = ", ".join(str(i) for i in range(1, len(keys) + 1))
            cur.execute(f"SELECT {', '.join(exprs[k] for k in keys)}, COUNT(*) FROM {HAZARDS} h"
                        f"{where.replace(' WHERE ', ' WHERE h.')} GROUP BY {group}", params)
            truth = {tuple(_norm(v) for v in r[:-1]): r[-1] for r in cur.fetchall()}
            cur.execute(f"SELECT {_cols(keys)}, n FROM {table}{where}", params)
            kept = {}
            for r in cur.fetchall():
                key = tuple(_norm(v) for v in r[:-1])
                kept[key] = kept.get(key, 0) + r[-1]
            for key in set(truth) | set(kept):
                if truth.get(key, 0) != kept.get(key, 0):
                    out.append({"table": table, "key": dict(zip(keys, key)), "hazards": truth.get(key, 0),
                                "tally": kept.get(key, 0)})
    return out


def reconcile(region=None) -> dict:
    """The periodic check: reinstall missing triggers, fold past deadline weeks, compare, rebuild
    when anything differs."""
    reinstalled = ensure_installed()
    folded = fold()
    diff = differences(region)
    result = {"reinstalled": reinstalled, "differences": len(diff), "folded": folded["folded"]}
    if diff or reinstalled:
        result.update(rebuild(region))
    with connection.cursor() as cur:  # keys no hazard holds any more
        for table in (MAIN, COUNTY, CITY, WEEK, CITY_WEEK):
            cur.execute(f"DELETE FROM {table} WHERE n = 0")
    return result


# ---------------------------------------------------------------- reading

def _scope(scope_or_user):
    from accounts.scope import Scope, scope_for

    return scope_or_user if isinstance(scope_or_user, Scope) else scope_for(scope_or_user)


def scope_q(scope_or_user) -> Q | None:
    """The tally rows a scope may see (as ``HazardQuerySet.visible_to``: one region code, the
    department's sectors), or None when the scope is a set of enterprises."""
    scope = _scope(scope_or_user)
    if scope.everything:
        return Q()
    if scope.nothing:
        return Q(pk__in=[])
    if scope.enterprise_ids is not None or scope.level not in ("province", "city", "county", "township"):
        return None
    q = Q(**{f"{scope.level}_code": scope.region_code})
    if scope.sector_ids is not None:
        q &= Q(sector_id__in=sorted(scope.sector_ids))
    return q


def finest(*levels) -> str | None:
    """The finest of these region levels that the tallies know (None: none of them)."""
    known = [lv for lv in levels if lv in LEVELS]
    return max(known, key=LEVELS.index) if known else None


def grain(scope, level: str | None = None) -> str:
    """The coarsest region level whose tally serves ``scope`` when the caller groups or filters by
    region codes down to ``level`` (None: the scope's own level only)."""
    return finest(level, _scope(scope).level) or "province"


def rows(scope, model=None, *, level: str | None = None, weekly: bool = False, using: str | None = None):
    """The tally rows of ``scope`` (a queryset), or None when the scope is not expressible.
    ``model`` None: the smallest tally that has the codes down to ``level`` (the finest region
    level the caller groups or filters by; the scope's own level is added): city tallies for
    province and city levels, ``HazardCountyTally`` for counties, ``HazardTally`` for townships;
    ``weekly``: ``HazardCityWeekTally`` or else ``HazardWeekTally``. ``using``: the database (by
    default the read database: the replica when there is one)."""
    q = scope_q(scope)
    if q is None:
        return None
    from core.routers import read_db

    if model is None:
        g = grain(scope, level)
        if weekly:
            model = HazardCityWeekTally if g in ("province", "city") else HazardWeekTally
        else:
            model = {"province": HazardCityTally, "city": HazardCityTally, "county": HazardCountyTally}.get(g, HazardTally)
    return model.objects.using(using or read_db()).filter(q)


def counts(scope, by=(), *, weekly: bool = False, using: str | None = None, **filters) -> list[dict] | None:
    """Hazard counts of ``scope`` grouped by ``by`` (tally key names) with ORM ``filters`` on the
    keys: e.g. ``counts(user, by=["township_code", "status"], grade="major")`` →
    ``[{"township_code": …, "status": …, "n": 3}, …]``. ``weekly`` reads the week tally (keys of
    ``HazardWeekTally``). None when the scope is a set of enterprises (count those directly)."""
    named = [lv for lv in LEVELS if any(k.startswith(lv + "_code") for k in (*by, *filters))]
    qs = rows(scope, level=named[-1] if named else None, weekly=weekly, using=using)
    if qs is None:
        return None
    qs = qs.filter(**filters)
    if not by:
        return [{"n": qs.aggregate(n=Sum("n"))["n"] or 0}]
    return [r for r in qs.values(*by).annotate(n=Sum("n")).order_by(*by) if r["n"]]


def filtered_total(scope, filters: dict) -> int | None:
    """How many hazards ``scope`` sees through the ledger's filters (``HazardFilter``'s cleaned
    data), read from the tallies when every filter in use is a tally key — region, grade, status,
    channel, 未销号 — and the scope is a region (× sectors); None when the rows must be counted
    (a text search, dates, overdue, …; enterprise and agency users). The tallies are kept in every
    writing transaction, so the total is exact. The ledger's pager and the API's use it. Read on
    the primary, as the list's rows are (core.routers): a lagging replica must not show a total
    that misses the hazard a user has just registered."""
    from django.db import DEFAULT_DB_ALIAS

    from core.listfilters import LEVEL_BY_LENGTH

    keys = {}
    for name, value in filters.items():
        if value in (None, "") or name == "sort":
            continue
        if name in ("grade", "status", "channel"):
            keys[name] = value
        elif name == "region":
            keys[f"{LEVEL_BY_LENGTH[len(value)]}_code"] = value
        elif name == "open" and value is True:
            keys["status__in"] = workflow.OPEN_STATES
        else:
            return None
    found = counts(scope, using=DEFAULT_DB_ALIAS, **keys)
    return None if found is None else found[0]["n"]


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def listed_ids():
    """Ids of hazards under a 挂牌督办 in force now (approved, not delisted) — a small set, read
    directly (listings change in the supervision app, not on hazard rows); None without that app."""
    from django.apps import apps

    from .asof import IN_FORCE

    try:
        Listing = apps.get_model("supervision", "Listing")
    except LookupError:
        return None
    # fetched (a few hundred at province scale) so the counts look hazards up by primary key
    return sorted(set(Listing.objects.filter(status__in=IN_FORCE).values_list("hazard_id", flat=True)))


def _zero(value) -> int:
    return value or 0


def open_figures(scope, hazards, today: datetime.date) -> dict | None:
    """The home cards' figures of ``scope`` now: open, open major, overdue (open and past the
    deadline on ``today``). Whole weeks before this one come from the tally; the deadlines of
    this week before ``today`` are counted directly on ``hazards`` (the same scope as a
    queryset). None when the scope is not expressible on tally keys. Read from the primary
    database, as the count of this week's deadlines on ``hazards`` is: both halves of a card
    describe the same instant even while a replica lags (the ledger's total does the same)."""
    from django.db import DEFAULT_DB_ALIAS

    qs = rows(scope, using=DEFAULT_DB_ALIAS)
    if qs is None:
        return None
    week = monday(today)
    opens = Q(status__in=workflow.OPEN_STATES)
    agg = qs.aggregate(open=Sum("n", filter=opens), open_major=Sum("n", filter=opens & Q(grade=workflow.MAJOR)),
                       overdue=Sum("n", filter=opens & Q(deadline_week__lt=week)))
    this_week = hazards.filter(status__in=workflow.OPEN_STATES, deadline__gte=week, deadline__lt=today).count() if week < today else 0
    return {"open": _zero(agg["open"]), "open_major": _zero(agg["open_major"]), "overdue": _zero(agg["overdue"]) + this_week}
