import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from core.models import Event, SecurityLog
from core.services import NotPermitted, ServiceError
from hazards.models import Hazard, HazardSource
from tips import dispatch, services
from tips.alerts import send_alerts
from tips.models import RewardPolicy, Tip
from tips.routing import route

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- routing

def test_routing_by_sector_and_region(world, sectors):
    t0 = world.townships[0]
    assert route(t0, sectors["commerce"]) == world.org("commerce")
    assert route(t0, sectors["construction"]) == world.org("housing")
    # 冶金 has no lead department of its own: its parent 工贸 is led by 应急管理局
    assert route(t0, sectors["metallurgy"]) == world.org("emergency")
    # no department leads 新兴行业领域: the comprehensive department
    assert route(t0, sectors["emerging"]) == world.org("emergency")
    # another district: only an emergency department exists there
    assert route(world.ent_other_region.region, sectors["commerce"]) == world.org("other_emergency")


def test_routing_falls_back_to_committee_without_comprehensive_department(world, sectors):
    from accounts.models import Organisation

    Organisation.objects.filter(department_type__comprehensive=True, region=world.district).update(is_active=False)
    assert route(world.townships[0], sectors["emerging"]) == world.org("committee")


def test_transfer_to_external_unit_is_shown_to_reporter(world, submit):
    tip, code = submit()
    services.transfer(world.user("commerce"), tip, unit="河北区城市管理委员会", reason="燃气管道不属商务部门职责")
    found = services.find_by_code(code)
    assert found.status == Tip.Status.TRANSFERRED and found.transfer_unit == "河北区城市管理委员会"
    with pytest.raises(ServiceError) as e:
        services.transfer(world.user("commerce"), submit()[0], unit="", reason="x")
    assert e.value.field == "unit"


def test_transfer_inside_platform_reassigns(world, submit):
    tip, _ = submit()
    services.transfer(world.user("commerce"), tip, reason="属建筑施工", to_org=world.org("housing"))
    tip.refresh_from_db()
    assert tip.assigned_org == world.org("housing") and tip.status == Tip.Status.SUBMITTED
    assert tip.transfer_unit == "河北区住房和建设委员会"


def test_committee_reassigns_others_may_not(world, submit):
    tip, _ = submit()
    with pytest.raises(NotPermitted):
        services.reassign(world.user("emergency"), tip, to_org=world.org("housing"), reason="x")
    services.reassign(world.user("committee"), tip, to_org=world.org("housing"), reason="建筑工地")
    tip.refresh_from_db()
    assert tip.assigned_org == world.org("housing")
    with pytest.raises(NotPermitted):
        services.accept(world.user("commerce"), tip)


# ---------------------------------------------------------------- submission and identity

def test_identity_is_encrypted_at_rest(world, submit):
    tip, code = submit(anonymous=False, name="王小明", phone="13912345678", contact="wx:wangxm")
    with connection.cursor() as cur:
        cur.execute("SELECT reporter_name_enc, reporter_phone_enc, reporter_contact_enc, tracking_hash, tracking_prefix "
                    "FROM tips_tip WHERE id = %s", [tip.pk])
        row = cur.fetchone()
    raw = " ".join(str(x) for x in row)
    for secret in ("王小明", "13912345678", "wangxm", code, code.replace("-", "")):
        assert secret not in raw
    assert len(row[4]) == 4


def test_anonymous_tip_stores_no_identity(world, submit):
    tip, _ = submit(anonymous=True, name="王小明", phone="13912345678")
    assert not tip.has_identity


def test_internal_whistleblower_needs_real_name_and_phone(world, submit):
    with pytest.raises(ServiceError) as e:
        submit(internal_whistleblower=True)
    assert e.value.field == "name"
    with pytest.raises(ServiceError) as e:
        submit(internal_whistleblower=True, name="李四")
    assert e.value.field == "phone"
    with pytest.raises(ServiceError) as e:
        submit(internal_whistleblower=True, name="李四", phone="12345")
    assert e.value.field == "phone"
    tip, _ = submit(internal_whistleblower=True, name="李四", phone="13800001111", anonymous=True)
    assert not tip.anonymous and tip.internal_whistleblower


