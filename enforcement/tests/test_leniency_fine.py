"""Seed 000 三(三)2(1)①: "对企业自查查出的重大事故隐患，已按规定报告并正在采取有效措施消除的，依法不予
行政处罚" (DOMAIN.md §5.3: self_reported & in_plan → exempt_from_penalty). While that holds for the
case's hazard, a fine on the unit is not taken as if nothing were proposed: the officer must say in
writing why the exemption does not apply, and that reason stays with the decision."""

import pytest

from core.events import events_for
from core.services import ServiceError
from enforcement import rules, services
from enforcement.models import Decision

from .helpers import article, entity, major_hazard, notified_case, order_to_correct, principal


def lenient_case(world):
    case = notified_case(world, hazard=major_hazard(world))  # self-found, 双报告, plan, rectifying
    assert rules.leniency_proposed(case)
    return case


def test_a_fine_on_the_unit_is_refused_while_the_exemption_is_proposed_and_no_reason_is_given(world):
    case = lenient_case(world)
    for reason in ("", "   "):
        with pytest.raises(ServiceError) as exc:
            services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102),
                                    amount=50000, reason=reason)
        assert exc.value.field == "reason" and "不予行政处罚" in exc.value.message
    assert not Decision.objects.filter(case=case).exists()


def test_with_a_written_reason_the_fine_is_taken_and_the_reason_is_in_its_event_and_on_the_page(client, world):
    case = lenient_case(world)
    why = "经核查，该隐患整改措施未落实，现场仍锁闭安全出口，不属于正在采取有效措施消除"
    d = services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102),
                                amount=50000, reason=why)
    assert (d.kind, d.amount, d.reason) == ("penalty", 50000, why)
    ev = [e for e in events_for(case) if e.verb == "case.penalty"]
    assert len(ev) == 1 and ev[0].data["leniency_set_aside"] == why and why in ev[0].note
    client.force_login(world.user("committee"))
    html = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert why in html[html.index('data-testid="timeline"'):]


def test_the_principals_own_failure_of_duty_is_another_act_and_needs_no_such_reason(world):
    """Art. 94 fines the principal for his own duties, not the unit for the hazard."""
    case = lenient_case(world)
    d = services.decide_penalty(world.user("commerce"), case, party=principal(case), article=article(94), amount=20000)
    assert d.kind == "penalty"


def _refused_order(world, case):
    """The unit's fine under art. 102 with its 责令立即消除 (today: the case about the hazard was filed
    today) — taken with the written reason — on which a 拒不执行 fine of the persons rests (art. 102's
    一案双罚)."""
    return order_to_correct(world, case, 102, ordered=0, deadline=None, reason="现场复查隐患未消除，整改措施未落实")


def test_a_fine_on_the_principal_under_a_double_penalty_clause_is_the_same_act_and_needs_the_reason(world):
    """Art. 102 拒不执行 fines the unit's 直接负责的主管人员 for the unit's act (一案双罚): the leniency
    for the act (seed 000 三(三)2(1)①) covers it as it covers the unit's fine."""
    case = lenient_case(world)
    _refused_order(world, case)
    for reason in ("", "   "):
        with pytest.raises(ServiceError) as exc:
            services.decide_penalty(world.user("commerce"), case, party=principal(case),
                                    article=article(102, "拒不执行"), amount=50000, reason=reason)
        assert exc.value.field == "reason" and "不予行政处罚" in exc.value.message and "一案双罚" in exc.value.message
    assert not Decision.objects.filter(case=case, party=principal(case)).exists()
    why = "经复查，主要负责人拒不组织消除隐患，不属于正在采取有效措施消除"
    d = services.decide_penalty(world.user("commerce"), case, party=principal(case), article=article(102, "拒不执行"),
                                amount=50000, reason=why)
    assert (d.party, d.amount, d.reason) == (principal(case), 50000, why)
    ev = events_for(case).filter(verb="case.penalty", data__decision=d.pk).get()
    assert ev.data["leniency_set_aside"] == why and why in ev.note


def test_the_same_double_penalty_fine_needs_no_reason_without_the_proposal(world):
    case = notified_case(world)
    _refused_order(world, case)
    d = services.decide_penalty(world.user("commerce"), case, party=principal(case), article=article(102, "拒不执行"),
                                amount=50000)
    assert d.kind == "penalty" and "leniency_set_aside" not in events_for(case).filter(data__decision=d.pk).get().data


def test_without_the_proposal_no_reason_is_asked(world):
    case = notified_case(world)
    d = services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102), amount=50000)
    assert d.kind == "penalty" and not events_for(case).filter(verb="case.penalty").first().note
