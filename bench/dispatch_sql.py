"""The B1 floor: hand-written SQL for every number of the weekly dispatch table (sections 一–四,
the roll-up's per-unit lines and group sums), the fastest form on each backend."""


from django.db import connection

SELF = "('self_check','enterprise_third_party')"


def _dt(value):
    return connection.ops.adapt_datetimefield_value(value)


# ---------------------------------------------------------------- B1

def section_one_sql(level: str, code: str, sector_ids, start, as_of, *, current_grade: bool = False) -> tuple[str, list]:
    """Section 一 in one hand-written statement, the same rule as the app (hazards.asof): a hazard
    counts if first reported in [start, cut-off], 重大 *at the cut-off* by its grade trail, and its
    last event at or before the cut-off left it in a state other than merged/void.

    The grade trail only matters for a hazard with a grade change (a ``hazard.regraded`` event —
    the partial index hazard_grade_change_idx): the others are
    重大 at the cut-off iff 重大 today. So: the 重大 hazards without a change, with only their state
    (the last event: a LATERAL join on PostgreSQL, a correlated sub-select on SQLite, once per
    hazard in a materialised CTE), plus the changed ones with the whole rule (latest grade, grade
    at the cut-off). On SQLite the scope's terms are written ``+col`` so the planner (no statistics)
    starts from the grade index rather than the region's whole index.

    ``current_grade``: the shortcut of earlier runs (today's grade, no trail) — the same numbers only
    while no hazard's grade changed; reported beside the floor for reference, not used as the floor."""
    pg = connection.vendor == "postgresql"
    plus = "" if pg else "+"
    sector = (f" AND {plus}h.sector_id IN ({', '.join(str(int(s)) for s in sorted(sector_ids))})" if sector_ids else "")
    scope = (f"{plus}h.{level}_code = %s{sector} AND {plus}h.first_reported_at >= %s AND {plus}h.first_reported_at <= %s")
    scope_params = [code, _dt(start), _dt(as_of)]
    ev = "e.object_type = 'hazards.hazard' AND e.object_id = h.id"
    order = "ORDER BY e.created_at DESC, e.id DESC"
    # the state at the cut-off; before the hazard's first event (reported before it was entered) its first
    # state, unless a duplicate merged into it had been reported by then (it counts itself)
    first = "ORDER BY e.created_at, e.id"
    alone = "NOT EXISTS (SELECT 1 FROM hazards_hazard m WHERE m.merged_into_id = h.id AND m.first_reported_at <= %s)"
    only_last = f"SELECT e.to_state FROM core_event e WHERE {ev} AND e.created_at <= %s AND e.to_state <> '' {order} LIMIT 1"
    first_state = f"SELECT e.to_state FROM core_event e WHERE {ev} AND e.to_state <> '' AND {alone} {first} LIMIT 1"
    last_state = f"SELECT COALESCE(({only_last}), ({first_state})) AS to_state"
    has = "(e.data ? 'grade')" if pg else "(json_type(e.data, '$.grade') IS NOT NULL)"
    grade = "(e.data ->> 'grade')" if pg else "json_extract(e.data, '$.grade')"
    changed = (f"SELECT e.object_id FROM core_event e{'' if pg else ' INDEXED BY hazard_grade_change_idx'} "
               "WHERE e.object_type = 'hazards.hazard' AND e.verb = 'hazard.regraded'")
    has = f"e.verb IN ('hazard.registered', 'hazard.regraded') AND {has}"
    at = _dt(as_of)
    rule = "(CASE WHEN h.grade = gl THEN COALESCE(ga, h.grade) ELSE h.grade END) = 'major'"
    if current_grade:
        if pg:
            rows = (f"SELECT h.channel, s.to_state AS st FROM hazards_hazard h CROSS JOIN LATERAL ({last_state}) s "
                    f"WHERE {scope} AND h.grade = 'major'")
        else:
            rows = f"SELECT h.channel, ({last_state}) AS st FROM hazards_hazard h WHERE {scope} AND h.grade = 'major'"
        params = [at, at, *scope_params]
    elif pg:
        trail = (f"SELECT COALESCE((array_agg(e.to_state {order}) FILTER (WHERE e.created_at <= %s AND e.to_state <> ''))[1], "
                 f"CASE WHEN {alone} THEN (array_agg(e.to_state {first}) FILTER (WHERE e.to_state <> ''))[1] END) AS st, "
                 f"COALESCE((array_agg({grade} {order}) FILTER (WHERE e.created_at <= %s AND {has}))[1], "
                 f"(array_agg({grade} {first}) FILTER (WHERE {has}))[1]) AS ga, "
                 f"(array_agg({grade} {order}) FILTER (WHERE {has}))[1] AS gl FROM core_event e WHERE {ev}")
        # the fastest form: the last state by a LATERAL index probe, the first state only where it found none
        rows = (f"SELECT h.channel, COALESCE(s.to_state, ({first_state})) AS st FROM hazards_hazard h "
                f"LEFT JOIN LATERAL ({only_last}) s ON TRUE "
                f"WHERE {scope} AND h.grade = 'major' AND h.id NOT IN ({changed}) "
                f"UNION ALL SELECT h.channel, x.st FROM hazards_hazard h CROSS JOIN LATERAL ({trail}) x "
                f"WHERE {scope} AND h.id IN ({changed}) AND {rule}")
        params = [at, at, *scope_params, at, at, at, *scope_params]
    else:
        def last(value, cond, order=order):
            return f"(SELECT {value} FROM core_event e WHERE {ev}{cond} {order} LIMIT 1)"
        rows = (f"SELECT h.channel, ({last_state}) AS st FROM hazards_hazard h "
                f"WHERE h.grade = 'major' AND {scope} AND h.id NOT IN ({changed}) "
                f"UNION ALL SELECT channel, st FROM (SELECT h.channel, h.grade, ({last_state}) AS st, "
                f"COALESCE({last(grade, f' AND e.created_at <= %s AND {has}')}, {last(grade, f' AND {has}', first)}) AS ga, "
                f"{last(grade, f' AND {has}')} AS gl "
                f"FROM hazards_hazard h WHERE h.id IN ({changed}) AND {scope}) h WHERE {rule}")
        params = [at, at, *scope_params, at, at, at, *scope_params]
    sql = (
        f"WITH x AS {'' if pg else 'MATERIALIZED '}({rows}) "
        f"SELECT COALESCE(SUM(CASE WHEN channel IN {SELF} THEN 1 ELSE 0 END), 0), "
        f"COALESCE(SUM(CASE WHEN channel IN {SELF} AND st = 'closed' THEN 1 ELSE 0 END), 0), "
        f"COALESCE(SUM(CASE WHEN channel NOT IN {SELF} THEN 1 ELSE 0 END), 0), "
        f"COALESCE(SUM(CASE WHEN channel NOT IN {SELF} AND st = 'closed' THEN 1 ELSE 0 END), 0) "
        f"FROM x WHERE st IS NOT NULL AND st NOT IN ('merged', 'void')"
    )
    return sql, params


