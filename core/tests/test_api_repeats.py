"""A repeated action that already took effect answers 409 ``already_done`` with the current state
(issue 18, 3.), on every action operation of every app.

The test walks the schema's action operations (POST on a path with an ``{id}``; the hazard action
endpoint once per workflow action) and, for each, brings a fresh object to the state where the
action is allowed, performs it through the API (2xx), performs it again with the same body and
expects 409 with ``code == "already_done"`` and ``current`` describing that object. Operations
that may legitimately be repeated are listed in ``core.api_http.REPEATABLE`` with their reason;
an action operation in neither list fails the coverage test, so a new endpoint cannot slip by."""

import datetime

import pytest
import yaml
from django.utils import timezone

from core.api_http import REPEATABLE
from core.testing import client_as

pytestmark = pytest.mark.django_db
J = "application/json"


def _today():
    return timezone.localdate()


def _iso(days):
    return (_today() + datetime.timedelta(days=days)).isoformat()


# ---------------------------------------------------------------- hazards

PLAN = {"goal_tasks": "消除隐患", "measures": "拆除门锁", "funds_materials": "5万元，已落实", "responsible": "设备部 张三",
        "safety_emergency": "停用该区域，预案已修订"}


def _hazard(world, grade="general", state="registered", **kw):
    from accounts.models import Sector
    from hazards import services as hz

    h = hz.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce,
                           sector=Sector.objects.get(code="commerce"), description="安全出口锁闭", grade=grade,
                           basis_reason="可能导致群死群伤", deadline=_today() + datetime.timedelta(days=20), **kw)
    if state in ("rectifying", "pending", "closed"):
        h = hz.submit_plan(world.user("enterprise"), h, plan={**PLAN, "deadline": _today() + datetime.timedelta(days=20)})
    if state in ("pending", "closed"):
        hz.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
        h.refresh_from_db()
    if state == "closed":
        h = hz.accept(world.user("commerce"), h, opinion="合格")
    return h


def _act(h, name):
    return f"/api/v1/hazards/{h.pk}/actions/{name}/"


def h_report(world):
    h = _hazard(world, "major")
    return "enterprise", _act(h, "report"), {"department": world.org("commerce").pk}


def h_submit_plan(world):
    h = _hazard(world, "major")
    return "enterprise", _act(h, "submit_plan"), {**PLAN, "deadline": _iso(20)}


def h_close_now(world):
    return "enterprise", _act(_hazard(world), "close_now"), {"evidence_note": "当场整改完毕"}


def h_submit_completion(world):
    return "enterprise", _act(_hazard(world, state="rectifying"), "submit_completion"), {"evidence_note": "已整改"}


def h_accept(world):
    return "commerce", _act(_hazard(world, state="pending"), "accept"), {"mode": "on_site", "opinion": "合格"}


def h_reject(world):
    return "commerce", _act(_hazard(world, state="pending"), "reject"), {"reason": "出口仍上锁"}


def h_request_extension(world):
    return "enterprise", _act(_hazard(world, state="rectifying"), "request_extension"), \
        {"new_deadline": _iso(40), "reason": "设备到货延迟"}


def h_decide_extension(world):
    from hazards import services as hz

    h = _hazard(world, state="rectifying")
    hz.request_extension(world.user("enterprise"), h, new_deadline=_today() + datetime.timedelta(days=40), reason="延迟")
    return "commerce", _act(h, "decide_extension"), {"approve": True, "note": "同意"}


def h_merge(world):
    h, into = _hazard(world), _hazard(world)
    return "commerce", _act(h, "merge"), {"into": into.pk, "reason": "重复登记"}


def h_void(world):
    return "commerce", _act(_hazard(world), "void"), {"reason": "误登记"}


def h_site_order(world):
    from enforcement.tests.helpers import major_hazard

    h = major_hazard(world)
    return "commerce", f"/api/v1/hazards/{h.pk}/site-orders/", {"halt": True, "reason": "安全出口锁闭，无法保证安全"}


