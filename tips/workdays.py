"""Working-day arithmetic: weekends and the Holiday table are skipped, make-up days count."""

import datetime


def add_working_days(start: datetime.date, days: int, *, holidays: set | None = None,
                     workdays: set | None = None) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if holidays is None or workdays is None:
        from .models import Holiday

        rows = list(Holiday.objects.filter(date__gt=start, date__lte=start + datetime.timedelta(days=days * 2 + 60))
                    .values_list("date", "is_workday"))
        holidays = {d for d, w in rows if not w} if holidays is None else holidays
        workdays = {d for d, w in rows if w} if workdays is None else workdays
    day = start
    left = days
    while left > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays, workdays):
            left -= 1
    return day


def is_working_day(day: datetime.date, holidays: set, workdays: set) -> bool:
    if day in workdays:
        return True
    return day.weekday() < 5 and day not in holidays