SPOT_COLUMNS = ["q2_2", "q2_3", "q2_4", "q2_5", "q2_6", "q2_7", "q2_8", "q2_9"]


def section_two_sql(level: str, code: str, start, as_of, unit: int | None = None) -> tuple[str, list]:
    """Section 二 + visits (2.1–2.9, 3.1, 3.2, 4.8) by hand, one statement: for a region's units,
    or (``unit``) what that organisation itself did."""
    spot = ", ".join(f"COUNT(DISTINCT CASE WHEN s.{c} THEN s.enterprise_id END)" for c in SPOT_COLUMNS)
    if unit is not None:
        visits = ", ".join(
            f"(SELECT COUNT(*) FROM inspections_visit v WHERE v.organisation_id = %s "
            f"AND v.visited_on BETWEEN %s AND %s AND v.kind = '{kind}')"
            for kind in ("help_township", "help_enterprise", "supervision"))
        sql = (f"SELECT COUNT(DISTINCT s.enterprise_id), {spot}, {visits} FROM inspections_spotcheck s "
               f"WHERE s.organisation_id = %s AND s.checked_on BETWEEN %s AND %s")
        window = [unit, start.date(), as_of.date()]
        return sql, window * 4
    visits = ", ".join(
        f"(SELECT COUNT(*) FROM inspections_visit v JOIN accounts_organisation vo ON vo.id = v.organisation_id "
        f"WHERE vo.{level}_code = %s AND v.visited_on BETWEEN %s AND %s AND v.kind = '{kind}')"
        for kind in ("help_township", "help_enterprise", "supervision"))
    sql = (f"SELECT COUNT(DISTINCT s.enterprise_id), {spot}, {visits} FROM inspections_spotcheck s "
           f"JOIN accounts_organisation o ON o.id = s.organisation_id "
           f"WHERE o.{level}_code = %s AND s.checked_on BETWEEN %s AND %s")
    window = [code, start.date(), as_of.date()]
    return sql, window * 3 + window


