"""Cases and decisions through the services."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from core.models import Event
from core.services import NotPermitted, ServiceError
from enforcement import rules, services
from enforcement.models import Case, CreditListing, Decision, LeniencyPolicy
from enterprises.models import Enterprise

from .helpers import (
    article,
    decided_case,
    entity,
    major_hazard,
    notified_case,
    order_to_correct,
    principal,
    suspension_article,
)


def test_open_case_adds_parties_and_event(world):
    case = services.open_case(world.user("commerce"), enterprise=world.ent_commerce, title="占用消防通道")
    assert case.stage == "filed" and case.opened_by_org == world.org("commerce")
    assert {p.role for p in case.parties.all()} == {"entity", "principal"}
    assert Event.objects.filter(object_type="enforcement.case", object_id=case.pk, verb="case.opened").exists()


@pytest.mark.parametrize("persona", ["commerce", "other_region", "township", "enterprise", "nobody"])
def test_open_case_scope(world, persona):
    if persona == "commerce":
        with pytest.raises(NotPermitted):  # construction enterprise is outside 商务局's sectors
            services.open_case(world.user(persona), enterprise=world.ent_construction, title="x")
    else:
        with pytest.raises(NotPermitted):
            services.open_case(world.user(persona), enterprise=world.ent_commerce, title="x")


def test_only_the_opening_department_handles_the_case(world):
    case = services.open_case(world.user("commerce"), enterprise=world.ent_commerce, title="x")
    with pytest.raises(NotPermitted):
        services.advance(world.user("emergency"), case, "investigate")
    services.advance(world.user("commerce_lead"), case, "investigate")


def test_amount_ranges_per_article_and_party(world):
    case = notified_case(world)
    order_to_correct(world, case, 101, "(五)")  # 逾期未改正 presupposes the order
    art = article(101, "(五)逾期")  # entity 10–20万, persons 2–5万
    with pytest.raises(ServiceError) as err:
        services.decide_penalty(world.user("commerce"), case, party=entity(case), article=art, amount="50000")
    assert err.value.field == "amount" and "100,000元至200,000元" in err.value.message
    with pytest.raises(ServiceError, match="20,000元至50,000元"):
        services.decide_penalty(world.user("commerce"), case, party=principal(case), article=art, amount="60000")
    with pytest.raises(ServiceError, match="不设对个人的罚款"):
        services.decide_penalty(world.user("commerce"), case, party=principal(case), article=article(102), amount="1000")
    with pytest.raises(ServiceError, match="0元至50,000元"):
        services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102), amount="50001")
    with pytest.raises(ServiceError) as err:
        services.decide_penalty(world.user("commerce"), case, party=entity(case), article=art, amount="abc")
    assert err.value.field == "amount"
    d = services.decide_penalty(world.user("commerce"), case, party=entity(case), article=art, amount="200000")
    assert d.amount == Decimal("200000.00")


def test_decisions_need_the_notice_stage(world):
    case = services.open_case(world.user("commerce"), enterprise=world.ent_commerce, title="x")
    with pytest.raises(ServiceError, match="告知之后"):
        services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102), amount=1000)


def test_double_penalty(world):
    case = notified_case(world)
    order_to_correct(world, case, 101, "(五)")
    art = article(101, "(五)逾期")
    services.decide_penalty(world.user("commerce"), case, party=entity(case), article=art, amount=150000)
    assert not services.is_double_penalty(case)
    services.decide_penalty(world.user("commerce"), case, party=principal(case), article=art, amount=30000)
    assert services.is_double_penalty(case)
    services.advance(world.user("commerce"), case, "decide")
    services.advance(world.user("commerce"), case, "close")
    assert case.stage == "closed" and case.closed_on


def test_leniency_proposal_for_self_found_reported_rectifying(world):
    case = notified_case(world, hazard=major_hazard(world))
    assert rules.leniency_proposed(case)
    d = services.decide_no_penalty(world.user("commerce"), case)
    assert d.kind == "no_penalty" and "不予行政处罚" in d.reason
    assert not rules.leniency_proposed(case)
    assert not Decision.objects.penalties().filter(case=case).exists()


def test_no_leniency_when_not_reported_or_not_rectifying(world):
    assert not rules.leniency_proposed(notified_case(world, hazard=major_hazard(world, report=False)))
    assert not rules.leniency_proposed(notified_case(world, hazard=major_hazard(world, plan=False)))


def test_no_leniency_for_inspection_found(world):
    h = major_hazard(world, actor="commerce", report=False)
    assert h.channel == "inspection"
    case = notified_case(world, hazard=h)
    assert not rules.leniency_proposed(case)
    with pytest.raises(ServiceError) as err:
        services.decide_no_penalty(world.user("commerce"), case)
    assert err.value.field == "reason"


def test_no_leniency_when_policy_off(world):
    LeniencyPolicy.objects.create(region=world.district, enabled=False)
    case = notified_case(world, hazard=major_hazard(world))
    assert not rules.leniency_proposed(case)
    LeniencyPolicy.objects.create(region=world.ent_commerce.region, enabled=True)  # nearer row wins
    assert rules.leniency_proposed(case)


def _penalise_on(world, day):
    case = notified_case(world, filed=(day - timezone.localdate()).days)
    return services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102), amount=1000,
                                   decided_on=day)


@pytest.mark.parametrize("offsets,expected", [
    ((0, 60, 179), True), ((0, 60, 180), False), ((0, 100, 200, 364), True), ((0, 100, 200, 365), False)])
def test_closure_flag(world, offsets, expected):
    major_hazard(world)
    first = timezone.localdate() - datetime.timedelta(days=400)
    for n in offsets:
        _penalise_on(world, first + datetime.timedelta(days=n))
    assert bool(rules.closure_proposal(world.ent_commerce)) is expected


def test_closure_flag_needs_open_major_hazard(world):
    today = timezone.localdate()
    for n in (0, 1, 2):
        _penalise_on(world, today - datetime.timedelta(days=n))
    assert rules.closure_proposal(world.ent_commerce) is None


def test_suspension_and_resumption(world):
    case = notified_case(world)
    with pytest.raises(ServiceError, match="不能作出复产决定"):  # the page offers 复产 once decided (FORM_STAGES)
        services.resume(world.user("commerce"), case, reason="复查合格")
    services.order_suspension(world.user("commerce"), case, article=suspension_article(), reason="重大事故隐患未消除")
    ent = Enterprise.objects.get(pk=world.ent_commerce.pk)
    assert ent.status == "suspended"
    with pytest.raises(ServiceError, match="停产整顿"):
        services.order_suspension(world.user("commerce"), Case.objects.get(pk=case.pk), article=suspension_article(), reason="again")
    case = services.advance(world.user("commerce"), Case.objects.get(pk=case.pk), "decide")
    services.resume(world.user("commerce_lead"), case, reason="复查合格")
    assert Enterprise.objects.get(pk=ent.pk).status == "operating"
    verbs = list(Event.objects.filter(object_type="enterprises.enterprise", object_id=ent.pk,
                                      verb="enterprise.status").values_list("to_state", flat=True))
    assert verbs == ["suspended", "operating"]


def test_transfer_and_daily_fine(world):
    case = notified_case(world)
    with pytest.raises(ServiceError, match="个人"):
        services.transfer(world.user("commerce"), case, party=entity(case), reason="x", transfer_to="天津市公安局河北分局")
    t = services.transfer(world.user("commerce"), case, party=principal(case), reason="拒不执行停产指令", dangerous_ops=True, transfer_to="天津市公安局河北分局")
    assert t.dangerous_ops
    ordered = timezone.localdate() - datetime.timedelta(days=10)
    base = services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(102), amount=1000,
                                   decided_on=ordered, correction_ordered_on=ordered)
    services.advance(world.user("commerce"), case, "decide")
    # 复查 on day 3 after the order found it uncorrected (a correction dated before the daily fine is refused)
    d = services.daily_fine(world.user("commerce"), case, base=base, reason="复查发现仍未整改",
                            decided_on=ordered + datetime.timedelta(days=3))
    assert services.daily_fine_total(d) == (10, Decimal("10000.00"))
    services.record_correction(world.user("commerce"), d, corrected_on=ordered + datetime.timedelta(days=4))
    assert services.daily_fine_total(d, today=timezone.localdate() + datetime.timedelta(days=99)) == (4, Decimal("4000.00"))


def test_credit_listing_and_repair(world):
    decided_case(world)  # the unit was penalised (the ground of a listing, seed 002 item 3)
    listing = services.propose_listing(world.user("commerce"), enterprise=world.ent_commerce, reason="一年内多次处罚")
    assert rules.credit_status(world.ent_commerce)["code"] == "proposed"
    with pytest.raises(NotPermitted):
        services.confirm_listing(world.user("commerce"), listing)
    services.confirm_listing(world.user("commerce_lead"), listing)
    assert rules.credit_status(world.ent_commerce)["code"] == "listed"
    repair = services.apply_repair(world.user("enterprise"), listing, statement="已整改完毕并缴纳罚款")
    with pytest.raises(ServiceError, match="以外的人员"):
        services.decide_repair(world.user("commerce"), repair, approve=True)  # the proposer
    with pytest.raises(NotPermitted):
        services.decide_repair(world.user("enterprise"), repair, approve=True)
    services.decide_repair(world.user("commerce_lead"), repair, approve=True, note="同意修复")
    assert CreditListing.objects.get(pk=listing.pk).status == "repaired"
    assert rules.credit_status(world.ent_commerce)["code"] == "good"


def test_a_listing_keeps_its_last_day_and_expires_only_after_it(world):
    """A 36-month listing from 2024-01-31 is in force through 2027-01-31 (calendar months, the
    shorter month's last day when needed); expiring it is refused until the day after."""
    decided_case(world)  # the unit was penalised (the ground of a listing)
    listing = services.propose_listing(world.user("commerce"), enterprise=world.ent_commerce, reason="一年内多次处罚",
                                       start=datetime.date(2024, 1, 31), duration_months=36)
    assert CreditListing.objects.get(pk=listing.pk).ends_on == datetime.date(2027, 1, 31)
    short = services.propose_listing(world.user("commerce"), enterprise=world.ent_commerce, reason="多次处罚",
                                     start=datetime.date(2024, 1, 31), duration_months=1)
    assert CreditListing.objects.get(pk=short.pk).ends_on == datetime.date(2024, 2, 29)
    services.confirm_listing(world.user("commerce_lead"), listing)
    listing.refresh_from_db()
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2027, 1, 31)):
        assert rules.credit_status(world.ent_commerce)["code"] == "listed"
        with pytest.raises(ServiceError, match="尚未届满"):
            services.expire_listing(world.user("commerce"), listing)
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2027, 2, 1)):
        assert rules.credit_status(world.ent_commerce)["code"] == "proposed"  # the short one is still only proposed
        services.expire_listing(world.user("commerce"), listing)
    assert CreditListing.objects.get(pk=listing.pk).status == "expired"


