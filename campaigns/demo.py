"""Demo campaigns for the demo district: the 2023 special campaign and the 2024–2026 治本攻坚 plan,
plus a few leadership activities (idempotent)."""

import datetime

from django.utils import timezone

from .models import Activity, Campaign
from .services import backfill_board, backfill_campaign, create_campaign, record_activity

PHASES_2023 = (
    ("动员部署", datetime.date(2023, 4, 1), datetime.date(2023, 4, 30)),
    ("自查自改和督导帮扶", datetime.date(2023, 5, 1), datetime.date(2023, 6, 30)),
    ("精准执法", datetime.date(2023, 7, 1), datetime.date(2023, 11, 30)),
    ("总结提高", datetime.date(2023, 12, 1), datetime.date(2023, 12, 31)),
)
PHASES_2024 = (
    ("动员部署", datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)),
    ("排查整治", datetime.date(2024, 4, 1), datetime.date(2025, 12, 31)),
    ("巩固提升", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
)
TARGETS = {"2024": {"rectification_rate": 80}, "2025": {"rectification_rate": 90}, "2026": {"rectification_rate": 95}}


def load(ctx):
    district = ctx["district"]
    committee = ctx["orgs"]["committee"]
    if not Campaign.objects.filter(region=district, name__startswith="重大事故隐患专项排查整治2023").exists():
        create_campaign(None, name="重大事故隐患专项排查整治2023行动", issuer=committee, region=district,
                        start=datetime.date(2023, 4, 1), end=datetime.date(2023, 12, 31),
                        first_report_date=datetime.date(2023, 4, 10), phases=PHASES_2023)
    if not Campaign.objects.filter(region=district, name__startswith="安全生产治本攻坚三年行动").exists():
        create_campaign(None, name="安全生产治本攻坚三年行动（2024—2026年）", issuer=committee, region=district,
                        start=datetime.date(2024, 1, 1), end=datetime.date(2026, 12, 31),
                        first_report_date=datetime.date(2024, 1, 8), phases=PHASES_2024, targets=TARGETS)
    _cockpit_hazards(ctx)
    _backfill(ctx)
    today = timezone.localdate()
    for key, kind, days_ago, count in (("committee", "study", 20, None), ("committee", "research", 14, None),
                                       ("emergency", "onsite", 10, None), ("emergency", "inspectors", 30, 6),
                                       ("township0", "preach", 5, None), ("commerce", "media", 12, None)):
        unit = ctx["orgs"][key]
        if not Activity.objects.filter(unit=unit, kind=kind).exists():
            record_activity(None, unit=unit, kind=kind, date=today - datetime.timedelta(days=days_ago), count=count,
                            participants="主要负责同志及相关科室", summary="示范数据",
                            recorded_at=timezone.now() - datetime.timedelta(days=days_ago))


#: major hazards that make the cockpit's five colours visible: (enterprise index, text, days overdue)
COCKPIT_HAZARDS = ((3, "冷库氨制冷机房未设置泄漏报警和事故排风装置", 40),   # 鸿顺里街道: red (> 30 days overdue)
                   (4, "仓库违规设置员工宿舍（“三合一”）", 5))            # 宁园街道: orange


def _cockpit_hazards(ctx):
    from accounts.models import Sector
    from hazards.models import HazardSource
    from hazards.services import register_hazard

    today = timezone.localdate()
    commerce = Sector.objects.get(code="commerce")
    for i, (ent_index, text, overdue_days) in enumerate(COCKPIT_HAZARDS, 1):
        ref = f"demo:cockpit-{i}"
        if HazardSource.objects.filter(reference=ref).exists():
            continue
        register_hazard(ctx["users"]["hb_shangwu"], enterprise=ctx["enterprises"][ent_index], sector=commerce, description=text,
                        grade="major", basis_reason="依据判定标准，可能导致群死群伤", source_reference=ref,
                        found_on=today - datetime.timedelta(days=overdue_days + 30),
                        deadline=today - datetime.timedelta(days=overdue_days),
                        responsible_person="仓储主管", responsible_phone="13700009999", notify_people=False)


def _backfill(ctx):
    """Trends without anyone running a command: the running campaign's weeks from the event trail,
    for the district's cockpit and the city's (the province committee office's)."""
    from .cockpit import board_region

    today = timezone.localdate()
    campaign = Campaign.objects.filter(region=ctx["district"], start__lte=today, end__gte=today).order_by("-start").first()
    if campaign is None:
        return
    backfill_campaign(None, campaign)
    province = ctx["orgs"]["province_committee"].region
    backfill_board(None, board_region(province), campaign.start)
