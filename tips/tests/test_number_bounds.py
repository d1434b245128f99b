"""Numbers beyond the database columns are refused on their field, never a 500: the fine is a
numeric(12, 2) column on the tip and the reward (PostgreSQL refused a fine of 10**15 with a DataError
— a 500 — where SQLite stores any size), and an id beyond bigint (被举报单位, 关联已有隐患, 原举报)
names nothing. Page and service; nothing is kept. Run on PostgreSQL too."""

import datetime
from decimal import Decimal

import pytest

from core.services import ServiceError
from core.testing import client_as
from tips import services
from tips.models import MAX_MONEY, Reward, RewardPolicy, Tip

pytestmark = pytest.mark.django_db
REG = dict(description="经核查，该单位疏散通道被占用", grade="major", basis_reason="人员密集场所",
           deadline=datetime.date(2030, 1, 31))
HUGE_MONEY = ("10000000000", "1" * 30, "1e15", "99999999999.99")
HUGE_IDS = (str(2**63), str(10**20), "9" * 30)
NOT_IDS = (*HUGE_IDS, "²", "٣")  # digits, but not ASCII ones


@pytest.fixture
def verifying(world, submit):
    tip, _ = submit(anonymous=False, name="张三", phone="13912345678")
    services.accept(world.user("commerce"), tip)
    return services.start_verification(world.user("commerce"), tip)


def test_the_verify_page_refuses_a_huge_fine_or_hazard_id(client, world, verifying):
    client_as(client, world, "commerce")
    for value in HUGE_MONEY:
        r = client.post(f"/tips/{verifying.pk}/verify/", {"result": "true", "note": "核查属实", "fine_amount": value})
        assert r.status_code == 400 and "fine_amount" in r.context["verify_form"].errors, (value, r.status_code)
    for value in HUGE_IDS:
        r = client.post(f"/tips/{verifying.pk}/verify/", {"result": "true", "note": "核查属实", "hazard": value})
        assert r.status_code == 404, (value, r.status_code)
    for value in ("²", "abc"):
        r = client.post(f"/tips/{verifying.pk}/verify/", {"result": "true", "note": "核查属实", "hazard": value})
        assert r.status_code == 400 and "hazard" in r.context["verify_form"].errors, (value, r.status_code)
    verifying.refresh_from_db()
    assert verifying.status == "verifying" and verifying.fine_amount is None


@pytest.mark.parametrize("value", [Decimal("1e15"), Decimal("10000000000"), "1" * 30, Decimal("Infinity"), "abc",
                                   Decimal("-1")])
def test_the_verify_service_refuses_a_fine_beyond_the_column(world, verifying, value):
    with pytest.raises(ServiceError) as exc:
        services.verify(world.user("commerce"), verifying, result="true", note="现场核查属实", register=dict(REG),
                        fine_amount=value)
    assert exc.value.field == "fine_amount"
    verifying.refresh_from_db()
    assert verifying.status == "verifying" and verifying.fine_amount is None and verifying.hazard_id is None


def test_the_verify_service_keeps_the_largest_fine(world, verifying):
    tip = services.verify(world.user("commerce"), verifying, result="true", note="现场核查属实", register=dict(REG),
                          fine_amount=MAX_MONEY)
    tip.refresh_from_db()
    assert tip.fine_amount == MAX_MONEY


def test_the_reward_page_and_service_refuse_a_huge_fine(client, world, verifying):
    tip = services.verify(world.user("commerce"), verifying, result="true", note="现场核查属实", register=dict(REG))
    major = RewardPolicy.objects.get(code="major")
    client_as(client, world, "commerce")
    for value in HUGE_MONEY:
        r = client.post(f"/tips/{tip.pk}/decide_reward/", {"line": "reporter", "policy": major.pk, "fine_amount": value})
        assert r.status_code == 400 and "fine_amount" in r.context["reward_form"].errors, (value, r.status_code)
    for value in (Decimal("1e15"), "1" * 30, MAX_MONEY + Decimal("0.01")):
        with pytest.raises(ServiceError) as exc:
            services.decide_reward(world.user("commerce"), tip, policy=major, fine_amount=value)
        assert exc.value.field == "fine_amount" and "罚款金额" in exc.value.message
    tip.refresh_from_db()
    assert tip.fine_amount is None and tip.status == "verified" and not Reward.objects.exists()


def test_a_reward_beyond_the_amount_column_is_refused(world, verifying):
    """A standard without a cap (最高金额 0) at 100 % of the largest fine, topped up for an internal
    whistle-blower, would exceed the amount column: refused, nothing kept."""
    tip = services.verify(world.user("commerce"), verifying, result="true", note="现场核查属实", register=dict(REG))
    Tip.objects.filter(pk=tip.pk).update(internal_whistleblower=True)
    tip.refresh_from_db()
    RewardPolicy.objects.filter(code="major").update(max_amount=0, percent=100, internal_topup_percent=20)
    with pytest.raises(ServiceError) as exc:
        services.decide_reward(world.user("commerce"), tip, policy=RewardPolicy.objects.get(code="major"),
                               fine_amount=MAX_MONEY)
    assert exc.value.field == "amount"
    tip.refresh_from_db()
    assert tip.fine_amount is None and not Reward.objects.exists()


def test_the_duplicate_page_refuses_a_huge_original_on_its_field(client, world, submit):
    tip, _ = submit()
    client_as(client, world, "commerce")
    for value in NOT_IDS:  # the picker shown again with the value looks nothing up (SQLite: OverflowError)
        r = client.post(f"/tips/{tip.pk}/mark_duplicate/", {"original": value})
        assert r.status_code == 400 and "original" in r.context["duplicate_form"].errors, (value, r.status_code)
    tip.refresh_from_db()
    assert tip.status == "submitted"


def test_the_public_form_refuses_a_huge_enterprise_id_on_its_field(client, world, settings):
    settings.TIPS_CAPTCHA_TEST_ANSWER = "7"
    ent = world.ent_commerce
    form = {"township": ent.region.code, "address": "示范路1号", "sector": ent.sectors.first().pk,
            "content": "仓库堆放货物堵塞疏散通道，安全出口上锁。", "anonymous": "on", "captcha": "7"}
    for value in HUGE_IDS:
        r = client.post("/public/tips/new/", {**form, "enterprise": value})
        assert r.status_code == 400 and "enterprise" in r.context["form"].errors, (value, r.status_code)
    assert not Tip.objects.exists()
