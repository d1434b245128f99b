"""A case is not closed while its 责令停产停业整顿 is in force. 安全生产法 第六十五条第一款第（三）项:
"重大事故隐患排除后，经审查同意，方可恢复生产经营" — the suspension ends with the 复产 after review (or with the
decision's revocation), which the case gives while it decides and executes; closing it first left the unit
suspended with no 复产 to give. A case closed so before this rule still gives its unit the 复产."""

import datetime

import pytest
from django.utils import timezone

from core.events import events_for
from enforcement import services
from enforcement import workflow as wf
from enforcement.models import Case
from enterprises.models import Enterprise

from .helpers import article, entity, notified_case, suspension_article

pytestmark = pytest.mark.django_db

WHY = "责令停产停业整顿尚未解除"


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _suspended(world, stage="execute"):
    case = notified_case(world, filed=-10)
    order = services.order_suspension(world.user("commerce"), case, article=suspension_article(), reason="情节严重",
                                      decided_on=_day(-5))
    case = services.advance(world.user("commerce"), case, "decide")
    if stage == "execute":
        case = services.advance(world.user("commerce"), case, "execute")
    return Case.objects.get(pk=case.pk), order


def _page(client, case):
    return client.get(f"/enforcement/cases/{case.pk}/").content.decode()


def test_a_suspension_in_force_blocks_only_the_closing():
    suspended = wf.Context(has_decision=True, has_note=True, suspension_in_force=True)
    assert wf.available_actions("decided", "handler", suspended) == ["execute"]
    assert wf.available_actions("executing", "handler", suspended) == []
    assert "advance" not in wf.available_forms("executing", "handler", suspended)
    assert "resume" in wf.available_forms("executing", "handler", suspended)


def test_the_resumption_form_is_offered_on_a_closed_case_only_while_its_suspension_is_in_force():
    lifted = wf.Context(has_decision=True, has_note=True)
    assert "resume" not in wf.available_forms("closed", "handler", lifted)
    assert "resume" in wf.available_forms("closed", "handler", wf.Context(has_decision=True, suspension_in_force=True))
    assert wf.available_forms("closed", "other", wf.Context(has_decision=True, suspension_in_force=True)) == []


@pytest.mark.parametrize("stage", ["decide", "execute"])
def test_the_service_refuses_to_close_and_records_nothing(world, stage):
    case, _ = _suspended(world, stage)
    before = case.stage
    with pytest.raises(services.ServiceError) as exc:
        services.advance(world.user("commerce"), case, "close", note="结案")
    assert exc.value.field == "action" and WHY in exc.value.message and "第六十五条" in exc.value.message
    case = Case.objects.get(pk=case.pk)
    assert (case.stage, case.closed_on) == (before, None)
    assert not events_for(case).filter(verb="case.close").exists()


def test_the_page_says_why_offers_no_closing_and_refuses_the_post(client, world):
    case, _ = _suspended(world)
    client.force_login(world.user("commerce"))
    page = _page(client, case)
    assert 'data-testid="suspension-in-force"' in page and 'data-testid="action-form-advance"' not in page
    assert 'data-testid="action-form-resume"' in page
    r = client.post(f"/enforcement/cases/{case.pk}/advance/", {"advance-stage_action": "close", "advance-note": ""})
    assert r.status_code == 400 and WHY in r.content.decode()
    assert Case.objects.get(pk=case.pk).stage == "executing"
    # after the review the unit resumes, and the case closes
    r = client.post(f"/enforcement/cases/{case.pk}/resume/", {"resume-reason": "复查合格"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Enterprise.objects.get(pk=case.enterprise_id).status == Enterprise.Status.OPERATING
    page = _page(client, case)
    assert 'data-testid="suspension-in-force"' not in page and 'data-testid="action-form-advance"' in page
    r = client.post(f"/enforcement/cases/{case.pk}/advance/", {"advance-stage_action": "close", "advance-note": ""})
    assert r.status_code == 302 and Case.objects.get(pk=case.pk).stage == "closed"
    assert 'data-testid="action-form-resume"' not in _page(client, case)


def test_the_enterprise_sees_no_notice_meant_for_the_handler(client, world):
    case, _ = _suspended(world)
    client.force_login(world.user("enterprise"))
    assert 'data-testid="suspension-in-force"' not in _page(client, case)


def test_a_revoked_suspension_does_not_hold_the_case(world):
    case, order = _suspended(world)
    services.revoke_decision(world.user("commerce"), order, reason="事实认定有误")
    assert services.advance(world.user("commerce"), Case.objects.get(pk=case.pk), "close").stage == "closed"


def test_a_case_closed_while_suspended_before_the_rule_still_gives_its_unit_the_resumption(client, world):
    case, order = _suspended(world)
    Case.objects.filter(pk=case.pk).update(stage="closed", closed_on=_day(-1))  # as the old code allowed
    case = Case.objects.get(pk=case.pk)
    assert Enterprise.objects.get(pk=case.enterprise_id).status == Enterprise.Status.SUSPENDED
    client.force_login(world.user("commerce"))
    page = _page(client, case)
    assert 'data-testid="action-form-resume"' in page and 'data-testid="suspension-in-force"' not in page
    back = services.resume(world.user("commerce"), case, reason="复查合格")
    assert back.lifts == order and services.suspension_in_force(case) is None
    assert Enterprise.objects.get(pk=case.enterprise_id).status == Enterprise.Status.OPERATING
    assert Case.objects.get(pk=case.pk).stage == "closed"
    assert 'data-testid="action-form-resume"' not in _page(client, case)


def test_a_decision_for_a_case_closed_meanwhile_is_refused_as_stale_and_not_added(world):
    """The decision writers re-read the case under the lock ``advance`` holds: a page opened before another
    handler closed the case does not add a suspension to the closed case (which could then never be closed
    over it)."""
    from core.services import StaleState
    from enforcement.models import Decision

    case = notified_case(world, filed=-10)
    services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102), amount=1000)
    stale = Case.objects.get(pk=case.pk)
    services.advance(world.user("commerce"), services.advance(world.user("commerce"), case, "decide"), "close")
    stale.stage = "decided"  # what the other page read before the closing
    with pytest.raises(StaleState):
        services.order_suspension(world.user("commerce"), stale, article=suspension_article(), reason="情节严重",
                                  decided_on=_day(-1))
    assert not Decision.objects.filter(case=case, kind="suspension").exists()
    assert not events_for(case).filter(verb="case.suspension").exists()
