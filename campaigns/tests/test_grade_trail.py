"""The grade of a hazard at an instant comes from its grade trail (issue 16, item 1): a merge that
raises the survivor to 重大 writes ``hazard.regraded`` (from → to), and every figure that splits by
grade — dispatch section 一, the five-colour board — counts the grade in force at its cut-off.

Oracle, worked out by hand (Asia/Shanghai):
  03-02  H  鑫隆 (光复道, commerce) 一般, 企业自查
  03-10  M  鑫隆 重大, 商务局 inspection (部门检查)
  03-12  M merged into H → H raised to 重大 (安全生产法 art. 118 ¶2: a hazard that is, by its item,
         a 重大事故隐患 stays 重大 whichever record survives); H keeps its channel (earliest source)
  as of 03-05: no major hazard → board total 0, 1.1 = 0, 1.3 = 0
  as of 03-11: M only → board total 1, 1.1 = 0, 1.3 = 1
  as of 03-20: H only, now 重大 → board total 1, 1.1 = 1, 1.3 = 0
"""

import datetime
from zoneinfo import ZoneInfo

import time_machine

from accounts.models import Sector
from campaigns import dispatch as D
from campaigns.board import board
from core.models import Event
from hazards import asof
from hazards import services as hs
from hazards.models import Hazard

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime.datetime(2026, 3, 5, 12, tzinfo=TZ)
T1 = datetime.datetime(2026, 3, 11, 12, tzinfo=TZ)
T2 = datetime.datetime(2026, 3, 20, 12, tzinfo=TZ)
START = datetime.datetime(2026, 1, 1, tzinfo=TZ)


def at(month, day, hour=9):
    return time_machine.travel(datetime.datetime(2026, month, day, hour, tzinfo=TZ), tick=False)


def _register(world, persona, grade):
    return hs.register_hazard(world.user(persona), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                              description="安全出口锁闭", grade=grade,
                              basis_reason="可能导致群死群伤" if grade == "major" else "",
                              deadline=datetime.date(2026, 6, 30), notify_people=False)


def _scenario(world):
    with at(3, 2):
        h = _register(world, "enterprise", "general")
    with at(3, 10):
        m = _register(world, "commerce", "major")
    with at(3, 12):
        hs.merge(world.user("commerce"), m, into=h, reason="同一隐患")
    h.refresh_from_db()
    return h, m


def _section_one(world, moment):
    out = D.section_one(D.unit_hazards(world.org("commerce")), START, moment, departments_rows=True)
    return out["1.1"], out["1.3"]


def _board_total(world, moment):
    items = {i["code"]: i for i in board(world.district, moment)}
    return items[world.townships[0].code]["total"]


def test_merge_that_raises_the_grade_writes_a_regraded_event_with_from_and_to(world):
    """安全生产法 art. 118 ¶2 / issue 16: every grade change is an event carrying from/to grade."""
    h, m = _scenario(world)
    assert h.grade == "major"
    ev = Event.objects.get(object_type="hazards.hazard", object_id=h.pk, verb="hazard.regraded")
    assert ev.data["grade_from"] == "general" and ev.data["grade"] == "major" and ev.data["merged"] == m.pk
    assert ev.created_at == datetime.datetime(2026, 3, 12, 9, tzinfo=TZ)


def test_merge_into_a_major_hazard_writes_no_regraded_event(world):
    """No change of grade, no grade event (the trail holds changes only)."""
    with at(3, 2):
        a = _register(world, "enterprise", "major")
        b = _register(world, "enterprise", "major")
    with at(3, 3):
        hs.merge(world.user("commerce"), b, into=a, reason="同一隐患")
    assert not Event.objects.filter(verb="hazard.regraded").exists()


def test_grade_at_an_instant_follows_the_trail(world):
    """Issue 16 item 1: as of t0 the raised hazard counts as 一般, as of t2 as 重大."""
    h, _ = _scenario(world)
    assert asof.state_of(h, T0)["grade"] == "general"
    assert asof.state_of(h, T1)["grade"] == "general"
    assert asof.state_of(h, T2)["grade"] == "major"


def test_dispatch_section_one_counts_the_grade_in_force_at_the_cut_off(world):
    """DISPATCH_TABLE.md section 一 counts 重大事故隐患 only: H enters 1.1 when it became 重大."""
    _scenario(world)
    assert _section_one(world, T0) == (0, 0)
    assert _section_one(world, T1) == (0, 1)
    assert _section_one(world, T2) == (1, 0)


def test_board_counts_the_grade_in_force_at_its_date(world):
    """The five-colour board counts open 重大 hazards (campaigns/board.py): by the grade then."""
    _scenario(world)
    assert _board_total(world, T0) == 0
    assert _board_total(world, T1) == 1
    assert _board_total(world, T2) == 1
    with at(3, 21):
        assert _board_total(world, None) == 1


def test_a_grade_changed_without_a_trail_counts_with_todays_grade(world):
    """Documented fallback (hazards/asof.py): a grade changed before the trail existed (no
    ``hazard.regraded`` event) counts with today's grade at every instant, as before."""
    with at(3, 2):
        h = _register(world, "enterprise", "general")
    Hazard.objects.filter(pk=h.pk).update(grade="major", basis_reason="可能导致群死群伤")  # a legacy change
    assert asof.state_of(h, T0)["grade"] == "major"
    assert _section_one(world, T0) == (1, 0)


def test_the_import_path_records_the_first_grade_like_registration(world):
    """hazards.services.register_many (xlsx import) writes the same ``hazard.registered`` event with
    the grade, so an imported hazard has its grade trail from its first instant."""
    from django.db import transaction

    with at(3, 2):
        h = hs.build_hazard(world.user("enterprise"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                            description="安全出口锁闭", grade="major", basis_reason="可能导致群死群伤",
                            deadline=datetime.date(2026, 6, 30))
        with transaction.atomic():
            hs.register_many(world.user("enterprise"), [(h, "import:1", None)])
    ev = Event.objects.get(object_type="hazards.hazard", object_id=h.pk, verb="hazard.registered")
    assert ev.data["grade"] == "major"
    assert asof.state_of(h, T0)["grade"] == "major"


def test_a_hazard_lowered_from_major_counts_as_major_before_its_grade_change(world):
    """The grade trail works both ways (hazards/asof.py ``_grade``): a hazard 重大 until 03-12 and
    一般 since (a grade change recorded in its trail) counts on the board as of 03-05, not as of
    03-20 — although it is 一般 today (``may_have_been_major_q`` keeps it for its grade change)."""
    from core.events import record

    with at(3, 2):
        h = _register(world, "enterprise", "major")
    with at(3, 12):
        Hazard.objects.filter(pk=h.pk).update(grade="general")
        record(world.user("commerce"), "hazard.regraded", h, data={"grade_from": "major", "grade": "general"})
    assert _board_total(world, T0) == 1
    assert _board_total(world, T2) == 0
