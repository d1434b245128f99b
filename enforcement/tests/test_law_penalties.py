"""Penalties as the law words them (found by an audit of enforcement against the texts):

* 安全生产法 (2021) arts. 94, 97, 99, 101: "责令限期改正，处……罚款；逾期未改正的，处……" and art. 102
  "责令立即消除或者限期消除，处……罚款；拒不执行的，责令停产停业整顿，对其直接负责的主管人员和其他
  直接责任人员处五万元以上十万元以下的罚款" — the second fine presupposes the first order;
* 一案双罚 (DOMAIN.md §5.1): the persons are fined for the unit's act (arts. 97, 99, 101, 102); the
  principal is separately liable for his own duties (art. 94);
* 行政处罚法 art. 37: the law in force when the act occurred, unless the law at the decision is lighter.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core import ruletables
from core.events import events_for
from core.services import ServiceError
from enforcement import services
from enforcement.models import PenaltyArticle

from .helpers import PLAN, article, entity, notified_case, order_to_correct, principal

pytestmark = pytest.mark.django_db


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


# ---------------------------------------------------------------- 逾期未改正 / 拒不执行

def test_the_clauses_that_presuppose_a_correction_order_are_flagged_in_the_table():
    """The 2021 text: 逾期未改正 in arts. 94, 97, 99, 101 (the catalogue's 逾期 rows), 拒不执行 in
    art. 102 — each after the order of the clause's first sentence. No other row."""
    flagged = {(a.article, a.item): (a.prior_order, (a.order_article.article, a.order_article.item))
               for a in PenaltyArticle.objects.exclude(prior_order="").select_related("order_article")}
    assert flagged == {
        (94, "逾期"): ("overdue", (94, "")),
        (97, "(五)逾期"): ("overdue", (97, "(五)")),
        (99, "(四)逾期"): ("overdue", (99, "(四)")),
        (101, "(四)逾期"): ("overdue", (101, "(四)")),
        (101, "(五)逾期"): ("overdue", (101, "(五)")),
        (102, "拒不执行"): ("refused", (102, "")),
    }


def test_overdue_fine_refused_without_an_earlier_correction_order(world):
    """Art. 101: 逾期未改正 cannot be found when no 责令限期改正 was made in the case; the refusal names
    the missing order (under art. 101(五)); an order under another clause (102) is not that order."""
    case = notified_case(world)
    with pytest.raises(ServiceError) as err:
        services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(101, "(五)逾期"),
                                amount=150000)
    assert err.value.field == "article"
    assert "责令限期改正" in err.value.message and "第101条(五)" in err.value.message
    order_to_correct(world, case, 102)  # a correction order, but for another act
    with pytest.raises(ServiceError, match="责令限期改正"):
        services.decide_penalty(world.user("commerce"), case, party=principal(case), article=article(101, "(五)逾期"),
                                amount=30000)


@pytest.mark.parametrize("decided,ok", [(-3, False), (-2, False), (-1, True)])
def test_overdue_only_after_the_deadline(world, decided, ok):
    """Art. 101 "逾期未改正": ordered on day -10 to correct by day -2 — on the deadline day and before
    it the unit is not late; from the day after it is."""
    case = notified_case(world)
    order_to_correct(world, case, 101, "(五)", ordered=-10, deadline=-2)
    call = lambda: services.decide_penalty(world.user("commerce"), case, party=entity(case),  # noqa: E731
                                           article=article(101, "(五)逾期"), amount=150000, decided_on=_day(decided))
    if ok:
        d = call()
        assert d.act_on == _day(-1)  # the act (not correcting) began the day after the deadline
    else:
        with pytest.raises(ServiceError, match="尚未届满") as err:
            call()
        assert err.value.field == "decided_on"


@pytest.mark.parametrize("corrected, ok", [(-5, False), (-2, False), (-1, True)])
def test_no_overdue_fine_when_the_unit_corrected_by_the_deadline(world, corrected, ok):
    """Art. 101 "逾期未改正的": ordered on day -10 to correct by day -2. Corrected (登记改正) on day -5
    or on the deadline day itself, the unit complied — nothing is 逾期; corrected on day -1, it was
    late for one day and the 逾期 fine stands, its act beginning the day after the deadline."""
    case = notified_case(world)
    order = order_to_correct(world, case, 101, "(五)", ordered=-10, deadline=-2)
    services.advance(world.user("commerce"), case, "decide")  # 登记改正 belongs to the decision's execution
    services.record_correction(world.user("commerce"), order, corrected_on=_day(corrected))
    call = lambda: services.decide_penalty(world.user("commerce"), case, party=entity(case),  # noqa: E731
                                           article=article(101, "(五)逾期"), amount=150000)
    if ok:
        assert call().act_on == _day(-1)
    else:
        with pytest.raises(ServiceError, match="已在改正期限内改正") as err:
            call()
        assert err.value.field == "article"


