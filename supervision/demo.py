"""Demo rows: two major hazards of 河北区 listed by the district 安委会 (one with a progress report).
Idempotent; creates its own major hazards through hazards.services if the demo has none."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Sector

from . import services, workflow
from .models import Listing

User = get_user_model()

DEMO_HAZARDS = [
    (0, "commerce", "商场疏散通道被占用，安全出口上锁（挂牌督办示范）"),
    (1, "commerce", "大型超市自动喷水灭火系统停用（挂牌督办示范）"),
]


def _major_hazards(ctx):
    from hazards import services as hz
    from hazards.models import Hazard

    committee = ctx["orgs"]["committee"]
    found = list(Hazard.objects.major().open().filter(county_code=committee.region.code)
                 .exclude(listings__status__in=workflow.ACTIVE_STATES).order_by("id")[:2])
    already = Listing.objects.filter(listing_body=committee).count()
    if already >= 2:
        return []
    for index, sector_code, description in DEMO_HAZARDS[len(found) + already:]:
        existing = Hazard.objects.filter(description=description).first()
        if existing is None:
            existing = hz.register_hazard(
                ctx["users"]["hb_shangwu"], enterprise=ctx["enterprises"][index], sector=Sector.objects.get(code=sector_code),
                description=description, grade="major", basis_reason="可能导致群死群伤", notify_people=False,
                deadline=timezone.localdate() + datetime.timedelta(days=90))
        found.append(existing)
    return found[: 2 - already]


def load(ctx) -> None:
    users = ctx["users"]
    for i, hazard in enumerate(_major_hazards(ctx)):
        listing = services.propose_listing(
            users["hb_anweiban"], hazard=hazard, responsible_department=services.competent_department(hazard) or ctx["orgs"]["emergency"],
            deadline=timezone.localdate() + datetime.timedelta(days=60 if i == 0 else 120),
            requirements="按治理方案六要素落实整改，每月向督办责任部门报告进展；整改期间落实安全防范措施。")
        if i == 0:
            listing = services.approve(users["hb_anweiban_lead"], listing)
            principal = User.objects.filter(membership__organisation_id=hazard.enterprise.organisation_id,
                                            membership__role="principal").first() if hazard.enterprise.organisation_id else None
            if principal is not None:
                services.report_progress(principal, listing, date=timezone.localdate(), text="已落实临时管控措施，正在组织整改",
                                         percentage=40)
