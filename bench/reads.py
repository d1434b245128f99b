"""B1 (dispatch table), B2 (ledger list page), B5 (deadline alerts) — each against a floor
measured in the same run. Every function returns {"figure", "floor", "ratio", …details}."""

import datetime
import re
import statistics
import time
from decimal import Decimal

from django.db import connection
from django.utils import timezone

SELF = "('self_check','enterprise_third_party')"


def timed(fn, repeat: int) -> dict:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    p95 = samples[max(0, min(len(samples) - 1, int(round(len(samples) * 0.95)) - 1))]
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(p95, 2), "n": repeat}


class QueryCounter:
    """Counts statements on the default connection (robust to the test client's reset_queries)."""

    def __enter__(self):
        self.count = 0
        self._cm = connection.execute_wrapper(self)
        self._cm.__enter__()
        return self

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc)


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
    last_state = f"SELECT e.to_state FROM core_event e WHERE {ev} AND e.created_at <= %s AND e.to_state <> '' {order} LIMIT 1"
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
        params = [at, *scope_params]
    elif pg:
        trail = (f"SELECT (array_agg(e.to_state {order}) FILTER (WHERE e.created_at <= %s AND e.to_state <> ''))[1] AS st, "
                 f"(array_agg({grade} {order}) FILTER (WHERE e.created_at <= %s AND {has}))[1] AS ga, "
                 f"(array_agg({grade} {order}) FILTER (WHERE {has}))[1] AS gl FROM core_event e WHERE {ev}")
        rows = (f"SELECT h.channel, s.to_state AS st FROM hazards_hazard h CROSS JOIN LATERAL ({last_state}) s "
                f"WHERE {scope} AND h.grade = 'major' AND h.id NOT IN ({changed}) "
                f"UNION ALL SELECT h.channel, x.st FROM hazards_hazard h CROSS JOIN LATERAL ({trail}) x "
                f"WHERE {scope} AND h.id IN ({changed}) AND {rule}")
        params = [at, *scope_params, at, at, *scope_params]
    else:
        def last(value, cond):
            return f"(SELECT {value} FROM core_event e WHERE {ev}{cond} {order} LIMIT 1)"
        rows = (f"SELECT h.channel, ({last_state}) AS st FROM hazards_hazard h "
                f"WHERE h.grade = 'major' AND {scope} AND h.id NOT IN ({changed}) "
                f"UNION ALL SELECT channel, st FROM (SELECT h.channel, h.grade, ({last_state}) AS st, "
                f"{last(grade, f' AND e.created_at <= %s AND {has}')} AS ga, {last(grade, f' AND {has}')} AS gl "
                f"FROM hazards_hazard h WHERE h.id IN ({changed}) AND {scope}) h WHERE {rule}")
        params = [at, *scope_params, at, at, *scope_params]
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


def section_three_unit_sql(unit: int, start, as_of) -> tuple[str, list]:
    """Section 三 (3.3–3.10) of what one organisation itself decided/did, by hand."""
    w = [unit, start.date(), as_of.date()]
    dec = ("FROM enforcement_decision d JOIN enforcement_case c ON c.id = d.case_id "
           "WHERE d.decided_by_org_id = %s AND d.decided_on BETWEEN %s AND %s AND d.status = 'effective'")
    sql = ("SELECT "
           f"(SELECT COUNT(*) {dec} AND d.kind = 'penalty'), "
           f"(SELECT COALESCE(SUM(d.amount), 0) {dec} AND d.kind = 'penalty'), "
           f"(SELECT COUNT(*) FROM (SELECT d.case_id {dec.replace('WHERE', 'JOIN enforcement_caseparty p ON p.id = d.party_id WHERE')} "
           "AND d.kind = 'penalty' GROUP BY d.case_id HAVING MAX(CASE WHEN p.role = 'entity' THEN 1 ELSE 0 END) = 1 "
           "AND MAX(CASE WHEN p.role = 'principal' THEN 1 ELSE 0 END) = 1) x), "
           f"(SELECT COUNT(DISTINCT d.party_id) {dec} AND d.kind = 'transfer'), "
           f"(SELECT COUNT(DISTINCT c.enterprise_id) {dec} AND d.kind = 'suspension'), "
           "(SELECT COUNT(DISTINCT m.enterprise_id) FROM enforcement_enterprisemeasure m WHERE m.organisation_id = %s "
           "AND m.date BETWEEN %s AND %s), "
           "(SELECT COUNT(*) FROM enforcement_typicalcase t WHERE t.organisation_id = %s AND t.published_on BETWEEN %s AND %s), "
           "(SELECT COUNT(*) FROM enforcement_accountability a WHERE a.organisation_id = %s AND a.date BETWEEN %s AND %s), "
           "(SELECT COUNT(*) FROM enforcement_oversightnotice n WHERE n.organisation_id = %s AND n.date BETWEEN %s AND %s), "
           "(SELECT COUNT(*) FROM enforcement_typicalcase t WHERE t.organisation_id = %s AND t.published_on BETWEEN %s AND %s "
           "AND t.dangerous_ops)")
    return sql, w * 10


