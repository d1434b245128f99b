"""Reward amounts as RULES.md §1 words them (《安全生产领域举报奖励办法》, 2018): a major hazard
verified — 15 % of the fine, at least 3,000 元, at most 30 万元. Every expected amount is a hand count
from those figures."""

import datetime
from decimal import Decimal

import pytest

from core.models import Event
from core.services import ServiceError
from tips import services
from tips.models import RewardPolicy

pytestmark = pytest.mark.django_db
REG = dict(description="经核查，该单位疏散通道被占用", grade="major", basis_reason="人员密集场所",
           deadline=datetime.date(2030, 1, 31))


def _verified(world, tip, **kw):
    from tips.tests.test_services import run_to_verified

    return run_to_verified(world, tip, **kw)


def _major():
    return RewardPolicy.objects.get(code="major")


# ---------------------------------------------------------------- the base: the tip's recorded fine

def test_the_reward_is_15_percent_of_the_fine_recorded_at_verification_and_another_typed_fine_is_refused(world, submit):
    tip, _ = submit(anonymous=False, name="张三", phone="13912345678")
    tip = _verified(world, tip, register=dict(REG), fine_amount=Decimal("100000"))
    officer = world.user("commerce")
    with pytest.raises(ServiceError, match="100000.00元") as refused:
        services.decide_reward(officer, tip, policy=_major(), fine_amount=Decimal("2000000"))
    assert refused.value.field == "fine_amount"
    assert not tip.rewards.exists()
    reward = services.decide_reward(officer, tip, policy=_major())  # 100,000 × 15 % = 15,000
    assert reward.amount == Decimal("15000.00") and reward.fine_amount == Decimal("100000.00")
    # the same fine typed again is no conflict (一案双奖: the second line shares the base)
    second = services.decide_reward(officer, tip, policy=_major(), line="second", beneficiary="企业内部核查人员",
                                    fine_amount=Decimal("100000"))
    assert second.amount == Decimal("15000.00")


def test_a_fine_first_typed_at_the_reward_is_recorded_on_the_tip_once(world, submit):
    """The penalty may come after the verification: the first decision records it on the tip (in
    its event), and every later line uses that one figure."""
    tip, _ = submit(anonymous=False, name="张三", phone="13912345678")
    tip = _verified(world, tip, register=dict(REG))
    officer = world.user("commerce")
    reward = services.decide_reward(officer, tip, policy=_major(), fine_amount=Decimal("40000"))
    assert reward.amount == Decimal("6000.00")  # 40,000 × 15 %
    tip.refresh_from_db()
    assert tip.fine_amount == Decimal("40000.00")
    event = Event.objects.filter(verb="tip.reward_decided", object_id=tip.pk).get()
    assert event.data["fine_amount"] == "40000.00" and event.data["fine_recorded"] is True
    with pytest.raises(ServiceError) as refused:
        services.decide_reward(officer, tip, policy=_major(), line="second", beneficiary="企业内部核查人员",
                               fine_amount=Decimal("2000000"))
    assert refused.value.field == "fine_amount"


def test_the_reward_form_refuses_another_fine_with_the_reason_on_the_field(client, world, submit):
    tip, _ = submit(anonymous=False, name="张三", phone="13912345678")
    tip = _verified(world, tip, register=dict(REG), fine_amount=Decimal("100000"))
    client.force_login(world.user("commerce"))
    r = client.post(f"/tips/{tip.pk}/decide_reward/", {"line": "reporter", "policy": _major().pk, "fine_amount": "2000000"})
    assert r.status_code == 400
    assert "与之不符" in " ".join(r.context["reward_form"].errors["fine_amount"])
    assert not tip.rewards.exists()


# ---------------------------------------------------------------- the standard follows the hazard's grade

def test_a_verified_major_hazard_is_not_rewarded_by_the_ordinary_fixed_standard(world, submit):
    """RULES.md §1: a verified major hazard — 15 % of the fine, at least 3,000 元; the 一般 fixed
    500 元 standard is refused (field policy). A 10,000 元 fine: 1,500 → the floor 3,000."""
    tip, _ = submit(anonymous=False, name="张三", phone="13912345678")
    tip = _verified(world, tip, register=dict(REG), fine_amount=Decimal("10000"))
    assert tip.hazard.grade == "major"
    officer = world.user("commerce")
    with pytest.raises(ServiceError, match="重大事故隐患") as refused:
        services.decide_reward(officer, tip, policy=RewardPolicy.objects.get(code="ordinary"))
    assert refused.value.field == "policy"
    assert not tip.rewards.exists()
    assert services.decide_reward(officer, tip, policy=_major()).amount == Decimal("3000.00")


# ---------------------------------------------------------------- internal whistle-blower: top-up, then the cap

