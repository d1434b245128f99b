"""Demo accidents in 河北区: one closed with its exposed problems and a 举一反三 check, one under
investigation (挂牌督办), one freshly reported late by the enterprise."""

import datetime

from django.utils import timezone

from accounts.models import Sector

from . import services
from .models import Accident

MARK = "【演示】"


def load(ctx) -> None:
    if Accident.objects.filter(summary__startswith=MARK).exists():
        return
    ents, users, orgs = ctx["enterprises"], ctx["users"], ctx["orgs"]
    sectors = {s.code: s for s in Sector.objects.all()}
    committee, lead = users["hb_anweiban"], users["hb_anweiban_lead"]
    now = timezone.now()
    today = timezone.localdate()

    occurred = now - datetime.timedelta(days=20)
    a = services.report_accident(
        committee, region=ents[3].region, place="冷库装卸区", enterprise=ents[3], sector=sectors["commerce"],
        accident_type="vehicle", occurred_at=occurred, learned_at=occurred + datetime.timedelta(minutes=10),
        reported_at=occurred + datetime.timedelta(minutes=40), deaths=1, injuries=2, loss="180",
        summary=MARK + "叉车在冷库装卸区倒车时撞倒货架，货物坠落致一人死亡、两人重伤。")
    services.start_investigation(committee, a, leader_name="区应急管理局副局长 孙伟",
                                 members="区应急管理局、区商务局、公安河北分局、区总工会、区市场监管局")
    services.add_measure(committee, a, problem="叉车作业区与人员通道未隔离", content="设置物理隔离和警示标识，制定叉车作业规程",
                         owner_org=ents[3].organisation or orgs["commerce"], owner_name="负责人04",
                         deadline=today + datetime.timedelta(days=30))
    m2 = services.add_measure(committee, a, problem="行业部门对冷链仓储叉车作业检查不到位", content="开展冷链仓储专项检查",
                              owner_org=orgs["commerce"], owner_name="商务局科长 吴敏", deadline=today + datetime.timedelta(days=45))
    services.submit_measure(users["hb_shangwu"], m2, note="已完成全区冷链仓储企业专项检查。")
    services.accept_measure(committee, m2, note="检查记录齐全，同意验收。")
    services.submit_report(committee, a, cause="叉车司机无证驾驶、倒车未观察；货架未固定。", nature="一般生产安全责任事故",
                           technical_chapter="叉车后视盲区与货架防撞设施缺失的技术分析。",
                           management_chapter="企业安全生产责任制不落实、特种作业人员管理缺失；行业部门检查不到位。")
    services.approve(lead, a, doc_no="河北政批〔2026〕12号", text="同意调查报告，依法追究有关单位和人员责任。")
    services.add_responsibility(committee, a, kind="enterprise_penalty", subject=ents[3].name, measure="处以罚款30万元")
    services.launch_lesson_check(committee, a, title="冷链仓储叉车作业举一反三检查", deadline=today + datetime.timedelta(days=30))

    occurred = now - datetime.timedelta(days=5)
    b = services.report_accident(
        users["qy_jinjian"], region=ents[6].region, place="3号楼施工现场", enterprise=ents[6], sector=sectors["construction"],
        accident_type="collapse", occurred_at=occurred, learned_at=occurred + datetime.timedelta(minutes=20),
        reported_at=occurred + datetime.timedelta(minutes=50), deaths=0, injuries=3, loss="60",
        summary=MARK + "脚手架局部坍塌，三名作业人员重伤。")
    services.start_investigation(users["hb_yingji"], b, leader_name="区住建委副主任", members="区应急管理局、区住建委、区总工会")
    services.list_supervision(committee, b, note="限30日内完成调查，查清脚手架搭设验收责任。")

    occurred = now - datetime.timedelta(hours=5)
    services.report_accident(
        users["qy_xinlong"], region=ents[0].region, place="二楼库房", enterprise=ents[0], sector=sectors["commerce"],
        accident_type="fall", occurred_at=occurred, learned_at=occurred + datetime.timedelta(minutes=15),
        reported_at=occurred + datetime.timedelta(hours=2), deaths=0, injuries=1, loss="5",
        summary=MARK + "员工搬运货物时从移动梯坠落受伤（单位负责人接报后超过1小时报告）。")
