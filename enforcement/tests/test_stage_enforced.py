"""What the case page does not offer at a stage is refused at that stage — by the page's POST
whatever form the URL names (400 with a Chinese reason, nothing written) and by the services
themselves. Expected sets are written here from the procedure (立案 → 调查取证 → 告知 → 决定 → 执行 →
结案, as in test_case_stage_forms.py), not read from enforcement.workflow. A typical case (seed 000
三(三)2(1)⑤ "根据监管执法情况 … 公布典型执法案例") and a 严重失信 listing (seed 002 item 3 "因安全生产违法行为
受到行政处罚的") rest on a decision in force."""

import datetime

import pytest
from django.utils import timezone

from core.models import Event
from core.services import ServiceError
from enforcement import services
from enforcement.models import CaseParty, CreditListing, Decision, EnterpriseMeasure, TypicalCase
from enterprises.models import Enterprise

from .helpers import article, entity, notified_case, principal, suspension_article

FORMS = ("advance", "party", "penalty", "no_penalty", "suspension", "transfer", "daily_fine", "correction", "resume",
         "measure", "listing", "typical", "revoke")
# the case below carries, from 告知 on, a fine on the unit with a 责令改正 (so 撤销, 登记改正 and 按日连续处罚 have
# something to act on)
OFFERED = {
    "filed": {"advance", "party"},
    "investigating": {"advance", "party", "transfer"},
    "notified": {"advance", "penalty", "no_penalty", "suspension", "transfer", "revoke"},
    "decided": {"advance", "penalty", "no_penalty", "suspension", "transfer", "daily_fine", "correction", "resume",
                "measure", "listing", "revoke"},
    "executing": {"advance", "transfer", "daily_fine", "correction", "resume", "measure", "listing", "revoke"},
    "closed": {"measure", "listing", "typical", "revoke"},
}
PATH = {"investigating": ["investigate"], "notified": ["investigate", "notify"],
        "decided": ["investigate", "notify", "decide"], "executing": ["investigate", "notify", "decide", "execute"],
        "closed": ["investigate", "notify", "decide", "execute", "close"]}


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def case_at(world, stage):
    handler = world.user("commerce")
    case = services.open_case(handler, enterprise=world.ent_commerce, title="未采取措施消除事故隐患", facts="安全出口锁闭",
                              opened_on=_day(-10))
    for action in PATH.get(stage, []):
        services.advance(handler, case, action)
        if action == "notify":
            services.decide_penalty(handler, case, party=entity(case), article=article(102), amount=10000,
                                    decided_on=_day(-10), correction_ordered_on=_day(-10), correction_deadline=_day(-3))
    return case


def post_data(case, name):
    """What the form would take if the stage offered it (valid input where the case allows it)."""
    fine = case.decisions.filter(kind="penalty").first()
    today = timezone.localdate().isoformat()
    return {
        "advance": {"stage_action": "close" if case.stage == "closed" else "investigate", "note": "说明"},
        "party": {"name": "张安全", "role": "safety_manager"},
        "penalty": {"party": principal(case).pk, "article": article(94).pk, "amount": "20000", "decided_on": today},
        "no_penalty": {"reason": "首次违法且危害后果轻微并及时改正"},
        "suspension": {"reason": "重大事故隐患未消除", "decided_on": today},
        "transfer": {"party": principal(case).pk, "reason": "涉嫌危险作业罪", "decided_on": today},
        "daily_fine": {"base": fine.pk if fine else "", "reason": "复查仍未改正"},
        "correction": {"decision": fine.pk if fine else "", "corrected_on": _day(-1).isoformat()},
        "resume": {"reason": "复查合格"},
        "measure": {"kind": "exposure", "note": "曝光", "date": today},
        "listing": {"reason": "因安全生产违法行为受到行政处罚", "duration_months": "36", "public": "on"},
        "typical": {"title": "某商贸公司拒不整改重大隐患案", "summary": "该公司被依法处罚", "published_on": today},
        "revoke": {"decision": fine.pk if fine else "", "reason": "复议撤销"},
    }[name]


def snapshot(case):
    fine = case.decisions.filter(kind="penalty").first()
    return (type(case).objects.get(pk=case.pk).stage, Decision.objects.count(), CaseParty.objects.count(), EnterpriseMeasure.objects.count(),
            TypicalCase.objects.count(), CreditListing.objects.count(), Event.objects.count(),
            Enterprise.objects.get(pk=case.enterprise_id).status,
            (fine.status, fine.corrected_on) if fine else None)


@pytest.mark.parametrize("stage", list(OFFERED))
def test_every_form_the_stage_does_not_offer_is_refused_with_a_reason_and_writes_nothing(client, world, stage):
    case = case_at(world, stage)
    client.force_login(world.user("commerce"))
    for name in FORMS:
        if name in OFFERED[stage]:
            continue
        before = snapshot(case)
        data = {f"{name}-{k}": v for k, v in post_data(case, name).items()}
        r = client.post(f"/enforcement/cases/{case.pk}/{name}/", data)
        assert r.status_code == 400, (stage, name, r.status_code)
        assert "案件当前阶段" in r.content.decode(), (stage, name)
        assert snapshot(case) == before, (stage, name)


