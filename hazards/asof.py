"""What was true at an instant: the one notion of time behind every figure.

Every figure that claims a date — the dispatch table (sections 一–四), the five-colour board and
its weekly snapshot, the quarterly bulletin, the statistics, the home cards — asks this module.

* A cut-off is an **instant** (an aware datetime). ``instant`` accepts an ISO date/datetime in any
  offset; a bare date means the end of that day in Asia/Shanghai.
* Every date derived from an instant (the day a deadline is compared with, the window of dated
  facts) is taken in **Asia/Shanghai**, whatever offset the caller wrote: ``local_day``.
* A hazard's state, grade, deadline and listing at instant ``t`` come from the event trail
  (``core.models.Event``): the last event at or before ``t`` that set each of them. A hazard not yet
  first reported at ``t`` does not exist at ``t``.
* A hazard first reported **before it was entered** (an inspection finding filed when its record was
  signed, after the inspection day; an earlier report added as a source — ``first_reported_at`` moved
  back) exists from its first report: at a cut-off before its first event it is in its **first state**
  with its **first grade** (its registration's) — unless a duplicate later merged into it had been
  reported by then (``merged_into``, first reported at or before ``t``): that one stands for it at ``t``
  and is counted itself, so the hazard is not counted twice (``_first_state``).
* The grade trail: ``hazard.registered`` carries the first grade, ``hazard.regraded`` every later
  change (``grade_from`` → ``grade``; today only a merge raises a grade) — those two verbs and no
  other (``TRAIL_VERBS``): a grade change is always written as ``hazard.regraded``. Hazards whose grade changed
  before the trail existed count with today's grade at every instant (documented fallback, ``_grade``).

``HazardQuerySet``-independent: ``annotate(qs, t)`` adds ``state_at``, ``grade_at``,
``deadline_at``, ``closed_at_t`` and ``listed_at`` to any hazard queryset (already scoped by the
caller), and ``Q`` helpers (``open_q``, ``closed_q``, ``overdue_q``) filter or aggregate on them.
"""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import EmptyResultSet
from django.db.models import Case, CharField, DateField, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core.models import Event

from . import workflow

ZONE = ZoneInfo("Asia/Shanghai")
HAZARD = "hazards.hazard"
LISTING = "supervision.listing"
IN_FORCE = ("listed", "delisting_requested")  # supervision.workflow.SUPERVISED_STATES (approved, not delisted)


# ---------------------------------------------------------------- instants and local days

def now() -> datetime.datetime:
    return timezone.now()


def local_day(moment: datetime.datetime) -> datetime.date:
    """The Asia/Shanghai calendar day of an instant (whatever offset it was written in); a day is
    itself."""
    if not isinstance(moment, datetime.datetime):
        return moment
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=ZONE)
    return moment.astimezone(ZONE).date()


def start_of(day: datetime.date) -> datetime.datetime:
    """00:00 of ``day`` in Asia/Shanghai."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=ZONE)


def end_of(day: datetime.date) -> datetime.datetime:
    """The last instant of ``day`` in Asia/Shanghai."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=ZONE)


def instant(raw=None) -> datetime.datetime:
    """A cut-off instant from an ISO date, an ISO datetime in any offset (naive = Asia/Shanghai),
    a ``date`` (end of that day) or a ``datetime``; None/"" = now. Bad text → ServiceError."""
    if raw in (None, ""):
        return now()
    if isinstance(raw, datetime.datetime):
        return raw if timezone.is_aware(raw) else raw.replace(tzinfo=ZONE)
    if isinstance(raw, datetime.date):
        return end_of(raw)
    text = str(raw).strip()
    try:
        if len(text) <= 10:  # a bare date (parse_datetime would read it as midnight)
            day = parse_date(text)
            if day is None:
                raise ValueError
            return end_of(day)
        moment = parse_datetime(text)
        if moment is None:
            raise ValueError
    except ValueError:
        from core.services import ServiceError

        raise ServiceError("截止时间格式应为 ISO 日期或时间，如 2026-11-23T12:00+08:00。", "as_of")
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=ZONE)