def h_lift_site_order(world):
    from enforcement.tests.helpers import major_hazard
    from hazards import services as hz

    h = major_hazard(world)
    order = hz.order_site_measures(world.user("commerce"), h, halt=True, reason="安全出口锁闭，无法保证安全")
    hz.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
    h.refresh_from_db()
    hz.accept(world.user("commerce"), h, mode="on_site", opinion="合格")
    return "commerce", f"/api/v1/hazards/{h.pk}/site-orders/{order.pk}/lift/", {"opinion": "经复查，同意恢复生产经营"}


def _site_order(world):
    from enforcement.tests.helpers import major_hazard
    from hazards import services as hz

    h = major_hazard(world)
    return h, hz.order_site_measures(world.user("commerce"), h, halt=True, reason="安全出口锁闭，无法保证安全")


def h_compulsory_measures(world):
    from django.utils import timezone

    h, order = _site_order(world)
    told = timezone.localtime()
    return "commerce_lead", f"/api/v1/hazards/{h.pk}/site-orders/{order.pk}/compulsory-measures/", {
        "stop_explosives": True, "notified_units": "民用爆炸物品供应单位", "defiance": "停产后仍在作业", "danger": "可燃物堆放",
        "takes_effect_at": told.isoformat()}


def h_lift_compulsory_measures(world):
    import datetime

    from django.utils import timezone

    from hazards import services as hz

    h, order = _site_order(world)
    told = timezone.now()
    measure = hz.take_compulsory_measures(
        world.user("commerce_lead"), order, stop_power=True, notified_units="供电公司", defiance="停产后仍在作业",
        danger="可燃物堆放", enterprise_notified_at=told, takes_effect_at=told + datetime.timedelta(hours=24))
    return "commerce", (f"/api/v1/hazards/{h.pk}/site-orders/{order.pk}/compulsory-measures/{measure.pk}/lift/"), {
        "note": "该单位已停止作业"}


def h_classify(world):
    return "commerce", _act(_hazard(world, state="closed"), "classify"), {"category": "behaviour"}


def h_reclassify(world):
    h = _hazard(world, state="closed", category="state")
    return "enterprise", _act(h, "reclassify"), {"category": "management", "reason": "登记时选错"}


def h_reopen(world):
    return "commerce", _act(_hazard(world, state="closed"), "reopen"), {"reason": "再次发现", "deadline": _iso(15)}


# ---------------------------------------------------------------- supervision (挂牌督办)

def _listing(world, approve=False, closed=False, delisting=False):
    from supervision import services as sv

    h = _hazard(world, "major", state="rectifying")
    listing = sv.propose_listing(world.user("committee"), hazard=h, responsible_department=world.org("commerce"),
                                 deadline=_today() + datetime.timedelta(days=30), requirements="限期整改")
    if approve:
        listing = sv.approve(world.user("committee_lead"), listing)
    if closed:
        from hazards import services as hz

        h.refresh_from_db()
        hz.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
        h.refresh_from_db()
        hz.accept(world.user("commerce_lead"), h, opinion="合格")
    if delisting:
        listing = sv.request_delisting(world.user("enterprise"), listing)
    return listing


def l_request_extension(world):
    return "enterprise", f"/api/v1/listings/{_listing(world, approve=True).pk}/request-extension/", \
        {"new_deadline": _iso(60), "reason": "设备到货延迟"}


def _extension_pending(world):
    from hazards import services as hz
    from hazards.models import Hazard

    listing = _listing(world, approve=True)
    hz.request_extension(world.user("enterprise"), Hazard.objects.get(pk=listing.hazard_id),
                         new_deadline=_today() + datetime.timedelta(days=60), reason="设备到货延迟")
    return f"/api/v1/listings/{listing.pk}/decide-extension/"


def l_decide_extension(world):
    return "committee_lead", _extension_pending(world), {"approve": True, "note": "同意"}


