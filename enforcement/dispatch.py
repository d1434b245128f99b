"""Section 三 of the dispatch table (3.3–3.10) — see DISPATCH_TABLE.md and docs/enforcement.md.

``unit_rows``: what the organisation itself decided/did in [start, as_of]; ``region_rows``: the
whole region subtree, each enterprise counted once in the distinct-enterprise rows (3.6, 3.7).
"""

import datetime
from decimal import Decimal

from django.db import connection

from core import rowsql
from core.idnumber import person_key_sql
from core.rowsql import Part
from hazards import asof

from . import services  # PENALTY_KINDS: what 一案双罚 counts (3.4)
from .models import CaseParty, Decision

WAN = Decimal(10000)


def _day(value) -> datetime.date:
    """The Asia/Shanghai day of a cut-off instant, whatever offset it was written in."""
    return asof.local_day(value) if isinstance(value, datetime.datetime) else value


CODES = ("3.3", "3.3_amount", "3.4", "3.5", "3.6", "3.7", "3.8", "3.8_dangerous_ops", "3.9", "3.10")


def accrued_days_sql() -> str:
    """SQL: the days a 按日连续处罚 ``d`` of case ``c`` has accrued by the cut-off day (two ``%s``:
    that day) — from the day after its 责令改正 up to its correction day, or its case's closing day
    when the case was closed without one (closing requires it now: a case closed before), or the
    cut-off day when neither came by then (rules.daily_fine_accrual, the same count as the case
    page's ``daily_fine_total`` up to a day)."""
    start = "COALESCE(d.correction_ordered_on, d.decided_on)"
    if connection.vendor == "postgresql":
        return f"GREATEST(0, LEAST(COALESCE(d.corrected_on, c.closed_on, CAST(%s AS date)), CAST(%s AS date)) - {start})"
    return f"MAX(0, julianday(MIN(COALESCE(d.corrected_on, c.closed_on, %s), %s)) - julianday({start}))"


