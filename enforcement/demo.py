"""Demo rows: a 一案双罚 case, a 不予处罚 case (on a self-reported, rectifying major hazard) and a
suspension, for demo enterprises; a case in which the 现场负责人 is transferred to the 公安机关
(涉嫌危险作业罪, with his 公民身份号码); two officials held accountable (责任倒查追责问责).
Idempotent: each part is keyed on its case title or its record, so a database loaded before a part
existed gains it on the next load, once."""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import Accountability, Case, CaseParty, PenaltyArticle

TITLES = ("未建立事故隐患排查治理制度（演示）", "自查自报重大事故隐患（演示）", "重大事故隐患未消除（演示）")
TRANSFER_TITLE = "关闭储罐区可燃气体检测报警装置（演示）"

def id_number(region: str, born: datetime.date, sequence: int) -> str:
    """A 公民身份号码 for a demo person: the 6-digit region code, the birth date, the 3-digit sequence
    number (odd for a man, even for a woman) and the GB 11643 check character — python-stdnum's, as
    ``core.idnumber`` checks it."""
    from stdnum.cn import ric

    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + ric.calc_check_digit(first17 + "?")  # stdnum computes over number[:-1] (the 18-character form)


def _notified(actor, ent, title, hazard=None, filed_days_ago=0):
    from . import services

    case = services.open_case(actor, enterprise=ent, title=title, facts="演示数据：执法检查发现。", hazard=hazard,
                              opened_on=timezone.localdate() - datetime.timedelta(days=filed_days_ago))
    services.advance(actor, case, "investigate")
    services.advance(actor, case, "notify")
    return case


def load(ctx) -> None:
    if not Case.objects.filter(title__in=TITLES).exists():
        _cases(ctx)
    if not Case.objects.filter(title=TRANSFER_TITLE).exists():
        _transfer_case(ctx)
    _accountability(ctx)


def _cases(ctx) -> None:
    from accounts.models import Sector
    from hazards import services as hz

    from . import services

    users, orgs, ents = ctx["users"], ctx["orgs"], ctx["enterprises"]
    officer, lead = users["hb_shangwu"], users["hb_shangwu_lead"]
    ent = ents[0]
    art = PenaltyArticle.objects.get(article=101, item="(五)逾期")

    case = _notified(officer, ent, TITLES[0], filed_days_ago=45)  # filed before the decisions dated back
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
    # the major hazard the unit was ordered to eliminate (第七十条's measures are for a unit with one)
    defied = hz.register_hazard(officer, enterprise=target, sector=sector, description="仓库内违规存放大量可燃物，消防设施停用（演示）",
                                grade="major", basis_reason="可能导致群死群伤", notify_people=False,
                                found_on=today - datetime.timedelta(days=31), deadline=today - datetime.timedelta(days=5))
    case = _notified(officer, target, TITLES[2], hazard=defied, filed_days_ago=30)
    # 拒不执行 (art. 102) presupposes the order to eliminate the hazard, given with its fine, unheeded
    services.decide_penalty(officer, case, party=case.parties.get(kind=CaseParty.Kind.ENTITY),
                            article=PenaltyArticle.objects.get(article=102, item=""), amount=30000,
                            decided_on=today - datetime.timedelta(days=20),
                            correction_ordered_on=today - datetime.timedelta(days=20),
                            correction_deadline=today - datetime.timedelta(days=5))
    suspension = services.order_suspension(officer, case, article=PenaltyArticle.objects.get(article=102, item="拒不执行"),
                                           reason="责令限期消除的重大事故隐患逾期仍未消除，存在现实危险",
                                           correction_deadline=today + datetime.timedelta(days=15))
    # …and still defied: the 负责人 approves stopping the power, told 24 hours ahead (第七十条)
    told = timezone.now().replace(second=0, microsecond=0)
    services.take_suspension_measures(
        lead, suspension, stop_power=True, notified_units="国网天津市电力公司河北供电分公司",
        defiance="责令停产停业整顿后夜间仍在仓库内组织作业", danger="重大事故隐患未消除，仓库内存放大量可燃物",
        enterprise_notified_at=told, takes_effect_at=told + datetime.timedelta(hours=24))
    services.advance(officer, case, "decide")  # the credit list follows the decision
    services.propose_listing(officer, enterprise=target, reason="拒不执行整改指令（演示）", case=case)
    services.record_notice(users["hb_anweiban"], target=orgs["township1"], kind="notice", reason="辖区隐患整治进度滞后")