def l_refuse_extension(world):
    return "committee_lead", _extension_pending(world), {"approve": False, "note": "理由不充分"}


def l_approve(world):
    return "committee_lead", f"/api/v1/listings/{_listing(world).pk}/approve/", {"note": "同意"}


def l_decline(world):
    return "committee_lead", f"/api/v1/listings/{_listing(world).pk}/decline/", {"reason": "不符合挂牌条件"}


def l_request_delisting(world):
    return "enterprise", f"/api/v1/listings/{_listing(world, approve=True, closed=True).pk}/request-delisting/", \
        {"note": "已销号"}


def l_decide_delisting(world):
    listing = _listing(world, approve=True, closed=True, delisting=True)
    return "committee_lead", f"/api/v1/listings/{listing.pk}/decide-delisting/", {"accept": True}


def l_refuse_delisting(world):
    listing = _listing(world, approve=True, closed=True, delisting=True)
    return "committee_lead", f"/api/v1/listings/{listing.pk}/decide-delisting/", {"accept": False, "reason": "材料不全"}


# ---------------------------------------------------------------- tips

def _tip(world, state="submitted"):
    from accounts.models import Sector
    from tips import services as ts

    ent = world.ent_commerce
    tip, _code = ts.submit_tip(None, region=ent.region, sector=Sector.objects.get(code="commerce"), address="示范路1号",
                               enterprise=ent, content="仓库堆放货物堵塞疏散通道，安全出口上锁。")
    handler = world.user("commerce")
    if state in ("accepted", "verifying", "verified"):
        tip = ts.accept(handler, tip)
    if state in ("verifying", "verified"):
        tip = ts.start_verification(handler, tip)
    if state == "verified":
        tip = ts.verify(handler, tip, result="unfounded", note="现场核查未发现")
    return tip


def t_accept(world):
    return "commerce", f"/api/v1/tips/{_tip(world).pk}/accept/", {"note": "受理"}


def t_start_verification(world):
    return "commerce", f"/api/v1/tips/{_tip(world, 'accepted').pk}/start-verification/", {"note": ""}


def t_verify(world):
    return "commerce", f"/api/v1/tips/{_tip(world, 'verifying').pk}/verify/", {"result": "unfounded", "note": "未发现"}


def t_transfer(world):
    return "commerce", f"/api/v1/tips/{_tip(world).pk}/transfer/", {"unit": "区消防救援支队", "reason": "属消防职责"}


def t_close(world):
    return "commerce", f"/api/v1/tips/{_tip(world, 'verified').pk}/close/", {"note": "经核查不属实"}


def t_feedback(world):
    """向举报人反馈 once the handling ended (verification); the same text again is already done."""
    return "commerce", f"/api/v1/tips/{_tip(world, 'verified').pk}/feedback/", {"text": "经核查，举报事项不属实。"}


# ---------------------------------------------------------------- accidents

def _accident(world, state="reported"):
    from accidents import services as acs
    from accounts.models import Sector

    ent = world.ent_commerce
    occurred = timezone.now() - datetime.timedelta(hours=2)
    a = acs.report_accident(world.user("enterprise"), region=ent.region, place="仓库二层", enterprise=ent,
                            sector=Sector.objects.get(code="commerce"), accident_type="object_strike",
                            occurred_at=occurred,
                            learned_at=occurred + datetime.timedelta(minutes=10),
                            reported_at=occurred + datetime.timedelta(minutes=30), summary="货架倒塌，砸伤作业人员。",
                            injuries=1)
    gov = world.user("committee")
    if state in ("investigating", "submitted", "closed"):
        acs.start_investigation(gov, a, leader_name="张组长", members="应急局、商务局")
        a.refresh_from_db()
    if state in ("submitted", "closed"):
        acs.submit_report(gov, a, cause="违章堆放", nature="责任事故", technical_chapter="货架超载",
                          management_chapter="管理缺失")
        a.refresh_from_db()
    if state == "closed":
        acs.approve(world.user("committee_lead"), a, doc_no="河北政批〔2026〕1号", text="同意")
        a.refresh_from_db()
    return a


