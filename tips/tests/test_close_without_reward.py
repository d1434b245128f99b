"""应奖尽奖、足额发放 (seed 002 item 24): a tip verified true that meets the reward condition
(RULES.md §1, 2018 办法 art. 6) is not closed without a reward unless the reason is recorded — kept on
the tip, in the closing event and shown on the page. Tips that found nothing, or do not meet the
condition, close as before."""

import datetime

import pytest

from core.models import Event
from core.services import ServiceError
from tips import services
from tips.models import Tip

pytestmark = pytest.mark.django_db
REG = dict(description="经核查，该单位疏散通道被占用", grade="general", deadline=datetime.date(2030, 1, 31))


def _verified(world, tip, **kw):
    from tips.tests.test_services import run_to_verified

    return run_to_verified(world, tip, **kw)


def test_a_rewardable_tip_is_not_closed_without_a_reward_or_a_reason(world, submit):
    tip, _ = submit(anonymous=False, name="张三", phone="13912345678")
    tip = _verified(world, tip, register=dict(REG))
    officer = world.user("commerce")
    with pytest.raises(ServiceError, match="应奖尽奖") as refused:
        services.close(officer, tip)
    assert refused.value.field == "no_reward_reason"
    with pytest.raises(ServiceError):
        services.close(officer, tip, no_reward_reason="   ")
    assert Tip.objects.get(pk=tip.pk).status == Tip.Status.VERIFIED
    tip = services.close(officer, tip, no_reward_reason="举报人书面表示放弃奖励")
    assert tip.status == Tip.Status.CLOSED and tip.no_reward_reason == "举报人书面表示放弃奖励"
    event = Event.objects.get(verb="tip.close", object_id=tip.pk)
    assert "举报人书面表示放弃奖励" in event.note and event.data["no_reward_reason"] == "举报人书面表示放弃奖励"


def test_a_tip_that_does_not_meet_the_reward_condition_closes_without_a_reason(world, submit):
    """Two reporters of one hazard: only the first accepted real-name one is rewarded (RULES.md §1);
    the second closes without a reason, and its event keeps why it was not rewardable."""
    first, _ = submit(anonymous=False, name="张三", phone="13912345678")
    second, _ = submit(anonymous=False, name="李四", phone="13912345679", content="鑫隆商贸仓库通道被货物堵死，安全出口锁着。")
    first = _verified(world, first, register=dict(REG))
    second = _verified(world, second, hazard=first.hazard)
    second = services.close(world.user("commerce"), second)
    assert second.status == Tip.Status.CLOSED and second.no_reward_reason == ""
    assert first.number in Event.objects.get(verb="tip.close", object_id=second.pk).data["reward_refusal"]


def test_an_unfounded_tip_closes_without_a_reason(world, submit):
    tip, _ = submit()
    officer = world.user("commerce")
    services.accept(officer, tip)
    services.start_verification(officer, tip)
    tip = services.verify(officer, tip, result="unfounded", note="现场未发现")
    assert services.close(officer, tip).status == Tip.Status.CLOSED


def test_the_page_and_the_api_ask_for_the_reason_and_the_page_shows_it(client, world, submit):
    tip, _ = submit(anonymous=False, name="张三", phone="13912345678")
    tip = _verified(world, tip, register=dict(REG))
    client.force_login(world.user("commerce"))
    r = client.post(f"/tips/{tip.pk}/close/", {"note": ""})
    assert r.status_code == 400 and "应奖尽奖" in " ".join(r.context["close_form"].errors["no_reward_reason"])
    r = client.post(f"/api/v1/tips/{tip.pk}/close/", {}, content_type="application/json")
    assert r.status_code == 400 and "no_reward_reason" in r.json()["errors"]
    assert client.post(f"/tips/{tip.pk}/close/", {"note": "", "no_reward_reason": "多次联系举报人未果"}).status_code == 302
    page = client.get(f"/tips/{tip.pk}/").content.decode()
    assert 'data-testid="no-reward-reason"' in page and "多次联系举报人未果" in page
