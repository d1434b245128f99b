"""Working days in China: the State Council's yearly holiday arrangement from the maintained
``chinesecalendar`` package (holidays and 调休 make-up working days), overridden by local rows
(``tips.Holiday``: a date with ``is_workday`` True/False, maintained on the rule-table pages).

A year the State Council has not arranged yet (the package learns it from the yearly notice, usually
published in November) counts what the law itself fixes: Monday–Friday, less the statutory holidays
of 《全国年节及纪念日放假办法》 (2024 revision, in force 2025-01-01: 元旦 1 day, 春节 4 days from 除夕,
清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3) and, by its art. 6, a working day off in lieu of each that
falls on a weekend (the next working day). The lunar dates come from the maintained ``holidays``
package. What no law fixes — the 调休 make-up working days of the arrangement — cannot be known
before the notice: the rule-table page of holidays says so until the year is arranged, and the
notice's days are entered there as local rows.

Every working-day deadline of the platform goes through ``add_working_days``."""

import datetime
import functools

import chinese_calendar
import holidays

# The 2024 revision of the 放假办法 (in force 2025-01-01) applies from 2025; earlier years are all
# arranged in chinesecalendar.
STATUTORY_FROM_YEAR = 2025


def _package_says(day: datetime.date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the State Council has not arranged yet (or before 2004)
        return None


def is_arranged(year: int) -> bool:
    """Whether the State Council's arrangement of ``year`` is known (to the package)."""
    return _package_says(datetime.date(year, 6, 1)) is not None


@functools.lru_cache(maxsize=32)
def statutory_days_off(year: int) -> frozenset:
    """The days off the 放假办法 itself fixes in ``year``: its holidays and, for one that falls on a
    Saturday or Sunday, the next working day in lieu (art. 6). Never the arrangement's own 调休."""
    if year < STATUTORY_FROM_YEAR:
        return frozenset()
    calendar = holidays.China(years=year, language="en_US")
    # the package also carries some arrangements' swapped days off ("Day off (substituted from …)"),
    # without their make-up working days: only the statutory days and their in-lieu days are taken
    return frozenset(day for day, name in calendar.items() if "substituted" not in name)


def is_working_day(day: datetime.date, overrides: dict | None = None) -> bool:
    """Local override first, then the national arrangement, then (a year not arranged yet) the
    statutory holidays and weekends."""
    if overrides and day in overrides:
        return bool(overrides[day])
    known = _package_says(day)
    if known is not None:
        return known
    return day.weekday() < 5 and day not in statutory_days_off(day.year)


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
