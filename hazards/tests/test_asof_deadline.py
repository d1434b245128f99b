"""The deadline at an instant after an approved extension and a reopening without a new deadline.

Oracle (hand-worked, RULES.md / hazards.services.reopen docstring): an approved extension moves the
deadline to the requested date; a reopening that names no deadline keeps the deadline in force (the
extended one). So between the original deadline and the extended one the hazard, open again, is
not overdue; after the extended one it is. Both backends must give the same answer (issue 16:
"one notion of time for every figure")."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Sector
from hazards import asof
from hazards import services as hs
from hazards.models import Hazard

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PLAN = dict(goal_tasks="消除隐患", measures="整改", funds_materials="已落实", responsible="设备部",
            deadline=datetime.date(2026, 2, 7), safety_emergency="应急预案")
ORIGINAL, EXTENDED = datetime.date(2026, 2, 7), datetime.date(2026, 2, 19)


def at(y, m, d, hour=10):
    return time_machine.travel(datetime.datetime(y, m, d, hour, 0, tzinfo=TZ), tick=False)


def _scenario(world):
    with at(2026, 2, 2):
        h = hs.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce,
                               sector=Sector.objects.get(code="commerce"), description="安全出口锁闭", grade="general",
                               deadline=ORIGINAL, notify_people=False)
        h = hs.submit_plan(world.user("enterprise"), h, plan=PLAN)
    with at(2026, 2, 3):
        hs.request_extension(world.user("enterprise"), h, new_deadline=EXTENDED, reason="材料未到")
        h = hs.decide_extension(world.user("commerce_lead"), Hazard.objects.get(pk=h.pk), approve=True)
    with at(2026, 2, 4):
        hs.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
        h = hs.accept(world.user("commerce_lead"), Hazard.objects.get(pk=h.pk), opinion="验收通过")
    with at(2026, 2, 5):
        h = hs.reopen(world.user("commerce_lead"), Hazard.objects.get(pk=h.pk), reason="再次发现")
    return h


def test_a_reopening_without_a_deadline_keeps_the_approved_extension_in_the_trail(world):
    h = _scenario(world)
    assert h.deadline == EXTENDED  # the live row: reopen named no deadline
    for day, overdue in ((datetime.date(2026, 2, 10), False), (EXTENDED, False),
                         (EXTENDED + datetime.timedelta(days=1), True)):
        seen = asof.state_of(h, day)
        assert seen["deadline"] == EXTENDED, day
        assert seen["overdue"] is overdue, day
        qs = asof.annotate(Hazard.objects.filter(pk=h.pk), asof.end_of(day))
        assert qs.filter(asof.overdue_q(asof.end_of(day))).count() == (1 if overdue else 0), day


def test_a_reopening_with_a_deadline_sets_that_deadline_from_then_on(world):
    h = _scenario(world)
    with at(2026, 2, 6):
        h.refresh_from_db()
        hs.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
        h = hs.accept(world.user("commerce_lead"), Hazard.objects.get(pk=h.pk), opinion="验收通过")
        h = hs.reopen(world.user("commerce_lead"), h, reason="又发现", deadline=datetime.date(2026, 3, 1))
    assert asof.state_of(h, datetime.date(2026, 2, 5))["deadline"] == EXTENDED
    assert asof.state_of(h, datetime.date(2026, 2, 25))["deadline"] == datetime.date(2026, 3, 1)