def day_window(start: datetime.datetime, as_of: datetime.datetime) -> tuple[datetime.date, datetime.date]:
    """The Asia/Shanghai days [first, last] of a period of dated facts."""
    return local_day(start), local_day(as_of)


def check_not_future(day: datetime.date, field: str, label: str = "日期") -> datetime.date:
    """A dated fact happened on ``day``: never after today (Asia/Shanghai)."""
    if day is not None and day > local_day(now()):
        from core.services import ServiceError

        raise ServiceError(f"{label}不能晚于今天。", field)
    return day


def check_not_before(day: datetime.date, floor: datetime.date | None, field: str, label: str, floor_label: str) -> datetime.date:
    """A dated fact is not dated before the step it follows (a case's decision not before its filing,
    a 复产 not before the suspension it lifts nor the hazard's 销号, a 现场处理措施 not before the hazard
    was found …): "{label}（day）不能早于{floor_label}（floor）。" on ``field``."""
    if floor is not None and day < floor:
        from core.services import ServiceError

        raise ServiceError(f"{label}（{day:%Y-%m-%d}）不能早于{floor_label}（{floor:%Y-%m-%d}）。", field)
    return day


# ---------------------------------------------------------------- hazards as of t

def _events(object_type: str, at: datetime.datetime):
    return Event.objects.filter(object_type=object_type, object_id=OuterRef("pk"), created_at__lte=at).order_by("-created_at", "-id")


def _first_state(at):
    """The first state of a hazard with no event at or before ``at`` (reported before it was entered), or
    nothing when a duplicate merged into it had been reported by ``at`` (it is counted itself then)."""
    from django.apps import apps

    Hazard = apps.get_model("hazards", "Hazard")
    represented = Hazard.objects.filter(merged_into=OuterRef(OuterRef("pk")), first_reported_at__lte=at)
    return Subquery(Event.objects.filter(object_type=HAZARD, object_id=OuterRef("pk")).exclude(to_state="")
                    .filter(~Exists(represented)).order_by("created_at", "id").values("to_state")[:1])


def _state(at):
    """The state set by the last event at or before ``at``; before the first event, the first state (``_first_state``)."""
    return Coalesce(Subquery(_events(HAZARD, at).exclude(to_state="").values("to_state")[:1]), _first_state(at),
                    output_field=CharField())


#: The events of a hazard's grade trail (the registration, then each change).
REGISTERED, REGRADED = "hazard.registered", "hazard.regraded"
TRAIL_VERBS = (REGISTERED, REGRADED)


def _grade_events(at, *, first: bool = False):
    qs = Event.objects.filter(object_type=HAZARD, object_id=OuterRef("pk"), verb__in=TRAIL_VERBS)
    if at is not None:
        qs = qs.filter(created_at__lte=at)
    return (qs.filter(data__has_key="grade").order_by(*(("created_at", "id") if first else ("-created_at", "-id")))
            .annotate(g=KeyTextTransform("grade", "data")).values("g")[:1])


def _grade(at):
    """The grade at ``at`` from the grade trail: ``hazard.registered`` (and the import path) record
    the first grade, ``hazard.regraded`` every later change (``grade_from`` → ``grade``; merging a
    重大 hazard into a 一般 one raises the survivor). Fallback, documented: a hazard with no grade
    event, or whose latest recorded grade is not its grade today (changed before the trail was
    written), counts with today's grade at every instant — the behaviour before the trail. Before its first
    event (reported before it was entered) a hazard has its first grade, the registration's."""
    trail_at, trail_last = Subquery(_grade_events(at)), Subquery(_grade_events(None))
    trail_first = Subquery(_grade_events(None, first=True))
    return Case(When(Q(grade=trail_last), then=Coalesce(trail_at, trail_first, F("grade"))), default=F("grade"),
                output_field=CharField())


#: The approval of a 挂牌督办 sets the hazard's deadline to the notice's (hazards.services.set_listed_deadline).
LISTING_DEADLINE = "hazard.listing_deadline"


