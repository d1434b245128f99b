"""The tip deadline rules (``tips.DeadlineRule``, rule table "deadlines") read for a date: how many
days a stage has and whether they are calendar days (自然日) or working days (工作日, the national
holiday arrangement plus local overrides: ``core.workdays``).

Every tip-stage deadline (受理, 办理, 奖励决定, 延期办理, 反馈, 申请复查, 复查), the 摘牌 acceptance
timer of a listing (stage "delisting") and the on-site acceptance of a listed hazard after its
整改完成 submission (stage "listed_accept", 10 calendar days) goes through ``due`` here, so the row's ``calendar_days``
flag is honoured wherever the row is read. The defaults (no row) are those the migrations load:
RULES.md §1 — 受理/奖励 in working days, 办理/延期/反馈/复查 in calendar days (2012年举报处理规定
"60日", "30日", "10日"; the 60-day handling period is calendar days from version 2 of its row, in
force from 2026-12-03, migration tips/0007 — version 1 counted 42 working days); 摘牌 10 calendar
days (RULES.md §2 湖北 "10 days", from version 2 of its row in force from 2026-12-03, migration
tips/0012 — version 1 counted 10 working days)."""

import datetime

from django.utils import timezone

from core import workdays

# stage → (days, calendar days?) when the table has no row for the stage
DEFAULTS = {"accept": (5, False), "handle": (60, True), "reward": (15, False), "delisting": (10, True),
            "listed_accept": (10, True), "extension": (30, True), "feedback": (10, True), "review_request": (30, True),
            "review": (30, True)}


def rule(stage: str, on: datetime.date | None = None) -> tuple[int, bool]:
    """(days, calendar?) of ``stage`` under the DeadlineRule version in force on ``on`` (the date
    of the fact the period runs from; default today)."""
    from core.ruletables import in_force

    from .models import DeadlineRule

    row = in_force("deadlines", DeadlineRule.objects.filter(stage=stage).first(), on or timezone.localdate())
    if row is None:
        return DEFAULTS[stage]
    return row.working_days, bool(row.calendar_days)


def add(start: datetime.date, days: int, calendar: bool) -> datetime.date:
    """``days`` calendar or working days after ``start`` (``start`` itself not counted)."""
    if calendar:
        return start + datetime.timedelta(days=days)
    return workdays.add_working_days(start, days)


def due(stage: str, start: datetime.date | None = None) -> datetime.date:
    """The last day of ``stage`` when it starts on ``start`` (default today), under the rule in
    force on ``start``."""
    start = start or timezone.localdate()
    days, calendar = rule(stage, start)
    return add(start, days, calendar)
