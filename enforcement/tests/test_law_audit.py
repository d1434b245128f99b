"""Enforcement as the law words it (seed 000 三(三)2(1)①; 安全生产法 arts. 65, 113; 行政处罚法 art. 29):
不予处罚 only for a hazard reported before the case and kept for one rectified since; 复产 only
after the case's hazard is eliminated, dated; no 结案 while a suspension is in force; one fine per party and
article; a suspension's deadline not before it; 移送 after investigation."""

import datetime

import pytest
from django.utils import timezone

from core.services import ServiceError
from enforcement import rules, services
from enforcement.tests.helpers import article, entity, major_hazard, notified_case, principal, suspension_article
from hazards import services as hz

pytestmark = pytest.mark.django_db


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_no_penalty_is_not_proposed_for_a_hazard_reported_only_after_the_case_was_filed(world):
    hazard = major_hazard(world, report=False, plan=True)
    case = notified_case(world, hazard=hazard)
    hz.report_hazard(world.user("enterprise"), hazard, department=world.org("commerce"))
    case.refresh_from_db()
    case.hazard.refresh_from_db()
    assert case.hazard.reported_at is not None
    assert not rules.leniency_proposed(case)


def test_no_penalty_stays_proposed_once_the_hazard_is_rectified_and_accepted(world):
    hazard = major_hazard(world)
    case = notified_case(world, hazard=hazard)
    assert rules.leniency_proposed(case)
    hz.submit_completion(world.user("enterprise"), hazard, evidence_note="已整改")
    hazard.refresh_from_db()
    hz.accept(world.user("commerce"), hazard, opinion="合格")
    case.hazard.refresh_from_db()
    assert case.hazard.status == "closed" and rules.leniency_proposed(case)


def test_resumption_waits_for_the_hazard_to_be_eliminated_and_carries_its_date(world):
    hazard = major_hazard(world)
    case = notified_case(world, hazard=hazard, filed=-10)
    services.order_suspension(world.user("commerce"), case, article=suspension_article(), reason="重大隐患未消除",
                              decided_on=_day(-5))
    case = services.advance(world.user("commerce"), case, "decide")
    with pytest.raises(ServiceError, match="尚未验收销号"):
        services.resume(world.user("commerce"), case, reason="同意复产")
    hz.submit_completion(world.user("enterprise"), hazard, evidence_note="已整改")
    hazard.refresh_from_db()
    hz.accept(world.user("commerce"), hazard, opinion="合格")
    case.refresh_from_db()
    # the review follows the 销号 (closed today): not dated the day before
    with pytest.raises(ServiceError, match="不能早于事故隐患.*的销号日期"):
        services.resume(world.user("commerce"), case, reason="复查合格", decided_on=_day(-1))
    decision = services.resume(world.user("commerce"), case, reason="复查合格", decided_on=_day(0))
    assert decision.decided_on == _day(0)


def test_no_resumption_on_a_closed_case_without_a_suspension_in_force(world):
    """复产 lifts a suspension in force: a closed case whose suspension was lifted (or never ordered) gets none."""
    case = notified_case(world)
    services.order_suspension(world.user("commerce"), case, article=suspension_article(), reason="x", decided_on=_day(-5))
    case = services.advance(world.user("commerce"), case, "decide")
    services.resume(world.user("commerce"), case, reason="复查合格")
    case = services.advance(world.user("commerce"), case, "close")
    with pytest.raises(ServiceError, match="未在本案中被责令停产整顿"):
        services.resume(world.user("commerce"), case, reason="复查合格")


def test_one_party_is_not_fined_twice_under_one_article_in_one_case(world):
    case = notified_case(world)
    services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102), amount=1000)
    with pytest.raises(ServiceError, match="第二十九条"):
        services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102), amount=2000)
    services.decide_penalty(world.user("commerce"), case, party=principal(case), article=article(94), amount=20000)


def test_a_suspension_deadline_before_the_decision_is_refused(world):
    case = notified_case(world)
    with pytest.raises(ServiceError) as refused:
        services.order_suspension(world.user("commerce"), case, article=suspension_article(), reason="x", decided_on=_day(-1), correction_deadline=_day(-30))
    assert refused.value.field == "correction_deadline"