def section_three_sql(level: str, code: str, start, as_of) -> tuple[str, list]:
    """Section 三 (3.3–3.10) for a region, by hand: one statement of scalar sub-selects."""
    w = [code, start.date(), as_of.date()]
    dec = (f"FROM enforcement_decision d JOIN enforcement_case c ON c.id = d.case_id "
           f"JOIN enterprises_enterprise e ON e.id = c.enterprise_id "
           f"WHERE e.{level}_code = %s AND d.decided_on BETWEEN %s AND %s AND d.status = 'effective'")
    sql = ("SELECT "
           f"(SELECT COUNT(*) {dec} AND d.kind = 'penalty'), "
           f"(SELECT COALESCE(SUM(d.amount), 0) {dec} AND d.kind = 'penalty'), "
           f"(SELECT COUNT(*) FROM (SELECT d.case_id {dec.replace('WHERE', 'JOIN enforcement_caseparty p ON p.id = d.party_id WHERE')} "
           "AND d.kind = 'penalty' GROUP BY d.case_id HAVING MAX(CASE WHEN p.role = 'entity' THEN 1 ELSE 0 END) = 1 "
           "AND MAX(CASE WHEN p.role = 'principal' THEN 1 ELSE 0 END) = 1) x), "
           f"(SELECT COUNT(DISTINCT d.party_id) {dec} AND d.kind = 'transfer'), "
           f"(SELECT COUNT(DISTINCT c.enterprise_id) {dec} AND d.kind = 'suspension'), "
           f"(SELECT COUNT(DISTINCT m.enterprise_id) FROM enforcement_enterprisemeasure m JOIN enterprises_enterprise e "
           f"ON e.id = m.enterprise_id WHERE e.{level}_code = %s AND m.date BETWEEN %s AND %s), "
           f"(SELECT COUNT(*) FROM enforcement_typicalcase t JOIN enterprises_enterprise e ON e.id = t.enterprise_id "
           f"WHERE e.{level}_code = %s AND t.published_on BETWEEN %s AND %s), "
           f"(SELECT COUNT(*) FROM enforcement_accountability a WHERE a.{level}_code = %s AND a.date BETWEEN %s AND %s), "
           f"(SELECT COUNT(*) FROM enforcement_oversightnotice n WHERE n.{level}_code = %s AND n.date BETWEEN %s AND %s), "
           f"(SELECT COUNT(*) FROM enforcement_typicalcase t JOIN enterprises_enterprise e ON e.id = t.enterprise_id "
           f"WHERE e.{level}_code = %s AND t.published_on BETWEEN %s AND %s AND t.dangerous_ops)")
    return sql, w * 10


