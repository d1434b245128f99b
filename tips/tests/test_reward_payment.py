"""A reward is paid after it is approved: a payment dated before the approval is refused (field
paid_on). Otherwise it would land in a dispatch window (row 4.5) that closed before the reward
existed (DISPATCH_TABLE.md: every fact counted by the date it happened)."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone

from core.services import ServiceError
from tips import dispatch, services
from tips.models import Reward, RewardPolicy

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _approved(world, submit) -> Reward:
    from tips.tests.test_services import run_to_verified

    tip, _ = submit()
    tip = run_to_verified(world, tip, register={"description": "疏散通道堵塞", "grade": "general",
                                                 "deadline": timezone.localdate() + datetime.timedelta(days=10)})
    reward = services.decide_reward(world.user("commerce"), tip, policy=RewardPolicy.objects.get(code="ordinary"))
    return services.approve_reward(world.user("commerce_lead"), reward)


def test_a_payment_dated_before_the_approval_is_refused_and_stays_out_of_the_past_window(world, submit):
    reward = _approved(world, submit)
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    with pytest.raises(ServiceError, match=f"{today:%Y-%m-%d}") as refused:
        services.pay_reward(world.user("commerce"), reward, paid_on=yesterday, method="现金")
    assert refused.value.field == "paid_on"
    reward.refresh_from_db()
    assert reward.status == Reward.Status.APPROVED and reward.paid_on is None
    unit = world.org("commerce")
    assert dispatch.unit_rows(unit, yesterday - datetime.timedelta(days=7), yesterday)["4.5"] == 0
    services.pay_reward(world.user("commerce"), reward, paid_on=today, method="现金")
    assert dispatch.unit_rows(unit, today, today)["4.5"] == Decimal("0.0500")  # 500 元


def test_the_day_of_the_approval_is_the_first_payment_day(world, submit):
    """Approved 2026-05-10 09:00 Shanghai (01:00 UTC): 05-09 refused, 05-10 accepted."""
    reward = _approved(world, submit)
    Reward.objects.filter(pk=reward.pk).update(approved_at=datetime.datetime(2026, 5, 10, 9, 0, tzinfo=SHANGHAI))
    with pytest.raises(ServiceError, match="2026-05-10") as refused:
        services.pay_reward(world.user("commerce"), reward, paid_on=datetime.date(2026, 5, 9), method="现金")
    assert refused.value.field == "paid_on"
    paid = services.pay_reward(world.user("commerce"), reward, paid_on=datetime.date(2026, 5, 10), method="现金")
    assert paid.status == Reward.Status.PAID and paid.paid_on == datetime.date(2026, 5, 10)


def test_the_pay_form_shows_the_reason_on_the_date(client, world, submit):
    reward = _approved(world, submit)
    client.force_login(world.user("commerce"))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    r = client.post(f"/tips/{reward.tip_id}/rewards/{reward.pk}/pay/", {"paid_on": yesterday.isoformat(), "method": "现金"})
    assert r.status_code == 400
    assert "不能早于奖励审批日期" in " ".join(r.context["pay_form"].errors["paid_on"])
