"""How to bring each cases-side action of the API — accidents and their measures, inspections,
enforcement, the 调度表, assessment, enterprises — to the state where it is allowed (as
``repeat_recipes_ledger``, whose hazard and day helpers it uses)."""

import datetime

from django.utils import timezone

from .repeat_recipes_ledger import _hazard, _today

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
    from enforcement.tests.helpers import major_hazard, notified_case, suspension_article

    case = notified_case(world, hazard=major_hazard(world))  # 第七十条: a unit with a major hazard not yet eliminated
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