def section_three_one_scan_sql(level: str, code: str, start, as_of, unit: int | None = None) -> tuple[str, list]:
    """Section 三 (3.3–3.10) by hand in another form: the decisions read once for 3.3, its amount,
    3.5 and 3.6 (conditional aggregates), 一案双罚 grouped by case, the four other tables each one
    aggregate — side by side in one statement. The floor takes the faster of this and
    ``section_three_sql`` / ``section_three_unit_sql`` (the same numbers)."""
    d0, d1 = start.date(), as_of.date()
    if unit is not None:
        dec = "FROM enforcement_decision d JOIN enforcement_case c ON c.id = d.case_id WHERE d.decided_by_org_id = %s"
        other = {t: f"FROM enforcement_{t} x WHERE x.organisation_id = %s" for t in ("enterprisemeasure", "typicalcase", "accountability", "oversightnotice")}
        key = unit
    else:
        ent = f"JOIN enterprises_enterprise e ON e.id = {{}}.enterprise_id WHERE e.{level}_code = %s"
        dec = "FROM enforcement_decision d JOIN enforcement_case c ON c.id = d.case_id " + ent.format("c")
        other = {"enterprisemeasure": "FROM enforcement_enterprisemeasure x " + ent.format("x"),
                 "typicalcase": "FROM enforcement_typicalcase x " + ent.format("x"),
                 "accountability": f"FROM enforcement_accountability x WHERE x.{level}_code = %s",
                 "oversightnotice": f"FROM enforcement_oversightnotice x WHERE x.{level}_code = %s"}
        key = code
    dec += " AND d.status = 'effective' AND d.decided_on BETWEEN %s AND %s"
    double = dec.replace(" WHERE ", " LEFT JOIN enforcement_caseparty p ON p.id = d.party_id WHERE ", 1)
    sql = ("SELECT * FROM (SELECT COUNT(CASE WHEN d.kind = 'penalty' THEN 1 END), "
           "COALESCE(SUM(CASE WHEN d.kind = 'penalty' THEN d.amount END), 0), "
           f"(SELECT COUNT(*) FROM (SELECT d.case_id {double} AND d.kind = 'penalty' GROUP BY d.case_id "
           "HAVING MAX(CASE WHEN p.role = 'entity' THEN 1 ELSE 0 END) = 1 AND MAX(CASE WHEN p.role = 'principal' THEN 1 ELSE 0 END) = 1) y), "
           "COUNT(DISTINCT CASE WHEN d.kind = 'transfer' THEN d.party_id END), "
           f"COUNT(DISTINCT CASE WHEN d.kind = 'suspension' THEN c.enterprise_id END) {dec}) dd CROSS JOIN "
           f"(SELECT COUNT(DISTINCT x.enterprise_id) {other['enterprisemeasure']} AND x.date BETWEEN %s AND %s) mm CROSS JOIN "
           f"(SELECT COUNT(*) {other['typicalcase']} AND x.published_on BETWEEN %s AND %s) tt CROSS JOIN "
           f"(SELECT COUNT(*) {other['accountability']} AND x.date BETWEEN %s AND %s) aa CROSS JOIN "
           f"(SELECT COUNT(*) {other['oversightnotice']} AND x.date BETWEEN %s AND %s) nn CROSS JOIN "
           f"(SELECT COUNT(*) {other['typicalcase']} AND x.published_on BETWEEN %s AND %s AND x.dangerous_ops) td")
    w = [key, d0, d1]
    return sql, w * 7


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
    (committee offices always)."""
    region = committee.region
    prefix = region.path + "/%"
    # three index-friendly branches (region_id; the child regions; committee offices by place) rather
    # than one OR over every organisation (enterprises included)
    sql = ("SELECT o.id, o.kind FROM accounts_organisation o WHERE o.region_id = %s AND o.kind = 'department' AND o.is_active "
           "UNION ALL SELECT o.id, o.kind FROM regions_region r JOIN accounts_organisation o ON o.region_id = r.id "
           "WHERE r.parent_id = %s AND o.kind = 'township' AND o.is_active "
           "UNION ALL SELECT o.id, o.kind FROM regions_region r JOIN accounts_organisation o ON o.region_id = r.id "
           "WHERE r.path LIKE %s AND o.kind = 'committee' AND o.is_active AND NOT EXISTS (SELECT 1 FROM accounts_organisation o2 "
           "JOIN regions_region r2 ON r2.id = o2.region_id WHERE o2.is_active AND o2.kind = 'committee' "
           "AND r2.path LIKE %s AND r.path LIKE r2.path || '/%%')")
    sql = (f"SELECT x.id, x.kind FROM ({sql}) x WHERE x.id <> %s AND (x.kind = 'committee' "
           "OR NOT EXISTS (SELECT 1 FROM campaigns_campaign_units cu WHERE cu.campaign_id = %s) "
           "OR x.id IN (SELECT cu.organisation_id FROM campaigns_campaign_units cu WHERE cu.campaign_id = %s))")
    return sql, [region.pk, region.pk, prefix, prefix, committee.pk, campaign.pk, campaign.pk]


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


def _bench_campaign(actors, province):
    """A province-wide campaign (three years back to a month ahead) issued by a province committee
    office, so that every dispatch page has a period: created once through the campaign service."""
    from accounts import services as accounts
    from accounts.models import Organisation
    from bench.actors import _user
    from campaigns import services as campaigns
    from campaigns.models import Campaign

    office = accounts.ensure_organisation(None, kind=Organisation.Kind.COMMITTEE, name=f"{province.name}安全生产委员会办公室（基准）",
                                          region=province)
    campaign = Campaign.objects.filter(name="基准：安全生产专项整治", region=province).first()
    if campaign is None:
        today = timezone.localdate()
        campaign = campaigns.create_campaign(None, name="基准：安全生产专项整治", issuer=office, region=province,
                                             start=today - datetime.timedelta(days=3 * 365), end=today + datetime.timedelta(days=30))
    return campaign, _user("bench_province_committee", office), _user("bench_township", actors.township)


def bench_b1_dispatch(profile, actors) -> dict:
    """B1: the dispatch pages (HTML through the test client, every case reported) — a department's
    table, a township office's table, the county committee's roll-up and (province profile) the
    province committee's roll-up — each against hand-written SQL for the same numbers over the same
    period (the campaign's start to a fixed cut-off): section 一 with a LATERAL join on PostgreSQL,
    plus sections 二 and 三 for the roll-ups' live columns; the numbers are checked equal."""
    from django.test import Client

    from campaigns import dispatch as D
    province = actors.county
    while province.level != "province":
        province = province.parent
    campaign, province_user, township_user = _bench_campaign(actors, province)
    as_of = timezone.localtime(timezone.now()).replace(second=0, microsecond=0)
    start = D.start_datetime(campaign.start)
    query = "?as_of=" + as_of.isoformat().replace("+", "%2B")
    repeat = 10 if profile == "county" else 5
    cases = {
        "department page": (actors.department_user, "/campaigns/dispatch/", lambda: D.unit_table(actors.department, start, as_of),
                            "county", actors.county.code, actors.department.lead_sector_ids(), True, False),
        "township page": (township_user, "/campaigns/dispatch/", lambda: D.unit_table(actors.township, start, as_of),
                          "township", actors.township.region.code, None, False, False),
        "county committee roll-up page": (actors.committee_user, "/campaigns/dispatch/rollup/",
                                          lambda: D.region_table(actors.county, start, as_of), "county", actors.county.code,
                                          None, True, True),
    }
    if profile == "province":
        cases["province committee roll-up page"] = (province_user, "/campaigns/dispatch/rollup/",
                                                    lambda: D.region_table(province, start, as_of), "province", province.code,
                                                    None, True, True)
    out = {}
    units = {"department page": actors.department.pk, "township page": actors.township.pk}
    committees = {"county committee roll-up page": actors.committee, "province committee roll-up page": province_user.membership.organisation}
    empty_query = "?as_of=" + start.isoformat().replace("+", "%2B")  # the campaign's first instant: no facts yet

    def statement(sql, params):
        def run():
            with connection.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        return run

    def same(a, b) -> bool:
        if a is None or b is None:
            return a is b or (a in (None, 0) and b in (None, 0))
        if isinstance(a, bool) or isinstance(b, bool):
            return bool(a) == bool(b)
        return abs(Decimal(str(a)) - Decimal(str(b))) < Decimal("0.00005")

    for name, (user, url, fn, level, code, sectors, dept_rows, rollup) in cases.items():
        unit_pk = units.get(name)
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        first = client.get(url + query)
        if first.status_code != 200:
            out[name] = {"url": url, "error": f"HTTP {first.status_code}"}
            continue
        with QueryCounter() as ctx:
            client.get(url + query)
        page = timed(lambda c=client, u=url + query: c.get(u), repeat)
        client.get(url + empty_query)
        empty_page = timed(lambda c=client, u=url + empty_query: c.get(u), repeat)
        values = fn()
        entry = {"url": url + query, "page": page, "queries": ctx.count,
                 "page_fixed_cost": {**empty_page, "url": url + empty_query,
                                     "what": "the same page for the campaign's first instant (every number 0): session, "
                                             "scope, the statements on empty ranges, the template"}}
        floor_ms = 0.0
        # 一: the grade-trail rule by hand (LATERAL on PostgreSQL)
        run1 = statement(*section_one_sql(level, code, sectors, start, as_of))
        expected = [int(v) for v in run1()[0]]
        t = timed(run1, repeat)
        floor_ms += t["p50_ms"]
        got = [values.get("1.1"), values.get("1.2")] + ([values.get("1.3"), values.get("1.4")] if dept_rows else [])
        entry.update({"floor_section1": t, "section1": got, "section1_matches": got == expected[:len(got)]})
        short = statement(*section_one_sql(level, code, sectors, start, as_of, current_grade=True))
        entry["reference_section1_current_grade"] = {**timed(short, repeat), "same_numbers": [int(v) for v in short()[0]] == expected}
        # 二 (spot checks + visits)
        run2 = statement(*(section_two_sql(level, code, start, as_of) if rollup else section_two_sql(level, code, start, as_of, unit=unit_pk)))
        row2 = list(run2()[0])
        t = timed(run2, repeat)
        floor_ms += t["p50_ms"]
        entry["floor_section2"] = t
        # 三: the faster of two hand-written forms (scalar sub-selects per figure / decisions read once)
        forms = {"per figure": section_three_sql(level, code, start, as_of) if rollup else section_three_unit_sql(unit_pk, start, as_of),
                 "one scan": section_three_one_scan_sql(level, code, start, as_of, unit=None if rollup else unit_pk)}
        timings3, rows3 = {}, {}
        for form, (ssql, sparams) in forms.items():
            run3 = statement(ssql, sparams)
            rows3[form] = list(run3()[0])
            timings3[form] = timed(run3, repeat)
        best = min(timings3, key=lambda f: timings3[f]["p50_ms"])
        floor_ms += timings3[best]["p50_ms"]
        entry["floor_section3"] = {**timings3[best], "form": best, "forms": timings3,
                                   "forms_agree": [str(v) for v in rows3["per figure"]] == [str(v) for v in rows3["one scan"]]}
        row3 = rows3[best]
        # 四 (activity log, 4.5 rewards)
        run4 = statement(*section_four_sql(level, code, start, as_of, unit=None if rollup else unit_pk))
        row4 = list(run4()[0])
        t = timed(run4, repeat)
        floor_ms += t["p50_ms"]
        entry["floor_section4"] = t
        kinds = dict(zip(ACTIVITY_KINDS, row4[:len(ACTIVITY_KINDS)]))
        rest = row4[len(ACTIVITY_KINDS):]
        inspectors = rest.pop(0) if not rollup else None
        reward, anonymous = rest
        keys2 = ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "3.1", "3.2", "4.8"]
        row2[-1] = (row2[-1] or 0) + (kinds["supervision"] or 0)  # legacy supervision entries count in 4.8
        entry["section2_matches"] = all(same(values.get(k), v) for k, v in zip(keys2, row2))
        keys3 = ["3.3", "3.3_amount", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "3.8_dangerous_ops"]
        row3 = [row3[0], Decimal(str(row3[1] or 0)) / 10000, *row3[2:]]
        entry["section3_matches"] = all(same(values.get(k), v) for k, v in zip(keys3, row3))
        four = {"4.1": kinds["study"], "4.2": kinds["research"], "4.3": kinds["onsite"], "4.4": kinds["preach"],
                "4.5": Decimal(str(reward or 0)) / 10000, "4.5_anonymous": Decimal(str(anonymous or 0)) / 10000}
        if not rollup:
            four["4.6"] = True if kinds["media"] else None
            four["4.7"] = inspectors
        entry["section4"] = {k: str(v) for k, v in four.items()}
        entry["section4_matches"] = all(same(values.get(k), v) for k, v in four.items())
        if rollup:  # the per-unit lines, 催报 and the groups' sums: what the roll-up shows besides the live column
            from campaigns.tables import LINE_CODES
            from campaigns.tables import rollup as rollup_data

            committee = committees[name]
            week = D.week_of(as_of)
            lines_sql = unit_lines_sql(committee, campaign, as_of, week, D.week_of(timezone.now()), campaign.deadline(week))
            run5 = statement(*lines_sql)
            lines = run5()
            t = timed(run5, repeat)
            floor_ms += t["p50_ms"]
            entry["floor_unit_lines"] = {**t, "units": len(lines)}
            run6 = statement(*group_sums_sql(committee, campaign, as_of))
            sums = run6()
            t = timed(run6, repeat)
            floor_ms += t["p50_ms"]
            entry["floor_group_sums"] = t
            data = rollup_data(committee, as_of, campaign)
            page_lines = {line["unit"].pk: (line["sub"].pk if line["sub"] else None, bool(line["late"]), line["figures"])
                          for g in data["groups"].values() for line in g["lines"]}
            floor_lines = {r[0]: (r[2], bool(r[4]), list(r[5:5 + len(LINE_CODES)])) for r in lines}
            entry["unit_lines_matches"] = (set(page_lines) == set(floor_lines) and all(
                page_lines[u][:2] == floor_lines[u][:2] and all(same(a, b) for a, b in zip(page_lines[u][2], floor_lines[u][2]))
                for u in page_lines))
            n = 5 + len(LINE_CODES)
            missing = {r[0]: bool(r[n + 1]) for r in lines if not r[n]}
            entry["missing_matches"] = missing == {u.pk: bool(u.writers) for u in data["missing"]}
            floor_sums: dict = {}
            for kind, key, total in sums:
                floor_sums.setdefault(kind, {})[key] = total
            entry["group_sums_matches"] = all(
                set(g["values"]) == set(floor_sums.get(kind, {})) and all(same(g["values"][k], floor_sums[kind][k]) for k in g["values"])
                for kind, g in data["groups"].items())
        entry["floor_total_p50_ms"] = round(floor_ms, 2)
        entry["ratio_p50"] = round(page["p50_ms"] / max(floor_ms, 0.001), 2)
        entry["ratio_p50_above_fixed_cost"] = round(max(page["p50_ms"] - empty_page["p50_ms"], 0) / max(floor_ms, 0.001), 2)
        out[name] = entry
    ok = [c for c in out.values() if "error" not in c]
    every = "; ".join(f"{n} {c['page']['p50_ms']} ms vs {c['floor_total_p50_ms']} ms = {c['ratio_p50']}× "
                      f"(fixed cost {c['page_fixed_cost']['p50_ms']} ms)" if "error" not in c
                      else f"{n} {c['error']}" for n, c in out.items())
    matches = bool(ok) and all(v for c in ok for k, v in c.items() if k.endswith("matches"))
    return {"figure": every, "floor": "hand-written SQL for every number each page shows, same period and rule (LATERAL on PostgreSQL)",
            "ratio": max((c["ratio_p50"] for c in ok), default=None), "cases": out, "numbers_match_floor": matches,
            "campaign": {"name": campaign.name, "start": campaign.start.isoformat()}, "as_of": as_of.isoformat(),
            "verdict": "met" if matches and len(ok) == len(out) and all(c["ratio_p50"] <= 1.5 for c in ok) else "not met",
            "note": "figure = the page (HTML: session, scope, the table, the template) p50 through Django's test client; "
                    "floor = the sum of hand-written statements for every number the page shows, same period and cut-off, "
                    "each timed in the same run: 一 applies the app's rule (重大 at the cut-off by the grade trail: the "
                    "trail is read only for hazards with a grade change, partial index hazard_grade_change_idx; state = "
                    "last event at or before the cut-off, LATERAL on PostgreSQL, a correlated sub-select once per hazard "
                    "on SQLite); 二 (spot checks + visits); 三 (enforcement: the faster of two forms, floor_section3.form); "
                    "四 (activity log 4.1–4.4, 4.6, 4.7 on unit pages, legacy supervision entries added to 4.8, rewards "
                    "4.5) — the region's for the roll-ups, the unit's own for unit pages; on the roll-ups also the "
                    "per-unit lines (latest submission per unit by LATERAL on PostgreSQL, 迟报, figures, 催报 with "
                    "writer accounts) and the groups' sums (over the submitted JSON). Each is checked equal to the "
                    "app's numbers (*_matches). reference_section1_current_grade times the earlier shortcut (today's "
                    "grade, no trail) for comparison only. page_fixed_cost = the same page at the campaign's first "
                    "instant (every number 0): what Django, the session, the scope and the template cost whatever "
                    "the numbers; ratio_p50_above_fixed_cost = (page − fixed cost) ÷ floor. The ratio is page ÷ "
                    "floor, every case listed, none headlined."}


