"""The closed loop through the services, with events and scope."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Sector
from core.models import Event
from core.services import NotPermitted, ServiceError, StaleState
from hazards import services
from hazards.models import Hazard

PLAN = dict(goal_tasks="消除隐患", measures="加装报警装置", funds_materials="5万元，已落实", responsible="设备部 张三",
            deadline=datetime.date(2030, 1, 31), safety_emergency="停用该区域，配备灭火器材，应急预案已修订")


def major(world, actor="enterprise", ent=None, **kw):
    ent = ent or world.ent_commerce
    return services.register_hazard(
        world.user(actor), enterprise=ent, sector=Sector.objects.get(code="commerce"), description="消防通道被占用，安全出口锁闭",
        grade="major", basis_reason="可能导致群死群伤", deadline=timezone.localdate() + datetime.timedelta(days=30), **kw)


def events(h):
    return list(Event.objects.filter(object_type="hazards.hazard", object_id=h.pk).values_list("verb", flat=True))


def test_full_loop_with_rejection(world):
    h = major(world)
    assert h.channel == "self_check" and h.status == "registered"
    h = services.report_hazard(world.user("enterprise"), h, department=world.org("commerce"))
    with pytest.raises(ServiceError, match="治理方案缺少"):
        services.submit_plan(world.user("enterprise"), h, plan={"goal_tasks": "x"})
    h = services.submit_plan(world.user("enterprise"), h, plan=PLAN)
    assert h.status == "rectifying" and h.leniency_marker()
    services.submit_completion(world.user("enterprise"), h, evidence_note="已清理通道，照片见附件")
    h.refresh_from_db()
    with pytest.raises(ServiceError, match="主管部门"):
        services.accept(world.user("enterprise_safety"), h)
    h = services.reject(world.user("commerce"), h, reason="出口仍上锁", next_steps="拆除门锁后重新提交")
    assert h.status == "rectifying"
    services.submit_completion(world.user("enterprise"), h, evidence_note="门锁已拆除")
    h.refresh_from_db()
    h = services.accept(world.user("commerce_lead"), h, mode="on_site", opinion="现场核查已整改")
    assert h.status == "closed" and h.closed_at
    assert events(h) == ["hazard.registered", "hazard.report", "hazard.submit_plan", "hazard.submit_completion",
                         "hazard.reject", "hazard.submit_completion", "hazard.accept"]


def test_acceptor_is_not_the_submitter(world):
    h = services.register_hazard(world.user("commerce"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                                 description="灭火器过期", grade="general")
    assert h.channel == "inspection"
    services.submit_plan(world.user("commerce"), h, deadline=timezone.localdate() + datetime.timedelta(days=7))
    services.submit_completion(world.user("enterprise"), h, evidence_note="已更换")
    h.refresh_from_db()
    with pytest.raises(ServiceError, match="提交人"):
        services.accept(world.user("enterprise"), h)
    assert services.accept(world.user("enterprise_safety"), h).status == "closed"


def test_out_of_scope_actors_are_refused(world):
    h = major(world)
    for persona in ("other_region", "housing", "enterprise_other", "nobody"):
        with pytest.raises(NotPermitted):
            services.void(world.user(persona), h, reason="x")


def test_stale_state_is_detected(world):
    h = major(world)
    stale = Hazard.objects.get(pk=h.pk)
    services.void(world.user("commerce"), h, reason="重复登记")
    with pytest.raises(StaleState):
        services.void(world.user("committee"), stale, reason="again")


def test_merge_keeps_sources_and_earliest_channel(world):
    first = services.register_hazard(world.user("commerce"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                                     description="电气线路私拉乱接", grade="general")
    second = services.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                                      description="电气线路乱接", grade="general")
    services.merge(world.user("commerce"), second, into=first, reason="同一隐患")
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == "merged" and second.merged_into == first
    assert first.sources.count() == 2 and first.channel == "inspection"
    assert Hazard.objects.counted().filter(pk=second.pk).count() == 0


def test_reopen_and_overdue(world):
    h = services.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                                 description="配电箱未上锁", grade="general", deadline=timezone.localdate())
    h = services.close_now(world.user("enterprise"), h, evidence_note="已上锁")
    h = services.reopen(world.user("commerce"), h, reason="复查发现再次未上锁")
    assert h.status == "rectifying" and h.reopen_count == 1 and h.closed_at is None
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert Hazard.objects.overdue(tomorrow).filter(pk=h.pk).exists()
    assert not Hazard.objects.overdue(timezone.localdate()).filter(pk=h.pk).exists()


def test_major_needs_basis_and_deadline(world):
    with pytest.raises(ServiceError) as exc:
        services.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                                 description="x", grade="major")
    assert exc.value.field == "basis_item"


def test_major_registration_alerts_principal_and_controller(world):
    from core.models import OutboxMessage

    h = major(world)
    addresses = set(OutboxMessage.objects.filter(object_id=h.pk, channel="sms").values_list("address", flat=True))
    assert addresses == {world.ent_commerce.principal_phone, world.ent_commerce.controller_phone}
