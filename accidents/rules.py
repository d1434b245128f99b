"""Reading the rule tables (data from 493号令) — no writes."""

import datetime

from django.utils import timezone

from core.models import REGION_LEVELS

from . import workflow
from .models import DeadlineRule, GradeThreshold, InvestigationAuthority, SupplementWindow

LEVEL_ORDER = ("state",) + REGION_LEVELS  # state, province, city, county, township
UP = {"county": "city", "city": "province", "province": "state", "state": None}
#: 《生产安全事故报告和调查处理条例》（国务院令第493号）第四十六条：本条例自2007年6月1日起施行。An
#: accident before it is not reported, graded or investigated under these rules (and a date centuries
#: back is a typing error: Asia/Shanghai had no standard offset then, so it cannot even be written back).
IN_FORCE_FROM = datetime.date(2007, 6, 1)


def thresholds() -> list[workflow.Threshold]:
    return [row.as_threshold() for row in GradeThreshold.objects.all()]


def grade_of(deaths: int, injuries: int, loss) -> str:
    return workflow.compute_grade(deaths, injuries, loss, thresholds())


def days(code: str, on: datetime.date | None = None) -> int:
    """The time limit ``code`` under the version of the rule table "accident-deadlines" in force on
    ``on`` — the day the accident occurred (Asia/Shanghai): every limit of one accident follows the
    rules in force when it happened (core.ruletables; default today)."""
    from core.ruletables import in_force

    row = in_force("accident-deadlines", DeadlineRule.objects.get(code=code), on or timezone.localdate())
    return row.amount


def occurred_on(accident) -> datetime.date:
    """The date of the fact that selects the rule version: the day the accident occurred."""
    return timezone.localtime(accident.occurred_at).date()


def supplement_days(accident_type: str, on: datetime.date | None = None) -> int:
    """The 补报 window of an accident of ``accident_type`` (493号令 art. 13): the type's row of the
    rule table "accident-supplement-windows" (道路交通事故、火灾: 7 days) in force on ``on`` — the day
    the accident occurred — else the general ``supplement_days`` limit (30 days). Keyed on the kind
    of accident, never on the enterprise's sector: a fire at a petrol station is a fire."""
    from core.ruletables import in_force

    on = on or timezone.localdate()
    row = in_force("accident-supplement-windows", SupplementWindow.objects.filter(accident_type=accident_type).first(), on)
    return row.days if row is not None else days(DeadlineRule.Code.SUPPLEMENT_DAYS, on)


def supplement_until(accident_type: str, occurred_on: datetime.date) -> datetime.date:
    """The last day of the 补报 window of an accident of ``accident_type`` that occurred on
    ``occurred_on`` — the one function every caller uses (report, classification)."""
    return workflow.supplement_until(occurred_on, supplement_days(accident_type, occurred_on))


def authority_level(grade: str, escalated: bool = False) -> str:
    level = InvestigationAuthority.objects.get(grade=grade).level
    if escalated and UP.get(level):
        level = UP[level]
    return level


def acting_level(level: str) -> str:
    """The region level whose organisations act on the platform for ``level``: the State
    Council's investigations are recorded by the province."""
    return "province" if level == "state" else level


def authority_name(region, level: str) -> str:
    if level == "state":
        return InvestigationAuthority.Level.STATE.label
    node = region
    while node is not None and node.level != level:
        node = node.parent
    if node is None:
        return dict(InvestigationAuthority.Level.choices)[level]
    return f"{node.name}人民政府"