# ---------------------------------------------------------------- B2

def bench_b2_ledger(profile, actors) -> dict:
    """B2: the ledger page filtered by region + sector + status + overdue, sorted by deadline, 50 rows,
    as the county committee officer, vs the two statements the page needs (count + page)."""
    from django.test import Client

    from accounts.models import Sector

    client = Client(HTTP_HOST="localhost")
    client.force_login(actors.committee_user)
    county = actors.county.code
    sector = Sector.objects.get(code="commerce")
    sector_ids = sorted(sector.with_descendants())
    url = f"/hazards/?region={county}&sector=commerce&status=rectifying&overdue=true&sort=deadline"
    other = f"/hazards/?region={county}&sector=commerce&status=registered&overdue=false&sort=-reported"
    first = client.get(url)
    if first.status_code != 200:
        return {"error": f"ledger page answered {first.status_code}"}
    today = timezone.localdate()
    where = (f"h.county_code = %s AND h.sector_id IN ({', '.join(map(str, sector_ids))}) "
             "AND h.status = 'rectifying' AND h.deadline < %s")
    params = [county, today]
    with connection.cursor() as cur:
        cur.execute(f"SELECT h.id FROM hazards_hazard h WHERE {where}", params)
        matching = {r[0] for r in cur.fetchall()}
    shown = {int(x) for x in re.findall(r'href="/hazards/(\d+)/"', first.content.decode())}
    verified = shown <= matching and len(shown) == min(50, len(matching))
    with QueryCounter() as ctx:
        client.get(url)
    with QueryCounter() as ctx2:
        client.get(other)
    repeat = 50 if profile == "county" else 20
    page = timed(lambda: client.get(url), repeat)
    sql = ("SELECT h.id, h.description, h.grade, h.status, h.deadline, e.name, s.name FROM hazards_hazard h "
           "JOIN enterprises_enterprise e ON e.id = h.enterprise_id JOIN accounts_sector s ON s.id = h.sector_id "
           f"WHERE {where} ORDER BY h.deadline, h.id LIMIT 50")

    def floor():
        with connection.cursor() as cur:
            cur.execute(f"SELECT COUNT(*) FROM hazards_hazard h WHERE {where}", params)
            cur.fetchall()
            cur.execute(sql, params)
            cur.fetchall()

    fl = timed(floor, repeat)
    ratio = round(page["p50_ms"] / max(fl["p50_ms"], 0.001), 1)
    extra = {}
    if profile == "province":
        extra["province_wide"] = _province_ledger(actors, sector_ids, today)
    worst = max([page["p95_ms"]] + [extra["province_wide"]["page"]["p95_ms"]] if extra else [page["p95_ms"]])
    figure = f"county page p50 {page['p50_ms']} ms, p95 {page['p95_ms']} ms" + (
        f"; province-wide p50 {extra['province_wide']['page']['p50_ms']} ms, p95 {extra['province_wide']['page']['p95_ms']} ms"
        if extra else "")
    return {**extra, "figure": figure, "floor": f"count+page SQL p50 {fl['p50_ms']} ms",
            "verdict": "met" if worst <= 150 and verified else "not met",
            "ratio": ratio, "url": url, "page": page, "floor_ms": fl, "matching_rows": len(matching),
            "rows_shown": len(shown), "filtered_rows_verified": verified, "queries": ctx.count,
            "queries_other_filter": ctx2.count, "constant_queries": ctx.count == ctx2.count,
            "note": "floor = the count and the 50-row page in raw SQL; the figure adds session/auth, scope, the filter form, "
                    "template rendering and Django's test client (no HTTP server)"}