def _deadline(at):
    """The deadline set by the last approved extension, 挂牌督办 approval (``LISTING_DEADLINE``),
    reopening *with a deadline* or merge that brought an earlier deadline (``hazard.merged_in``
    with ``deadline``) at or before ``at``. A reopening that names no deadline records
    ``{"deadline": null}`` and keeps the deadline in force, so it is not a deadline change. The
    JSON null is excluded with ``data__key=None`` (JSON null on every backend): SQLite's key-text
    extraction yields the text ``'null'`` for a JSON null, not SQL NULL, so ``IS NOT NULL`` alone
    let the reopening win there and fall back to the original deadline (issue 16;
    hazards/tests/test_asof_deadline.py on both backends)."""
    extension = "hazard.decide_extension"
    by_deadline_key = ("hazard.reopen", LISTING_DEADLINE, "hazard.merged_in")
    changes = (_events(HAZARD, at)
               .filter(Q(verb=extension, data__approved=True, data__has_key="new_deadline")
                       | Q(verb__in=by_deadline_key, data__has_key="deadline"))
               .exclude(verb=extension, data__new_deadline=None)
               .exclude(verb__in=by_deadline_key, data__deadline=None)
               .annotate(d=Case(When(verb=extension, then=KeyTextTransform("new_deadline", "data")),
                                default=KeyTextTransform("deadline", "data"), output_field=CharField())))
    return Cast(Subquery(changes.values("d")[:1]), DateField())


def _closed_at(at):
    """When the hazard was last closed, at or before ``at``: its last event *into* 已销号 — not an
    event recorded on it while it was closed already (a duplicate merged into it records
    closed → closed, which is not when it was closed)."""
    return Subquery(_events(HAZARD, at).filter(to_state=workflow.CLOSED).exclude(from_state=workflow.CLOSED)
                    .values("created_at")[:1])


def _listed(at):
    from django.apps import apps

    try:
        Listing = apps.get_model("supervision", "Listing")
    except LookupError:
        return None
    state = Subquery(_events(LISTING, at).exclude(to_state="").values("to_state")[:1])
    return Exists(Listing.objects.filter(hazard=OuterRef("pk")).annotate(s=state).filter(s__in=IN_FORCE))


def annotate(qs, at: datetime.datetime):
    """``qs`` (hazards) restricted to those that existed at ``at`` and not merged/voided then,
    annotated with what was true at ``at``: ``state_at``, ``grade_at``, ``deadline_at``,
    ``closed_at_t`` (when it was last closed, if closed then) and ``listed_at`` (a 挂牌督办 in force)."""
    at = instant(at)
    qs = qs.filter(first_reported_at__lte=at).annotate(
        state_at=_state(at), grade_at=_grade(at),
        deadline_at=Coalesce(_deadline(at), F("original_deadline"), F("deadline"), output_field=DateField()), closed_at_t=_closed_at(at))
    listed = _listed(at)
    if listed is not None:
        qs = qs.annotate(listed_at=listed)
    return qs.filter(state_at__isnull=False).exclude(state_at__in=workflow.FINAL_STATES)


def has_listing() -> bool:
    return _listed(now()) is not None


def may_have_been_major_q() -> Q:
    """The hazards that can have been graded 重大 at some instant: 重大 today, or named by a grade
    change (``hazard.regraded``, partial index ``GRADE_CHANGE_INDEX``) — with no grade change a
    hazard's grade at every instant is today's (``_grade``; ``major_rows_sql``'s P1/P2). A cheap
    test PostgreSQL applies before the trail's sub-selects: without it they ran for every hazard of
    the scope (the province board as of a past Monday: 15.6 s for 730,000 hazards, 3,557 of them
    重大)."""
    changed = Event.objects.filter(object_type=HAZARD, verb=REGRADED).values("object_id")
    return Q(grade=workflow.MAJOR) | Q(pk__in=changed)


def major(qs, at):
    """Major hazards counted at ``at`` (graded major then)."""
    return annotate(qs.filter(may_have_been_major_q()), at).filter(grade_at=workflow.MAJOR)


