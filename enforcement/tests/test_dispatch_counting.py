"""Rows 3.3, 3.5 and 3.9 as DISPATCH_TABLE.md defines them, with hand counts.

3.3 行政处罚 (次, 万元): "penalty decisions, one per penalised party (an entity and its principal
penalised in one case are two decisions …), with their amounts summed in 万元; 不予处罚 decisions are
not penalties". A 按日连续处罚 (安全生产法 art. 112) is a fine: it is counted with its party and its
amount is what it accrued by the cut-off — "every figure is cumulative from the campaign's start
date to the cut-off". 3.5 移送司法机关 ("persons transferred to judicial organs") and 3.9 责任倒查追责问责
are counted in 人: a person is counted once in a period however many records name him."""

import datetime
from decimal import Decimal

from django.utils import timezone

from enforcement import dispatch, services

from .helpers import article, entity, notified_case, principal, refused_correction


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_a_daily_fine_counts_with_its_party_and_its_accrual_to_the_cut_off(world):
    """Day -19 to today: 20 days × 10,000 = 200,000; with the original 10,000: 210,000 元 = 21 万元, one
    penalised party (the unit)."""
    refused_correction(world)
    rows = dispatch.unit_rows(world.org("commerce"), _day(-30), _day(0))
    assert (rows["3.3"], rows["3.3_amount"]) == (1, Decimal("21.0000"))
    region = dispatch.region_rows(world.district, _day(-30), _day(0))
    assert (region["3.3"], region["3.3_amount"]) == (1, Decimal("21.0000"))


def test_the_accrual_is_dated_it_stops_at_the_cut_off_and_at_the_correction(world):
    """Cut-off day -3: days -19 … -3 = 17 days → 170,000 + 10,000 = 18 万元. Corrected on day -2 (登记改正):
    days -19 … -2 = 18 → 180,000 + 10,000 = 19 万元 at today's cut-off; the day -3 figure is unchanged."""
    _, daily = refused_correction(world)
    unit = world.org("commerce")
    assert dispatch.unit_rows(unit, _day(-30), _day(-3))["3.3_amount"] == Decimal("18.0000")
    services.record_correction(world.user("commerce"), daily, corrected_on=_day(-2))
    assert dispatch.unit_rows(unit, _day(-30), _day(0))["3.3_amount"] == Decimal("19.0000")
    assert dispatch.unit_rows(unit, _day(-30), _day(-3))["3.3_amount"] == Decimal("18.0000")
    # before the daily fine was decided only the original fine counts
    assert (dispatch.unit_rows(unit, _day(-30), _day(-6))["3.3"],
            dispatch.unit_rows(unit, _day(-30), _day(-6))["3.3_amount"]) == (1, Decimal("1.0000"))


def test_two_clauses_against_one_party_in_one_case_are_one_penalised_party_with_the_sum(world):
    """The unit fined under 97(五) (20,000) and 101(五) (30,000) in one case: 3.3 = 1, 5 万元."""
    handler = world.user("commerce")
    case = notified_case(world)
    services.decide_penalty(handler, case, party=entity(case), article=article(97, "(五)"), amount=20000)
    services.decide_penalty(handler, case, party=entity(case), article=article(101, "(五)"), amount=30000)
    rows = dispatch.unit_rows(world.org("commerce"), _day(-1), _day(0))
    assert (rows["3.3"], rows["3.3_amount"]) == (1, Decimal("5.0000"))


def test_one_official_held_accountable_twice_is_one_person(world):
    committee = world.user("committee")
    for measure in ("诫勉谈话", "党内警告"):
        services.record_accountability(committee, person_name="赵某", person_position="街道安全办主任", measure=measure)
    services.record_accountability(committee, person_name="钱某", person_position="执法人员", measure="通报批评")
    assert dispatch.unit_rows(world.org("committee"), _day(-1), _day(0))["3.9"] == 2
    assert dispatch.region_rows(world.district, _day(-1), _day(0))["3.9"] == 2


def test_a_person_transferred_in_two_cases_is_one_person(world):
    """The enterprise's principal is a party of each case against it: transferred in both cases, and
    in the second case another responsible person (孙某) too — 2 persons, not 3 party records."""
    handler = world.user("commerce")
    first = notified_case(world)
    second = notified_case(world, title="另案", parties=[("other", "孙某")])
    assert principal(first).name == principal(second).name and principal(first).pk != principal(second).pk
    services.transfer(handler, first, party=principal(first), reason="涉嫌重大责任事故罪", transfer_to="天津市公安局河北分局")
    services.transfer(handler, second, party=principal(second), reason="涉嫌危险作业罪", dangerous_ops=True, transfer_to="天津市公安局河北分局")
    services.transfer(handler, second, party=second.parties.get(name="孙某"), reason="涉嫌危险作业罪", dangerous_ops=True, transfer_to="天津市公安局河北分局")
    assert dispatch.unit_rows(world.org("commerce"), _day(-1), _day(0))["3.5"] == 2
    assert dispatch.region_rows(world.district, _day(-1), _day(0))["3.5"] == 2