@transaction.atomic
def _transfer_case(ctx) -> None:
    """应急管理局 finds the gas detection alarms of a chemical trader's tank farm switched off on the
    现场负责人's order: he is transferred to the 公安机关 during the investigation (涉嫌危险作业罪),
    the unit is fined under art. 99(四) after the notice, and the case is decided."""
    from . import services

    officer = ctx["users"]["hb_yingji"]
    ent = ctx["enterprises"][12]  # 天津渤化化工贸易有限公司 (危险化学品, 江都路街道)
    today = timezone.localdate()
    case = services.open_case(
        officer, enterprise=ent, title=TRANSFER_TITLE, opened_on=today - datetime.timedelta(days=30),
        facts="演示数据：执法检查发现，该公司储罐区可燃气体检测报警装置被人为关闭、视频监控断电，"
              "储罐区正在进行甲苯装卸作业，具有发生重大伤亡事故的现实危险。")
    person = services.add_party(officer, case, name="李振华", role=CaseParty.Role.OTHER_HEAD,
                                position="储运部经理（现场负责人）",
                                id_number=id_number("120105", datetime.date(1978, 3, 16), 31))
    services.advance(officer, case, "investigate")
    services.transfer(officer, case, party=person, dangerous_ops=True, decided_on=today - datetime.timedelta(days=21),
                      reason="现场负责人为避免报警影响装卸作业，指使关闭储罐区可燃气体检测报警装置，具有发生重大伤亡事故"
                             "的现实危险，涉嫌危险作业罪（关闭、破坏直接关系生产安全的监控、报警设备，"
                             "《中华人民共和国刑法》第一百三十四条之一），依法移送公安机关。", transfer_to="天津市公安局河北分局")
    services.advance(officer, case, "notify")
    services.decide_penalty(officer, case, party=case.parties.get(kind=CaseParty.Kind.ENTITY),
                            article=PenaltyArticle.objects.get(article=99, item="(四)"), amount=40000,
                            decided_on=today - datetime.timedelta(days=10),
                            correction_ordered_on=today - datetime.timedelta(days=10),
                            correction_deadline=today - datetime.timedelta(days=3))
    services.advance(officer, case, "decide")


#: (person, position, measure, reason, 公民身份号码 or "" when not recorded, days ago)
ACCOUNTABLE = (
    ("周立新", "江都路街道安全生产办公室副主任", "诫勉谈话",
     "对辖区危险化学品经营企业长期关闭可燃气体检测报警装置未及时发现，日常检查流于形式（责任倒查）",
     id_number("120105", datetime.date(1983, 9, 22), 57), 7),
    ("韩雪", "区应急管理局危险化学品安全监督管理科科员", "通报批评",
     "对储罐区报警装置运行情况检查不细致，未发现报警装置被关闭（责任倒查）", "", 5),
)


def _accountability(ctx) -> None:
    """区安委办 records the officials held accountable after the transfer case (each once)."""
    from . import services

    committee = ctx["users"]["hb_anweiban"]
    case = Case.objects.filter(title=TRANSFER_TITLE).first()
    today = timezone.localdate()
    for name, position, measure, reason, number, days in ACCOUNTABLE:
        if Accountability.objects.filter(person_name=name, measure=measure).exists():
            continue
        services.record_accountability(committee, person_name=name, person_position=position, measure=measure,
                                       reason=reason, case=case, id_number=number,
                                       date=today - datetime.timedelta(days=days))