def a_classify(world):
    from accidents.models import Accident

    a = _accident(world)
    Accident.objects.filter(pk=a.pk).update(accident_type="")  # a report from before the type existed (未填写)
    return "enterprise", f"/api/v1/accidents/{a.pk}/classify/", {"accident_type": "fire", "note": "经核实为火灾"}


def a_reclassify(world):
    return "committee", f"/api/v1/accidents/{_accident(world).pk}/reclassify/", \
        {"accident_type": "fire", "reason": "调查查明系电气线路短路起火"}


def a_supplement(world):
    return "enterprise", f"/api/v1/accidents/{_accident(world).pk}/supplement/", \
        {"deaths": 0, "injuries": 3, "loss": "2.50", "note": "核实后补报"}


def a_start_investigation(world):
    return "committee", f"/api/v1/accidents/{_accident(world).pk}/start-investigation/", \
        {"leader_name": "张组长", "members": "应急局、商务局"}


def a_extend_investigation(world):
    return "committee", f"/api/v1/accidents/{_accident(world, 'investigating').pk}/extend-investigation/", \
        {"days": 30, "reason": "技术鉴定未完成"}


def a_escalate(world):
    return "committee", f"/api/v1/accidents/{_accident(world, 'investigating').pk}/escalate/", {"reason": "社会影响大"}


def a_submit_report(world):
    return "committee", f"/api/v1/accidents/{_accident(world, 'investigating').pk}/submit-report/", \
        {"cause": "违章堆放", "nature": "责任事故", "technical_chapter": "货架超载", "management_chapter": "管理缺失"}


def a_approve(world):
    return "committee_lead", f"/api/v1/accidents/{_accident(world, 'submitted').pk}/approve/", \
        {"doc_no": "河北政批〔2026〕1号", "text": "同意"}


def a_publish_evaluation(world):
    return "committee", f"/api/v1/accidents/{_accident(world, 'closed').pk}/publish-evaluation/", \
        {"rectification": "已整改", "prevention": "已落实", "handling": "已处理", "conclusion": "评估完成"}


def _measure(world, state="open"):
    from accidents import services as acs

    a = _accident(world, "investigating")
    m = acs.add_measure(world.user("committee"), a, problem="货架超载", content="更换货架", owner_org=world.org("commerce"),
                        owner_name="李四", deadline=_today() + datetime.timedelta(days=30))
    if state == "pending":
        m = acs.submit_measure(world.user("commerce"), m, note="已更换")
    return m


def m_submit(world):
    return "commerce", f"/api/v1/accident-measures/{_measure(world).pk}/submit/", {"note": "已更换货架"}


def m_accept(world):
    return "committee", f"/api/v1/accident-measures/{_measure(world, 'pending').pk}/accept/", {"note": "合格"}


def m_reject(world):
    return "committee", f"/api/v1/accident-measures/{_measure(world, 'pending').pk}/reject/", {"note": "仍未更换"}


# ---------------------------------------------------------------- inspections, enforcement

def _record(world, answered=False):
    from inspections import services as ins

    rec = ins.create_record(world.user("emergency"), enterprise=world.ent_commerce, inspectors=[world.user("emergency")],
                            inspected_on=_today())
    if answered:
        ins.answer_remaining(world.user("emergency"), rec)
    return rec


def i_answer_remaining(world):
    return "emergency", f"/api/v1/inspections/records/{_record(world).pk}/answer-remaining/", {}


def i_sign(world):
    return "emergency", f"/api/v1/inspections/records/{_record(world, answered=True).pk}/sign/", {}


def i_match(world):
    """台账中的同一隐患: the same hazard chosen again is already done."""
    from inspections import services as ins

    rec = _record(world)
    item = ins.add_finding(world.user("emergency"), rec, text="二号库房", note="安全出口上锁", grade="general")
    return "emergency", f"/api/v1/inspections/findings/{item.pk}/match/", {"existing_hazard": _hazard(world).pk}


