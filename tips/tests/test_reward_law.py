"""Rewards as RULES.md §1 words them: several reporters of the same thing — the first accepted
real-name reporter is rewarded; the 重大 standard (15 %, at least 3,000 元) is not for a tip whose
verification found a 一般 hazard."""

import datetime

import pytest

from core.services import ServiceError
from tips import services
from tips.models import RewardPolicy

pytestmark = pytest.mark.django_db
REG = dict(description="经核查，该单位疏散通道被占用", grade="major", basis_reason="人员密集场所",
           deadline=datetime.date(2030, 1, 31))


def _verified(world, tip, **kw):
    from tips.tests.test_services import run_to_verified

    return run_to_verified(world, tip, **kw)


def test_of_two_real_name_reporters_of_one_hazard_only_the_first_accepted_is_rewarded(world, submit):
    first, _ = submit(anonymous=False, name="张三", phone="13912345678")
    second, _ = submit(anonymous=False, name="李四", phone="13912345679", content="鑫隆商贸仓库通道被货物堵死，安全出口锁着。")
    first = _verified(world, first, register=dict(REG))
    second = _verified(world, second, hazard=first.hazard)
    policy = RewardPolicy.objects.get(code="major")
    with pytest.raises(ServiceError, match=first.number):
        services.decide_reward(world.user("commerce"), second, policy=policy, fine_amount=100000)
    assert services.decide_reward(world.user("commerce"), first, policy=policy, fine_amount=100000).amount > 0


def test_a_real_name_reporter_goes_before_an_anonymous_one_accepted_earlier(world, submit):
    anonymous, _ = submit(anonymous=True, content="鑫隆商贸仓库通道被货物堵死，安全出口锁着。")
    named, _ = submit(anonymous=False, name="张三", phone="13912345678")
    anonymous = _verified(world, anonymous, register=dict(REG, grade="general"))  # the ordinary standard fits a 一般 hazard
    named = _verified(world, named, hazard=anonymous.hazard)
    policy = RewardPolicy.objects.get(code="ordinary")
    with pytest.raises(ServiceError, match="实名"):
        services.decide_reward(world.user("commerce"), anonymous, policy=policy)
    assert services.decide_reward(world.user("commerce"), named, policy=policy).amount > 0


def test_the_major_standard_is_refused_for_a_tip_that_found_a_general_hazard(world, submit):
    tip, _ = submit(anonymous=False, name="张三", phone="13912345678")
    tip = _verified(world, tip, register=dict(REG, grade="general"))
    with pytest.raises(ServiceError, match="一般隐患") as refused:
        services.decide_reward(world.user("commerce"), tip, policy=RewardPolicy.objects.get(code="major"), fine_amount=0)
    assert refused.value.field == "policy"
    assert services.decide_reward(world.user("commerce"), tip, policy=RewardPolicy.objects.get(code="ordinary")).amount > 0
