"""Demo ledger for 河北区: ~40 hazards across channels and states, all made through the services.
Idempotent: it does nothing when the demo hazards exist already (source reference "demo:<n>")."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Sector

from . import services
from .models import Hazard, HazardSource

GENERAL_TEXTS = ["灭火器压力不足", "疏散指示标志损坏", "配电箱未上锁", "电气线路私拉乱接", "货架超高堆放",
                 "安全警示标识缺失", "劳动防护用品未佩戴", "应急照明失效", "特种设备未按期检验", "气瓶未固定"]
MAJOR_TEXTS = ["安全出口锁闭、疏散通道堵塞", "燃气管道未安装泄漏报警装置", "危险化学品储存超量",
               "深基坑未按方案支护", "有限空间作业未审批"]
#: the 隐患类别 a registering user chose for each text (a text not here, e.g. a duplicate, is 未注明 and
#: shows the 注明隐患类别 action)
CATEGORY_OF = {"灭火器压力不足": "state", "疏散指示标志损坏": "state", "配电箱未上锁": "state",
               "电气线路私拉乱接": "behaviour", "货架超高堆放": "behaviour", "安全警示标识缺失": "state",
               "劳动防护用品未佩戴": "behaviour", "应急照明失效": "state", "特种设备未按期检验": "management",
               "气瓶未固定": "state", "安全出口锁闭、疏散通道堵塞": "behaviour", "燃气管道未安装泄漏报警装置": "state",
               "危险化学品储存超量": "management", "深基坑未按方案支护": "management", "有限空间作业未审批": "management"}


def _plan(deadline):
    return dict(goal_tasks="消除隐患，恢复安全状态", measures="制定整改措施并落实到岗", funds_materials="资金已落实",
                funds_amount=5, responsible="企业安全管理部门", deadline=deadline, safety_emergency="整改期间设置警戒区，应急预案已修订")


@transaction.atomic
def load(ctx: dict) -> None:
    if HazardSource.objects.filter(reference__startswith="demo:").exists():
        return
    users = ctx["users"]
    ents = ctx["enterprises"]
    today = timezone.localdate()
    commerce = Sector.objects.get(code="commerce")
    n = 0

    def reg(actor, ent, text, grade="general", sector=None, days=20, found_ago=10, **kw):
        nonlocal n
        n += 1
        sector = sector or next(iter(ent.sectors.all()))
        return services.register_hazard(
            users[actor], enterprise=ent, sector=sector, description=text, grade=grade,
            found_on=today - datetime.timedelta(days=found_ago), deadline=today + datetime.timedelta(days=days),
            basis_reason="依据判定标准，可能导致群死群伤" if grade == "major" else "", source_reference=f"demo:{n}",
            responsible_person=f"责任人{n:02d}", responsible_phone=f"1370000{n:04d}", notify_people=False,
            category=kw.pop("category", CATEGORY_OF.get(text.removeprefix("自查："), "")), **kw)

    xinlong, star, hotel = ents[0], ents[1], ents[2]
    # General hazards by inspection (commerce bureau) across commerce enterprises, some closed at once.
    for i in range(12):
        ent = ents[i % 6]
        h = reg("hb_shangwu", ent, GENERAL_TEXTS[i % len(GENERAL_TEXTS)], sector=commerce, days=15 + i)
        if i % 3 == 0:
            services.close_now(users["hb_shangwu"], h, evidence_note="现场已整改完毕")
        elif i % 3 == 1:
            services.submit_plan(users["hb_shangwu"], h)
    # Self-found by the enterprise, some rectifying, some pending acceptance.
    for i in range(6):
        h = reg("qy_xinlong", xinlong, f"自查：{GENERAL_TEXTS[(i + 3) % len(GENERAL_TEXTS)]}", sector=commerce, days=10 + i)
        if i >= 2:
            services.submit_plan(users["qy_xinlong"], h)
        if i >= 4:
            services.submit_completion(users["qy_xinlong"], h, evidence_note="已整改，照片留存")
    # Overdue: found long ago, deadline passed (registered with a past deadline through the service).
    for i in range(4):
        ent = ents[6 + i % 3]
        h = reg("hb_zhujian", ent, f"施工现场{GENERAL_TEXTS[i]}", found_ago=40, days=-(5 + i))
        services.submit_plan(users["hb_zhujian"], h)
    # Emergency bureau (comprehensive) across other sectors.
    for i in range(8):
        ent = ents[11 + i]
        channel = ("inspection", "tip", "government_third_party", "supervision", "accident")[i % 5]
        reg("hb_yingji", ent, GENERAL_TEXTS[(i + 5) % len(GENERAL_TEXTS)], days=25, channel=channel)
    # Major hazards: with plan and 双报告, one pending acceptance, one closed, one reopened.
    majors = []
    for i, ent in enumerate([xinlong, star, hotel, ents[3], ents[5]]):
        actor = "qy_xinlong" if ent == xinlong else "hb_shangwu"
        h = reg(actor, ent, MAJOR_TEXTS[i % len(MAJOR_TEXTS)] if i != 3 else MAJOR_TEXTS[0], grade="major",
                sector=commerce, days=30 + i)
        majors.append(h)
    m0 = services.report_hazard(users["qy_xinlong"], majors[0], department=ctx["orgs"]["commerce"])
    services.submit_plan(users["qy_xinlong"], m0, plan=_plan(m0.deadline))
    for h in majors[1:4]:
        services.submit_plan(users["hb_shangwu"], h, plan=_plan(h.deadline))
    # 现场处理措施 (安全生产法 第六十五条第一款第（三）项): one in force, one lifted after its hazard's 销号
    def after_found(h):  # the department ordered them two days after the hazard was found
        return min(today, h.found_on + datetime.timedelta(days=2))

    m3 = Hazard.objects.get(pk=majors[3].pk)
    halted = services.order_site_measures(users["hb_shangwu"], m3, withdraw_workers=True, halt=True,
                                          reason="仓库疏散通道堵塞，火灾时人员无法疏散", ordered_on=after_found(m3))
    # the unit went on working: its power is stopped (安全生产法 第七十条), the unit told 24 hours before —
    # at 9:00 on the day of the order (or now, when that is still to come)
    nine = timezone.make_aware(datetime.datetime.combine(halted.ordered_on, datetime.time(9)))
    told = min(nine, timezone.now().replace(second=0, microsecond=0))
    services.take_compulsory_measures(
        users["hb_shangwu_lead"], halted, stop_power=True, notified_units="国网天津市电力公司河北供电分公司",
        defiance="责令暂时停产停业后，仓库仍在夜间组织装卸作业", danger="疏散通道堵塞，仓库内存放大量纸箱等可燃物",
        enterprise_notified_at=told, takes_effect_at=told + datetime.timedelta(hours=24), decided_on=halted.ordered_on)
    m1 = Hazard.objects.get(pk=majors[1].pk)
    stop_use = services.order_site_measures(users["hb_shangwu"], m1, stop_use=True, facilities="液化气钢瓶间",
                                            reason="液化气泄漏无报警装置，无法保证安全", ordered_on=after_found(m1))
    services.submit_completion(users["qy_xinlong"], majors[0], evidence_note="已拆除门锁，恢复疏散通道")
    m1 = Hazard.objects.get(pk=majors[1].pk)
    services.submit_completion(None, m1, evidence_note="已加装泄漏报警装置")
    m1.refresh_from_db()
    services.accept(users["hb_shangwu_lead"], m1, mode="on_site", opinion="现场核查已整改到位")
    stop_use.refresh_from_db()
    services.lift_site_order(users["hb_shangwu"], stop_use, opinion="已加装泄漏报警装置，经审查同意恢复使用")
    m2 = Hazard.objects.get(pk=majors[2].pk)
    services.submit_completion(None, m2, evidence_note="已清理超量储存")
    m2.refresh_from_db()
    services.accept(users["hb_shangwu_lead"], m2, mode="documents", opinion="书面验收通过")
    m2.refresh_from_db()
    services.reopen(users["hb_shangwu"], m2, reason="复查时再次发现超量储存", deadline=today + datetime.timedelta(days=15))
    # One duplicate merged into its original, one voided registration.
    dup = reg("hb_yingji", ents[3], MAJOR_TEXTS[0] + "（重复登记）", sector=commerce, channel="inspection")
    services.merge(users["hb_yingji"], dup, into=Hazard.objects.get(pk=majors[3].pk), reason="与已登记隐患重复")
    wrong = reg("hb_yingji", ents[4], "登记错误的隐患", sector=commerce)
    services.void(users["hb_yingji"], wrong, reason="误登记")
