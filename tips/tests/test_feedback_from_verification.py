"""向举报人反馈 runs from 办结 = the end of the handling = verification (not the tip's ``closed`` state,
which only follows the approved and paid reward).

Sources: RULES.md §1 — "close within 60 days of acceptance …; tell the reporter the result within 10
days of closing" (2012 rules, "10日": calendar days); docs/tips.md "Closing of the case": the end of
the handling is the ``verify`` transition. Oracle: the verification day plus ``timedelta(days=10)``
(calendar days; no holiday can move it), worked in the test, not read from the code under test."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from core.models import Notification
from core.services import ServiceError
from core.testing import check_matrix
from tips import handling, services
from tips.alerts import send_handling_alerts
from tips.models import RewardPolicy, Tip

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
VERIFIED_ON = datetime.date(2025, 9, 26)  # a Friday before the National Day holiday
TEN_DAYS = datetime.timedelta(days=10)  # RULES.md §1 "within 10 days"


def at(day, hour=10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ), tick=False)


def _verified(world, submit, day=VERIFIED_ON, result="true", **kw):
    officer = world.user("commerce")
    with at(day - datetime.timedelta(days=6)):
        tip, _ = submit(anonymous=False, name="张三", phone="13800138000")
        services.accept(officer, tip)
        services.start_verification(officer, tip)
    with at(day):
        return services.verify(officer, tip, result=result, note="现场核查属实", fine_amount=10000, **kw)


def _feedback_kinds(tip):
    return set(Notification.objects.filter(object_type="tips.tip", object_id=tip.pk, kind__startswith="tip.feedback_")
               .values_list("kind", flat=True))


def test_feedback_due_ten_days_after_the_verification_day(world, submit):
    tip = _verified(world, submit)
    assert tip.status == Tip.Status.VERIFIED
    assert tip.feedback_due == VERIFIED_ON + TEN_DAYS == datetime.date(2025, 10, 6)
    assert tip.feedback_at is None


def test_closing_later_does_not_move_the_feedback_deadline(world, submit):
    """The reward takes weeks; the tip's 已办结 comes after it and must not restart the 10 days."""
    officer = world.user("commerce")
    tip = _verified(world, submit, result="unfounded")
    with at(VERIFIED_ON + datetime.timedelta(days=40)):
        tip = services.close(officer, tip)
    assert tip.feedback_due == VERIFIED_ON + TEN_DAYS


def test_feedback_given_while_the_reward_is_still_being_decided(world, submit):
    officer = world.user("commerce")
    tip = _verified(world, submit)
    with at(VERIFIED_ON + datetime.timedelta(days=2)):
        services.decide_reward(officer, tip, policy=RewardPolicy.objects.get(code="ordinary", version=1))
        tip.refresh_from_db()
        assert tip.status == Tip.Status.REWARD_DECIDED  # reward decided, not approved, not paid
        tip = handling.give_feedback(officer, tip, text="经核查，举报事项属实，已责令整改，奖励正在审批。")
    assert tip.status == Tip.Status.REWARD_DECIDED
    assert tip.feedback_at is not None and "属实" in tip.feedback
    from core.models import Event

    assert Event.objects.filter(verb="tip.feedback", object_id=tip.pk).latest("id").data["late"] is False


def test_feedback_in_the_verified_state_and_late_after_the_tenth_day(world, submit):
    officer = world.user("commerce")
    tip = _verified(world, submit)
    with at(VERIFIED_ON + TEN_DAYS + datetime.timedelta(days=1)):
        tip = handling.give_feedback(officer, tip, text="经核查，举报事项属实。")
    from core.models import Event

    assert tip.status == Tip.Status.VERIFIED
    assert Event.objects.filter(verb="tip.feedback", object_id=tip.pk).latest("id").data["late"] is True


def test_no_feedback_before_the_handling_ends(world, submit):
    tip, _ = submit()
    tip = services.accept(world.user("commerce"), tip)
    with pytest.raises(ServiceError, match="核查办结后") as err:
        handling.give_feedback(world.user("commerce"), tip, text="正在核查")
    assert err.value.field == "text"


def test_feedback_written_at_verification_is_the_feedback_and_closing_keeps_its_time(world, submit):
    """The verification's feedback is shown to the reporter on the tracking page at once."""
    officer = world.user("commerce")
    tip = _verified(world, submit, result="unfounded", feedback="经核查，举报事项不属实。")
    assert tip.feedback_at is not None
    assert timezone_date(tip.feedback_at) == VERIFIED_ON
    with at(VERIFIED_ON + datetime.timedelta(days=20)):
        tip = services.close(officer, tip)
    assert timezone_date(tip.feedback_at) == VERIFIED_ON and tip.feedback == "经核查，举报事项不属实。"