def test_the_writers_themselves_hold_the_stages(world):
    """The audit's reproduction: a fine in 执行, a party after 结案, a typical case on a case just
    filed, a listing and a measure before any decision — each refused by its service."""
    handler = world.user("commerce")
    filed = case_at(world, "filed")
    with pytest.raises(ServiceError, match="案件当前阶段"):
        services.publish_typical(handler, filed, title="某商贸公司案", summary="……")
    with pytest.raises(ServiceError, match="案件当前阶段"):
        services.propose_listing(handler, enterprise=filed.enterprise, reason="拟列入", case=filed)
    with pytest.raises(ServiceError, match="案件当前阶段"):
        services.add_measure(handler, enterprise=filed.enterprise, kind="exposure", case=filed)
    executing = case_at(world, "executing")
    for call in (lambda: services.decide_penalty(handler, executing, party=principal(executing), article=article(94),
                                                 amount=20000),
                 lambda: services.order_suspension(handler, executing, article=suspension_article(), reason="停产整顿"),
                 lambda: services.decide_no_penalty(handler, executing, reason="首违轻微")):
        with pytest.raises(ServiceError, match="案件当前阶段"):
            call()
    notified = case_at(world, "notified")
    fine = notified.decisions.get()
    with pytest.raises(ServiceError, match="案件当前阶段"):
        services.record_correction(handler, fine, corrected_on=_day(-1))
    with pytest.raises(ServiceError, match="案件当前阶段"):
        services.daily_fine(handler, notified, base=fine, reason="拒不改正")
    with pytest.raises(ServiceError, match="案件当前阶段"):
        services.add_party(handler, notified, name="王五", role="safety_manager")
    closed = case_at(world, "closed")
    with pytest.raises(ServiceError, match="案件当前阶段"):
        services.add_party(handler, closed, name="王五", role="safety_manager")
    assert not TypicalCase.objects.exists() and not CreditListing.objects.exists()
    assert not EnterpriseMeasure.objects.exists()
    assert Decision.objects.filter(kind__in=["suspension", "no_penalty"]).count() == 0


def test_a_typical_case_needs_a_decision_in_force(world):
    """Closed without any decision (撤案), or with only 不予处罚, or with its fine revoked: nothing to
    publish as 典型执法案例. A closed case with a penalty is published."""
    handler = world.user("commerce")
    withdrawn = services.open_case(handler, enterprise=world.ent_commerce, title="涉嫌未消除重大事故隐患", facts="待查")
    services.advance(handler, withdrawn, "close", note="经核查不构成违法，撤案")
    lenient = notified_case(world, title="首违轻微")
    services.decide_no_penalty(handler, lenient, reason="首次违法且危害后果轻微并及时改正")
    revoked = case_at(world, "notified")
    for case in (lenient, revoked):
        services.advance(handler, case, "decide")
    services.revoke_decision(handler, revoked.decisions.get(), reason="复议撤销")
    for case in (lenient, revoked):
        services.advance(handler, case, "close")
    for case in (withdrawn, lenient, revoked):
        with pytest.raises(ServiceError, match="不能作为典型执法案例公布"):
            services.publish_typical(handler, case, title="某商贸公司案", summary="……")
    assert not TypicalCase.objects.exists()
    closed = case_at(world, "closed")
    assert services.publish_typical(handler, closed, title="某商贸公司案", summary="……").case == closed


def test_a_transfer_for_the_dangerous_operations_crime_is_an_enforcement_outcome_to_publish(world):
    """Seed 000 ⑤ names the 危险作业罪 cases among the typical cases: a closed case whose outcome is
    the 移送司法机关 may be published."""
    handler = world.user("commerce")
    case = notified_case(world)
    services.transfer(handler, case, party=principal(case), reason="涉嫌危险作业罪", dangerous_ops=True, transfer_to="天津市公安局河北分局")
    services.advance(handler, case, "decide")
    services.advance(handler, case, "close")
    t = services.publish_typical(handler, case, title="某公司危险作业罪案", summary="……", dangerous_ops=True)
    assert t.dangerous_ops


def test_a_listing_needs_a_penalty_on_the_unit_in_force(world):
    """From a case: a penalty of the unit in that case (a personal fine or a 不予处罚 is no ground);
    without a case: a penalty of the unit in force in any case (or an accident on record)."""
    handler = world.user("commerce")
    case = notified_case(world)
    services.decide_penalty(handler, case, party=principal(case), article=article(94), amount=20000)
    services.advance(handler, case, "decide")
    for kw in ({"case": case}, {}):
        with pytest.raises(ServiceError, match="行政处罚") as exc:
            services.propose_listing(handler, enterprise=world.ent_commerce, reason="拟列入", **kw)
        assert exc.value.field == "reason"
    assert not CreditListing.objects.exists()
    services.decide_penalty(handler, case, party=entity(case), article=article(102), amount=10000)
    assert services.propose_listing(handler, enterprise=world.ent_commerce, reason="拟列入", case=case).case == case
    assert services.propose_listing(handler, enterprise=world.ent_commerce, reason="拟列入").case is None