def _section_three_sources(level: str, code: str, unit: int | None) -> tuple[str, dict, object]:
    """What section 三 reads, for both hand-written forms: the effective decisions in the period
    (``FROM … WHERE …`` ending with the key and the two dates as parameters), the FROM … WHERE of
    the four other tables (ending with the key) and the key — the unit's id, or the region's code
    (every table by its own region codes: decisions by their case's, the place it was filed in)."""
    if unit is not None:
        dec = "FROM enforcement_decision d JOIN enforcement_case c ON c.id = d.case_id WHERE d.decided_by_org_id = %s"
        other = {t: f"FROM enforcement_{t} x WHERE x.organisation_id = %s"
                 for t in ("enterprisemeasure", "typicalcase", "accountability", "oversightnotice")}
        key = unit
    else:
        dec = f"FROM enforcement_decision d JOIN enforcement_case c ON c.id = d.case_id WHERE c.{level}_code = %s"
        other = {t: f"FROM enforcement_{t} x WHERE x.{level}_code = %s"
                 for t in ("enterprisemeasure", "typicalcase", "accountability", "oversightnotice")}
        key = code
    return dec + " AND d.status = 'effective' AND d.decided_on BETWEEN %s AND %s", other, key


#: 3.3's amount: the fines (a suspension carries none)
FINES = "('penalty', 'daily_fine')"
#: 3.3's count and 一案双罚 (3.4): the administrative penalties — fines, daily fines, 责令停产停业整顿 (行政处罚法 第九条)
PENALTIES = "('penalty', 'daily_fine', 'suspension')"
#: 3.8: a typical case counts at a cut-off before the day it was withdrawn (its outcome revoked), not after
LIVE_TYPICAL = " AND (x.withdrawn_on IS NULL OR x.withdrawn_on > %s)"


def _accrued_days(as_of) -> str:
    """The days a 按日连续处罚 ``d`` of case ``c`` accrued by the cut-off day (the day after its 责令改正
    up to its correction, or its case's closing day when closed without one, or the cut-off day),
    written with the day as a literal."""
    day = as_of.date().isoformat()
    start = "COALESCE(d.correction_ordered_on, d.decided_on)"
    if connection.vendor == "postgresql":
        return f"GREATEST(0, LEAST(COALESCE(d.corrected_on, c.closed_on, DATE '{day}'), DATE '{day}') - {start})"
    return f"MAX(0, julianday(MIN(COALESCE(d.corrected_on, c.closed_on, '{day}'), '{day}')) - julianday({start}))"