def test_bad_fields_name_the_field(world, submit, sectors):
    cases = [({"content": "太短"}, "content"), ({"content": ""}, "content"),
             ({"longitude": Decimal("2.3"), "latitude": Decimal("48.8")}, "longitude")]
    for kw, field in cases:
        with pytest.raises(ServiceError) as e:
            submit(**kw)
        assert e.value.field == field
    with pytest.raises(ServiceError) as e:
        services.submit_tip(None, region=world.district, sector=sectors["commerce"], address="x", content="一二三四五六七八九十")
    assert e.value.field == "region"
    with pytest.raises(ServiceError) as e:
        services.submit_tip(None, region=world.townships[0], sector=sectors["commerce"], address="x",
                            content="一二三四五六七八九十", enterprise=world.ent_commerce2)
    assert e.value.field == "enterprise"
    with pytest.raises(ServiceError) as e:
        services.submit_tip(None, region=world.townships[0], sector=sectors["commerce"], address="x",
                            content="一二三四五六七八九十")
    assert e.value.field == "enterprise_name"


def test_rate_limit_counts_attempts_per_hashed_address(world, settings):
    settings.TIP_RATE_LIMIT_PER_HOUR = 2
    services.check_rate("submit", "10.0.0.1")
    services.check_rate("submit", "10.0.0.1")
    with pytest.raises(ServiceError, match="频繁"):
        services.check_rate("submit", "10.0.0.1")
    services.check_rate("submit", "10.0.0.2")
    services.check_rate("track", "10.0.0.1")
    from tips.models import TipAttempt

    assert not TipAttempt.objects.filter(ip_hash__contains="10.0.0.1").exists()


def test_hotline_entry_by_staff_only(world, sectors):
    kw = dict(region=world.townships[0], sector=sectors["commerce"], address="x", content="来电反映超市堵塞消防通道",
              enterprise_name="某超市", channel=Tip.Channel.HOTLINE)
    with pytest.raises(NotPermitted):
        services.submit_tip(world.user("enterprise"), **kw)
    tip, _ = services.submit_tip(world.user("committee"), **kw)
    assert tip.channel == "hotline" and tip.entered_by == world.user("committee")


# ---------------------------------------------------------------- lifecycle, hazard, reward

def run_to_verified(world, tip, **verify_kw):
    officer = world.user("commerce")
    services.accept(officer, tip)
    services.start_verification(officer, tip)
    return services.verify(officer, tip, result="true", note="现场核查属实", **verify_kw)


def test_full_lifecycle_registers_hazard_and_pays_reward(world, submit):
    tip, code = submit()
    tip = run_to_verified(world, tip, register={"description": "疏散通道堵塞", "grade": "general",
                                                 "deadline": timezone.localdate() + datetime.timedelta(days=10)})
    assert tip.hazard.channel == Hazard.Channel.TIP
    assert HazardSource.objects.filter(hazard=tip.hazard, channel="tip", reference="").exists()
    assert not HazardSource.objects.filter(reference__contains="tips.tip").exists()
    reward = services.decide_reward(world.user("commerce"), tip, policy=RewardPolicy.objects.get(code="ordinary"))
    assert reward.amount == Decimal("500.00") and "查询码" in reward.collect_note
    with pytest.raises(NotPermitted):
        services.approve_reward(world.user("commerce"), reward)  # officer, and the decider
    with pytest.raises(ServiceError):
        services.close(world.user("commerce"), tip)
    services.approve_reward(world.user("commerce_lead"), reward)
    services.pay_reward(world.user("commerce"), reward, paid_on=timezone.localdate(), method="现金")
    tip = services.close(world.user("commerce"), tip, feedback="已整改")
    assert tip.status == Tip.Status.CLOSED
    verbs = list(Event.objects.filter(object_type="tips.tip", object_id=tip.pk).values_list("verb", flat=True))
    assert verbs[:4] == ["tip.submitted", "tip.accept", "tip.start_verification", "tip.verify"]
    today = timezone.localdate()
    rows = dispatch.unit_rows(world.org("commerce"), today - datetime.timedelta(days=7), today)
    assert rows == {"4.5": Decimal("0.0500"), "4.5_anonymous": Decimal("0.0500")}
    assert dispatch.region_rows(world.district, today, today)["4.5"] == Decimal("0.0500")
    assert dispatch.unit_rows(world.org("housing"), today, today)["4.5"] == 0
    assert dispatch.region_rows(world.ent_other_region.region.parent, today, today)["4.5"] == 0