def test_the_internal_whistleblower_top_up_comes_before_the_30_wan_cap(world, submit):
    """RULES.md §1: at most 30 万元 (V); +20 % for an internal whistle-blower is local (P). Fine
    2,000,000: 15 % = 300,000, +20 % = 360,000, capped → 300,000.00."""
    tip, _ = submit(anonymous=False, internal_whistleblower=True, name="张三", phone="13912345678")
    tip = _verified(world, tip, register=dict(REG), fine_amount=Decimal("2000000"))
    reward = services.decide_reward(world.user("commerce"), tip, policy=_major())
    assert reward.amount == Decimal("300000.00")


@pytest.mark.parametrize("fine,expected", [
    ("1000000", "180000.00"),  # 150,000 × 1.2, under the cap
    ("1800000", "300000.00"),  # 270,000 × 1.2 = 324,000 → 300,000
    ("10000", "3600.00"),  # 1,500 → floor 3,000, × 1.2
])
def test_top_up_then_cap_by_hand(fine, expected):
    assert services.compute_amount(_major(), fine_amount=Decimal(fine), internal=True) == Decimal(expected)


def test_a_row_may_let_the_top_up_exceed_the_cap(world):
    """Rules are data: a jurisdiction's row that says so tops up above the cap (300,000 × 1.2)."""
    policy = _major()
    policy.topup_above_cap = True
    assert services.compute_amount(policy, fine_amount=Decimal("2000000"), internal=True) == Decimal("360000.00")
    assert services.compute_amount(policy, fine_amount=Decimal("2000000")) == Decimal("300000.00")


# ---------------------------------------------------------------- concealed accident: grade by the verified deaths

def _concealed_tip(world, submit):
    tip, _ = submit(anonymous=False, name="张三", phone="13912345678", content="该单位上月发生事故死亡5人，对外瞒报。")
    return _verified(world, tip)


def _concealed(grade):
    return RewardPolicy.objects.get(code=f"concealed_{grade}")


def test_five_deaths_are_not_rewarded_as_a_general_accident(world, submit):
    """国务院令第493号 art. 3 (DOMAIN.md §5.1): 3–9 deaths is at least 较大. 5 deaths under 一般
    (3 万/人) is refused; under 较大 5 × 4 万 = 200,000.00."""
    tip = _concealed_tip(world, submit)
    officer = world.user("commerce")
    with pytest.raises(ServiceError, match="较大事故") as refused:
        services.decide_reward(officer, tip, policy=_concealed("general"), deaths=5)
    assert refused.value.field == "policy"
    assert not tip.rewards.exists()
    assert services.decide_reward(officer, tip, policy=_concealed("larger"), deaths=5).amount == Decimal("200000.00")


@pytest.mark.parametrize("grade,deaths,expected", [
    ("general", 2, "60000.00"),  # 2 × 3 万: below 较大
    ("general", 3, None),  # "以上" includes the bound: 3 deaths is 较大
    ("larger", 9, "300000.00"),  # 9 × 4 万 = 36 万 → cap 30 万
    ("larger", 10, None),  # 10 deaths is 重大
    ("major", 29, "300000.00"),
    ("major", 30, None),  # 30 deaths is 特别重大
    ("especially", 30, "300000.00"),
    ("larger", 2, "80000.00"),  # a higher grade than the deaths give (injuries or loss may make it) is kept
])
def test_grade_against_deaths_at_the_bounds(world, submit, grade, deaths, expected):
    tip = _concealed_tip(world, submit)
    decide = lambda: services.decide_reward(world.user("commerce"), tip, policy=_concealed(grade), deaths=deaths)  # noqa: E731
    if expected is None:
        with pytest.raises(ServiceError) as refused:
            decide()
        assert refused.value.field == "policy"
    else:
        assert decide().amount == Decimal(expected)


def test_a_recorded_concealed_accident_gives_the_deaths_and_the_grade(world, submit):
    """The tip's accident record (accidents.services.record_concealed_from_tip) is the fact: 1 death,
    一般. Another typed death count or another grade is refused; without a count it is taken."""
    from django.utils import timezone

    from accidents import services as accident_services

    tip = _concealed_tip(world, submit)
    officer = world.user("commerce")
    week_ago = timezone.now() - datetime.timedelta(days=7)
    accident = accident_services.record_concealed_from_tip(officer, tip, place="仓库", deaths=1, summary="货物坠落致一人死亡",
                                                           accident_type="object_strike", occurred_at=week_ago,
                                                           learned_at=week_ago)
    assert accident.grade == "general"
    with pytest.raises(ServiceError) as refused:
        services.decide_reward(officer, tip, policy=_concealed("general"), deaths=5)
    assert refused.value.field == "deaths"
    with pytest.raises(ServiceError) as refused:
        services.decide_reward(officer, tip, policy=_concealed("larger"))
    assert refused.value.field == "policy"
    assert services.decide_reward(officer, tip, policy=_concealed("general")).amount == Decimal("30000.00")
