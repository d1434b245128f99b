"""Demo rows: a 一案双罚 case, a 不予处罚 case (on a self-reported, rectifying major hazard) and a
suspension, for demo enterprises. Idempotent (keyed on the case titles)."""

import datetime

from django.utils import timezone

from .models import Case, CaseParty, PenaltyArticle

TITLES = ("未建立事故隐患排查治理制度（演示）", "自查自报重大事故隐患（演示）", "重大事故隐患未消除（演示）")


def _notified(actor, ent, title, hazard=None):
    from . import services

    case = services.open_case(actor, enterprise=ent, title=title, facts="演示数据：执法检查发现。", hazard=hazard)
    services.advance(actor, case, "investigate")
    services.advance(actor, case, "notify")
    return case


def load(ctx) -> None:
    from accounts.models import Sector
    from hazards import services as hz

    from . import services

    if Case.objects.filter(title__in=TITLES).exists():
        return
    users, orgs, ents = ctx["users"], ctx["orgs"], ctx["enterprises"]
    officer, lead = users["hb_shangwu"], users["hb_shangwu_lead"]
    ent = ents[0]
    art = PenaltyArticle.objects.get(article=101, item="(五)逾期")

    case = _notified(officer, ent, TITLES[0])
    entity = case.parties.get(kind=CaseParty.Kind.ENTITY)
    today = timezone.localdate()
    # 逾期未改正 presupposes the 责令限期改正 (with its fine) under 101(五), whose deadline has passed
    services.decide_penalty(officer, case, party=entity, article=PenaltyArticle.objects.get(article=101, item="(五)"),
                            amount=50000, decided_on=today - datetime.timedelta(days=40),
                            correction_ordered_on=today - datetime.timedelta(days=40),
                            correction_deadline=today - datetime.timedelta(days=10))
    services.decide_penalty(officer, case, party=entity, article=art, amount=120000)
    principal = case.parties.filter(role=CaseParty.Role.PRINCIPAL).first()
    if principal:
        services.decide_penalty(officer, case, party=principal, article=art, amount=30000)
    services.advance(officer, case, "decide")
    services.add_measure(officer, enterprise=ent, kind="interview", note="约谈主要负责人", case=case)
    services.advance(officer, case, "close")  # a typical case is published once its case is closed
    services.publish_typical(officer, case, title="某商贸公司未建立隐患排查治理制度被“一案双罚”", summary="演示案例。")

    owner = users.get("qy_xinlong")
    sector = Sector.objects.get(code="commerce")
    hazard = hz.register_hazard(owner, enterprise=ent, sector=sector, description="仓库安全出口锁闭（演示）", grade="major",
                                basis_reason="人员密集场所安全出口锁闭", notify_people=False,
                                deadline=timezone.localdate() + datetime.timedelta(days=30))
    hz.report_hazard(owner, hazard, department=orgs["commerce"])
    hz.submit_plan(owner, hazard, plan=dict(goal_tasks="拆除门锁，恢复疏散通道", measures="更换推闩式安全门",
                                            funds_materials="2万元已落实", responsible="行政部", safety_emergency="专人值守",
                                            deadline=timezone.localdate() + datetime.timedelta(days=30)))
    case = _notified(officer, ent, TITLES[1], hazard=hazard)
    services.decide_no_penalty(lead, case)

    target = ents[1]
    case = _notified(officer, target, TITLES[2])
    services.order_suspension(officer, case, reason="重大事故隐患未消除，存在现实危险",
                              correction_deadline=timezone.localdate() + datetime.timedelta(days=15))
    services.advance(officer, case, "decide")  # the credit list follows the decision
    services.propose_listing(officer, enterprise=target, reason="拒不执行整改指令（演示）", case=case)
    services.record_notice(users["hb_anweiban"], target=orgs["township1"], kind="notice", reason="辖区隐患整治进度滞后")