def open_q() -> Q:
    return Q(state_at__in=workflow.OPEN_STATES)


def closed_q() -> Q:
    return Q(state_at=workflow.CLOSED)


def overdue_q(at) -> Q:
    """Open at ``at`` and past its deadline as of that day (Asia/Shanghai)."""
    return open_q() & Q(deadline_at__lt=local_day(instant(at)))


def listed_q() -> Q:
    return Q(listed_at=True)


def state_of(hazard, at) -> dict:
    """One hazard at ``at``: {exists, state, grade, deadline, listed, overdue} (for pages and tests)."""
    row = annotate(type(hazard).objects.filter(pk=hazard.pk), at).values(
        "state_at", "grade_at", "deadline_at", *(["listed_at"] if has_listing() else [])).first()
    if row is None:
        return {"exists": False}
    day = local_day(instant(at))
    deadline = row["deadline_at"]
    if isinstance(deadline, str):
        deadline = parse_date(deadline)
    state = row["state_at"]
    return {"exists": True, "state": state, "grade": row["grade_at"], "deadline": deadline,
            "listed": bool(row.get("listed_at")),
            "overdue": state in workflow.OPEN_STATES and deadline is not None and deadline < day}


# ---------------------------------------------------------------- set-based: major hazards at t

#: A partial index (hazards migration ``grade_change_event_index``) over a hazard's grade changes,
#: its ``hazard.regraded`` events (today: a merge raising the survivor). Only a hazard named there
#: can have had another grade at an earlier instant (see ``major_rows_sql``); a handful of rows. The
#: verb is also what PostgreSQL estimates well (its statistics on ``verb``): a predicate on the JSON
#: key was estimated at a sixth of all events, planned as a scan of the scope, and JIT-compiled.
GRADE_CHANGE_INDEX = "hazard_grade_change_idx"
#: ``Hazard.Meta.indexes``: a county's 重大 hazards by first report (partial, ``grade = 'major'``).
MAJOR_COUNTY_INDEX = "hazard_major_county_idx"


def _json(vendor: str, alias: str | None = "e") -> tuple[str, str]:
    """(grade as text, has a grade key) on ``alias``.data — the SQL Django writes for
    ``KeyTextTransform("grade", "data")`` and ``data__has_key="grade"``."""
    data = f"{alias}.data" if alias else "data"
    if vendor == "postgresql":
        return f"({data} ->> 'grade')", f"({data} ? 'grade')"
    return f"json_extract({data}, '$.grade')", f"(json_type({data}, '$.grade') IS NOT NULL)"


def grade_change_predicate(vendor: str, alias: str | None = "e") -> str:
    """The partial index's predicate (``alias`` None: as written in CREATE INDEX), written
    identically in the query so that the planner can use the index."""
    p = f"{alias}." if alias else ""
    return f"{p}object_type = '{HAZARD}' AND {p}verb = '{REGRADED}'"


