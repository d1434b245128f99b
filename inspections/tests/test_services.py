"""Plans, draws, records, signatures, findings in the ledger, spot-checks, visits."""

import pytest

from core.models import Event
from core.services import NotPermitted, ServiceError
from hazards.models import Hazard, HazardSource
from inspections import services
from inspections.models import Draw, InspectorProfile, Record, RecordItem

from .factories import record, today, with_finding


def plan(world, persona="emergency", **kw):
    return services.create_plan(world.user(persona), title="2026年度双随机检查", year=today().year, planned_count=5, **kw)


def test_plan_draw_reproducible_and_redraw_keeps_the_old_one(world):
    p = plan(world)
    d = services.make_draw(world.user("emergency"), p, count=3, per_enterprise=2)
    assert len(d.result) == 3
    assert services.replay(d) == d.result
    assert set(d.inspector_pool) == {world.user(x).pk for x in ("emergency", "emergency2", "emergency_lead")}
    with pytest.raises(ServiceError, match="负责人批准") as exc:
        services.make_draw(world.user("emergency"), p, count=3, reason="一名检查人员病假")
    assert exc.value.field == "reason"
    from inspections import redraw

    req = redraw.request_redraw(world.user("emergency"), p, count=3, reason="一名检查人员病假")
    d2 = redraw.approve_redraw(world.user("emergency_lead"), req)
    d.refresh_from_db()
    assert d.superseded and d.superseded_by == d2 and not d2.superseded
    assert Draw.objects.filter(plan=p).count() == 2


def test_draw_honours_home_township_and_declared_conflicts(world):
    ent = world.ent_commerce
    p = plan(world, townships=[ent.region])
    ins = [world.user(x) for x in ("emergency", "emergency2", "emergency_lead")]
    InspectorProfile.objects.create(user=ins[0], home_township=ent.region)
    services.declare_conflict(world.user("emergency"), inspector=ins[1], enterprise=ent, reason="亲属任职")
    with pytest.raises(ServiceError, match="回避"):
        services.make_draw(world.user("emergency"), p, count=len(services.plan_pool(p, world.user("emergency"))),
                           per_enterprise=2)
    d = services.make_draw(world.user("emergency"), p, count=1, per_enterprise=1)
    assert [ins[0].pk, ent.pk] in d.conflicts and [ins[1].pk, ent.pk] in d.conflicts
    for row in d.result:
        assert all([i, row["enterprise"]] not in d.conflicts for i in row["inspectors"])


def test_plan_needs_a_department(world):
    with pytest.raises(NotPermitted):
        plan(world, persona="township")
    with pytest.raises(NotPermitted):
        plan(world, persona="enterprise")


def test_signed_record_cannot_be_edited_and_finding_reaches_the_ledger(world):
    rec = record(world)
    assert rec.items.filter(standard_item__isnull=False).exists()
    item = with_finding(world, rec)
    services.answer_remaining(world.user("emergency"), rec)
    rec = services.sign(world.user("emergency"), rec)
    assert rec.status == Record.Status.LOCKED
    item.refresh_from_db()
    h = item.hazard
    # a 一般 finding does not cite the 判定标准 item of its line (an item is 重大 by definition)
    assert h.channel == Hazard.Channel.INSPECTION and h.basis_item_id is None
    assert h.grade == "general" and h.enterprise == world.ent_commerce
    assert HazardSource.objects.get(hazard=h).reference == f"inspections.record:{rec.pk}"
    with pytest.raises(ServiceError, match="锁定"):
        services.set_item(world.user("emergency"), rec.items.last(), result="conform")
    with pytest.raises(ServiceError, match="锁定"):
        services.update_record(world.user("emergency"), rec, summary="改")
    a = services.add_addendum(world.user("emergency"), rec, text="补正：检查地点为二号库房")
    assert a.author == world.user("emergency")
    assert "inspection.locked" in Event.objects.filter(object_id=rec.pk, object_type="inspections.record").values_list("verb", flat=True)


def test_two_inspectors_both_sign(world):
    rec = record(world, inspectors=("emergency", "emergency2"))
    services.add_finding(world.user("emergency"), rec, text="配电箱", note="配电箱无防护", grade="major",
                         deadline=today())
    services.answer_remaining(world.user("emergency"), rec)
    rec = services.sign(world.user("emergency"), rec)
    assert rec.status == Record.Status.DRAFT
    with pytest.raises(ServiceError, match="签名"):
        services.set_item(world.user("emergency2"), rec.items.first(), result="conform")
    with pytest.raises(NotPermitted):
        services.sign(world.user("emergency_lead"), rec)
    rec = services.sign(world.user("emergency2"), rec)
    assert rec.locked
    h = rec.items.get(hazard__isnull=False).hazard
    assert h.grade == "major" and h.basis_item is None and h.basis_reason


def test_record_validation(world):
    with pytest.raises(ServiceError) as exc:
        record(world, inspectors=())
    assert exc.value.field == "inspectors"
    with pytest.raises(ServiceError):
        record(world, inspectors=("commerce",))  # another department, not a joint inspection
    with pytest.raises(NotPermitted):
        record(world, persona="commerce", ent=world.ent_construction, inspectors=("commerce",))
    rec = record(world)
    with pytest.raises(ServiceError) as exc:
        services.set_item(world.user("emergency"), rec.items.first(), result=RecordItem.Result.HAZARD, note="", grade="general")
    assert exc.value.field == "note"
    with pytest.raises(ServiceError) as exc:
        services.set_item(world.user("emergency"), rec.items.first(), result=RecordItem.Result.HAZARD, note="x", grade="major")
    assert exc.value.field == "deadline"


def test_spot_check_answers(world):
    sc = services.record_spot_check(world.user("commerce"), enterprise=world.ent_commerce, checked_on=today(),
                                    answers={"2.2": True}, via_permit_records=True, no_agreement=True,
                                    notes={"2.2": "未见专题研究记录"})
    assert sc.q2_2 and sc.q2_6 and sc.q2_6_via_permit_records and sc.q2_7 and not sc.q2_9
    assert sc.notes == {"2.2": "未见专题研究记录"}
    with pytest.raises(ServiceError, match="未知"):
        services.record_spot_check(world.user("commerce"), enterprise=world.ent_commerce, checked_on=today(),
                                   answers={"3.1": True})


def test_visits(world):
    v = services.record_visit(world.user("emergency"), kind="help_township", visited_on=today(), content="指导",
                              township=world.townships[0])
    assert v.county_code == world.district.code
    with pytest.raises(ServiceError) as exc:
        services.record_visit(world.user("emergency"), kind="supervision", visited_on=today(), content="督导",
                              target_organisation=world.org("other_emergency"))
    assert exc.value.field == "target_organisation"
    services.record_visit(world.user("committee"), kind="supervision", visited_on=today(), content="督导",
                          target_organisation=world.org("township0"))