def _part(decisions: str, measures: str, typical: str, accountability: str, notices: str, params: list, start, as_of) -> Part:
    """Section 三 as one row. Each argument is ``FROM … WHERE …`` of one table filtered by the
    unit or region (``params`` once per ``%s`` in it, before the day window, which is appended):
    decisions ``d`` (joined to its case ``c``), measures ``m``, typical cases ``t``,
    accountability ``a``, notices ``n``. Decisions are read once for 3.3, its amount, 3.5 and 3.6;
    一案双罚 (3.4) groups the penalties by case: the unit and its 主要负责人 each under an administrative penalty of
    the case in force — a fine, a daily fine or a 责令停产停业整顿 (行政处罚法 第九条; the principal's is a fine).

    3.3 (DISPATCH_TABLE.md: "penalty decisions, one per penalised party … 不予处罚 decisions are not
    penalties"): the administrative penalties as 3.4 reads them — 罚款, 按日连续处罚 (安全生产法 art. 112, a fine
    too) and 责令停产停业整顿 (行政处罚法 第九条) — counted once per penalised party of a case (a party belongs
    to one case: distinct parties), however many clauses or kinds (a unit fined and suspended in one case is
    one); the amount sums every fine, a 按日连续处罚 with what it accrued by the cut-off day (a suspension
    carries none). So 一案双罚 in 3.4 is always two penalised parties in 3.3. 3.5 and 3.9
    ("人"): distinct persons transferred to the judiciary / held accountable — by 公民身份号码 where the
    record carries it, else by name (core.idnumber.person_key_sql: a person transferred in two cases
    is one; two people of one name with their numbers are two; the party read only for the transfers)."""
    cutoff = rowsql.day(_day(as_of))
    window = [rowsql.day(_day(start)), cutoff]
    effective, penalty, daily = str(Decision.Status.EFFECTIVE), str(Decision.Kind.PENALTY), str(Decision.Kind.DAILY_FINE)
    dec = f"{decisions} AND d.status = %s AND d.decided_on >= %s AND d.decided_on <= %s"
    p = params
    sql = ("SELECT * FROM "
           "(SELECT COUNT(DISTINCT CASE WHEN d.kind IN (%s, %s, %s) THEN d.party_id END), "
           f"SUM(CASE WHEN d.kind = %s THEN d.amount WHEN d.kind = %s THEN d.amount * {accrued_days_sql()} END), "
           f"COUNT(DISTINCT CASE WHEN d.kind = %s THEN (SELECT {person_key_sql('p.id_number', 'p.name')} "
           "FROM enforcement_caseparty p WHERE p.id = d.party_id) END), "
           "COUNT(DISTINCT CASE WHEN d.kind = %s THEN c.enterprise_id END) "
           f"{dec}) dd CROSS JOIN "
           "(SELECT COUNT(*) FROM (SELECT d.case_id "
           f"{dec.replace(' WHERE ', ' LEFT JOIN enforcement_caseparty p ON p.id = d.party_id WHERE ', 1)} AND d.kind IN (%s, %s, %s) "
           "GROUP BY d.case_id HAVING MAX(CASE WHEN p.role = %s THEN 1 ELSE 0 END) = 1 "
           "AND MAX(CASE WHEN p.role = %s THEN 1 ELSE 0 END) = 1) x) db CROSS JOIN "
           f"(SELECT COUNT(DISTINCT m.enterprise_id) {measures} AND m.date >= %s AND m.date <= %s) mm CROSS JOIN "
           f"(SELECT COUNT(*), COUNT(CASE WHEN t.dangerous_ops THEN 1 END) {typical} "
           "AND t.published_on >= %s AND t.published_on <= %s AND (t.withdrawn_on IS NULL OR t.withdrawn_on > %s)) tt "
           "CROSS JOIN "
           f"(SELECT COUNT(DISTINCT {person_key_sql('a.id_number', 'a.person_name')}) {accountability} AND a.date >= %s AND a.date <= %s) aa CROSS JOIN "
           f"(SELECT COUNT(*) {notices} AND n.date >= %s AND n.date <= %s) nn")
    values = [*(str(k) for k in services.PENALTY_KINDS), penalty, daily, cutoff, cutoff, str(Decision.Kind.TRANSFER), str(Decision.Kind.SUSPENSION),
              *p, effective, *window,
              *p, effective, *window, *(str(k) for k in services.PENALTY_KINDS), str(CaseParty.Role.ENTITY),
              str(CaseParty.Role.PRINCIPAL),
              *p, *window, *p, *window, cutoff, *p, *window, *p, *window]

    def decode(row):
        n, amount, transferred, suspended, double, measured, typical_n, dangerous, accountable, noticed = row
        return {"3.3": int(n or 0), "3.3_amount": (rowsql.decimal_sum(amount) / WAN).quantize(Decimal("0.0001")),
                "3.4": int(double or 0), "3.5": int(transferred or 0), "3.6": int(suspended or 0),
                "3.7": int(measured or 0), "3.8": int(typical_n or 0), "3.8_dangerous_ops": int(dangerous or 0),
                "3.9": int(accountable or 0), "3.10": int(noticed or 0)}

    return Part(sql, values, len(CODES), decode)


def unit_sql(unit, start, as_of) -> Part:
    """What organisation ``unit`` itself decided/did in [start, as_of] (one-row statement)."""
    return _part("FROM enforcement_decision d JOIN enforcement_case c ON c.id = d.case_id WHERE d.decided_by_org_id = %s",
                 "FROM enforcement_enterprisemeasure m WHERE m.organisation_id = %s",
                 "FROM enforcement_typicalcase t WHERE t.organisation_id = %s",
                 "FROM enforcement_accountability a WHERE a.organisation_id = %s",
                 "FROM enforcement_oversightnotice n WHERE n.organisation_id = %s", [unit.pk], start, as_of)


def region_sql(region, start, as_of) -> Part:
    """The whole region subtree, each enterprise once in 3.6 and 3.7. Every record counts where it
    happened: decisions where their case was filed, measures and typical cases where they were
    taken (their own region codes, kept when the enterprise later moves); accountability and
    notices by the acting organisation's place."""
    level = region.level
    return _part(f"FROM enforcement_decision d JOIN enforcement_case c ON c.id = d.case_id WHERE c.{level}_code = %s",
                 f"FROM enforcement_enterprisemeasure m WHERE m.{level}_code = %s",
                 f"FROM enforcement_typicalcase t WHERE t.{level}_code = %s",
                 f"FROM enforcement_accountability a WHERE a.{level}_code = %s",
                 f"FROM enforcement_oversightnotice n WHERE n.{level}_code = %s", [region.code], start, as_of)


def unit_rows(unit, start, as_of) -> dict:
    """What organisation ``unit`` itself did in [start, as_of]."""
    return rowsql.run(unit_sql(unit, start, as_of))


def region_rows(region, start, as_of) -> dict:
    return rowsql.run(region_sql(region, start, as_of))
