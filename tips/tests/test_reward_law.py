"""Reward rules of 《安全生产领域举报奖励办法》(安监总财〔2018〕19号), enforced in the service.

Sources: 办法 art. 6 (举报事项事先未被负有安全生产监督管理职责的部门掌握，或者虽被掌握但尚未采取措施;
verified) as summarised in RULES.md §1; RULES.md §1 concealed-accident reward per verified death
(3/4/5/6 万 by grade, cap 30 万); identity protection (downloads traceable)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Sector
from core.models import Event, SecurityLog
from core.services import ServiceError
from hazards import services as hz
from hazards.models import Hazard
from tips import services
from tips.models import RewardPolicy, Tip

pytestmark = pytest.mark.django_db

PLAN = dict(goal_tasks="消除隐患", measures="清理通道", funds_materials="1万元", responsible="行政部 张三",
            deadline=datetime.date(2030, 1, 31), safety_emergency="专人值守")


def _known_hazard(world, *, plan=True):
    h = hz.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                           description="疏散通道堆放货物", grade="major", basis_reason="人员密集场所",
                           deadline=timezone.localdate() + datetime.timedelta(days=30))
    if plan:
        h = hz.report_hazard(world.user("enterprise"), h, department=world.org("commerce"))
        h = hz.submit_plan(world.user("enterprise"), h, plan=PLAN)
    Hazard.objects.filter(pk=h.pk).update(first_reported_at=timezone.now() - datetime.timedelta(days=10))
    return Hazard.objects.get(pk=h.pk)


def _verified_about(world, submit, hazard):
    tip, _ = submit()
    services.accept(world.user("commerce"), tip)
    services.start_verification(world.user("commerce"), tip)
    return services.verify(world.user("commerce"), tip, result="true", note="属实", hazard=hazard)


def _plan_event_at(hazard, moment):
    """Back-date the plan event (test set-up only: events are legal records, see core.immutable)."""
    from core.immutable import maintenance

    with maintenance():
        Event.objects.filter(object_type="hazards.hazard", object_id=hazard.pk,
                             verb="hazard.submit_plan").update(created_at=moment)


@pytest.mark.parametrize("offset,refused", [(-1, True), (0, False), (1, False)])
def test_reward_refused_when_known_and_measures_taken_before_the_tip(world, submit, offset, refused):
    """办法 art. 6: known before the tip and measures (a plan) taken before it → no reward. The plan
    a day before the tip: refused; at the tip's instant or a day after: not "事先" → rewardable."""
    hazard = _known_hazard(world)
    tip = _verified_about(world, submit, hazard)
    _plan_event_at(hazard, tip.submitted_at + datetime.timedelta(days=offset))
    policy = RewardPolicy.objects.get(code="major")
    if refused:
        with pytest.raises(ServiceError, match="第六条") as err:
            services.decide_reward(world.user("commerce"), tip, policy=policy, fine_amount=100000)
        assert err.value.field == "policy" and "已采取措施" in err.value.message
    else:
        assert services.decide_reward(world.user("commerce"), tip, policy=policy, fine_amount=100000).amount == Decimal("15000.00")


def test_known_but_no_measures_is_rewardable(world, submit):
    """办法 art. 6: "虽被掌握但尚未采取措施" — a hazard in the ledger without a plan yet."""
    hazard = _known_hazard(world, plan=False)
    tip = _verified_about(world, submit, hazard)
    reward = services.decide_reward(world.user("commerce"), tip, policy=RewardPolicy.objects.get(code="ordinary"))
    assert reward.amount == Decimal("500.00")


def test_handler_sees_the_reason(client, world, submit):
    """The refusal reason is visible to the handler on the tip page (issue 17)."""
    hazard = _known_hazard(world)
    tip = _verified_about(world, submit, hazard)
    _plan_event_at(hazard, tip.submitted_at - datetime.timedelta(days=1))
    client.force_login(world.user("commerce"))
    page = client.get(f"/tips/{tip.pk}/").content.decode()
    assert 'data-testid="reward-refusal"' in page and "第六条" in page
    r = client.post(f"/tips/{tip.pk}/decide_reward/", {"line": "reporter", "policy": RewardPolicy.objects.get(code="major").pk,
                                                      "fine_amount": "100000"})
    assert r.status_code == 400 and "已采取措施" in r.content.decode()


@pytest.mark.parametrize("code,deaths,expected", [
    ("concealed_general", 1, "30000.00"), ("concealed_larger", 2, "80000.00"), ("concealed_major", 6, "300000.00"),
    ("concealed_especially", 5, "300000.00"), ("concealed_especially", 4, "240000.00"),
])
def test_concealed_accident_reward_per_death_with_cap(code, deaths, expected):
    """RULES.md §1: per verified death 3万 (一般) / 4万 (较大) / 5万 (重大) / 6万 (特别重大), cap 30万."""
    assert services.compute_amount(RewardPolicy.objects.get(code=code), deaths=deaths) == Decimal(expected)


def test_concealed_accident_reward_needs_deaths(world, submit):
    """RULES.md §1: the concealed-accident reward is counted per verified death."""
    tip, _ = submit(content="某单位发生事故死亡1人未上报")
    services.accept(world.user("commerce"), tip)
    services.start_verification(world.user("commerce"), tip)
    tip = services.verify(world.user("commerce"), tip, result="true", note="查实瞒报")
    policy = RewardPolicy.objects.get(code="concealed_general")
    with pytest.raises(ServiceError) as err:
        services.decide_reward(world.user("commerce"), tip, policy=policy)
    assert err.value.field == "deaths"
    assert services.decide_reward(world.user("commerce"), tip, policy=policy, deaths=1).amount == Decimal("30000.00")


def test_tip_file_download_is_in_the_security_log(client, world, submit):
    """RULES.md §1 (2013 opinion): access to report materials is traceable."""
    tip, _ = submit()
    from tips.models import TipAttachment

    att = TipAttachment.objects.create(tip=tip, file=SimpleUploadedFile("a.png", b"x"), kind="photo",
                                       content_type="image/png", size=1)
    client.force_login(world.user("commerce"))
    assert client.get(f"/tips/{tip.pk}/files/{att.pk}/").status_code == 200
    log = SecurityLog.objects.get(kind="download")
    assert log.user == world.user("commerce") and log.detail == {"tip": tip.pk, "attachment": att.pk}
    assert Tip.objects.get(pk=tip.pk)
