"""Section 三 of the dispatch table (3.3–3.10) — see DISPATCH_TABLE.md and docs/enforcement.md.

``unit_rows``: what the organisation itself decided/did in [start, as_of]; ``region_rows``: the
whole region subtree, each enterprise counted once in the distinct-enterprise rows (3.6, 3.7).
"""

import datetime
from decimal import Decimal

from django.db.models import Case, Count, Max, Q, Sum, When

from hazards import asof

from .models import Accountability, CaseParty, Decision, EnterpriseMeasure, OversightNotice, TypicalCase

WAN = Decimal(10000)


def _day(value) -> datetime.date:
    """The Asia/Shanghai day of a cut-off instant, whatever offset it was written in."""
    return asof.local_day(value) if isinstance(value, datetime.datetime) else value


def _rows(decisions, measures, typical, accountability, notices) -> dict:
    """Section 三 with one aggregate per table (no rows fetched into Python)."""
    penalty = Q(kind=Decision.Kind.PENALTY)
    d = decisions.aggregate(
        n=Count("id", filter=penalty), amount=Sum("amount", filter=penalty),
        transferred=Count("party_id", filter=Q(kind=Decision.Kind.TRANSFER), distinct=True),
        suspended=Count("case__enterprise_id", filter=Q(kind=Decision.Kind.SUSPENSION), distinct=True))
    # 一案双罚: cases in which both the entity and its principal were penalised
    double = (decisions.filter(penalty).values("case_id")
              .annotate(entity=Max(Case(When(party__role=CaseParty.Role.ENTITY, then=1), default=0)),
                        principal=Max(Case(When(party__role=CaseParty.Role.PRINCIPAL, then=1), default=0)))
              .filter(entity=1, principal=1).count())
    t = typical.aggregate(n=Count("id"), dangerous=Count("id", filter=Q(dangerous_ops=True)))
    return {
        "3.3": d["n"],
        "3.3_amount": ((d["amount"] or Decimal(0)) / WAN).quantize(Decimal("0.0001")),
        "3.4": double,
        "3.5": d["transferred"],
        "3.6": d["suspended"],
        "3.7": measures.values("enterprise_id").distinct().count(),
        "3.8": t["n"],
        "3.8_dangerous_ops": t["dangerous"],
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