def section_three_sql(level: str, code: str, start, as_of, unit: int | None = None) -> tuple[str, list]:
    """Section 三 (3.3–3.10) by hand, one statement of scalar sub-selects (one per figure): for a
    region (every record by its own region codes, decisions by their case's), or
    (``unit``) what that organisation itself decided or did. 3.3: one per penalised party of a case
    among the administrative penalties (罚款, 按日连续处罚, 责令停产停业整顿: ``PENALTIES``), the amount of the
    fines (``FINES``) with each daily fine's accrual by the cut-off day; 3.5 and 3.9: distinct persons (by 公民身份号码 where recorded, else by name)."""
    dec, other, key = _section_three_sources(level, code, unit)
    sql = ("SELECT "
           f"(SELECT COUNT(DISTINCT d.party_id) {dec} AND d.kind IN {PENALTIES}), "
           f"(SELECT COALESCE(SUM(CASE WHEN d.kind = 'penalty' THEN d.amount ELSE d.amount * {_accrued_days(as_of)} END), 0) "
           f"{dec} AND d.kind IN {FINES}), "
           f"(SELECT COUNT(*) FROM (SELECT d.case_id {dec.replace('WHERE', 'JOIN enforcement_caseparty p ON p.id = d.party_id WHERE', 1)} "
           f"AND d.kind IN {PENALTIES} GROUP BY d.case_id HAVING MAX(CASE WHEN p.role = 'entity' THEN 1 ELSE 0 END) = 1 "
           "AND MAX(CASE WHEN p.role = 'principal' THEN 1 ELSE 0 END) = 1) y), "
           "(SELECT COUNT(DISTINCT CASE WHEN p.id_number = '' THEN 'n:' || p.name ELSE p.id_number END) "
           f"{dec.replace('WHERE', 'JOIN enforcement_caseparty p ON p.id = d.party_id WHERE', 1)} "
           "AND d.kind = 'transfer'), "
           f"(SELECT COUNT(DISTINCT c.enterprise_id) {dec} AND d.kind = 'suspension'), "
           f"(SELECT COUNT(DISTINCT x.enterprise_id) {other['enterprisemeasure']} AND x.date BETWEEN %s AND %s), "
           f"(SELECT COUNT(*) {other['typicalcase']} AND x.published_on BETWEEN %s AND %s{LIVE_TYPICAL}), "
           f"(SELECT COUNT(DISTINCT CASE WHEN x.id_number = '' THEN 'n:' || x.person_name ELSE x.id_number END) {other['accountability']} AND x.date BETWEEN %s AND %s), "
           f"(SELECT COUNT(*) {other['oversightnotice']} AND x.date BETWEEN %s AND %s), "
           f"(SELECT COUNT(*) {other['typicalcase']} AND x.published_on BETWEEN %s AND %s{LIVE_TYPICAL} AND x.dangerous_ops)")
    t, end = [key, start.date(), as_of.date()], [as_of.date()]
    return sql, t * 6 + t + end + t * 2 + t + end


def section_three_one_scan_sql(level: str, code: str, start, as_of, unit: int | None = None) -> tuple[str, list]:
    """Section 三 (3.3–3.10) by hand in another form: the decisions read once for 3.3, its amount,
    3.5 and 3.6 (conditional aggregates), 一案双罚 grouped by case, the four other tables each one
    aggregate — side by side in one statement. The floor takes the faster of this and
    ``section_three_sql`` (the same numbers)."""
    dec, other, key = _section_three_sources(level, code, unit)
    double = dec.replace(" WHERE ", " LEFT JOIN enforcement_caseparty p ON p.id = d.party_id WHERE ", 1)
    sql = (f"SELECT * FROM (SELECT COUNT(DISTINCT CASE WHEN d.kind IN {PENALTIES} THEN d.party_id END), "
           "COALESCE(SUM(CASE WHEN d.kind = 'penalty' THEN d.amount "
           f"WHEN d.kind = 'daily_fine' THEN d.amount * {_accrued_days(as_of)} END), 0), "
           f"(SELECT COUNT(*) FROM (SELECT d.case_id {double} AND d.kind IN {PENALTIES} GROUP BY d.case_id "
           "HAVING MAX(CASE WHEN p.role = 'entity' THEN 1 ELSE 0 END) = 1 AND MAX(CASE WHEN p.role = 'principal' THEN 1 ELSE 0 END) = 1) y), "
           "COUNT(DISTINCT CASE WHEN d.kind = 'transfer' THEN (SELECT CASE WHEN p.id_number = '' THEN 'n:' || p.name "
           "ELSE p.id_number END FROM enforcement_caseparty p WHERE p.id = d.party_id) END), "
           f"COUNT(DISTINCT CASE WHEN d.kind = 'suspension' THEN c.enterprise_id END) {dec}) dd CROSS JOIN "
           f"(SELECT COUNT(DISTINCT x.enterprise_id) {other['enterprisemeasure']} AND x.date BETWEEN %s AND %s) mm CROSS JOIN "
           f"(SELECT COUNT(*) {other['typicalcase']} AND x.published_on BETWEEN %s AND %s{LIVE_TYPICAL}) tt CROSS JOIN "
           f"(SELECT COUNT(DISTINCT CASE WHEN x.id_number = '' THEN 'n:' || x.person_name ELSE x.id_number END) {other['accountability']} AND x.date BETWEEN %s AND %s) aa CROSS JOIN "
           f"(SELECT COUNT(*) {other['oversightnotice']} AND x.date BETWEEN %s AND %s) nn CROSS JOIN "
           f"(SELECT COUNT(*) {other['typicalcase']} AND x.published_on BETWEEN %s AND %s{LIVE_TYPICAL} AND x.dangerous_ops) td")
    t, end = [key, start.date(), as_of.date()], [as_of.date()]
    return sql, t * 3 + t + end + t * 2 + t + end