def test_verify_links_existing_hazard(world, submit):
    from hazards.services import register_hazard

    hazard = register_hazard(world.user("commerce"), enterprise=world.ent_commerce, sector=world.ent_commerce.sectors.first(),
                             description="已有隐患", grade="general")
    tip, _ = submit()
    tip = run_to_verified(world, tip, hazard=hazard)
    assert tip.hazard == hazard and hazard.sources.filter(channel="tip").exists()


def test_major_reward_percentage_floor_cap_and_whistleblower_topup(world, submit):
    major = RewardPolicy.objects.get(code="major")
    assert services.compute_amount(major, fine_amount=Decimal("10000")) == Decimal("3000.00")
    assert services.compute_amount(major, fine_amount=Decimal("100000")) == Decimal("15000.00")
    assert services.compute_amount(major, fine_amount=Decimal("9000000")) == Decimal("300000.00")
    assert services.compute_amount(major, fine_amount=Decimal("100000"), internal=True) == Decimal("18000.00")
    with pytest.raises(ServiceError) as e:
        services.compute_amount(major)
    assert e.value.field == "fine_amount"
    tip, _ = submit(internal_whistleblower=True, name="员工甲", phone="13800002222")
    tip = run_to_verified(world, tip)
    r1 = services.decide_reward(world.user("commerce"), tip, policy=major, fine_amount=Decimal("100000"))
    assert r1.amount == Decimal("18000.00")
    with pytest.raises(ServiceError) as e:
        services.decide_reward(world.user("commerce"), tip, policy=major, line="second", fine_amount=Decimal("1"))
    assert e.value.field == "beneficiary"
    r2 = services.decide_reward(world.user("commerce"), tip, policy=major, line="second", beneficiary="企业内部核查人员",
                                fine_amount=Decimal("100000"))
    assert r2.amount == Decimal("15000.00") and tip.rewards.count() == 2


def test_unfounded_tip_cannot_be_rewarded(world, submit):
    tip, _ = submit()
    officer = world.user("commerce")
    services.accept(officer, tip)
    services.start_verification(officer, tip)
    tip = services.verify(officer, tip, result="unfounded", note="现场未发现")
    with pytest.raises(ServiceError):
        services.decide_reward(officer, tip, policy=RewardPolicy.objects.get(code="ordinary"))
    assert services.close(officer, tip).status == Tip.Status.CLOSED


def test_duplicate_is_linked_and_closed(world, submit):
    first, _ = submit()
    second, code = submit()
    services.mark_duplicate(world.user("commerce"), second, original=first)
    found = services.find_by_code(code)
    assert found.duplicate_of == first and found.status == Tip.Status.CLOSED


def test_reveal_identity_needs_permission_and_is_logged(world, submit):
    from django.contrib.auth.models import Permission

    tip, _ = submit(anonymous=False, name="王小明", phone="13912345678")
    officer = world.user("commerce")
    with pytest.raises(NotPermitted):
        services.reveal_identity(officer, tip)
    officer.user_permissions.add(Permission.objects.get(codename="reveal_identity"))
    officer = type(officer).objects.get(pk=officer.pk)
    assert services.reveal_identity(officer, tip)["name"] == "王小明"
    assert SecurityLog.objects.filter(kind="identity_reveal", user=officer).count() == 1
    assert Event.objects.filter(verb="tip.identity_revealed", object_id=tip.pk).exists()
    other = world.user("other_region")
    other.user_permissions.add(Permission.objects.get(codename="reveal_identity"))
    other = type(other).objects.get(pk=other.pk)
    with pytest.raises(NotPermitted):
        services.reveal_identity(other, tip)  # permission, but not in scope


def test_alerts_are_idempotent(world, submit):
    tip, _ = submit()
    Tip.objects.filter(pk=tip.pk).update(accept_deadline=timezone.localdate() - datetime.timedelta(days=1))
    first = send_alerts()
    assert first >= 1
    assert send_alerts() == 0


def test_scope_of_tips(world, submit):
    tip, _ = submit()
    visible = {p: Tip.objects.visible_to(world.user(p)).filter(pk=tip.pk).exists()
               for p in ("commerce", "committee", "province", "emergency", "housing", "township", "other_region",
                         "enterprise", "agency", "nobody")}
    assert visible == {"commerce": True, "committee": True, "province": True, "emergency": False, "housing": False,
                       "township": False, "other_region": False, "enterprise": False, "agency": False, "nobody": False}
