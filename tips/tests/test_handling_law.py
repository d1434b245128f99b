"""Handling time of a tip: ≤ 30-day extension, 10-day feedback, the reporter's 复查.

Sources: RULES.md §1 — handling within 60 days, extendable by ≤ 30 days, result told to the reporter
within 10 days of closing (P, 2012 rules); 应急〔2023〕106号: a reporter who disputes the finding may
ask for 复查 (V); the 30-day request window and 30-day review deadline are our defaults (R)."""

import datetime

import pytest
from django.utils import timezone

from core.services import NotPermitted, ServiceError
from tips import handling, services
from tips.models import Tip

pytestmark = pytest.mark.django_db


def _accepted(world, submit):
    tip, _ = submit()
    return services.accept(world.user("commerce"), tip)


@pytest.mark.parametrize("extra,ok", [(29, True), (30, True), (31, False)])
def test_extension_at_most_thirty_days(world, submit, extra, ok):
    """RULES.md §1: extendable by ≤ 30 days (29 / 30 allowed, 31 refused)."""
    tip = _accepted(world, submit)
    before = tip.handle_deadline
    if ok:
        tip = handling.extend_handling(world.user("commerce_lead"), tip, extra_days=extra, reason="需调取监控")
        assert tip.handle_deadline == before + datetime.timedelta(days=extra)
    else:
        with pytest.raises(ServiceError, match="最多30日") as err:
            handling.extend_handling(world.user("commerce_lead"), tip, extra_days=extra, reason="需调取监控")
        assert err.value.field == "extra_days"


def test_extension_once_and_by_a_leader(world, submit):
    """RULES.md §1: one extension, approved (our default: a leader of the handling unit)."""
    tip = _accepted(world, submit)
    with pytest.raises(NotPermitted):
        handling.extend_handling(world.user("commerce"), tip, extra_days=10, reason="x")
    tip = handling.extend_handling(world.user("commerce_lead"), tip, extra_days=10, reason="需现场复核")
    with pytest.raises(ServiceError, match="已延期一次"):
        handling.extend_handling(world.user("commerce_lead"), tip, extra_days=5, reason="再延")


def _closed(world, submit, feedback=""):
    tip = _accepted(world, submit)
    services.start_verification(world.user("commerce"), tip)
    tip = services.verify(world.user("commerce"), tip, result="unfounded", note="现场未发现")
    return services.close(world.user("commerce"), tip, feedback=feedback)


def test_feedback_due_ten_days_after_closing(world, submit):
    """RULES.md §1: the result is told to the reporter within 10 days of closing."""
    tip = _closed(world, submit)
    assert tip.feedback_due == timezone.localtime(tip.closed_at).date() + datetime.timedelta(days=10)
    assert tip.feedback_at is None
    tip = handling.give_feedback(world.user("commerce"), tip, text="经核查，举报事项不属实。")
    assert tip.feedback_at is not None


@pytest.mark.parametrize("offset,ok", [(29, True), (30, True), (31, False)])
def test_review_request_window(world, submit, offset, ok):
    """应急〔2023〕106号: the reporter may ask for 复查; window 30 days after the feedback (R)."""
    tip = _closed(world, submit, feedback="经核查不属实")
    fed = timezone.localtime(tip.feedback_at).date()
    today = fed + datetime.timedelta(days=offset)
    if ok:
        tip = handling.request_review(tip, reason="现场仍有货物堵塞", today=today)
        assert tip.review_due == today + datetime.timedelta(days=30)
    else:
        with pytest.raises(ServiceError, match="期限已过"):
            handling.request_review(tip, reason="现场仍有货物堵塞", today=today)


def test_review_decided_by_the_committee_not_the_handler(world, submit):
    """应急〔2023〕106号 复查 by another body than the one that handled the tip (our default: the 安委办)."""
    tip = _closed(world, submit, feedback="不属实")
    with pytest.raises(ServiceError, match="办结并反馈"):
        handling.request_review(Tip.objects.get(pk=_accepted(world, submit).pk), reason="x")
    tip = handling.request_review(tip, reason="仍存在")
    with pytest.raises(NotPermitted):
        handling.decide_review(world.user("commerce"), tip, result="维持")
    tip = handling.decide_review(world.user("committee"), tip, result="复查属实，转交重新核查")
    assert tip.review_decided_at is not None


def test_pages_for_extension_feedback_and_review(client, world, submit):
    """The same rules through the pages: a leader extends, the handler gives feedback, the reporter
    asks for 复查 with the tracking code, the 安委办 decides it."""
    tip, code = submit()
    services.accept(world.user("commerce"), tip)
    client.force_login(world.user("commerce_lead"))
    assert client.post(f"/tips/{tip.pk}/extend/", {"extra_days": "31", "reason": "x"}).status_code == 400
    assert client.post(f"/tips/{tip.pk}/extend/", {"extra_days": "30", "reason": "需调取监控"}).status_code == 302
    assert Tip.objects.get(pk=tip.pk).extended_days == 30
    client.force_login(world.user("commerce"))
    services.start_verification(world.user("commerce"), tip)
    services.verify(world.user("commerce"), Tip.objects.get(pk=tip.pk), result="unfounded", note="现场未发现")
    services.close(world.user("commerce"), Tip.objects.get(pk=tip.pk))
    assert client.post(f"/tips/{tip.pk}/feedback/", {"text": "经核查不属实"}).status_code == 302
    client.logout()
    page = client.post("/public/tips/track/", {"code": code}).content.decode()
    assert 'data-testid="review-form"' in page
    r = client.post("/public/tips/review/", {"code": code, "reason": "现场仍然堵塞"})
    assert r.status_code == 200 and 'data-testid="review-sent"' in r.content.decode()
    client.force_login(world.user("committee"))
    assert client.post(f"/tips/{tip.pk}/decide_review/", {"result": "维持原核查结论"}).status_code == 302
    assert Tip.objects.get(pk=tip.pk).review_result == "维持原核查结论"