def test_a_correction_is_recorded_on_a_fine_with_an_order_only(world):
    case = notified_case(world)
    fine = services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102), amount=10000)
    services.advance(world.user("commerce"), case, "decide")  # 登记改正 belongs to the decision's execution
    with pytest.raises(ServiceError, match="附有责令改正") as err:
        services.record_correction(world.user("commerce"), fine, corrected_on=_day(0))
    assert err.value.field == "corrected_on"
    order = order_to_correct(world, case, 101, "(五)", ordered=-10, deadline=-2)
    with pytest.raises(ServiceError, match="不能早于责令改正日期"):
        services.record_correction(world.user("commerce"), order, corrected_on=_day(-11))
    services.record_correction(world.user("commerce"), order, corrected_on=_day(-3))
    order.refresh_from_db()
    assert order.corrected_on == _day(-3)
    ev = events_for(case).filter(verb="case.corrected").get()
    assert ev.data["in_time"] is True and ev.data["decision"] == order.pk


def test_the_case_page_records_the_correction_of_an_ordered_fine(client, world):
    from core.testing import client_as

    case = notified_case(world)
    order = order_to_correct(world, case, 101, "(五)", ordered=-10, deadline=-2)
    services.advance(world.user("commerce"), case, "decide")
    client_as(client, world, "commerce")
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'name="correction-decision"' in page and f'value="{order.pk}"' in page
    r = client.post(f"/enforcement/cases/{case.pk}/correction/", {"correction-decision": order.pk,
                                                                   "correction-corrected_on": _day(-4).isoformat()})
    assert r.status_code in (200, 302), r.content.decode()[:500]
    order.refresh_from_db()
    assert order.corrected_on == _day(-4)


def test_refusal_fine_needs_the_order_to_eliminate_the_hazard(world):
    """Art. 102: the persons' 5–10万 fine is for refusing the order "责令立即消除或者限期消除"; without
    that order in the case it is refused, after an order to eliminate at once it stands."""
    case = notified_case(world)
    with pytest.raises(ServiceError) as err:
        services.decide_penalty(world.user("commerce"), case, party=principal(case), article=article(102, "拒不执行"),
                                amount=50000)
    assert err.value.field == "article" and "第102条" in err.value.message and "拒不执行" in err.value.message
    order_to_correct(world, case, 102, ordered=-3, deadline=None, amount=30000)
    d = services.decide_penalty(world.user("commerce"), case, party=principal(case), article=article(102, "拒不执行"),
                                amount=50000)
    assert d.amount == Decimal("50000.00")


# ---------------------------------------------------------------- 一案双罚 after 不予处罚

def test_no_personal_double_penalty_when_the_unit_is_not_punished(world):
    """一案双罚: art. 101 fines the 直接负责的主管人员 for the unit's act; once the unit got 不予行政处罚
    for that act the principal is not fined for it. Art. 94 (the principal's own duties) is a
    separate act and may still be fined."""
    case = notified_case(world)
    services.decide_no_penalty(world.user("commerce"), case, reason="首违轻微并及时改正")
    with pytest.raises(ServiceError, match="一案双罚") as err:
        services.decide_penalty(world.user("commerce"), case, party=principal(case), article=article(101, "(五)逾期"),
                                amount=30000)
    assert err.value.field == "party"
    services.decide_penalty(world.user("commerce"), case, party=principal(case), article=article(94), amount=20000)


# ---------------------------------------------------------------- 从旧兼从轻 (行政处罚法 art. 37)

def _revise_102(world, entity_max):
    """Art. 102 fines the unit 五万元以下; a (hypothetical) revision of that maximum from today."""
    ruletables.revise_row(world.user("committee"), ruletables.table("penalty-articles"), article(102),
                          {"entity_max": Decimal(entity_max)}, effective_from=timezone.localdate(), note="测试修订")


def _case_filed(world, day, parties=()):
    actor = world.user("commerce")
    case = services.open_case(actor, enterprise=world.ent_commerce, title="未采取措施消除事故隐患", opened_on=_day(day))
    services.advance(actor, case, "investigate")
    for kwargs in parties:  # persons identified during the investigation
        services.add_party(actor, case, **kwargs)
    services.advance(actor, case, "notify")
    return case


