"""Enterprise statistics reports (16号令): periods, due dates, figures, submission and who is missing."""

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.events import record
from core.services import NotPermitted, ServiceError

from .models import EnterpriseReport


def period_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    if quarter == 0:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - datetime.timedelta(days=1)
    return start, end


def due_date(year: int, quarter: int) -> datetime.date:
    """Quarterly: the 15th of the month after the quarter; annual: 31 January of the next year."""
    if quarter == 0:
        return datetime.date(year + 1, 1, 31)
    end = period_bounds(year, quarter)[1]
    return end + datetime.timedelta(days=15)


def last_closed_period(today: datetime.date) -> tuple[int, int]:
    q = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if q == 1 else (today.year, q - 1)


def figures(enterprise, year: int, quarter: int) -> dict:
    from hazards import asof
    from hazards.models import Hazard
    from hazards.workflow import MAJOR

    start, end = period_bounds(year, quarter)
    at = min(asof.now(), asof.end_of(end))  # what was true at the end of the period (hazards.asof)
    qs = asof.annotate(Hazard.objects.filter(enterprise=enterprise), at).filter(found_on__gte=start, found_on__lte=end)
    closed, major = asof.closed_q(), Q(grade_at=MAJOR)
    agg = qs.aggregate(found=Count("pk"), major=Count("pk", filter=major),
                       rectified=Count("pk", filter=closed), major_rectified=Count("pk", filter=major & closed))
    return agg


def submit_report(actor, *, enterprise, year: int, quarter: int, remarks: str = "") -> EnterpriseReport:
    m = getattr(actor, "membership", None)
    if m is None or getattr(m.organisation, "enterprise", None) != enterprise or not m.can_write:
        raise NotPermitted("只能由本单位报送统计报表。")
    if quarter not in (0, 1, 2, 3, 4):
        raise ServiceError("季度无效。", "quarter")
    if period_bounds(year, quarter)[1] >= timezone.localdate():
        raise ServiceError("统计期尚未结束。", "year")
    if EnterpriseReport.objects.filter(enterprise=enterprise, year=year, quarter=quarter).exists():
        raise ServiceError("该期报表已报送。", "quarter")
    with transaction.atomic():
        rep = EnterpriseReport(enterprise=enterprise, year=year, quarter=quarter, due=due_date(year, quarter),
                               figures=figures(enterprise, year, quarter), remarks=remarks, submitted_by=actor)
        rep.set_region_codes(enterprise.region)
        rep.save()
        record(actor, "campaigns.enterprise_report", rep, data={"year": year, "quarter": quarter})
    return rep


def missing(enterprises_qs, year: int, quarter: int):
    done = EnterpriseReport.objects.filter(year=year, quarter=quarter).values("enterprise_id")
    return enterprises_qs.exclude(pk__in=done)
