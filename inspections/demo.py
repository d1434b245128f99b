"""Demo rows: a plan with a draw, signed records with findings, spot-checks, help visits."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from enterprises.models import Enterprise

from . import services
from .models import Plan, RecordItem


def load(ctx) -> None:
    users, ents, orgs = ctx["users"], ctx["enterprises"], ctx["orgs"]
    yj = users["hb_yingji"]
    today = timezone.localdate()
    title = f"{today.year}年度应急管理局双随机抽查计划"
    if Plan.objects.filter(title=title, department=orgs["emergency"]).exists():
        return
    plan = services.create_plan(yj, title=title, year=today.year, planned_count=6, high_risk_only=False)
    draw = services.make_draw(yj, plan, count=3, per_enterprise=2)
    for i, row in enumerate(draw.result[:2]):  # two of the drawn checks done, by the inspectors drawn
        team = list(get_user_model().objects.filter(pk__in=row["inspectors"]).order_by("pk"))
        rec = services.create_record(yj, enterprise=Enterprise.objects.get(pk=row["enterprise"]), inspectors=team,
                                     inspected_on=today - datetime.timedelta(days=3 + i), kind="routine",
                                     location="生产经营场所", summary="现场检查，发现隐患已责令整改", draw=draw)
        lines = list(rec.items.all()[:3])
        for item in lines[1:]:
            services.set_item(yj, item, result=RecordItem.Result.CONFORM)
        if lines:
            services.set_item(yj, lines[0], result=RecordItem.Result.HAZARD, note="安全出口堵塞，疏散通道堆放杂物",
                              grade="general", deadline=today + datetime.timedelta(days=10))
        else:
            services.add_finding(yj, rec, text="疏散通道", note="安全出口堵塞，疏散通道堆放杂物", grade="general",
                                 deadline=today + datetime.timedelta(days=10))
        services.answer_remaining(yj, rec)
        for u in team:
            services.sign(u, rec)
    services.record_spot_check(yj, enterprise=ents[0], checked_on=today - datetime.timedelta(days=2),
                               answers={"2.3": True}, notes={"2.3": "本季度未见带队检查记录"})
    services.record_spot_check(yj, enterprise=ents[1], checked_on=today - datetime.timedelta(days=2), no_agreement=True)
    services.record_spot_check(yj, enterprise=ents[2], checked_on=today - datetime.timedelta(days=1))
    services.record_visit(yj, kind="help_township", visited_on=today - datetime.timedelta(days=4),
                          township=ctx["townships"][0], content="指导街道开展重大事故隐患排查整治")
    services.record_visit(yj, kind="help_enterprise", visited_on=today - datetime.timedelta(days=4),
                          enterprise=ents[0], content="帮助企业建立隐患排查清单")
    services.record_visit(users["hb_anweiban"], kind="supervision", visited_on=today - datetime.timedelta(days=1),
                          target_organisation=orgs["township0"], content="督导街道专项行动落实情况")