def test_a_heavier_new_range_does_not_reach_an_earlier_act(world):
    """Art. 37: the law at the time of the act applies. 102 raised to 8万 from today: an act of
    yesterday (the case filed yesterday; the act is no later) decided today is fined within 5万."""
    _revise_102(world, 80000)
    case = _case_filed(world, -1)
    with pytest.raises(ServiceError) as err:
        services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102), amount=60000)
    assert err.value.field == "amount" and "50,000元" in err.value.message and "违法行为发生时" in err.value.message
    filed_today = _case_filed(world, 0)  # the act date given: yesterday
    with pytest.raises(ServiceError, match="50,000元"):
        services.decide_penalty(world.user("commerce"), filed_today, party=entity(filed_today), article=article(102),
                                amount=60000, act_on=_day(-1))
    today = _case_filed(world, 0)  # an act of today: the new range
    d = services.decide_penalty(world.user("commerce"), today, party=entity(today), article=article(102), amount=60000,
                                act_on=_day(0))
    assert d.act_on == _day(0)


def test_a_lighter_new_range_reaches_an_earlier_act(world):
    """Art. 37: "新的规定处罚较轻的，适用新的规定". 102 lowered to 3万 from today: the act of yesterday
    decided today is fined within 3万; decided yesterday, within the 5万 of then."""
    _revise_102(world, 30000)
    case = _case_filed(world, -1)
    with pytest.raises(ServiceError) as err:
        services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102), amount=40000,
                                act_on=_day(-1))
    assert "30,000元" in err.value.message and "较轻" in err.value.message
    yesterday = services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102),
                                        amount=40000, act_on=_day(-1), decided_on=_day(-1))
    assert yesterday.amount == Decimal("40000.00")


def _revise_94_roles(world, roles):
    """Art. 94 fines the principal (主要负责人); a (hypothetical) revision of whom it names, from today."""
    ruletables.revise_row(world.user("committee"), ruletables.table("penalty-articles"), article(94),
                          {"party_roles": roles}, effective_from=timezone.localdate(), note="测试修订")


def test_a_role_a_clause_names_only_from_today_is_not_fined_for_an_earlier_act(world):
    """Art. 37 (and no retroactivity): a clause reaches only the persons it named when the act
    occurred. 94 extended to 其他负责人 from today: yesterday's act of a deputy is not fined under
    it; today's act is."""
    _revise_94_roles(world, "principal,other_head")
    case = _case_filed(world, -1, parties=[dict(name="王副总", role="other_head", position="副总经理")])
    deputy = case.parties.get(role="other_head")
    with pytest.raises(ServiceError) as err:
        services.decide_penalty(world.user("commerce"), case, party=deputy, article=article(94), amount=30000,
                                act_on=_day(-1))
    assert err.value.field == "article" and "不适用于其他负责人" in err.value.message and "违法行为发生时" in err.value.message
    d = services.decide_penalty(world.user("commerce"), case, party=deputy, article=article(94), amount=30000,
                                act_on=_day(0))
    assert d.party == deputy


def test_a_role_a_clause_no_longer_names_is_the_lighter_law(world):
    """Art. 37 "新的规定处罚较轻的，适用新的规定": 94 no longer naming the principal from today (a
    hypothetical revision), the principal's act of yesterday decided today is not fined; decided
    yesterday it was."""
    case = _case_filed(world, -1)
    _revise_94_roles(world, "other_head")
    with pytest.raises(ServiceError) as err:
        services.decide_penalty(world.user("commerce"), case, party=principal(case), article=article(94), amount=30000,
                                act_on=_day(-1))
    assert "不适用于主要负责人" in err.value.message and "作出决定时" in err.value.message
    d = services.decide_penalty(world.user("commerce"), case, party=principal(case), article=article(94), amount=30000,
                                act_on=_day(-1), decided_on=_day(-1))
    assert d.amount == Decimal("30000.00")


def test_act_date_not_after_the_decision(world):
    case = notified_case(world)
    with pytest.raises(ServiceError) as err:
        services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102), amount=1000,
                                act_on=_day(0), decided_on=_day(-1))
    assert err.value.field == "act_on"


