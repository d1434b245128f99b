"""Dispatch-table rows of tips: 4.5 rewards paid (万元) and the part for verified anonymous tips."""

from decimal import Decimal

from core import rowsql
from core.rowsql import Part
from hazards import asof

from .models import Reward

WAN = Decimal("10000")


def _part(join: str, where: str, params: list, start, as_of) -> Part:
    """Rewards paid on an Asia/Shanghai day in the window (by the payment date entered), one row:
    the total and the reporter lines of anonymous tips."""
    day0, day1 = asof.day_window(start, as_of)
    sql = (f"SELECT SUM(r.amount), SUM(CASE WHEN t.anonymous AND r.line = %s THEN r.amount END) "
           f"FROM tips_reward r {join} tips_tip t ON t.id = r.tip_id "
           f"WHERE {where} AND r.status = %s AND r.paid_on >= %s AND r.paid_on <= %s")

    def wan(total):
        return (rowsql.decimal_sum(total) / WAN).quantize(Decimal("0.0001"))

    def decode(row):
        return {"4.5": wan(row[0]), "4.5_anonymous": wan(row[1])}

    return Part(sql, [str(Reward.Line.REPORTER), *params, str(Reward.Status.PAID), rowsql.day(day0), rowsql.day(day1)], 2, decode)


def unit_sql(unit, start, as_of) -> Part:
    """Rewards the unit itself paid (it decided them as the handling unit — 谁受理、谁奖励)."""
    return _part("LEFT JOIN", "r.organisation_id = %s", [unit.pk], start, as_of)


def region_sql(region, start, as_of) -> Part:
    """Rewards for the tips of the region subtree (by the tip's place)."""
    return _part("JOIN", f"t.{region.level}_code = %s", [region.code], start, as_of)


def unit_rows(unit, start, as_of) -> dict:
    return rowsql.run(unit_sql(unit, start, as_of))


def region_rows(region, start, as_of) -> dict:
    return rowsql.run(region_sql(region, start, as_of))