def _province_ledger(actors, sector_ids, today) -> dict:
    """The same filters over the whole province (region=42), as a superuser: the largest page."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    province = actors.county.code[:2]
    admin = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
        "bench_admin", "bench@example.invalid", "bench-Pass-2026!")
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    url = f"/hazards/?region={province}&sector=commerce&status=rectifying&overdue=true&sort=deadline"
    assert client.get(url).status_code == 200
    with QueryCounter() as q:
        client.get(url)
    page = timed(lambda: client.get(url), 15)
    where = (f"h.province_code = %s AND h.sector_id IN ({', '.join(map(str, sector_ids))}) "
             "AND h.status = 'rectifying' AND h.deadline < %s")

    def floor():
        with connection.cursor() as cur:
            cur.execute(f"SELECT COUNT(*) FROM hazards_hazard h WHERE {where}", [province, today])
            cur.fetchall()
            cur.execute("SELECT h.id, h.description, h.grade, h.status, h.deadline, e.name FROM hazards_hazard h "
                        "JOIN enterprises_enterprise e ON e.id = h.enterprise_id "
                        f"WHERE {where} ORDER BY h.deadline, h.id LIMIT 50", [province, today])
            cur.fetchall()

    fl = timed(floor, 15)
    return {"url": url, "page": page, "queries": q.count, "floor_ms": fl,
            "ratio": round(page["p50_ms"] / max(fl["p50_ms"], 0.001), 1)}


# ---------------------------------------------------------------- B5

def bench_b5_alerts(profile, actors, limit_s: float = 2.0) -> dict:
    """B5: one send_hazard_alerts pass, then a second pass that must send nothing; floor = the scan
    (open hazards whose next alert is due, joined to their enterprise) in raw SQL."""
    from core.models import Notification, OutboxMessage
    from core.notifications import DELIVERY_KIND
    from hazards import workflow
    from hazards.alerts import send_daily_alerts
    from jobs.models import Job
    from jobs.runner import run as run_job

    today = timezone.localdate()
    # A database this bench already ran on has had today's pass: its steady state is the next day's
    # pass (what the daily job meets every day), so the pass runs as of the first day without one
    ran_on = today
    while Notification.objects.filter(dedupe_key__startswith=f"digest:{today.isoformat()}:").exists():
        today += datetime.timedelta(days=1)
    open_states = frozenset(workflow.OPEN_STATES)

    def floor():
        with connection.cursor() as cur:
            # driven by the schedule's date range (the status read, as the pass does: SQLite without
            # statistics would walk every open hazard by its status index otherwise)
            cur.execute("SELECT h.id, h.deadline, h.description, h.county_code, h.sector_id, h.responsible_phone, e.name, "
                        "e.organisation_id, h.status FROM hazards_alertschedule s JOIN hazards_hazard h ON h.id = s.hazard_id "
                        "JOIN enterprises_enterprise e ON e.id = h.enterprise_id "
                        "WHERE s.next_alert_on IS NOT NULL AND s.next_alert_on <= %s", [today])
            return sum(1 for r in cur.fetchall() if r[8] in open_states)

    scanned = floor()
    fl = timed(floor, 3)
    before = OutboxMessage.objects.count()
    jobs_before = set(Job.objects.filter(kind=DELIVERY_KIND).values_list("pk", flat=True))
    with QueryCounter() as counted:
        t = time.perf_counter()
        send_daily_alerts(today)
        first = time.perf_counter() - t
    mid = OutboxMessage.objects.count()
    # the e-mails/SMS are sent by their own job (outbox.deliver, queued on commit by the pass): run it
    # here as the worker would (jobs.runner.run) and report its time as its own figure
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count()
    delivery_jobs = list(Job.objects.filter(kind=DELIVERY_KIND, status__in=[Job.Status.PENDING, Job.Status.RETRYING])
                         .order_by("pk"))
    t = time.perf_counter()
    for job in delivery_jobs:
        run_job(job.pk)
    delivery = time.perf_counter() - t
    delivered = {j.pk: (j.status, j.summary) for j in Job.objects.filter(pk__in=[j.pk for j in delivery_jobs])}
    t = time.perf_counter()
    send_daily_alerts(today)
    second = time.perf_counter() - t
    after = OutboxMessage.objects.count()
    second_jobs = Job.objects.filter(kind=DELIVERY_KIND).exclude(pk__in=jobs_before).exclude(
        pk__in=[j.pk for j in delivery_jobs]).count()
    digests = OutboxMessage.objects.filter(kind="hazard.digest").count()
    day_note = f" (the pass of {today.isoformat()}: today's had run on this database)" if today != ran_on else ""
    sent = sum((summary or {}).get("sent", 0) for _, summary in delivered.values())
    return {"figure": f"first pass {first:.2f} s, second pass {second:.2f} s sending {after - mid}{day_note}; "
                      f"delivery job {delivery:.2f} s for {sent} e-mails/SMS",
            "delivery_job_s": round(delivery, 2), "delivery_jobs": len(delivery_jobs), "delivery_pending": pending,
            "delivery_sent": sent, "delivery_job_status": sorted({status for status, _ in delivered.values()}),
            "second_pass_delivery_jobs": second_jobs,
            "floor": f"scan SQL p50 {fl['p50_ms']} ms", "digest_messages_total": digests,
            "verdict": "met" if first <= limit_s and after == mid else "not met",
            "ratio": round(first * 1000 / max(fl["p50_ms"], 0.001), 1), "first_pass_s": round(first, 2),
            "first_pass_queries": counted.count, "hazards_scanned": scanned, "messages": mid - before,
            "second_pass_s": round(second, 2), "second_pass_messages": after - mid,
            "pass_day": today.isoformat(), "run_on": ran_on.isoformat(),
            "note": "floor = fetching the due rows once (the schedule's next_alert_on <= today, an indexed "
                    "range, joined to the hazards and their enterprises); the figure is the pass alone: it writes "
                    "the outbox and queues the delivery job (outbox.deliver), whose run (locmem e-mail backend, "
                    "logging SMS adapter) is reported next to it as delivery_job_s; the pass is set-based: per "
                    "batch of due hazards one query for the principals, the alerts' dedupe keys checked in bulk, "
                    "the new rows written with COPY (PostgreSQL) or one executemany, one compare-and-set UPDATE "
                    "of next_alert_on in the narrow schedule table (hazards_alertschedule); then the day's digest "
                    "keys checked in bulk and one windowed query (counts and first lines per county × sector) for "
                    "one digest per department officer (in-app, e-mail, SMS) — a re-run on the same day is a "
                    "handful of queries sending nothing"}


def bench_b5b_alerts_after_import(profile, actors) -> dict:
    """B5b: the same pass right after B3 imported its ledger (mostly past deadlines: overdue)."""
    connection.close()  # B3 ran for minutes in child processes: start from a fresh connection, not one the server dropped
    result = bench_b5_alerts(profile, actors, limit_s=30.0)
    result["note"] = ("run right after B3 imported its rows: all open and overdue (deadlines 15–90 days after a find "
                      "date 100–300 days ago). " + result["note"])
    return result
