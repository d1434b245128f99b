"""Working days follow the State Council's arrangement (chinesecalendar) plus local overrides.

Sources: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号): 国庆节、中秋节 10月1日至8日
放假调休，9月28日（周日）、10月11日（周六）上班; 春节 1月28日至2月4日放假，1月26日（周日）、2月8日（周六）上班."""

import datetime

import pytest

from core.workdays import add_working_days, is_arranged, is_working_day, statutory_days_off, working_days_between

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
    arranged by the State Council counts Monday–Friday less its statutory holidays."""
    assert add_working_days(D(2025, 9, 30), 1, overrides={D(2025, 10, 9): False}) == D(2025, 10, 10)
    assert is_working_day(D(2099, 1, 5), {}) is True   # a Monday
    assert is_working_day(D(2099, 1, 4), {}) is False  # a Sunday


# 2027 as the law fixes it (《全国年节及纪念日放假办法》, 2024 revision: 元旦 1 day; 春节 除夕 and 初一–初三;
# 清明 1; 劳动节 5-1 and 5-2; 端午 1; 中秋 1; 国庆 10-1 to 10-3; art. 6: a holiday falling on a Saturday
# or Sunday is made up on a working day), with the almanac's dates for 2027: 除夕 Fri 02-05 (初一 Sat
# 02-06), 清明 Mon 04-05, 端午 Wed 06-09, 中秋 Wed 09-15. Weekdays from datetime, not from the code.
def _law_2027() -> set:
    days = {D(2027, 1, 1), D(2027, 4, 5), D(2027, 6, 9), D(2027, 9, 15)}
    days |= {D(2027, 2, 5) + datetime.timedelta(n) for n in range(4)}       # 除夕 … 初三
    days |= {D(2027, 5, 1), D(2027, 5, 2)} | {D(2027, 10, n) for n in (1, 2, 3)}
    in_lieu, weekend = set(), [d for d in sorted(days) if d.weekday() >= 5]
    for holiday in weekend:  # each weekend holiday → the next day that is neither weekend nor holiday nor taken
        day = holiday
        while day.weekday() >= 5 or day in days or day in in_lieu:
            day += datetime.timedelta(1)
        in_lieu.add(day)
    return days | in_lieu


@pytest.mark.skipif(is_arranged(2027), reason="the State Council's 2027 arrangement is known: it decides")
def test_a_year_not_arranged_yet_counts_the_statutory_holidays_and_their_days_in_lieu():
    """Before the 2027 notice, 2027's working days are Monday–Friday less what the law fixes."""
    law = _law_2027()
    assert D(2027, 2, 9) in law and D(2027, 2, 10) in law and D(2027, 10, 5) in law  # the oracle's own sanity
    assert statutory_days_off(2027) == frozenset(law)
    for n in range(365):
        day = D(2027, 1, 1) + datetime.timedelta(n)
        assert is_working_day(day, {}) is (day.weekday() < 5 and day not in law), day
    # 22 working days from 2026-12-02: the 21st is 12-31, 元旦 (Fri) is off, the 22nd is Monday 01-04
    assert add_working_days(D(2026, 12, 2), 22, overrides={}) == D(2027, 1, 4)
    # 春节: from Thursday 02-04, 02-05 … 02-10 are off (02-06/07 weekend, 02-09/10 in lieu)
    assert add_working_days(D(2027, 2, 4), 1, overrides={}) == D(2027, 2, 11)


@pytest.mark.django_db
def test_the_holiday_table_says_which_years_are_not_arranged_yet(client, world):
    """The committee office is told, on the holidays table, that next year's arrangement is missing
    and how deadlines in it are counted until the notice's days are entered."""
    from unittest import mock

    from tips.models import Holiday

    client.force_login(world.user("committee"))
    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 12, 2)):
        page = client.get("/rules/holidays/").content.decode()
        assert page.count('data-testid="unarranged-year"') == (0 if is_arranged(2027) else 1)
        assert "2026年的国务院放假安排尚未收录" not in page
        if not is_arranged(2027):
            assert "2027年的国务院放假安排尚未收录" in page and "已录入" not in page
            Holiday.objects.create(date=D(2027, 2, 20), name="调休上班", is_workday=True)
            assert "本表已录入该年条目 1 条" in client.get("/rules/holidays/").content.decode()


@pytest.mark.django_db
def test_holiday_rows_are_overrides():
    """tips.Holiday rows are the local overrides every working-day deadline reads."""
    from tips.models import Holiday

    Holiday.objects.create(date=D(2025, 10, 9), name="地方调整", is_workday=False)
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 10)