def test_bans_measures_accountability_notices(world):
    case = decided_case(world)
    ban = services.ban_person(world.user("commerce"), case, person_name=principal(case).name, ground="dismissal",
                              start=timezone.localdate())
    assert rules.credit_status(world.ent_commerce)["bans"] == [ban]
    with pytest.raises(ServiceError) as err:
        services.add_measure(world.user("commerce"), enterprise=world.ent_commerce, kind="bogus")
    assert err.value.field == "kind"
    with pytest.raises(ServiceError) as err:
        services.record_notice(world.user("committee"), target=world.org("other_emergency"), kind="notice")
    assert err.value.field == "target"
    n = services.record_notice(world.user("committee"), target=world.org("township0"), kind="interview", reason="隐患整治不力")
    assert n.county_code == world.district.code
    a = services.record_accountability(world.user("committee"), person_name="某科长", measure="诫勉谈话")
    assert a.organisation == world.org("committee")


def test_a_superuser_without_an_organisation_acts_for_the_case_and_is_refused_without_one(client, world):
    """A measure, a listing and a ban record who took them. A superuser acting on a case records
    the department that filed it; with no case and no organisation of their own, they are refused
    with a reason — before, the measure failed on its NOT NULL organisation (a 500 from the case
    page) and the listing and the ban on ``None.opened_by_org``."""
    from enforcement.models import EnterpriseMeasure

    admin = world.user("admin")
    assert admin.is_superuser and getattr(admin, "membership", None) is None
    case = decided_case(world)  # measures and the credit list follow the decision
    m = services.add_measure(admin, enterprise=case.enterprise, kind="interview", case=case)
    listing = services.propose_listing(admin, enterprise=case.enterprise, reason="重大事故隐患拒不整改", case=case)
    ban = services.ban_person(admin, case, person_name=principal(case).name, ground="dismissal",
                              start=timezone.localdate())
    assert m.organisation == listing.organisation == ban.organisation == case.opened_by_org == world.org("commerce")
    for call in (lambda: services.add_measure(admin, enterprise=world.ent_commerce, kind="interview"),
                 lambda: services.propose_listing(admin, enterprise=world.ent_commerce, reason="拒不整改")):
        with pytest.raises(ServiceError) as err:
            call()
        assert err.value.field == "organisation" and "单位" in err.value.message
    # the case page's form, as the crawl posted it: no 500, the measure is recorded for the filing department
    client.force_login(admin)
    response = client.post(f"/enforcement/cases/{case.pk}/measure/",
                           {"measure-kind": "exposure", "measure-note": "", "measure-date": ""})
    assert response.status_code in (200, 302)
    assert EnterpriseMeasure.objects.filter(case=case, kind="exposure", organisation=world.org("commerce")).exists()


