"""Pure rules: 按日连续处罚 accrual and the art. 113 windows."""

import datetime
from decimal import Decimal

import pytest

from enforcement.rules import closure_grounds, daily_fine_accrual, months_after

D = datetime.date


@pytest.mark.parametrize("ordered,end,days", [
    (D(2025, 1, 31), D(2025, 2, 1), 1),
    (D(2025, 1, 31), D(2025, 3, 1), 29),      # February of a common year
    (D(2024, 1, 31), D(2024, 3, 1), 30),      # leap year
    (D(2024, 12, 30), D(2025, 1, 2), 3),      # year end
    (D(2025, 4, 30), D(2025, 4, 30), 0),      # corrected on the day of the order: nothing
    (D(2025, 4, 30), D(2025, 4, 1), 0),       # (dates before the order)
])
def test_daily_fine_accrual(ordered, end, days):
    """安全生产法 art. 112: 自作出责令改正之日的次日起，按照原处罚数额按日连续处罚."""
    got_days, total = daily_fine_accrual(Decimal("10000"), ordered, end)
    assert got_days == days and total == Decimal(10000 * days)


def test_daily_fine_stops_on_correction():
    deadline = D(2025, 12, 25)
    running = daily_fine_accrual(5000, deadline, D(2026, 1, 10))
    stopped = daily_fine_accrual(5000, deadline, D(2025, 12, 31))
    assert running == (16, Decimal("80000.00")) and stopped == (6, Decimal("30000.00"))


def test_closure_windows():
    base = D(2025, 1, 1)
    at = [base + datetime.timedelta(days=n) for n in (0, 90, 179)]
    assert closure_grounds(at) == "180日内受到3次行政处罚"
    spread = [base + datetime.timedelta(days=n) for n in (0, 90, 180)]  # over 181 days
    assert closure_grounds(spread) is None
    four = [base + datetime.timedelta(days=n) for n in (0, 181, 300, 364)]
    assert closure_grounds(four) == "一年内受到4次行政处罚"
    four_late = [base + datetime.timedelta(days=n) for n in (0, 181, 300, 365)]  # 2026-01-01: a year later
    assert closure_grounds(four_late) is None
    # a leap year: 1 January to 31 December 2024 is within one year, though 365 days apart
    assert closure_grounds([D(2024, 1, 1), D(2024, 5, 1), D(2024, 9, 1), D(2024, 12, 31)]) == "一年内受到4次行政处罚"
    assert closure_grounds([D(2024, 1, 1), D(2024, 5, 1), D(2024, 9, 1), D(2025, 1, 1)]) is None
    assert closure_grounds([]) is None


def test_a_listing_s_term_in_calendar_months():
    assert months_after(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert months_after(D(2024, 1, 31), 36) == D(2027, 1, 31)


def test_a_term_ending_in_february_ends_on_its_last_day_by_the_gregorian_leap_rule():
    """Dates worked out from the calendar: 1900 and 2100 are not leap years (divisible by 100),
    2000 is (divisible by 400), 2028 is (divisible by 4)."""
    assert months_after(D(1899, 11, 30), 3) == D(1900, 2, 28)
    assert months_after(D(1999, 11, 30), 3) == D(2000, 2, 29)
    assert months_after(D(2099, 8, 31), 6) == D(2100, 2, 28)
    assert months_after(D(2025, 2, 28), 36) == D(2028, 2, 28)
    assert months_after(D(2025, 5, 31), 1) == D(2025, 6, 30)
    assert months_after(D(2025, 12, 15), 120) == D(2035, 12, 15)