def i_answer(world):
    """The same answer to a checklist line again is already done."""
    item = _record(world).items.order_by("pk").first()
    return "emergency", f"/api/v1/inspections/lines/{item.pk}/answer/", {"result": "conform", "note": "已核查"}


def e_penalties(world):
    from enforcement import services as es
    from enforcement.models import CaseParty, PenaltyArticle

    actor = world.user("commerce")
    case = es.open_case(actor, enterprise=world.ent_commerce, title="未如实记录隐患排查治理情况", facts="台账缺失。")
    es.advance(actor, case, "investigate")
    es.advance(actor, case, "notify")
    party = case.parties.get(kind=CaseParty.Kind.ENTITY)
    article = PenaltyArticle.objects.get(article=102, item="")
    return "commerce", f"/api/v1/cases/{case.pk}/penalties/", {"party": party.pk, "article": article.pk,
                                                               "amount": "20000", "reason": "逾期未改正"}


def e_suspension(world):
    from enforcement.tests.helpers import notified_case, suspension_article

    case = notified_case(world, filed=-10)
    return "commerce", f"/api/v1/cases/{case.pk}/suspension/", {"article": suspension_article().pk,
                                                                 "reason": "重大事故隐患未消除"}


def _suspension(world):
    from enforcement import services as es
    from enforcement.tests.helpers import notified_case, suspension_article

    case = notified_case(world, filed=-10)
    return es.order_suspension(world.user("commerce"), case, article=suspension_article(), reason="重大事故隐患未消除")


def e_compulsory_measures(world):
    from django.utils import timezone

    return "commerce_lead", f"/api/v1/decisions/{_suspension(world).pk}/compulsory-measures/", {
        "stop_explosives": True, "notified_units": "民用爆炸物品供应单位", "defiance": "停产后仍在生产", "danger": "可燃物堆放",
        "takes_effect_at": timezone.localtime().isoformat()}


def e_lift_compulsory_measures(world):
    import datetime

    from django.utils import timezone

    from enforcement import services as es

    decision = _suspension(world)
    told = timezone.now()
    measure = es.take_suspension_measures(
        world.user("commerce_lead"), decision, stop_power=True, notified_units="供电公司", defiance="停产后仍在生产",
        danger="可燃物堆放", enterprise_notified_at=told, takes_effect_at=told + datetime.timedelta(hours=24))
    return "commerce", f"/api/v1/decisions/{decision.pk}/compulsory-measures/{measure.pk}/lift/", {"note": "已停止生产"}


def e_resumption(world):
    from enforcement import services as es
    from enforcement.tests.helpers import notified_case, suspension_article

    case = notified_case(world, filed=-10)
    es.order_suspension(world.user("commerce"), case, article=suspension_article(), reason="重大事故隐患未消除")
    es.advance(world.user("commerce"), case, "decide")
    return "commerce", f"/api/v1/cases/{case.pk}/resumption/", {"reason": "复查合格，同意恢复生产经营"}


# ---------------------------------------------------------------- campaigns (调度表), assessment

def c_submit(world):
    from campaigns import services as cs

    campaign = cs.create_campaign(None, name="治本攻坚", issuer=world.org("committee"), region=world.district,
                                  start=_today() - datetime.timedelta(days=7), end=_today() + datetime.timedelta(days=60))
    as_of = (timezone.now() - datetime.timedelta(minutes=1)).replace(microsecond=0)
    return "commerce", f"/api/v1/campaigns/{campaign.pk}/submit/", {"as_of": as_of.isoformat(), "note": ""}


def _assessment_set(world, compute=True):
    from assessment import services as asv

    s = asv.create_set(world.user("committee"), year=2025, name="年度考评")
    if compute:
        asv.compute(world.user("committee"), s)
    return s


