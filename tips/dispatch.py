"""Dispatch-table rows of tips: 4.5 rewards paid (万元) and the part for verified anonymous tips."""

from decimal import Decimal

from django.db.models import Sum

from hazards import asof

from .models import Reward

WAN = Decimal("10000")


def _rows(qs) -> dict:
    def wan(q):
        total = q.aggregate(s=Sum("amount"))["s"] or Decimal("0")
        return (Decimal(total) / WAN).quantize(Decimal("0.0001"))

    return {"4.5": wan(qs), "4.5_anonymous": wan(qs.filter(tip__anonymous=True, line=Reward.Line.REPORTER))}


def _paid(start, as_of):
    """Rewards paid on an Asia/Shanghai day in the window (by the payment date entered)."""
    day0, day1 = asof.day_window(start, as_of)
    return Reward.objects.filter(status=Reward.Status.PAID, paid_on__gte=day0, paid_on__lte=day1)


def unit_rows(unit, start, as_of) -> dict:
    """Rewards the unit itself paid (it decided them as the handling unit — 谁受理、谁奖励)."""
    return _rows(_paid(start, as_of).filter(organisation=unit))


def region_rows(region, start, as_of) -> dict:
    return _rows(_paid(start, as_of).filter(**{f"tip__{region.level}_code": region.code}))