def test_transfer_to_the_judiciary_comes_after_investigation(world):
    case = services.open_case(world.user("commerce"), enterprise=world.ent_commerce, title="立案", facts="事实")
    with pytest.raises(ServiceError, match="调查取证之后"):
        services.transfer(world.user("commerce"), case, party=principal(case), reason="涉嫌危险作业罪", transfer_to="天津市公安局河北分局")
    case = services.advance(world.user("commerce"), case, "investigate")
    assert services.transfer(world.user("commerce"), case, party=principal(case), reason="涉嫌危险作业罪", transfer_to="天津市公安局河北分局").pk


def _past_deadline(hazard, days_ago):
    """The hazard's deadline moved ``days_ago`` days into the past (as if time had run on)."""
    type(hazard).objects.filter(pk=hazard.pk).update(deadline=_day(-days_ago))
    hazard.refresh_from_db()
    return hazard.deadline


def test_no_penalty_stays_proposed_while_a_completion_submitted_in_time_awaits_acceptance(world):
    """正在采取有效措施消除 (seed 000 三(三)2(1)①): a unit that sent its completion within the deadline has
    done its part; the department accepting it after the deadline does not make the unit late."""
    hazard = major_hazard(world)
    case = notified_case(world, hazard=hazard)
    hz.submit_completion(world.user("enterprise"), hazard, evidence_note="已整改")
    from hazards.models import Acceptance

    Acceptance.objects.filter(hazard=hazard).update(submitted_at=timezone.now() - datetime.timedelta(days=3))
    _past_deadline(hazard, 1)  # sent 3 days ago, the deadline was yesterday, still awaiting acceptance
    case.hazard.refresh_from_db()
    assert case.hazard.status == "pending_acceptance" and rules.leniency_proposed(case)
    hz.accept(world.user("commerce"), case.hazard, opinion="合格")  # accepted today, after the deadline
    case.hazard.refresh_from_db()
    assert case.hazard.status == "closed" and rules.leniency_proposed(case)


def test_no_penalty_is_not_proposed_when_the_completion_came_after_the_deadline(world):
    hazard = major_hazard(world)
    case = notified_case(world, hazard=hazard)
    _past_deadline(hazard, 1)
    case.hazard.refresh_from_db()
    assert not rules.leniency_proposed(case)  # overdue, nothing sent
    hz.submit_completion(world.user("enterprise"), case.hazard, evidence_note="已整改")  # sent today: late
    case.hazard.refresh_from_db()
    assert not rules.leniency_proposed(case)
    hz.accept(world.user("commerce"), case.hazard, opinion="合格")
    case.hazard.refresh_from_db()
    assert not rules.leniency_proposed(case)


def test_a_case_is_not_closed_while_its_suspension_is_in_force(world):
    """安全生产法 art. 65(一)(三) "重大事故隐患排除后，经审查同意，方可恢复生产经营": the suspension ends with the
    复产 after review (offered while the case decides and executes) or with its revocation; a case closed
    before would leave the unit suspended with no 复产 left to give."""
    hazard = major_hazard(world)
    case = notified_case(world, hazard=hazard, filed=-10)
    order = services.order_suspension(world.user("commerce"), case, article=suspension_article(), reason="重大隐患未消除",
                                      decided_on=_day(-5))
    case = services.advance(world.user("commerce"), case, "decide")
    with pytest.raises(ServiceError, match="责令停产停业整顿尚未解除，不能结案"):
        services.advance(world.user("commerce"), case, "close")
    case = services.advance(world.user("commerce"), case, "execute")
    with pytest.raises(ServiceError, match="责令停产停业整顿尚未解除，不能结案"):
        services.advance(world.user("commerce"), case, "close")
    case.refresh_from_db()
    assert case.stage == "executing"
    hz.submit_completion(world.user("enterprise"), hazard, evidence_note="已整改")
    hazard.refresh_from_db()
    hz.accept(world.user("commerce"), hazard, opinion="合格")
    services.resume(world.user("commerce"), case, reason="复查合格")
    assert services.advance(world.user("commerce"), case, "close").stage == "closed"
    # revoked instead: nothing in force either
    other = notified_case(world, filed=-10)
    services.order_suspension(world.user("commerce"), other, article=suspension_article(), reason="情节严重",
                              decided_on=_day(-5))
    other = services.advance(world.user("commerce"), other, "decide")
    services.revoke_decision(world.user("commerce"), other.decisions.get(kind="suspension"), reason="事实认定有误")
    assert order.kind == "suspension" and services.advance(world.user("commerce"), other, "close").stage == "closed"