def _case_on_hazard(world, registered_by: str, description: str, deadline: datetime.date):
    """A notified case on a major hazard of 鑫隆 registered 20 days ago by ``registered_by`` with
    ``deadline``."""
    from accounts.models import Sector
    from hazards import services as hs

    hazard = hs.register_hazard(world.user(registered_by), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                                description=description, grade="major", basis_reason="重大", deadline=_day(30),
                                notify_people=False)
    type(hazard).objects.filter(pk=hazard.pk).update(created_at=timezone.now() - datetime.timedelta(days=20), deadline=deadline)
    hazard.refresh_from_db()
    case = services.open_case(world.user("commerce"), enterprise=world.ent_commerce, title="拒不消除隐患", hazard=hazard,
                              opened_on=_day(-10))
    services.advance(world.user("commerce"), case, "investigate")
    services.advance(world.user("commerce"), case, "notify")
    return case


def test_a_completion_sent_in_time_is_no_refusal_however_late_the_department_accepts_it(world):
    """Art. 102 "拒不执行" is the unit's: a unit that sent its completion by the deadline the department set
    executed the order, whether the department accepts it after the deadline or has not decided yet; one
    sent back (验收不通过) was no completion, and the refusal counts from the day after the deadline."""
    from hazards import services as hs
    from hazards.models import Acceptance

    deadline = _day(-5)
    case = _case_on_hazard(world, "commerce", "安全出口锁闭", deadline)
    hazard = case.hazard
    hs.submit_plan(world.user("enterprise"), hazard, plan=PLAN)
    hazard.refresh_from_db()
    hs.submit_completion(world.user("enterprise"), hazard, evidence_note="已整改")
    Acceptance.objects.filter(hazard=hazard).update(submitted_at=timezone.now() - datetime.timedelta(days=6))
    fine = dict(party=principal(case), article=article(102, "拒不执行"), amount=50000)
    with pytest.raises(ServiceError, match="先行责令改正"):  # awaiting the department's acceptance
        services.decide_penalty(world.user("commerce"), case, **fine)
    hazard.refresh_from_db()
    hs.reject(world.user("commerce"), hazard, reason="安全出口仍锁闭", next_steps="拆除门锁")
    case.hazard.refresh_from_db()
    assert services.decide_penalty(world.user("commerce"), case, **fine).pk  # sent back: refused from D+1
    accepted = _case_on_hazard(world, "commerce", "消防通道堵塞", deadline)
    hs.submit_plan(world.user("enterprise"), accepted.hazard, plan=PLAN)
    accepted.hazard.refresh_from_db()
    hs.submit_completion(world.user("enterprise"), accepted.hazard, evidence_note="已整改")
    Acceptance.objects.filter(hazard=accepted.hazard).update(submitted_at=timezone.now() - datetime.timedelta(days=6))
    accepted.hazard.refresh_from_db()
    hs.accept(world.user("commerce"), accepted.hazard, opinion="合格")  # today, five days after the deadline
    accepted.refresh_from_db()
    with pytest.raises(ServiceError, match="先行责令改正"):
        services.decide_penalty(world.user("commerce"), accepted, party=principal(accepted),
                                article=article(102, "拒不执行"), amount=50000)


def test_refusal_counts_from_the_deadline_the_department_set_on_the_cases_hazard(world):
    """Art. 102's order "责令立即消除或者限期消除" is also the department's own registration of the
    hazard with its rectification deadline (an inspection's 整改指令), not only a fine: the case's
    hazard, registered by 商务局 with deadline D and still open, makes 拒不执行 from D+1 — refused on D
    (field decided_on), fined on D+1. A hazard the enterprise registered itself is no such order."""
    deadline = _day(-5)
    case = _case_on_hazard(world, "commerce", "安全出口锁闭", deadline)
    fine = dict(party=principal(case), article=article(102, "拒不执行"), amount=50000)
    with pytest.raises(ServiceError, match="尚未届满") as err:
        services.decide_penalty(world.user("commerce"), case, decided_on=deadline, **fine)
    assert err.value.field == "decided_on"
    assert services.decide_penalty(world.user("commerce"), case, decided_on=deadline + datetime.timedelta(days=1), **fine).pk

    own = _case_on_hazard(world, "enterprise", "消防通道堵塞", deadline)
    with pytest.raises(ServiceError, match="先行责令改正") as err:
        services.decide_penalty(world.user("commerce"), own, party=principal(own), article=article(102, "拒不执行"),
                                amount=50000)
    assert err.value.field == "article"

    # a hazard voided (registered in error, a duplicate) is no order either
    from hazards import services as hs

    voided = _case_on_hazard(world, "commerce", "重复登记", deadline)
    hs.void(world.user("commerce"), voided.hazard, reason="重复登记")
    voided.refresh_from_db()
    with pytest.raises(ServiceError, match="先行责令改正"):
        services.decide_penalty(world.user("commerce"), voided, party=principal(voided), article=article(102, "拒不执行"),
                                amount=50000)
