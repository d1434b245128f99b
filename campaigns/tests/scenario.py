"""A known set of hazards across two townships and two departments, placed in time with time_machine.

    A  鑫隆 (光复道, commerce)  self-check  03-02, closed 03-10
    B  海河之星 (望海楼, commerce) 商务局 inspection 03-03, open
    C  鑫隆 self-check 03-04, voided 03-05
    D  津建三 (construction) 住建委 inspection 03-04, merged into E 03-20
    E  津建三 self-check 03-18 (after the merge: channel inspection, first reported 03-04)
    F  鑫隆 self-check 03-06, closed 03-12, reopened 03-22
    G  鑫隆 general self-check 03-06 (never counted)
    J  鑫隆 self-check 03-08, voided 03-20
    K  河东区 enterprise, other region (never counted here)
"""

import datetime
from zoneinfo import ZoneInfo

import time_machine

from accounts.models import Sector
from campaigns import services as cs
from hazards import services as hs

TZ = ZoneInfo("Asia/Shanghai")
AS_OF_1 = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=TZ)
AS_OF_2 = datetime.datetime(2026, 3, 25, 12, 0, tzinfo=TZ)
PLAN = dict(goal_tasks="消除隐患", measures="整改", funds_materials="已落实", responsible="设备部",
            deadline=datetime.date(2026, 6, 30), safety_emergency="应急预案")


def at(month, day, hour=9):
    return time_machine.travel(datetime.datetime(2026, month, day, hour, 0, tzinfo=TZ), tick=False)


def _major(world, persona, ent, sector_code, grade="major"):
    return hs.register_hazard(world.user(persona), enterprise=ent, sector=Sector.objects.get(code=sector_code),
                              description="安全出口锁闭", grade=grade, basis_reason="可能导致群死群伤",
                              deadline=datetime.date(2026, 6, 30), notify_people=False)


def _close(world, h, month, day):
    with at(month, day, 8):
        h = hs.submit_plan(world.user("enterprise"), h, plan=PLAN)
        hs.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
        h.refresh_from_db()
        return hs.accept(world.user("commerce_lead"), h, opinion="验收通过")


def build(world) -> dict:
    with at(1, 1):
        campaign = cs.create_campaign(None, name="治本攻坚", issuer=world.org("committee"), region=world.district,
                                      start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31),
                                      targets={"2026": {"rectification_rate": 90}})
    h = {}
    with at(3, 2):
        h["A"] = _major(world, "enterprise", world.ent_commerce, "commerce")
    with at(3, 3):
        h["B"] = _major(world, "commerce", world.ent_commerce2, "commerce")
    with at(3, 4):
        h["C"] = _major(world, "enterprise", world.ent_commerce, "commerce")
        h["D"] = _major(world, "housing", world.ent_construction, "construction")
    with at(3, 5):
        hs.void(world.user("commerce"), h["C"], reason="误报")
    with at(3, 6):
        h["F"] = _major(world, "enterprise", world.ent_commerce, "commerce")
        h["G"] = _major(world, "enterprise", world.ent_commerce, "commerce", grade="general")
    with at(3, 8):
        h["J"] = _major(world, "enterprise", world.ent_commerce, "commerce")
    h["A"] = _close(world, h["A"], 3, 10)
    with at(3, 10):
        cs.record_activity(world.user("commerce"), unit=world.org("commerce"), kind="study", date=datetime.date(2026, 3, 10))
        cs.record_activity(world.user("township"), unit=world.org("township0"), kind="preach", date=datetime.date(2026, 3, 9))
    h["F"] = _close(world, h["F"], 3, 12)
    with at(3, 18):
        h["E"] = _major(world, "enterprise_other", world.ent_construction, "construction")
    with at(3, 20):
        hs.merge(world.user("housing"), h["D"], into=h["E"], reason="同一隐患")
        hs.void(world.user("commerce"), h["J"], reason="误报")
    with at(3, 22):
        hs.reopen(world.user("enterprise"), h["F"], reason="再次发现")
    with at(3, 22):
        cs.record_activity(world.user("commerce"), unit=world.org("commerce"), kind="study", date=datetime.date(2026, 3, 21))
    with at(3, 3):
        h["K"] = hs.register_hazard(world.user("other_region"), enterprise=world.ent_other_region,
                                    sector=Sector.objects.get(code="hazchem"), description="储罐泄漏", grade="major",
                                    basis_reason="重大", deadline=datetime.date(2026, 6, 30), notify_people=False)
    return {"campaign": campaign, "hazards": h}


# Expected section 一 per unit at the two cut-offs
EXPECTED = {
    "commerce": {AS_OF_1: {"1.1": 3, "1.2": 2, "1.3": 1, "1.4": 0}, AS_OF_2: {"1.1": 2, "1.2": 1, "1.3": 1, "1.4": 0}},
    "housing": {AS_OF_1: {"1.1": 0, "1.2": 0, "1.3": 1, "1.4": 0}, AS_OF_2: {"1.1": 0, "1.2": 0, "1.3": 1, "1.4": 0}},
    "township0": {AS_OF_1: {"1.1": 3, "1.2": 2}, AS_OF_2: {"1.1": 2, "1.2": 1}},
    "township1": {AS_OF_1: {"1.1": 0, "1.2": 0}, AS_OF_2: {"1.1": 0, "1.2": 0}},
    "region": {AS_OF_1: {"1.1": 3, "1.2": 2, "1.3": 2, "1.4": 0}, AS_OF_2: {"1.1": 2, "1.2": 1, "1.3": 2, "1.4": 0}},
}
