"""The handling period of a tip: "close within 60 days of acceptance, extendable by ≤ 30 days"
(RULES.md §1, 2012 rules). "60 days" and "30 days" are calendar days (自然日), like the same rules'
10-day feedback. The oracle is date arithmetic on the rule's numbers (datetime.timedelta), not the
code under test.

The rule table is versioned: the 60-calendar-day version is in force from 2026-12-03 (migration
tips/0007); a tip accepted before keeps the deadline computed under version 1 (42 working days)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tips import deadlines, services

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date
EFFECTIVE = D(2026, 12, 3)


def at(day, hour=10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ), tick=False)


# Known acceptance dates: the day the corrected version takes effect (a Thursday), Mondays spanning
# New Year 2027, the 2027 Spring Festival and National Day 2027 (counted in working days, a Monday
# start ends 58 calendar days later without holidays and later with them — never exactly 60).
@pytest.mark.parametrize("accepted_on", [EFFECTIVE, D(2026, 12, 7), D(2027, 1, 18), D(2027, 9, 20)])
def test_handling_deadline_is_sixty_calendar_days_after_acceptance(world, submit, accepted_on):
    with at(accepted_on):
        tip, _ = submit()
        tip = services.accept(world.user("commerce"), tip)
    assert tip.handle_deadline == accepted_on + datetime.timedelta(days=60)


def test_extension_adds_at_most_thirty_calendar_days(world, submit, approve_extension):
    accepted_on = D(2027, 1, 18)
    with at(accepted_on):
        tip, _ = submit()
        tip = services.accept(world.user("commerce"), tip)
        tip = approve_extension(tip, 30)
    assert tip.handle_deadline == accepted_on + datetime.timedelta(days=60 + 30)


def test_a_tip_accepted_before_the_correction_keeps_its_deadline():
    """Versioning: a period starting the day before version 2 is counted under version 1 (42
    working days); from the effective day, 60 calendar days. (Tips store the deadline computed on
    acceptance, so nothing recomputes the old ones.)"""
    day_before = EFFECTIVE - datetime.timedelta(days=1)
    assert deadlines.rule("handle", day_before) == (42, False)
    assert deadlines.rule("handle", EFFECTIVE) == (60, True)
    assert deadlines.due("handle", day_before) == deadlines.add(day_before, 42, False)
    assert deadlines.due("handle", day_before) != day_before + datetime.timedelta(days=60)
    assert deadlines.due("handle", EFFECTIVE) == EFFECTIVE + datetime.timedelta(days=60)
