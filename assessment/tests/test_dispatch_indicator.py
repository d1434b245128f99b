"""The dispatch indicator counts weeks submitted ON TIME (the campaign's reporting deadline, the
same 迟报 rule as the roll-up); a late week and a later correction do not count."""

import datetime

import time_machine

from assessment.sources import dispatch_submissions
from campaigns import services as cs
from hazards.asof import ZONE as TZ


def travel(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=TZ), tick=False)


def test_only_weeks_submitted_by_the_deadline_count(world):
    c = cs.create_campaign(None, name="治本攻坚", issuer=world.org("committee"), region=world.district,
                           start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31), report_weekday=0,
                           report_time=datetime.time(12, 0))
    unit, user = world.org("commerce"), world.user("commerce")
    with travel(2026, 3, 16, 11, 59):  # week of 16 March: one minute before the Monday-noon deadline
        cs.submit(user, unit=unit, campaign=c, as_of=datetime.datetime(2026, 3, 16, 9, tzinfo=TZ))
    with travel(2026, 3, 16, 15):  # a correction of the same week: not a second week
        cs.submit(user, unit=unit, campaign=c, as_of=datetime.datetime(2026, 3, 16, 9, tzinfo=TZ))
    with travel(2026, 3, 23, 12, 1):  # week of 23 March: one minute late — 迟报
        cs.submit(user, unit=unit, campaign=c, as_of=datetime.datetime(2026, 3, 23, 9, tzinfo=TZ))
    value, evidence = dispatch_submissions(unit, 2026)
    assert value == 1
    assert evidence["weeks"] == [f"{c.pk}:2026-03-16"] and evidence["late_weeks"] == [f"{c.pk}:2026-03-23"]
