"""Dispatch-table rows fed by inspections (DISPATCH_TABLE.md 2.1–2.9, 3.1, 3.2, 4.8).

``unit_rows`` counts what the organisation itself did; ``region_rows`` counts every unit of the
region subtree, each enterprise once in the distinct-enterprise rows (2.x)."""

import datetime

from django.db.models import Count, Q

from hazards import asof

from .models import SPOT_FIELDS, SpotCheck, Visit

VISIT_ROWS = {"3.1": Visit.Kind.HELP_TOWNSHIP, "3.2": Visit.Kind.HELP_ENTERPRISE, "4.8": Visit.Kind.SUPERVISION}
ROW_CODES = ("2.1", *SPOT_FIELDS, *VISIT_ROWS)


def _day(value) -> datetime.date:
    """The Asia/Shanghai day of a cut-off instant, whatever offset it was written in."""
    return asof.local_day(value) if isinstance(value, datetime.datetime) else value


def _alias(code: str) -> str:
    return "r" + code.replace(".", "_")


def _rows(spot_checks, visits, start, as_of) -> dict[str, int]:
    """Section 二 in one statement (distinct enterprises, conditional counts), visits in another."""
    start, as_of = _day(start), _day(as_of)
    checks = spot_checks.filter(checked_on__gte=start, checked_on__lte=as_of)
    spot = {_alias("2.1"): Count("enterprise_id", distinct=True)}
    for code, field in SPOT_FIELDS.items():
        spot[_alias(code)] = Count("enterprise_id", filter=Q(**{field: True}), distinct=True)
    found = checks.aggregate(**spot)
    counted = visits.filter(visited_on__gte=start, visited_on__lte=as_of).aggregate(
        **{_alias(code): Count("id", filter=Q(kind=kind)) for code, kind in VISIT_ROWS.items()})
    return {code: (found | counted)[_alias(code)] or 0 for code in ROW_CODES}


def unit_rows(unit, start, as_of) -> dict[str, int]:
    return _rows(SpotCheck.objects.filter(organisation=unit), Visit.objects.filter(organisation=unit), start, as_of)


def region_rows(region, start, as_of) -> dict[str, int]:
    return _rows(SpotCheck.objects.filter(**{f"organisation__{region.level}_code": region.code}),
                 Visit.objects.filter(**{f"organisation__{region.level}_code": region.code}), start, as_of)