def timezone_date(dt):
    return dt.astimezone(TZ).date()


def test_alert_for_a_verified_tip_not_closed_without_feedback(world, submit):
    tip = _verified(world, submit)
    due = VERIFIED_ON + TEN_DAYS
    assert send_handling_alerts(due - datetime.timedelta(days=2)) == 0
    assert send_handling_alerts(due) > 0
    assert _feedback_kinds(tip) == {"tip.feedback_due_today"}
    recipients = set(Notification.objects.filter(object_id=tip.pk, kind__startswith="tip.feedback_").values_list(
        "recipient__membership__organisation_id", flat=True))
    assert recipients == {world.org("commerce").pk}
    handling.give_feedback(world.user("commerce"), tip, text="经核查，举报事项属实。")
    assert send_handling_alerts(due + datetime.timedelta(days=1)) == 0  # fed back: no overdue alert


def test_review_request_after_feedback_before_the_tip_is_closed(world, submit):
    """应急〔2023〕106号 复查 follows the feedback; the reward still pending does not block it."""
    officer = world.user("commerce")
    tip = _verified(world, submit)
    services.decide_reward(officer, tip, policy=RewardPolicy.objects.get(code="ordinary", version=1))
    tip = handling.give_feedback(officer, Tip.objects.get(pk=tip.pk), text="经核查，举报事项部分属实。")
    tip = handling.request_review(tip, reason="仍有通道堵塞未整改")
    assert tip.review_requested_at is not None and tip.status == Tip.Status.REWARD_DECIDED
    tip = handling.decide_review(world.user("province"), tip, result="维持原核查结论")  # the next level
    assert tip.review_decided_at is not None


def test_review_not_before_feedback(world, submit):
    tip = _verified(world, submit)
    with pytest.raises(ServiceError, match="反馈后"):
        handling.request_review(tip, reason="不服")


def test_feedback_page_action_permissions(client, world, submit):
    tip = _verified(world, submit, day=timezone.localdate())
    url = f"/tips/{tip.pk}/feedback/"
    check_matrix(client, world, url, {"anon": "login", "other_region": 404, "housing": 404, "enterprise": 403,
                                      "agency": 403, "nobody": 403}, method="post", data={"text": "x"})
    assert Tip.objects.get(pk=tip.pk).feedback_at is None
    client.force_login(world.user("commerce"))
    page = client.get(f"/tips/{tip.pk}/").content.decode()
    assert "反馈办理结果" in page  # offered to the handler of a verified tip
    assert client.post(url, {"text": "经核查属实，已责令整改。"}).status_code == 302
    assert Tip.objects.get(pk=tip.pk).feedback == "经核查属实，已责令整改。"


def test_feedback_api_permissions(client, world, submit):
    tip = _verified(world, submit, day=timezone.localdate())
    url = f"/api/v1/tips/{tip.pk}/feedback/"
    check_matrix(client, world, url, {"anon": (401, 403), "other_region": 404, "housing": 404,
                                      "enterprise": (403, 404), "agency": 403, "committee": 403},
                 method="post", data={"text": "x"}, content_type="application/json")
    assert Tip.objects.get(pk=tip.pk).feedback_at is None
    client.force_login(world.user("commerce"))
    r = client.post(url, {"text": ""}, content_type="application/json")
    assert r.status_code == 400 and "text" in r.json()["errors"]
    r = client.post(url, {"text": "经核查属实，已责令整改。"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["feedback_at"]


def test_a_verified_tip_from_before_the_change_gets_its_deadline_from_the_verification(world, submit):
    """Migration tips/0010: a verified, not closed tip without feedback_due gets verification + 10
    days; a closed tip keeps the date it stored."""
    import importlib

    from django.apps import apps

    tip = _verified(world, submit)
    closed = _verified(world, submit, result="unfounded")
    closed = services.close(world.user("commerce"), closed)
    stored = datetime.date(2025, 11, 30)
    Tip.objects.filter(pk=tip.pk).update(feedback_due=None)
    Tip.objects.filter(pk=closed.pk).update(feedback_due=stored)
    importlib.import_module("tips.migrations.0010_feedback_from_verification").forwards(apps, None)
    assert Tip.objects.get(pk=tip.pk).feedback_due == VERIFIED_ON + TEN_DAYS
    assert Tip.objects.get(pk=closed.pk).feedback_due == stored
