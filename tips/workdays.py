"""Working-day arithmetic of the tip deadlines: delegates to ``core.workdays`` (the national
arrangement from ``chinesecalendar`` plus the local Holiday rows)."""

import datetime

from core import workdays as core_workdays


def _overrides(holidays, workdays) -> dict | None:
    if holidays is None and workdays is None:
        return None
    return {d: False for d in holidays or ()} | {d: True for d in workdays or ()}


def add_working_days(start: datetime.date, days: int, *, holidays: set | None = None,
                     workdays: set | None = None) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted). ``holidays``
    and ``workdays`` (sets of dates) are the local overrides, given by batch callers."""
    return core_workdays.add_working_days(start, days, overrides=_overrides(holidays, workdays))


def is_working_day(day: datetime.date, holidays: set, workdays: set) -> bool:
    return core_workdays.is_working_day(day, _overrides(holidays, workdays))
