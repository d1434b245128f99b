"""Dispatch-table rows fed by inspections (DISPATCH_TABLE.md 2.1–2.9, 3.1, 3.2, 4.8).

``unit_rows`` counts what the organisation itself did; ``region_rows`` counts every unit of the
region subtree, each enterprise once in the distinct-enterprise rows (2.x)."""

import datetime

from core import rowsql
from core.rowsql import Part
from hazards import asof

from .models import SPOT_FIELDS, SpotCheck, Visit

VISIT_ROWS = {"3.1": Visit.Kind.HELP_TOWNSHIP, "3.2": Visit.Kind.HELP_ENTERPRISE, "4.8": Visit.Kind.SUPERVISION}
ROW_CODES = ("2.1", *SPOT_FIELDS, *VISIT_ROWS)


def _day(value) -> datetime.date:
    """The Asia/Shanghai day of a cut-off instant, whatever offset it was written in."""
    return asof.local_day(value) if isinstance(value, datetime.datetime) else value


def _part(where_spot: str, where_visit: str, join: str, params: list, start, as_of) -> Part:
    """Section 二 (distinct enterprises, conditional counts) and the visits (3.1, 3.2, 4.8) as one
    row: two aggregates side by side, each over its own index range."""
    day0, day1 = rowsql.day(_day(start)), rowsql.day(_day(as_of))
    spot = ", ".join(["COUNT(DISTINCT s.enterprise_id)",
                      *(f"COUNT(DISTINCT CASE WHEN s.{field} THEN s.enterprise_id END)" for field in SPOT_FIELDS.values())])
    visits = ", ".join("COUNT(CASE WHEN v.kind = %s THEN 1 END)" for _ in VISIT_ROWS)
    sql = (f"SELECT * FROM (SELECT {spot} FROM {SpotCheck._meta.db_table} s{join.format(t='s')} "
           f"WHERE {where_spot} AND s.checked_on >= %s AND s.checked_on <= %s) a CROSS JOIN "
           f"(SELECT {visits} FROM {Visit._meta.db_table} v{join.format(t='v')} "
           f"WHERE {where_visit} AND v.visited_on >= %s AND v.visited_on <= %s) b")
    kinds = [str(k) for k in VISIT_ROWS.values()]

    def decode(row):
        return {code: int(value or 0) for code, value in zip(ROW_CODES, row)}

    return Part(sql, [*params, day0, day1, *kinds, *params, day0, day1], len(ROW_CODES), decode)


def unit_sql(unit, start, as_of) -> Part:
    """What organisation ``unit`` itself did in [start, as_of] (one-row statement)."""
    return _part("s.organisation_id = %s", "v.organisation_id = %s", "", [unit.pk], start, as_of)


def region_sql(region, start, as_of) -> Part:
    """Every unit of the region subtree, each enterprise once in the distinct-enterprise rows."""
    join = " JOIN accounts_organisation o{t} ON o{t}.id = {t}.organisation_id"
    return _part(f"os.{region.level}_code = %s", f"ov.{region.level}_code = %s", join, [region.code], start, as_of)


def unit_rows(unit, start, as_of) -> dict[str, int]:
    return rowsql.run(unit_sql(unit, start, as_of))


def region_rows(region, start, as_of) -> dict[str, int]:
    return rowsql.run(region_sql(region, start, as_of))
