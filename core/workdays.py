"""Working days in China: the State Council's yearly holiday arrangement from the maintained
``chinesecalendar`` package (holidays and 调休 make-up working days), overridden by local rows
(``tips.Holiday``: a date with ``is_workday`` True/False, maintained on the rule-table pages).
Years the package does not know yet fall back to Monday–Friday.

Every working-day deadline of the platform goes through ``add_working_days``."""

import datetime

import chinese_calendar


def _package_says(day: datetime.date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the State Council has not arranged yet (or before 2004)
        return None


def is_working_day(day: datetime.date, overrides: dict | None = None) -> bool:
    """Local override first, then the national arrangement, then Monday–Friday."""
    if overrides and day in overrides:
        return bool(overrides[day])
    known = _package_says(day)
    return known if known is not None else day.weekday() < 5


def local_overrides(start: datetime.date, end: datetime.date) -> dict:
    """date → is_workday of the local override rows between start and end (inclusive), as in force
    on ``start`` (rule-table versions, core.ruletables)."""
    from core.models import RuleVersion
    from tips.models import Holiday

    if not RuleVersion.objects.filter(table="holidays", version__gt=1).exists():
        return dict(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday"))
    from core.ruletables import rows_in_force

    # revised rows: each as in force on ``start`` (the day the period runs from)
    return {h.date: h.is_workday for h in rows_in_force("holidays", Holiday.objects.all(), start)
            if start <= h.date <= end}


def add_working_days(start: datetime.date, days: int, *, overrides: dict | None = None) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if overrides is None:
        overrides = local_overrides(start, start + datetime.timedelta(days=days * 3 + 40))
    day, left = start, days
    while left > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day, overrides):
            left -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date, *, overrides: dict | None = None) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    if overrides is None:
        overrides = local_overrides(start, end)
    n, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        n += is_working_day(day, overrides)
    return n