def test_closure_counts_each_time_the_unit_was_penalised_not_each_clause_or_decision(world):
    """Art. 113(一) "一百八十日内三次……受到本法规定的行政处罚": a case fining the unit under three clauses on
    one day is one time; a 责令停产停业整顿 (行政处罚法 art. 9: 责令停产停业 is a 行政处罚) decided in its own case
    is another."""
    major_hazard(world)
    today = timezone.localdate()
    once = notified_case(world, filed=-100)
    for art in (article(102), article(97, "(五)"), article(101, "(五)")):
        services.decide_penalty(world.user("commerce"), once, party=entity(once), article=art, amount=20000,
                                decided_on=today - datetime.timedelta(days=90))
    assert rules.closure_proposal(world.ent_commerce) is None  # three decisions, one time
    _penalise_on(world, today - datetime.timedelta(days=60))
    assert rules.closure_proposal(world.ent_commerce) is None  # two times
    suspended = notified_case(world, filed=-40)
    services.order_suspension(world.user("commerce"), suspended, article=suspension_article(), reason="情节严重",
                              decided_on=today - datetime.timedelta(days=30))
    assert "180日内受到3次行政处罚" in rules.closure_proposal(world.ent_commerce)


def test_revoking_the_penalty_a_listing_rests_on_withdraws_it_from_the_list(world):
    """Seed 002 item 3 lists units "因安全生产违法行为受到行政处罚的": once the penalty is revoked (撤销) the
    listing has no ground — withdrawn in the revocation's transaction, off the public list; a listing that
    rests on another case's penalty in force stays."""
    from core.events import events_for
    from supervision.public_views import public_credit_list

    today = timezone.localdate()
    case = decided_case(world)
    listed = services.propose_listing(world.user("commerce"), enterprise=world.ent_commerce, reason="拒不整改", case=case)
    services.confirm_listing(world.user("commerce_lead"), listed)
    other = decided_case(world, title="另案处罚")
    kept = services.propose_listing(world.user("commerce"), enterprise=world.ent_commerce, reason="另案", case=other)
    assert list(public_credit_list(today).filter(pk=listed.pk)) == [listed]
    fine = case.decisions.get(kind="penalty")
    services.revoke_decision(world.user("commerce"), fine, reason="事实认定有误")
    assert CreditListing.objects.get(pk=listed.pk).status == "withdrawn"
    assert CreditListing.objects.get(pk=kept.pk).status == "proposed"
    assert not public_credit_list(today).filter(pk=listed.pk).exists()
    [withdrawn] = [e for e in events_for(CreditListing.objects.get(pk=listed.pk)) if e.verb == "credit.withdrawn"]
    assert (withdrawn.from_state, withdrawn.to_state) == ("listed", "withdrawn") and case.number in withdrawn.note
    revoked = Event.objects.filter(verb="case.revoked", object_id=case.pk).latest("id")
    assert revoked.data["listings_withdrawn"] == [listed.pk]
    assert rules.credit_status(world.ent_commerce)["code"] == "proposed"  # the other case's proposal stands
    # a listing without a case rests on any penalty in force or an accident: it goes with the last penalty
    general = services.propose_listing(world.user("commerce"), enterprise=world.ent_commerce, reason="多次处罚")
    services.revoke_decision(world.user("commerce"), other.decisions.get(kind="penalty"), reason="程序违法")
    assert {x.pk: x.status for x in CreditListing.objects.filter(pk__in=(kept.pk, general.pk))} == {
        kept.pk: "withdrawn", general.pk: "withdrawn"}
    assert rules.credit_status(world.ent_commerce)["code"] == "good"


def test_a_proposal_whose_penalty_was_revoked_meanwhile_is_not_confirmed(world):
    case = decided_case(world)
    listing = services.propose_listing(world.user("commerce"), enterprise=world.ent_commerce, reason="拒不整改", case=case)
    Decision.objects.filter(case=case, kind="penalty").update(status="revoked")  # revoked since the proposal
    with pytest.raises(ServiceError, match="列入依据的行政处罚决定已撤销"):
        services.confirm_listing(world.user("commerce_lead"), listing)
    assert CreditListing.objects.get(pk=listing.pk).status == "proposed"
