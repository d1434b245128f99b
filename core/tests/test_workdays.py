"""Working days follow the State Council's arrangement (chinesecalendar) plus local overrides.

Sources: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号): 国庆节、中秋节 10月1日至8日
放假调休，9月28日（周日）、10月11日（周六）上班; 春节 1月28日至2月4日放假，1月26日（周日）、2月8日（周六）上班."""

import datetime

import pytest

from core.workdays import add_working_days, is_working_day, working_days_between

D = datetime.date


@pytest.mark.parametrize("day,working", [
    (D(2025, 9, 27), False),   # Saturday
    (D(2025, 9, 28), True),    # make-up Sunday
    (D(2025, 9, 30), True),    # the day before the holiday
    (D(2025, 10, 1), False), (D(2025, 10, 8), False),  # first and last day of the holiday
    (D(2025, 10, 9), True),    # the day after
    (D(2025, 10, 11), True),   # make-up Saturday
    (D(2025, 1, 26), True), (D(2025, 1, 28), False), (D(2025, 2, 4), False), (D(2025, 2, 5), True),
])
def test_national_arrangement(day, working):
    """国办发明电〔2024〕12号 (2025 holidays and make-up days)."""
    assert is_working_day(day, {}) is working


def test_add_working_days_around_national_day():
    """国办发明电〔2024〕12号: from 2025-09-30, one working day is 10-09; ten are 10-21 (10-11 counts)."""
    assert add_working_days(D(2025, 9, 30), 1, overrides={}) == D(2025, 10, 9)
    assert add_working_days(D(2025, 9, 27), 1, overrides={}) == D(2025, 9, 28)
    assert add_working_days(D(2025, 9, 30), 10, overrides={}) == D(2025, 10, 21)
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 21), overrides={}) == 10


def test_local_override_wins_and_unknown_years_fall_back_to_weekdays():
    """A local holiday (e.g. a regional day off) overrides the national arrangement; a year not yet
    arranged by the State Council counts Monday–Friday."""
    assert add_working_days(D(2025, 9, 30), 1, overrides={D(2025, 10, 9): False}) == D(2025, 10, 10)
    assert is_working_day(D(2099, 1, 5), {}) is True   # a Monday
    assert is_working_day(D(2099, 1, 4), {}) is False  # a Sunday


@pytest.mark.django_db
def test_holiday_rows_are_overrides():
    """tips.Holiday rows are the local overrides every working-day deadline reads."""
    from tips.models import Holiday

    Holiday.objects.create(date=D(2025, 10, 9), name="地方调整", is_workday=False)
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 10)
