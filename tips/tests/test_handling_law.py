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
def test_extension_at_most_thirty_days(world, submit, approve_extension, extra, ok):
    """RULES.md §1: extendable by ≤ 30 days (29 / 30 allowed, 31 refused)."""
    tip = _accepted(world, submit)
    before = tip.handle_deadline
    if ok:
        tip = approve_extension(tip, extra)
        assert tip.handle_deadline == before + datetime.timedelta(days=extra)
    else:
        with pytest.raises(ServiceError, match="最多30日") as err:
            handling.request_extension(world.user("commerce"), tip, extra_days=extra, reason="需调取监控")
        assert err.value.field == "extra_days"


def test_extension_once_and_by_the_next_level(world, submit, next_level_leader):
    """RULES.md §1: one extension, "with the next level's approval" (上一级). The handling unit asks;
    its own leader may not approve; the next level's leader does."""
    tip = _accepted(world, submit)
    with pytest.raises(NotPermitted):
        handling.request_extension(world.user("housing"), tip, extra_days=10, reason="x")  # not the handling unit
    tip = handling.request_extension(world.user("commerce"), tip, extra_days=10, reason="需现场复核")
    assert tip.extension_approver == world.org("province_committee")
    assert tip.extended_days == 0 and tip.handle_deadline == Tip.objects.get(pk=tip.pk).handle_deadline
    for own in ("commerce_lead", "commerce", "committee_lead"):  # the unit's own leader; the same level's 安委办
        with pytest.raises(NotPermitted, match="上一级"):
            handling.decide_extension(world.user(own), tip, approve=True)
    before = tip.handle_deadline
    tip = handling.decide_extension(next_level_leader, tip, approve=True)
    assert tip.extended_days == 10 and tip.handle_deadline == before + datetime.timedelta(days=10)
    assert tip.extension_approved_by == next_level_leader
    with pytest.raises(ServiceError, match="已延期一次"):
        handling.request_extension(world.user("commerce"), tip, extra_days=5, reason="再延")


def test_refused_extension_keeps_the_deadline_and_needs_a_reason(world, submit, next_level_leader):
    tip = _accepted(world, submit)
    before = tip.handle_deadline
    tip = handling.request_extension(world.user("commerce"), tip, extra_days=10, reason="需现场复核")
    with pytest.raises(ServiceError) as err:
        handling.decide_extension(next_level_leader, tip, approve=False, note="")
    assert err.value.field == "note"
    tip = handling.decide_extension(next_level_leader, tip, approve=False, note="理由不充分，请按期办结")
    assert tip.handle_deadline == before and tip.extended_days == 0


def test_next_level_is_the_superior_department_of_the_same_line(world, submit):
    """Where the level above has a department of the handling unit's type (市商务局 above 区商务局), that
    department is the next level — not the 安委办 further up."""
    from accounts import services as acc
    from accounts.models import DepartmentType, Organisation
    from tips.routing import next_level_office

    city = world.district.parent
    assert next_level_office(world.org("commerce")) == world.org("province_committee")
    city_commerce = acc.ensure_organisation(None, kind=Organisation.Kind.DEPARTMENT, name="天津市商务局", region=city,
                                            department_type=DepartmentType.objects.get(code="commerce"))
    assert next_level_office(world.org("commerce")) == city_commerce
    assert next_level_office(world.org("committee")) == world.org("province_committee")
    assert next_level_office(world.org("township0")) == world.org("committee")  # its recorded 上级单位


def _closed(world, submit, feedback=""):
    tip = _accepted(world, submit)
    services.start_verification(world.user("commerce"), tip)
    tip = services.verify(world.user("commerce"), tip, result="unfounded", note="现场未发现")
    return services.close(world.user("commerce"), tip, feedback=feedback)


def test_feedback_due_ten_days_after_closing(world, submit):
    """RULES.md §1: the result is told to the reporter within 10 days of closing (办结 = the end of
    the handling = verification, docs/tips.md; tips/tests/test_feedback_from_verification.py has the
    verification and the tip's 已办结 on different days)."""
    tip = _closed(world, submit)
    assert tip.feedback_due == timezone.localtime(tip.verified_at).date() + datetime.timedelta(days=10)
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


def test_review_decided_by_the_next_level_not_the_handler(world, submit):
    """应急〔2023〕106号 复查 by another body than the one that handled the tip: the next level above
    the handling unit (天津市安委办 here), not the same level's 安委办 (tips/tests/test_review_body.py)."""
    tip = _closed(world, submit, feedback="不属实")
    with pytest.raises(ServiceError, match="办结并反馈"):
        handling.request_review(Tip.objects.get(pk=_accepted(world, submit).pk), reason="x")
    tip = handling.request_review(tip, reason="仍存在")
    with pytest.raises(NotPermitted):
        handling.decide_review(world.user("commerce"), tip, result="维持")
    tip = handling.decide_review(world.user("province"), tip, result="复查属实，转交重新核查")
    assert tip.review_decided_at is not None


def test_pages_for_extension_feedback_and_review(client, world, submit, next_level_leader):
    """The same rules through the pages: the handling unit asks for an extension, the next level's
    leader approves it, the handler gives feedback, the reporter asks for 复查 with the tracking
    code, the next level (天津市安委办) decides it."""
    tip, code = submit()
    services.accept(world.user("commerce"), tip)
    client.force_login(world.user("commerce"))
    assert client.post(f"/tips/{tip.pk}/extend/", {"extra_days": "31", "reason": "x"}).status_code == 400
    assert client.post(f"/tips/{tip.pk}/extend/", {"extra_days": "30", "reason": "需调取监控"}).status_code == 302
    assert Tip.objects.get(pk=tip.pk).extended_days == 0  # asked, not yet approved
    client.force_login(next_level_leader)
    assert client.post(f"/tips/{tip.pk}/decide_extension/", {"decision": "approve"}).status_code == 302
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
    client.force_login(world.user("province"))
    assert client.post(f"/tips/{tip.pk}/decide_review/", {"result": "维持原核查结论"}).status_code == 302
    assert Tip.objects.get(pk=tip.pk).review_result == "维持原核查结论"
