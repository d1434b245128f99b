"""Section 三 of the dispatch table (3.3–3.10) — see DISPATCH_TABLE.md and docs/enforcement.md.

``unit_rows``: what the organisation itself decided/did in [start, as_of]; ``region_rows``: the
whole region subtree, each enterprise counted once in the distinct-enterprise rows (3.6, 3.7).
"""

import datetime
from decimal import Decimal

from django.db.models import Sum

from .models import Accountability, CaseParty, Decision, EnterpriseMeasure, OversightNotice, TypicalCase

WAN = Decimal(10000)


def _day(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _rows(decisions, measures, typical, accountability, notices) -> dict:
    penalties = decisions.filter(kind=Decision.Kind.PENALTY)
    amount = penalties.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    roles_by_case: dict[int, set] = {}
    for case_id, role in penalties.values_list("case_id", "party__role"):
        roles_by_case.setdefault(case_id, set()).add(role)
    double = sum(1 for roles in roles_by_case.values() if {CaseParty.Role.ENTITY, CaseParty.Role.PRINCIPAL} <= roles)
    return {
        "3.3": penalties.count(),
        "3.3_amount": (amount / WAN).quantize(Decimal("0.0001")),
        "3.4": double,
        "3.5": decisions.filter(kind=Decision.Kind.TRANSFER).values("party_id").distinct().count(),
        "3.6": decisions.filter(kind=Decision.Kind.SUSPENSION).values("case__enterprise_id").distinct().count(),
        "3.7": measures.values("enterprise_id").distinct().count(),
        "3.8": typical.count(),
        "3.8_dangerous_ops": typical.filter(dangerous_ops=True).count(),
        "3.9": accountability.count(),
        "3.10": notices.count(),
    }


def _window(start, as_of, field):
    return {f"{field}__gte": _day(start), f"{field}__lte": _day(as_of)}


def unit_rows(unit, start, as_of) -> dict:
    """What organisation ``unit`` itself did in [start, as_of]."""
    return _rows(
        Decision.objects.filter(status=Decision.Status.EFFECTIVE, decided_by_org=unit, **_window(start, as_of, "decided_on")),
        EnterpriseMeasure.objects.filter(organisation=unit, **_window(start, as_of, "date")),
        TypicalCase.objects.filter(organisation=unit, **_window(start, as_of, "published_on")),
        Accountability.objects.filter(organisation=unit, **_window(start, as_of, "date")),
        OversightNotice.objects.filter(organisation=unit, **_window(start, as_of, "date")),
    )


def region_rows(region, start, as_of) -> dict:
    """The whole region subtree (by the enterprise's place; accountability and notices by the
    acting organisation's place)."""
    code = {f"{region.level}_code": region.code}
    ent = {f"enterprise__{region.level}_code": region.code}
    return _rows(
        Decision.objects.filter(status=Decision.Status.EFFECTIVE, **{f"case__enterprise__{region.level}_code": region.code},
                                **_window(start, as_of, "decided_on")),
        EnterpriseMeasure.objects.filter(**ent, **_window(start, as_of, "date")),
        TypicalCase.objects.filter(**ent, **_window(start, as_of, "published_on")),
        Accountability.objects.filter(**code, **_window(start, as_of, "date")),
        OversightNotice.objects.filter(**code, **_window(start, as_of, "date")),
    )