ACTIVITY_KINDS = ("study", "research", "onsite", "preach", "media", "supervision")


def section_four_sql(level: str, code: str, start, as_of, unit: int | None = None) -> tuple[str, list]:
    """Section 四 by hand, one statement: the activity log's entries of each kind dated in the period
    (4.1–4.4; 4.6 = any media entry; supervision entries of the legacy log, added to 4.8), the latest
    head count of technical inspectors dated on or before the cut-off (4.7, unit pages only) and the
    rewards paid in the period (4.5 and its anonymous reporter part, 万元) — by the unit itself, or
    for a region (activities by the unit's place, rewards by the tip's)."""
    d0, d1 = start.date(), as_of.date()
    counts = ", ".join(f"COUNT(CASE WHEN a.kind = '{k}' THEN 1 END)" for k in ACTIVITY_KINDS)
    where_a, where_r, key = (("a.unit_id = %s", "r.organisation_id = %s", unit) if unit is not None
                             else (f"a.{level}_code = %s", f"t.{level}_code = %s", code))
    inspectors = (f" CROSS JOIN (SELECT (SELECT a.count FROM campaigns_activity a WHERE {where_a} AND a.kind = 'inspectors' "
                  "AND a.date <= %s ORDER BY a.date DESC, a.id DESC LIMIT 1)) i") if unit is not None else ""
    sql = (f"SELECT * FROM (SELECT {counts} FROM campaigns_activity a WHERE {where_a} AND a.date BETWEEN %s AND %s) c"
           f"{inspectors} CROSS JOIN (SELECT COALESCE(SUM(r.amount), 0), "
           "COALESCE(SUM(CASE WHEN t.anonymous AND r.line = 'reporter' THEN r.amount END), 0) "
           f"FROM tips_reward r JOIN tips_tip t ON t.id = r.tip_id WHERE {where_r} AND r.status = 'paid' "
           "AND r.paid_on BETWEEN %s AND %s) w")
    params = [key, d0, d1] + ([key, d1] if unit is not None else []) + [key, d0, d1]
    return sql, params


def _units_cte(committee, campaign) -> tuple[str, list]:
    """The committee office's reporting units (``campaigns.tables.reporting_units``) by hand: its
    region's departments, the township offices directly below, the next committee offices down
    (none between), each active, only the campaign's participating units when it names some
    (committee offices always). The committee offices below are found by their own level codes
    (``<level>_code``, copied from their region), not through the region tree: a path ``LIKE`` on
    the 44,703 regions made PostgreSQL scan them (7 ms on the province database)."""
    from core.models import REGION_LEVELS

    region = committee.region
    level = region.level
    deeper = [f"{lv}_code" for lv in REGION_LEVELS[REGION_LEVELS.index(level) + 1:]]

    def own(a):  # an office's own place: its deepest code (SQLite's COALESCE wants two arguments or more)
        codes = [f"NULLIF({a}.{c}, '')" for c in reversed(deeper)]
        return ("COALESCE(" + ", ".join(codes) + ")" if len(codes) > 1 else codes[0]) if codes else "NULL"

    above = ", ".join(f"o.{c}" for c in deeper) or "NULL"
    below = "o{n}.kind = 'committee' AND o{n}.is_active AND o{n}." + f"{level}_code = %s AND o{{n}}.region_id <> %s"
    # three index-friendly branches (region_id; the child regions; committee offices by place) rather
    # than one OR over every organisation (enterprises included)
    sql = ("SELECT o.id, o.kind FROM accounts_organisation o WHERE o.region_id = %s AND o.kind = 'department' AND o.is_active "
           "UNION ALL SELECT o.id, o.kind FROM regions_region r JOIN accounts_organisation o ON o.region_id = r.id "
           "WHERE r.parent_id = %s AND o.kind = 'township' AND o.is_active "
           f"UNION ALL SELECT o.id, o.kind FROM accounts_organisation o WHERE {below.format(n='')} "
           f"AND NOT EXISTS (SELECT 1 FROM accounts_organisation o2 WHERE {below.format(n='2')} "
           f"AND {own('o2')} IN ({above}) AND {own('o2')} <> {own('o')})")
    sql = (f"SELECT x.id, x.kind FROM ({sql}) x WHERE x.id <> %s AND (x.kind = 'committee' "
           "OR NOT EXISTS (SELECT 1 FROM campaigns_campaign_units cu WHERE cu.campaign_id = %s) "
           "OR x.id IN (SELECT cu.organisation_id FROM campaigns_campaign_units cu WHERE cu.campaign_id = %s))")
    return sql, [region.pk, region.pk, region.code, region.pk, region.code, region.pk, committee.pk, campaign.pk, campaign.pk]


