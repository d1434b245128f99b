"""Computed indicators: each source returns (value, evidence) for one unit and year — read only.
A rate returns value None when there is nothing to count (0 of 0): not applicable, not scored.

A unit's *area*: a township office → its township; a department → its region × the sectors it is
competent for (a comprehensive department: every sector). Records a unit makes itself
(inspections, cases, tips it handles) are counted by the unit. Evidence lists the ids of the
records behind the figure so the assessed unit can check it.
"""

import datetime
from decimal import Decimal

from django.db.models import Q, Sum

from accounts.models import Competence, Organisation

GRADE_ORDER = ("general", "larger", "major", "especially_major")


def _year_bounds(year: int):
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    return (datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz))


def area_q(unit: Organisation, prefix: str = "", sector_field: str = "sector_id") -> Q:
    region = unit.region
    q = Q(**{f"{prefix}{region.level}_code": region.code})
    if unit.kind == Organisation.Kind.DEPARTMENT and not (unit.department_type and unit.department_type.comprehensive):
        ids: set[int] = set()
        for comp in Competence.objects.filter(department=unit).select_related("sector"):
            ids |= comp.sector.with_descendants()
        q &= Q(**{f"{sector_field}__in": sorted(ids)})
    return q


def _rate(num: int, den: int) -> Decimal | None:
    """``num`` of ``den`` as a fraction; None for 0 of 0 — nothing to count is no rate at all (not
    100 %): the indicator is not applicable to the unit and is not scored (assessment.workflow)."""
    return None if den == 0 else (Decimal(num) / Decimal(den)).quantize(Decimal("0.0001"))


def _year_end(year: int):
    """The instant the year's figures describe: 24:00 on 31 December (Asia/Shanghai), or now while
    the year is not over — what was true then, from the event trail (hazards.asof), not today's
    state: a hazard closed in January was still open at the year's end."""
    from hazards import asof

    return min(asof.instant(datetime.date(year, 12, 31)), asof.instant(None))


def major_rectification_rate(unit, year):
    from hazards import asof
    from hazards.models import Hazard

    lo, hi = _year_bounds(year)
    at = _year_end(year)
    qs = asof.annotate(Hazard.objects.filter(area_q(unit), first_reported_at__gte=lo, first_reported_at__lt=hi), at) \
        .filter(grade_at="major")
    ids = list(qs.values_list("pk", flat=True))
    closed = list(qs.filter(asof.closed_q()).values_list("pk", flat=True))
    return _rate(len(closed), len(ids)), {"numerator": len(closed), "denominator": len(ids), "hazards": ids,
                                          "closed": closed, "as_of": str(asof.local_day(at))}


def hazards_overdue(unit, year):
    from hazards import asof
    from hazards.models import Hazard

    at = _year_end(year)
    ids = list(asof.annotate(Hazard.objects.filter(area_q(unit)), at).filter(asof.overdue_q(at)).values_list("pk", flat=True))
    return Decimal(len(ids)), {"as_of": str(asof.local_day(at)), "hazards": ids}


def hazards_listed(unit, year):
    from supervision.models import Listing

    lo, hi = _year_bounds(year)
    ids = list(Listing.objects.filter(area_q(unit, "hazard__", "hazard__sector_id"), approved_at__gte=lo,
                                      approved_at__lt=hi).values_list("pk", flat=True))
    return Decimal(len(ids)), {"listings": ids}


def inspections(unit, year):
    from inspections.models import Record

    ids = list(Record.objects.filter(organisation=unit, status="locked", inspected_on__year=year).values_list("pk", flat=True))
    return Decimal(len(ids)), {"records": ids}


def spot_checks(unit, year):
    from inspections.models import SpotCheck

    ids = list(SpotCheck.objects.filter(organisation=unit, checked_on__year=year).values_list("pk", flat=True))
    return Decimal(len(ids)), {"spot_checks": ids}


def dispatch_submissions(unit, year):
    """Weeks (per campaign) the unit submitted its dispatch table ON TIME in the year: the first
    version for the week reached the platform by the campaign's reporting deadline (迟报 otherwise,
    the same rule as the roll-up, campaigns.tables.is_late); corrections never count again."""
    from campaigns.models import Submission

    first = {}
    for sub in (Submission.objects.filter(unit=unit, week__year=year).select_related("campaign")
                .order_by("campaign_id", "week", "submitted_at", "id")):
        first.setdefault((sub.campaign_id, sub.week), sub)
    on_time, late = [], []
    for (campaign_id, week), sub in sorted(first.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        (late if sub.submitted_at > sub.campaign.deadline(week) else on_time).append(f"{campaign_id}:{week}")
    return Decimal(len(on_time)), {"weeks": on_time, "late_weeks": late}


def enforcement_cases(unit, year):
    from enforcement.models import Case

    ids = list(Case.objects.filter(opened_by_org=unit, opened_on__year=year).values_list("pk", flat=True))
    return Decimal(len(ids)), {"cases": ids}


def tips_closed_rate(unit, year):
    from tips.models import Tip

    lo, hi = _year_bounds(year)
    qs = Tip.objects.filter(assigned_org=unit, submitted_at__gte=lo, submitted_at__lt=hi)
    ids = list(qs.values_list("pk", flat=True))
    done = list(qs.filter(status__in=("closed", "transferred")).values_list("pk", flat=True))
    return _rate(len(done), len(ids)), {"numerator": len(done), "denominator": len(ids), "tips": ids}


def accidents_in_area(unit, year):
    from accidents.models import Accident

    lo, hi = _year_bounds(year)
    return Accident.objects.filter(area_q(unit), occurred_at__gte=lo, occurred_at__lt=hi)


def accident_deaths(unit, year):
    qs = accidents_in_area(unit, year)
    return Decimal(qs.aggregate(n=Sum("deaths"))["n"] or 0), {"accidents": list(qs.values_list("pk", flat=True))}


SOURCES = {
    "major_rectification_rate": major_rectification_rate, "hazards_overdue": hazards_overdue,
    "hazards_listed": hazards_listed, "inspections": inspections, "spot_checks": spot_checks,
    "dispatch_submissions": dispatch_submissions, "enforcement_cases": enforcement_cases,
    "tips_closed_rate": tips_closed_rate, "accident_deaths": accident_deaths,
}


def veto_effects(unit, year, rules) -> tuple[list[str], list[str]]:
    """Effects of the veto rules the unit's accidents trigger, and a note for each."""
    effects, notes = [], []
    grades = list(accidents_in_area(unit, year).values_list("grade", "pk"))
    for rule in rules:
        floor = GRADE_ORDER.index(rule.min_grade)
        hit = [pk for grade, pk in grades if GRADE_ORDER.index(grade) >= floor]
        if hit:
            effects.append(rule.effect)
            notes.append(f"{rule.get_min_grade_display()}及以上{len(hit)}起：{rule.get_effect_display()}")
    return effects, notes
