"""Demo obligation records for a few enterprises (idempotent); some items left overdue on purpose:
鑫隆商贸 has no drill on record and no 分管负责人职责清单; 津建三公司 has an expiring welder's
certificate and a chaotic subcontract; 建昌道加油站 extracted too little safety cost."""

import datetime

from django.utils import timezone

from . import services
from .models import PrincipalCheck
from .rules import add_months


def load(ctx: dict) -> None:
    today = timezone.localdate()
    ents = ctx["enterprises"]
    xinlong, jinjian, gas_station = ents[0], ents[6], ents[11]
    if PrincipalCheck.objects.filter(enterprise=xinlong).exists():
        return
    services.record_principal_check(None, xinlong, kind="check", held_on=add_months(today, -4), leader="负责人01",
                                    participants="负责人01、安全员、仓储主管", findings="二层仓库消防通道堆放货物\n配电箱未张贴警示标识")
    services.record_principal_check(None, xinlong, kind="study", held_on=add_months(today, -2), leader="负责人01",
                                    participants="公司班子成员", findings="研究部署重大事故隐患专项排查整治工作")
    services.add_responsibility_list(None, xinlong, kind="all_staff", title="全员安全生产责任清单（2026版）",
                                     issued_on=add_months(today, -5), text="主要负责人：全面负责……\n安全员：……")
    services.set_safety_organisation(None, xinlong, has_institution=False, full_time_managers=0, part_time_managers=1,
                                     as_of=add_months(today, -1))
    services.add_special_worker(None, xinlong, name="张电工", operation="electrician", certificate_no="T120105001",
                                issued_on=add_months(today, -30))

    services.record_principal_check(None, jinjian, kind="check", held_on=today - datetime.timedelta(days=3),
                                    leader="负责人07", participants="项目经理、安全总监", findings="塔吊限位器失灵")
    services.add_responsibility_list(None, jinjian, kind="deputy", title="分管负责人安全生产职责清单",
                                     issued_on=add_months(today, -3), text="分管生产副总：……")
    services.add_responsibility_list(None, jinjian, kind="all_staff", title="全员安全生产责任清单",
                                     issued_on=add_months(today, -3), text="……")
    services.set_safety_organisation(None, jinjian, has_institution=True, institution_name="安全质量部",
                                     full_time_managers=3, part_time_managers=2, as_of=add_months(today, -1))
    welder = services.add_special_worker(None, jinjian, name="李焊工", operation="welding", certificate_no="T120105007",
                                         issued_on=add_months(today, -71) + datetime.timedelta(days=10),
                                         reviewed_on=add_months(today, -35))
    services.add_work_permit(None, jinjian, kind="hot_work", operation="welding", number="DH-2026-001",
                             work_on=today - datetime.timedelta(days=10), location="3号楼地下室", approved_by="安全总监",
                             workers=[welder])
    services.add_outsourcing(None, jinjian, kind="outsourcing", counterpart="天津某劳务分包有限公司", scope="主体结构劳务",
                             start=add_months(today, -6), qualification_ok=True, agreement_signed=False,
                             duties_defined=True, unified_management=True)
    services.add_drill(None, jinjian, plan="高处坠落专项应急预案", held_on=add_months(today, -4), scenario="脚手架人员坠落",
                       participants=35, evaluation="响应及时，担架转运不熟练")
    services.add_cost_extraction(None, jinjian, year=today.year - 1, industry="construction", category="房屋建筑工程",
                                 base=80_000_000, amount=2_400_000, ratio_percent=3, used_amount=2_100_000,
                                 use="防护用品、临边防护、安全培训")

    services.record_principal_check(None, gas_station, kind="check", held_on=add_months(today, -1), leader="负责人12",
                                    participants="站长、安全员", findings="")
    services.add_drill(None, gas_station, plan="加油站火灾现场处置方案", held_on=add_months(today, -2),
                       scenario="卸油时油罐车起火", participants=12)
    services.add_cost_extraction(None, gas_station, year=today.year - 1, industry="hazchem", base=30_000_000,
                                 amount=600_000, ratio_percent=2, use="消防器材、防雷检测")
