"""Alerts for the tip handling deadlines (issue 17, item 5) through the alert job path
(``alerts.tips`` → tips.alerts.send_handling_alerts): the day before, the day of and the day after
each deadline, once each (a second pass sends nothing).

Sources: RULES.md §1 — handling extendable by ≤ 30 days (the extended deadline), result told to
the reporter within 10 days of closing; 应急〔2023〕106号 复查 by the next level above the handling
unit (days R)."""

import datetime

import pytest
from django.utils import timezone

from core.models import Notification
from tips import handling, services
from tips.alerts import send_handling_alerts

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _accepted(world, submit):
    tip, _ = submit()
    return services.accept(world.user("commerce"), tip)


def _closed(world, submit):
    tip = _accepted(world, submit)
    services.start_verification(world.user("commerce"), tip)
    tip = services.verify(world.user("commerce"), tip, result="unfounded", note="现场未发现")
    return services.close(world.user("commerce"), tip, feedback="")


def _kinds(tip):
    return sorted(set(Notification.objects.filter(object_type="tips.tip", object_id=tip.pk, kind__in=[
        f"tip.{s}_{w}" for s in ("extension", "feedback", "review") for w in ("due_tomorrow", "due_today", "overdue")])
        .values_list("kind", flat=True)))


def _walk(tip, deadline, stage):
    """Two days before: nothing; the day before / of / after: one new alert each, then nothing."""
    assert send_handling_alerts(deadline - 2 * DAY) == 0
    expected = []
    for day, window in ((deadline - DAY, "due_tomorrow"), (deadline, "due_today"), (deadline + DAY, "overdue")):
        assert send_handling_alerts(day) > 0, window
        assert send_handling_alerts(day) == 0, window  # idempotent: the second pass sends nothing
        expected.append(f"tip.{stage}_{window}")
        assert _kinds(tip) == sorted(expected)
    assert send_handling_alerts(deadline + 2 * DAY) == 0  # overdue is told once


def test_extended_handling_deadline_alerts_day_before_of_and_after(world, submit, approve_extension):
    """RULES.md §1: the handling deadline after the (≤ 30-day) extension."""
    tip = _accepted(world, submit)
    tip = approve_extension(tip, 10)
    _walk(tip, tip.handle_deadline, "extension")
    recipients = set(Notification.objects.filter(object_id=tip.pk, kind__startswith="tip.extension").values_list(
        "recipient__membership__organisation_id", flat=True))
    assert recipients == {world.org("commerce").pk}


def test_feedback_deadline_alerts_until_the_feedback_is_given(world, submit):
    """RULES.md §1: feedback within 10 days of closing."""
    tip = _closed(world, submit)
    due = timezone.localtime(tip.closed_at).date() + datetime.timedelta(days=10)
    assert tip.feedback_due == due
    _walk(tip, due, "feedback")
    tip2 = _closed(world, submit)
    handling.give_feedback(world.user("commerce"), tip2, text="经核查，举报事项不属实。")
    assert send_handling_alerts(tip2.feedback_due) == 0  # fed back: nothing to remind


def test_review_deadline_alerts_go_to_the_review_body(world, submit):
    """应急〔2023〕106号: 复查 decided by the next level above the handling unit (天津市安委办 here);
    its deadline is reminded to that office."""
    tip = _closed(world, submit)
    tip = handling.give_feedback(world.user("commerce"), tip, text="经核查，举报事项不属实。")
    tip = handling.request_review(tip, reason="现场仍有堆放")
    _walk(tip, tip.review_due, "review")
    recipients = set(Notification.objects.filter(object_id=tip.pk, kind__startswith="tip.review").values_list(
        "recipient__membership__organisation_id", flat=True))
    assert recipients == {world.org("province_committee").pk}