def major_rows_sql(qs, at: datetime.datetime, *, since: datetime.datetime | None = None,
                   connection=None, county_code: str | None = None) -> tuple[str, list]:
    """The same rows as ``major(qs, at)`` (first reported in [since, at]), in one set-based statement:
    SQL (and params) of a derived table ``(id, channel, state_at)`` — the hazards of ``qs`` graded
    重大 at ``at``, existing and neither merged nor voided then.

    ``annotate`` asks the event trail with correlated sub-selects per hazard of the scope and per
    figure (state; grade at t and latest grade), evaluated for every hazard, up to once per
    reference. Here the grade rule of ``_grade`` is applied first, on indexes:

    * A hazard's grade trail is its ``hazard.registered`` event (written once, when the hazard is
      created, with its first grade) and its grade changes (``hazard.regraded``: partial index
      ``GRADE_CHANGE_INDEX``). With no grade change, the grade
      at any instant is today's grade (at most the registration: its grade or nothing at t, and
      ``_grade`` falls back to today's grade either way). So:
    * **P1** — 重大 today (grade index), no grade change: graded 重大 at t; only the state at t is
      read — one backward index probe of ``event_object_idx`` per hazard.
    * **P2** — the hazards with a grade change (any grade today): the whole ``_grade`` rule on
      their trail (``CASE WHEN grade = latest THEN COALESCE(at t, grade) ELSE grade END``).
    * PostgreSQL reads each candidate's events through LATERAL joins; SQLite (no LATERAL) evaluates
      its index-ordered sub-selects once per candidate in a materialised CTE. State, grade at t and
      latest grade are those of ``annotate`` exactly: last event at or before t by (``created_at``,
      ``id``) with a ``to_state`` / carrying a ``grade`` key.

    ``county_code``: the county every hazard of ``qs`` lies in, when the caller knows it (a county,
    a township or a county department). SQLite then reads P1's candidates by the partial index
    ``hazard_major_county_idx`` (that county's 重大 hazards, first reported in the period) instead
    of every 重大 hazard of the database; PostgreSQL already plans that path from ``qs`` itself.
    It narrows nothing: the scope test still applies.
    """
    from django.db import connection as default

    conn = connection or default
    vendor = conn.vendor
    at = instant(at)
    base = qs.filter(first_reported_at__lte=at)
    if since is not None:
        base = base.filter(first_reported_at__gte=since)
    try:
        inner, inner_params = base.order_by().values_list("id", "grade", "channel").query.sql_with_params()
    except EmptyResultSet:  # a scope that cannot match (e.g. a department leading no sector): no rows
        inner, inner_params = "SELECT id, grade, channel FROM hazards_hazard WHERE 1 = 0", []
    t = conn.ops.adapt_datetimefield_value(at)
    grade, has_grade = _json(vendor)
    final = ", ".join(f"'{s}'" for s in workflow.FINAL_STATES)
    trail = f"e.object_type = '{HAZARD}' AND e.object_id = c.id"
    graded = f"e.verb IN ('{REGISTERED}', '{REGRADED}') AND {has_grade}"
    latest = "ORDER BY e.created_at DESC, e.id DESC"
    rule = "(CASE WHEN c.grade = c.grade_last THEN COALESCE(c.grade_at, c.grade) ELSE c.grade END) = %s"
    # the state at t: the last event at or before t; before the first event, the first state unless a
    # duplicate merged into the hazard had been reported by t (``_first_state``, the module's docstring)
    unrepresented = "NOT EXISTS (SELECT 1 FROM hazards_hazard m WHERE m.merged_into_id = c.id AND m.first_reported_at <= %s)"
    first = "ORDER BY e.created_at, e.id"
    last_state = (f"SELECT e.to_state FROM core_event e WHERE {trail} AND e.created_at <= %s AND e.to_state <> %s "
                  f"{latest} LIMIT 1")
    first_state = (f"SELECT e.to_state FROM core_event e WHERE {trail} AND e.to_state <> %s AND {unrepresented} "
                   f"{first} LIMIT 1")
    state = f"COALESCE(({last_state}), ({first_state}))"
    state_params = [t, "", "", t]
    if vendor == "postgresql":
        changed = f"SELECT e.object_id FROM core_event e WHERE {grade_change_predicate(vendor)}"
        # the last state by a LATERAL index probe (as fast as before the fallback: a COALESCE of two
        # sub-selects inside the LATERAL doubled section 一's time at province scale); the first state only
        # for a hazard with no event by t — PostgreSQL evaluates COALESCE's second argument only then
        p1 = (f"SELECT c.id, c.channel, COALESCE(s.to_state, ({first_state})) AS state_at FROM ({inner}) c "
              f"LEFT JOIN LATERAL ({last_state}) s ON TRUE WHERE c.grade = %s AND c.id NOT IN ({changed})")
        p2 = (f"SELECT c.id, c.channel, c.state_at FROM (SELECT c.id, c.grade, c.channel, x.* FROM ({inner}) c "
              f"CROSS JOIN LATERAL (SELECT "
              f"COALESCE((array_agg(e.to_state {latest}) FILTER (WHERE e.created_at <= %s AND e.to_state <> ''))[1], "
              f"CASE WHEN {unrepresented} THEN (array_agg(e.to_state {first}) FILTER (WHERE e.to_state <> ''))[1] END) "
              "AS state_at, "
              f"COALESCE((array_agg({grade} {latest}) FILTER (WHERE e.created_at <= %s AND {graded}))[1], "
              f"(array_agg({grade} {first}) FILTER (WHERE {graded}))[1]) AS grade_at, "
              f"(array_agg({grade} {latest}) FILTER (WHERE {graded}))[1] AS grade_last "
              f"FROM core_event e WHERE {trail}) x WHERE c.id IN ({changed})) c WHERE {rule}")
        sql = (f"SELECT r.id, r.channel, r.state_at FROM ({p1} UNION ALL {p2}) r "
               f"WHERE r.state_at IS NOT NULL AND r.state_at NOT IN ({final})")
        # P1's parameters in the order of their placeholders: the select list's first state, the derived
        # table, the LATERAL's last state, the grade
        return sql, ["", t, *inner_params, t, "", workflow.MAJOR, *inner_params, t, t, t, workflow.MAJOR]

    # SQLite keeps no statistics unless ANALYZE was run: it would walk the scope's region index
    # (every hazard of a county) and prefer event_object_idx (object_type = …) to the partial
    # index (every hazard event). So: the 重大 hazards by the grade index and the changed ones by
    # the partial index (which the migration creates), each checked against the scope by rowid.
    changed = (f"SELECT e.object_id FROM core_event e INDEXED BY {GRADE_CHANGE_INDEX} "
               f"WHERE {grade_change_predicate(vendor)}")
    member = f"EXISTS (SELECT 1 FROM ({inner}) b WHERE b.id = h.id)"

    def last(value, cond):
        return f"(SELECT {value} FROM core_event e WHERE {trail}{cond} {latest} LIMIT 1)"

    materialized = "MATERIALIZED " if getattr(conn.Database, "sqlite_version_info", (0,)) >= (3, 35) else ""
    if county_code is None:
        drive, drive_params = "FROM hazards_hazard c WHERE c.grade = %s", [workflow.MAJOR]
    else:
        # the grade as a literal (a constant of the code): SQLite uses a partial index only when the
        # statement's own terms imply its condition
        drive = (f"FROM hazards_hazard c INDEXED BY {MAJOR_COUNTY_INDEX} WHERE c.grade = '{workflow.MAJOR}' "
                 "AND c.county_code = %s AND c.first_reported_at <= %s")
        drive_params = [county_code, t]
        if since is not None:
            drive += " AND c.first_reported_at >= %s"
            drive_params.append(conn.ops.adapt_datetimefield_value(instant(since)))
    p1 = (f"SELECT c.id, c.channel, ({state}) AS state_at {drive} "
          f"AND c.id NOT IN ({changed}) AND {member.replace('h.id', 'c.id')}")
    first_grade = f"(SELECT {grade} FROM core_event e WHERE {trail} AND {graded} {first} LIMIT 1)"
    p2 = (f"SELECT c.id, c.channel, c.state_at FROM (SELECT c.id, c.grade, c.channel, ({state}) AS state_at, "
          f"COALESCE({last(grade, f' AND e.created_at <= %s AND {graded}')}, {first_grade}) AS grade_at, "
          f"{last(grade, f' AND {graded}')} AS grade_last FROM hazards_hazard c "
          f"WHERE c.id IN ({changed}) AND {member.replace('h.id', 'c.id')}) c WHERE {rule}")
    sql = (f"WITH r AS {materialized}({p1} UNION ALL {p2}) SELECT r.id, r.channel, r.state_at FROM r "
           f"WHERE r.state_at IS NOT NULL AND r.state_at NOT IN ({final})")
    return sql, [*state_params, *drive_params, *inner_params, *state_params, t, *inner_params, workflow.MAJOR]
