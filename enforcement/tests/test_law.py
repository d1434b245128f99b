"""Enforcement rules as the texts say them, tested at their boundaries (day before / of / after).

Sources: 安全生产法 (2021) arts. 94, 96, 97, 112, 114 (DOMAIN.md §5.1); 行政处罚法 (2021) art. 33."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.services import ServiceError
from enforcement import services
from enforcement.models import Decision

from .helpers import article, entity, notified_case, order_to_correct, principal

TODAY = timezone.localdate


def _day(n):
    return TODAY() + datetime.timedelta(days=n)


def _fined(world, case, *, ordered=-10, deadline=None, amount=20000):
    return services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102),
                                   amount=amount, decided_on=_day(ordered), correction_ordered_on=_day(ordered),
                                   correction_deadline=_day(deadline) if deadline is not None else None)


def _decided(world, case):
    """The case moves on to 决定 (a 按日连续处罚 belongs to the execution of the decision)."""
    services.advance(world.user("commerce"), case, "decide")


# ---------------------------------------------------------------- art. 112 按日连续处罚

def test_daily_fine_needs_a_fine_with_a_correction_order(world):
    """安全生产法 art. 112: only a unit "被责令改正且受到罚款处罚，拒不改正的"."""
    case = notified_case(world)
    fine_only = services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102),
                                        amount=20000, decided_on=_day(-5))
    _decided(world, case)
    with pytest.raises(ServiceError, match="第一百一十二条") as err:
        services.daily_fine(world.user("commerce"), case, base=fine_only, reason="拒不整改")
    assert err.value.field == "base" and "未责令改正" in err.value.message
    with pytest.raises(ServiceError, match="第一百一十二条"):
        services.daily_fine(world.user("commerce"), case, base=None, reason="拒不整改")
    no_penalty = notified_case(world, title="另案")
    with pytest.raises(ServiceError, match="罚款决定为前提"):
        services.daily_fine(world.user("commerce"), case, base=_fined(world, no_penalty), reason="拒不整改")  # other case


def test_daily_fine_amount_is_the_original_fine(world):
    """安全生产法 art. 112: "按照原处罚数额按日连续处罚" — any other daily amount is refused."""
    case = notified_case(world)
    base = _fined(world, case, amount=20000)
    _decided(world, case)
    with pytest.raises(ServiceError, match="原处罚数额") as err:
        services.daily_fine(world.user("commerce"), case, base=base, reason="拒不整改", amount_per_day="19999")
    assert err.value.field == "amount_per_day"
    d = services.daily_fine(world.user("commerce"), case, base=base, reason="拒不整改", amount_per_day="20000")
    assert d.amount == Decimal("20000.00") and d.party.role == "entity" and d.base_id == base.pk


def test_daily_fine_only_on_the_unit(world):
    """安全生产法 art. 112 applies to the 生产经营单位, not to persons."""
    case = notified_case(world)
    personal = services.decide_penalty(world.user("commerce"), case, party=principal(case), article=article(94),
                                       amount=20000, decided_on=_day(-5), correction_ordered_on=_day(-5))
    _decided(world, case)
    with pytest.raises(ServiceError, match="生产经营单位"):
        services.daily_fine(world.user("commerce"), case, base=personal, reason="拒不整改")


@pytest.mark.parametrize("decided,ok", [(-6, False), (-5, False), (-4, True)])
def test_daily_fine_refusal_not_on_the_order_day(world, decided, ok):
    """安全生产法 art. 112: the daily fine runs "自作出责令改正之日的次日起"; refusal cannot be found on
    the order day (ordered on day -5: day -6 and -5 refused, day -4 allowed)."""
    case = notified_case(world)
    base = _fined(world, case, ordered=-5)
    _decided(world, case)
    base_dated = Decision.objects.get(pk=base.pk)
    call = lambda: services.daily_fine(world.user("commerce"), case, base=base_dated, reason="拒不整改",  # noqa: E731
                                       decided_on=_day(decided))
    if ok:
        assert call().decided_on == _day(decided)
    else:
        with pytest.raises(ServiceError, match="第一百一十二条"):
            call()


@pytest.mark.parametrize("decided,ok", [(-3, False), (-2, False), (-1, True)])
def test_daily_fine_not_before_the_correction_deadline(world, decided, ok):
    """安全生产法 art. 112 "拒不改正": within the correction deadline (day -2) there is no refusal yet
    (our reading, see docs/rules.md)."""
    case = notified_case(world)
    base = _fined(world, case, ordered=-10, deadline=-2)
    _decided(world, case)
    call = lambda: services.daily_fine(world.user("commerce"), case, base=base, reason="拒不整改",  # noqa: E731
                                       decided_on=_day(decided))
    if ok:
        call()
    else:
        with pytest.raises(ServiceError, match="改正期限"):
            call()


@pytest.mark.parametrize("end,days", [(-11, 0), (-10, 0), (-9, 1), (0, 10)])
def test_daily_fine_accrues_from_the_day_after_the_order(world, end, days):
    """安全生产法 art. 112: 自作出责令改正之日的次日起 — ordered on day -10 (deadline day -3): the day
    before and the day of the order accrue nothing, the day after one day; the deadline is irrelevant."""
    case = notified_case(world)
    base = _fined(world, case, ordered=-10, deadline=-3)
    _decided(world, case)
    d = services.daily_fine(world.user("commerce"), case, base=base, reason="复查仍未改正")
    assert services.daily_fine_total(d, today=_day(end)) == (days, Decimal(20000 * days))


def test_daily_fine_refused_when_corrected_or_twice(world):
    """安全生产法 art. 112 "拒不改正": a corrected fine, or one already fined daily, is refused."""
    case = notified_case(world)
    base = _fined(world, case)
    _decided(world, case)
    services.daily_fine(world.user("commerce"), case, base=base, reason="拒不整改")
    with pytest.raises(ServiceError, match="已作出按日连续处罚"):
        services.daily_fine(world.user("commerce"), case, base=base, reason="拒不整改")
    other = notified_case(world, title="另案")  # one fine per party and article in a case (行政处罚法 art. 29)
    other_base = _fined(world, other, amount=10000)
    _decided(world, other)
    with pytest.raises(ServiceError, match="拒不改正的事实"):
        services.daily_fine(world.user("commerce"), other, base=other_base, reason=" ")


# ---------------------------------------------------------------- 不予处罚 vs penalty

def test_no_penalty_and_penalty_are_exclusive_on_the_unit(world):
    """行政处罚法 art. 33: 不予行政处罚 and a penalty on the same party in one case cannot both stand."""
    case = notified_case(world)
    services.decide_no_penalty(world.user("commerce"), case, reason="首违轻微并及时改正")
    with pytest.raises(ServiceError, match="不予行政处罚决定") as err:
        services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102), amount=1000)
    assert err.value.field == "party"
    # a different party (the principal) may still be penalised
    services.decide_penalty(world.user("commerce"), case, party=principal(case), article=article(94), amount=20000)

    other = notified_case(world, title="另案")
    services.decide_penalty(world.user("commerce"), other, party=entity(other), article=article(102), amount=1000)
    with pytest.raises(ServiceError, match="行政处罚决定"):
        services.decide_no_penalty(world.user("commerce"), other, reason="首违轻微")


# ---------------------------------------------------------------- article vs role

@pytest.mark.parametrize("num,item,role,ok", [
    (94, "", "principal", True), (94, "", "entity", False), (94, "", "safety_manager", False),
    (96, "", "safety_manager", True), (96, "", "principal", False),
    (97, "(五)逾期", "principal", True), (97, "(五)逾期", "entity", True),
    (114, "(一)", "entity", True), (114, "(一)", "principal", False),
])
def test_article_checked_against_the_role(world, num, item, role, ok):
    """安全生产法 art. 94 fines the 主要负责人, art. 96 other heads and safety managers, art. 97 the
    unit and its responsible persons, art. 114 the unit."""
    case = notified_case(world, parties=[(role, "李四")] if role not in ("entity", "principal") else [])
    party = case.parties.get(role=role)
    art = article(num, item)
    if art.prior_order:  # 逾期未改正 presupposes the 责令限期改正 under the clause's first sentence
        order_to_correct(world, case, num, item.removesuffix("逾期"))
    low, _ = art.range_for(party.kind)
    amount = low or 10000
    if ok:
        services.decide_penalty(world.user("commerce"), case, party=party, article=art, amount=amount)
    else:
        with pytest.raises(ServiceError, match=f"第{num}条") as err:
            services.decide_penalty(world.user("commerce"), case, party=party, article=art, amount=amount)
        assert err.value.field == "article" and "不适用于" in err.value.message