def _sheet(world):
    from assessment.models import Assessment

    return Assessment.objects.get(indicator_set=_assessment_set(world), unit=world.org("commerce"))


def as_indicators(world):
    return "committee", f"/api/v1/assessment-sets/{_assessment_set(world, compute=False).pk}/indicators/", \
        {"name": "培训记录", "weight": "5", "kind": "manual"}


def as_finalise(world):
    return "committee", f"/api/v1/assessment-sets/{_assessment_set(world).pk}/finalise/", {}


def as_adjust(world):
    a = _sheet(world)
    return "committee", f"/api/v1/assessments/{a.pk}/adjust/", \
        {"score": a.scores.get(indicator__kind="manual").pk, "new_score": "10", "reason": "记录齐全"}


def as_debriefs(world):
    return "commerce", f"/api/v1/assessments/{_sheet(world).pk}/debriefs/", \
        {"leader_name": "王局长", "position": "局长", "held_on": "2025-12-20", "content": "述职"}


# ---------------------------------------------------------------- enterprises

def en_reopen(world):
    from enterprises import services as es

    ent = world.ent_commerce2  # no hazards: it may be closed
    es.close_enterprise(world.user("committee_lead"), ent, reason="营业执照注销")
    return "committee_lead", f"/api/v1/enterprises/{ent.pk}/reopen/", {"reason": "误关闭，恢复"}


def en_end_engagement(world):
    from enterprises import services as es

    eng = es.engage_agency(world.user("enterprise"), agency=world.org("agency"), enterprise=world.ent_commerce,
                           start=_today())
    return "enterprise", f"/api/v1/engagements/{eng.pk}/end/", {"reason": "合同解除"}


RECIPES = {
    "v1_enterprises_reopen_create": en_reopen, "v1_engagements_end_create": en_end_engagement,
    "hazards_action:report": h_report, "hazards_action:submit_plan": h_submit_plan,
    "hazards_action:close_now": h_close_now, "hazards_action:submit_completion": h_submit_completion,
    "hazards_action:accept": h_accept, "hazards_action:reject": h_reject,
    "hazards_action:request_extension": h_request_extension, "hazards_action:decide_extension": h_decide_extension,
    "hazards_action:merge": h_merge, "hazards_action:void": h_void, "hazards_action:reopen": h_reopen,
    "hazards_action:classify": h_classify, "hazards_action:reclassify": h_reclassify,
    "v1_hazards_site_orders_create": h_site_order, "v1_hazards_site_orders_lift_create": h_lift_site_order,
    "v1_hazards_site_orders_compulsory_measures_create": h_compulsory_measures,
    "v1_hazards_site_orders_compulsory_measures_lift_create": h_lift_compulsory_measures,
    "v1_listings_approve_create": l_approve, "v1_listings_decline_create": l_decline,
    "v1_listings_request_delisting_create": l_request_delisting,
    "v1_listings_decide_delisting_create": l_decide_delisting,
    "v1_listings_decide_delisting_create:refuse": l_refuse_delisting,
    "v1_listings_request_extension_create": l_request_extension,
    "v1_listings_decide_extension_create": l_decide_extension,
    "v1_listings_decide_extension_create:refuse": l_refuse_extension,
    "v1_tips_accept_create": t_accept, "v1_tips_start_verification_create": t_start_verification,
    "v1_tips_verify_create": t_verify, "v1_tips_transfer_create": t_transfer, "v1_tips_close_create": t_close,
    "v1_tips_feedback_create": t_feedback,
    "v1_accidents_classify_create": a_classify, "v1_accidents_reclassify_create": a_reclassify,
    "v1_accidents_supplement_create": a_supplement, "v1_accidents_start_investigation_create": a_start_investigation,
    "v1_accidents_extend_investigation_create": a_extend_investigation, "v1_accidents_escalate_create": a_escalate,
    "v1_accidents_submit_report_create": a_submit_report, "v1_accidents_approve_create": a_approve,
    "v1_accidents_publish_evaluation_create": a_publish_evaluation,
    "v1_accident_measures_submit_create": m_submit, "v1_accident_measures_accept_create": m_accept,
    "v1_accident_measures_reject_create": m_reject,
    "v1_inspections_records_answer_remaining_create": i_answer_remaining,
    "v1_inspections_records_sign_create": i_sign,
    "v1_inspections_findings_match_create": i_match,
    "v1_inspections_lines_answer_create": i_answer,
    "v1_cases_penalties_create": e_penalties, "v1_cases_suspension_create": e_suspension,
    "v1_decisions_compulsory_measures_create": e_compulsory_measures,
    "v1_decisions_compulsory_measures_lift_create": e_lift_compulsory_measures,
    "v1_cases_resumption_create": e_resumption,
    "v1_campaigns_submit_create": c_submit,
    "v1_assessment_sets_indicators_create": as_indicators, "v1_assessment_sets_finalise_create": as_finalise,
    "v1_assessments_adjust_create": as_adjust, "v1_assessments_debriefs_create": as_debriefs,
}


