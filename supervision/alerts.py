"""Who is told what about listings. Each alert has a dedupe key, so it is sent once."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Membership, Organisation
from core.notifications import notify
from hazards.models import Hazard

from . import workflow

User = get_user_model()
CHANNELS = ("inapp", "email")


def org_users(org, roles=None):
    if org is None:
        return User.objects.none()
    qs = User.objects.filter(membership__organisation=org, is_active=True)
    if roles:
        qs = qs.filter(membership__role__in=roles)
    return qs.order_by("pk")


def enterprise_users(listing):
    org_id = listing.hazard.enterprise.organisation_id
    if not org_id:
        return User.objects.none()
    return User.objects.filter(membership__organisation_id=org_id, is_active=True,
                               membership__role__in=(Membership.Role.PRINCIPAL, Membership.Role.SAFETY_MANAGER)).order_by("pk")


def next_higher_office(org):
    """The nearest committee office (安委办) above ``org``'s region, or None."""
    codes = org.region.ancestor_codes()
    offices = Organisation.objects.filter(kind=Organisation.Kind.COMMITTEE, is_active=True, region__code__in=codes)
    return max(offices, key=lambda o: len(o.region.code), default=None)


def _url(listing):
    return f"/supervision/{listing.pk}/"


def notify_proposed(listing) -> None:
    for user in org_users(listing.listing_body, (Membership.Role.LEADER, Membership.Role.ADMIN)):
        if user.pk == listing.proposed_by_id:
            continue
        notify(kind="listing.proposed", dedupe_key=f"listing:{listing.pk}:proposed:user:{user.pk}",
               title=f"挂牌督办待审批：{listing.hazard.enterprise.name}", body=listing.hazard.description[:80],
               url=_url(listing), obj=listing, user=user, channels=CHANNELS)


def notify_listed(listing) -> None:
    title = f"重大事故隐患挂牌督办：{listing.notice_number}"
    body = f"{listing.hazard.enterprise.name}：{listing.hazard.description[:60]}；整改期限 {listing.deadline}。"
    for user in list(enterprise_users(listing)) + list(org_users(listing.responsible_department)):
        notify(kind="listing.listed", dedupe_key=f"listing:{listing.pk}:listed:user:{user.pk}", title=title, body=body,
               url=_url(listing), obj=listing, user=user, channels=CHANNELS)
    # The principal and the actual controller are told by SMS whether or not they have a login.
    ent = listing.hazard.enterprise
    for who, name, phone in (("principal", ent.principal_name, ent.principal_phone),
                             ("controller", ent.controller_name, ent.controller_phone)):
        if phone:
            notify(kind="listing.listed", dedupe_key=f"listing:{listing.pk}:listed:{who}", title=title, body=body,
                   obj=listing, name=name, phone=phone, channels=("sms",))


def notify_delisting_decided(listing, accepted: bool, reason: str) -> None:
    if listing.delisting_requested_by_id is None:
        return
    verb = "同意摘牌" if accepted else "不同意摘牌"
    notify(kind="listing.delisting_decided",
           dedupe_key=f"listing:{listing.pk}:delisting:{listing.delisting_requested_at:%Y%m%d%H%M%S%f}",
           title=f"摘牌申请审批结果：{verb}", body=reason or verb, url=_url(listing), obj=listing,
           user=listing.delisting_requested_by, channels=CHANNELS)


def send_listing_alerts(today: datetime.date | None = None) -> dict:
    """Overdue listings (deadline passed, hazard still open) → the listing body (once); overdue > 30
    days → also the next-higher 安委办 (once); progress report due → the enterprise (once per
    period, while the hazard is open); hazard accepted and 销号 but not yet delisted → the listing
    body, once: 请办理摘牌. Idempotent."""
    from .models import Listing

    today = today or timezone.localdate()
    counts = {"overdue": 0, "escalated": 0, "progress_due": 0, "delisting_prompted": 0}
    overdue = Listing.objects.overdue(today).select_related("hazard__enterprise", "listing_body__region")
    for listing in overdue:
        days = (today - listing.deadline).days
        title = f"挂牌督办隐患逾期未摘牌：{listing.hazard.enterprise.name}"
        body = f"{listing.notice_number}，整改期限 {listing.deadline}，已逾期 {days} 天。"
        for user in org_users(listing.listing_body):
            if notify(kind="listing.overdue", dedupe_key=f"listing:{listing.pk}:overdue:{listing.deadline}:user:{user.pk}",
                      title=title, body=body, url=_url(listing), obj=listing, user=user, channels=CHANNELS):
                counts["overdue"] += 1
        if days > workflow.OVERDUE_ESCALATION_DAYS:
            higher = next_higher_office(listing.listing_body)
            for user in org_users(higher):
                if notify(kind="listing.overdue_escalated",
                          dedupe_key=f"listing:{listing.pk}:escalated:{listing.deadline}:user:{user.pk}",
                          title=f"下级挂牌督办隐患逾期超过{workflow.OVERDUE_ESCALATION_DAYS}天：{listing.hazard.enterprise.name}",
                          body=f"{listing.listing_body.name} {body}", url=_url(listing), obj=listing, user=user,
                          channels=CHANNELS):
                    counts["escalated"] += 1
    listed = Listing.objects.filter(status=Listing.Status.LISTED).select_related("hazard__enterprise", "listing_body")
    for listing in listed:
        if listing.hazard.status == Hazard.Status.CLOSED:
            # accepted and 销号: no more progress reports are due; the listing body is told once
            # that what remains is 摘牌 (the enterprise or department applies, its leader decides)
            for user in org_users(listing.listing_body):
                if notify(kind="listing.delisting_prompt",
                          dedupe_key=f"listing:{listing.pk}:closed:{listing.hazard.closed_at:%Y%m%d%H%M%S}:user:{user.pk}",
                          title=f"挂牌督办隐患已验收销号，请办理摘牌：{listing.notice_number}",
                          body=f"{listing.hazard.enterprise.name}的挂牌督办隐患已于"
                               f"{timezone.localtime(listing.hazard.closed_at):%Y-%m-%d}验收销号。",
                          url=_url(listing), obj=listing, user=user, channels=CHANNELS):
                    counts["delisting_prompted"] += 1
            continue
        if not listing.hazard.is_open():
            continue
        last = listing.latest_report()
        since = last.date if last else timezone.localtime(listing.approved_at).date() if listing.approved_at else today
        due = since + datetime.timedelta(days=listing.report_every_days)
        if due > today:
            continue
        for user in enterprise_users(listing):
            if notify(kind="listing.progress_due", dedupe_key=f"listing:{listing.pk}:progress:{due}:user:{user.pk}",
                      title=f"请报告挂牌督办隐患整改进展：{listing.notice_number}",
                      body=f"上次报告 {since}，应于 {due} 前报告整改进展。", url=_url(listing), obj=listing, user=user,
                      channels=CHANNELS):
                counts["progress_due"] += 1
    from .extensions import send_acceptance_alerts, send_delisting_alerts

    counts.update(send_delisting_alerts(today))
    counts.update(send_acceptance_alerts(today))
    return counts