def _latest_join(pg: bool) -> str:
    """Each unit's latest submission with a cut-off not after the page's: LATERAL on PostgreSQL, a
    correlated sub-select of its id on SQLite (index campaign × unit)."""
    def latest(a, cols):
        return (f"SELECT {cols} FROM campaigns_submission {a} WHERE {a}.campaign_id = %s AND {a}.unit_id = u.id "
                f"AND {a}.as_of <= %s ORDER BY {a}.as_of DESC, {a}.version DESC, {a}.id DESC LIMIT 1")
    if pg:
        cols = 's.id, s.version, s.week, s."values"'
        return f"LEFT JOIN LATERAL ({latest('s', cols)}) s ON true"
    return f"LEFT JOIN campaigns_submission s ON s.id = ({latest('s2', 's2.id')})"


def unit_lines_sql(committee, campaign, as_of, week, now_week, deadline) -> tuple[str, list]:
    """The roll-up's line per reporting unit, by hand, one statement: its latest submission with a
    cut-off not after the page's (LATERAL on PostgreSQL), whether that is this week's and 迟报 (its
    week's first version submitted after the deadline), the line's figures (LINE_CODES) out of
    the submitted values, and for 催报 whether it has submitted for the current week and has a
    writer account."""
    from campaigns.tables import LINE_CODES

    pg = connection.vendor == "postgresql"
    units, uparams = _units_cte(committee, campaign)
    figures = ", ".join((f"s.\"values\" -> '{c}'" if pg else f"json_extract(s.\"values\", '$.\"{c}\"')") for c in LINE_CODES)
    sql = (f"WITH u AS ({units}) SELECT u.id, u.kind, s.id, s.version, "
           "(s.week = %s AND (SELECT MIN(f.submitted_at) FROM campaigns_submission f WHERE f.campaign_id = %s "
           "AND f.unit_id = u.id AND f.week = s.week) > %s), "
           f"{figures}, "
           "EXISTS (SELECT 1 FROM campaigns_submission n WHERE n.campaign_id = %s AND n.unit_id = u.id AND n.week = %s), "
           "EXISTS (SELECT 1 FROM accounts_membership m JOIN auth_user au ON au.id = m.user_id WHERE m.organisation_id = u.id "
           "AND au.is_active AND m.role <> 'viewer') "
           f"FROM u {_latest_join(pg)}")
    params = [*uparams, week, campaign.pk, _dt(deadline), campaign.pk, now_week, campaign.pk, _dt(as_of)]
    return sql, params


def group_sums_sql(committee, campaign, as_of) -> tuple[str, list]:
    """Each group's sums (the roll-up's group columns) by hand, one statement: every code of the
    latest submissions per unit kind — booleans counted, numbers added."""
    from campaigns import rows as R

    pg = connection.vendor == "postgresql"
    units, uparams = _units_cte(committee, campaign)
    codes = ", ".join(f"'{c}'" for c in R.BY_CODE)
    if pg:
        each = "jsonb_each(s.\"values\") e"
        value = ("CASE jsonb_typeof(e.value) WHEN 'boolean' THEN (CASE WHEN e.value = 'true'::jsonb THEN 1 ELSE 0 END) "
                 "ELSE COALESCE(NULLIF(e.value #>> '{}', ''), '0')::numeric END")
        not_null = "jsonb_typeof(e.value) <> 'null'"
    else:
        each = "json_each(s.\"values\") e"
        value = ("CASE e.type WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE CAST(COALESCE(NULLIF(e.value, ''), '0') AS NUMERIC) END")
        not_null = "e.type <> 'null'"
    sql = (f"WITH u AS ({units}) SELECT u.kind, e.key, SUM({value}) FROM u {_latest_join(pg).replace('LEFT JOIN', 'JOIN')} "
           f"CROSS JOIN {each} WHERE e.key IN ({codes}) AND {not_null} GROUP BY u.kind, e.key")
    return sql, [*uparams, campaign.pk, _dt(as_of)]