def _action_operations(client, world) -> set[str]:
    """Every action operation of the schema: POST on a path with an ``{id}`` (a detail action);
    the hazard action endpoint counts once per workflow action."""
    from hazards.workflow import ACTIONS

    client_as(client, world, "admin")
    schema = yaml.safe_load(client.get("/api/schema/").content)
    ops = set()
    for path, methods in schema["paths"].items():
        op = methods.get("post")
        if op is None or "{id}" not in path:
            continue
        if "{action_name}" in path:
            ops |= {f"{op['operationId']}:{a}" for a in ACTIONS}
        else:
            ops.add(op["operationId"])
    return ops


def test_every_action_operation_is_checked_for_repeats_or_documented_as_repeatable(client, world):
    ops = _action_operations(client, world)
    assert len(ops) >= 30, ops  # the walk found the actions at all
    recipes = {k.split(":refuse")[0] for k in RECIPES}
    missing = ops - recipes - set(REPEATABLE)
    assert not missing, f"action operations with neither a repeat check nor a documented reason: {sorted(missing)}"
    stale = (recipes | set(REPEATABLE)) - ops
    assert not stale, f"listed but no longer in the schema: {sorted(stale)}"
    assert all(REPEATABLE.values()), "every repeatable action states its reason"


@pytest.mark.parametrize("operation", sorted(RECIPES))
def test_repeating_an_action_that_took_effect_is_409_with_the_current_state(client, world, operation):
    from core.models import Event

    persona, url, body = RECIPES[operation](world)
    client_as(client, world, persona)
    first = client.post(url, body, content_type=J, HTTP_IDEMPOTENCY_KEY=f"first-{operation}")
    assert 200 <= first.status_code < 300, (first.status_code, first.content[:600])
    events = Event.objects.count()
    # retried with its Idempotency-Key: the first answer again, as the client read it (a date in it was a 500)
    replay = client.post(url, body, content_type=J, HTTP_IDEMPOTENCY_KEY=f"first-{operation}")
    assert (replay.status_code, replay["Idempotent-Replayed"]) == (first.status_code, "true"), replay.content[:600]
    assert replay.json() == first.json()
    again = client.post(url, body, content_type=J)
    assert again.status_code == 409, (again.status_code, again.content[:600])
    answer = again.json()
    assert answer["code"] == "already_done" and answer["message"] and answer["errors"] == {}
    assert isinstance(answer["current"], dict) and answer["current"].get("id"), answer
    if not url.endswith(("/penalties/", "/suspension/", "/resumption/", "/submit/", "/site-orders/",
                          "/compulsory-measures/")):  # the object acted on
        assert str(answer["current"]["id"]) in url.split("/")
    else:
        # the decision / the dispatch submission / the 现场处理措施 or 强制措施 on record: what the first call made
        assert answer["current"]["id"] == first.json()["id"]
    assert Event.objects.count() == events, "a repeat changes nothing"
