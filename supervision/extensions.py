"""Rules of a listed hazard that the listing authority owns, kept out of the transition table:

* an extension of a hazard under 挂牌督办 is decided by the listing body's leader (RULES.md §2:
  the 安委会 issues the notice and sets the deadline; 青岛 "3+X": extensions decided by the
  listing side within 10 working days), and the listing's deadline follows the decision;
* the on-site acceptance after the enterprise of a listed hazard submits its 整改完成 (request for
  acceptance / 销号) is due within N days of the submission (DeadlineRule "listed_accept", 10
  calendar days — RULES.md §2 湖北 2011 "within 10 days after … the request", DOMAIN.md §3.2;
  migration tips/0013), with alerts before and after the due day;
* the 摘牌 acceptance after the delisting request is due within N days (DeadlineRule "delisting",
  10 calendar days from 2026-12-03 — RULES.md §2 湖北 2011 "10 days", migration tips/0012; version 1
  counted working days), with alerts before and after the due day.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from core.events import record
from core.notifications import notify
from core.services import NotPermitted, ServiceError, StaleState

from . import workflow
from .models import Listing

DELISTING_STAGE = "delisting"
DEFAULT_DELISTING_DAYS = 10
SOON_DAYS = 3  # calendar days before the due day the "due soon" alert goes out


def listed_for(hazard) -> Listing | None:
    return hazard.listings.filter(status__in=workflow.SUPERVISED_STATES).select_related("listing_body").first()


def extension_requested(actor, hazard, ext) -> Listing | None:
    """Called by ``hazards.services.request_extension`` in its transaction: when the hazard is under
    挂牌督办, the request is recorded on the listing (``listing.extension_requested``, state kept) and
    every user of the listing body is told (in-app and e-mail, once per request) — its leader decides."""
    from .alerts import CHANNELS, org_users

    listing = listed_for(hazard)
    if listing is None:
        return None
    data = {"extension": ext.pk, "old_deadline": str(ext.old_deadline), "requested_deadline": str(ext.requested_deadline)}
    record(actor, "listing.extension_requested", listing, from_state=listing.status, to_state=listing.status,
           note=ext.reason, data=data)
    for user in org_users(listing.listing_body):
        notify(kind="listing.extension_requested", dedupe_key=f"listing:{listing.pk}:extension:{ext.pk}:user:{user.pk}",
               title=f"挂牌督办隐患申请延期，待审批：{hazard.enterprise.name}",
               body=f"{listing.notice_number}：申请将整改期限由{listing.deadline}延至{ext.requested_deadline}。理由：{ext.reason[:60]}",
               url=f"/supervision/{listing.pk}/", obj=listing, user=user, channels=CHANNELS)
    return listing


def _notify_extension_decided(listing: Listing, ext, approve: bool, note: str) -> None:
    """The requester is told the listing body's decision (once per request)."""
    from .alerts import CHANNELS

    if ext.requested_by_id is None:
        return
    verb = f"同意延期至{ext.requested_deadline}" if approve else "不同意延期"
    notify(kind="listing.extension_decided", dedupe_key=f"listing:{listing.pk}:extension:{ext.pk}:decided",
           title=f"延期申请审批结果：{verb}", body=f"{listing.notice_number}：{note or verb}", url=f"/supervision/{listing.pk}/",
           obj=listing, user=ext.requested_by, channels=CHANNELS)


def decide_listed_extension(actor, hazard, *, approve: bool, note: str = "") -> Listing:
    """The listing body's leader approves or denies the pending extension of a listed hazard; on
    approval both the hazard's and the listing's deadline move to the requested date."""
    from hazards.models import ExtensionRequest

    from .services import roles_for

    listing = listed_for(hazard)
    if listing is None:
        raise ServiceError("该隐患不在挂牌督办中。", "approve")
    roles = roles_for(actor, listing)
    if not roles & {"leader", "superuser"}:
        raise NotPermitted(f"挂牌督办隐患的延期须由挂牌单位（{listing.listing_body.name}）负责人审批。")
    ext = hazard.extensions.filter(status=ExtensionRequest.Status.PENDING).first()
    if ext is None:
        raise ServiceError("没有待审批的延期申请。", "approve")
    note = (note or "").strip()
    if not approve and not note:
        raise ServiceError("不同意延期须填写理由。", "note")
    if approve and ext.requested_deadline <= listing.deadline:
        # the request was checked against the hazard's deadline; the notice's may be later: an
        # "extension" must not shorten the listing's 整改期限
        raise ServiceError(f"申请延至日期（{ext.requested_deadline}）不晚于挂牌督办通知书的整改期限"
                           f"（{listing.deadline}），不能作为延期批准；请不同意并说明理由。", "approve")
    user = actor if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    new_status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.DENIED
    with transaction.atomic():
        if ExtensionRequest.objects.filter(pk=ext.pk, status=ExtensionRequest.Status.PENDING).update(
                status=new_status, decided_by=user, decided_at=now, decision_note=note) != 1:
            raise StaleState()
        data = {"approved": bool(approve), "old_deadline": str(ext.old_deadline),
                "new_deadline": str(ext.requested_deadline), "listing": listing.pk}
        if approve:
            if Listing.objects.filter(pk=listing.pk, status=listing.status, deadline=listing.deadline).update(
                    deadline=ext.requested_deadline) != 1:
                raise StaleState()
            data["old_listing_deadline"] = str(listing.deadline)
            listing.deadline = ext.requested_deadline
            # through the hazards writer: the hazard's deadline, its event (read by hazards.asof) and
            # the deadline alerts started again for the new date
            from hazards.services import set_listed_deadline

            set_listed_deadline(actor, hazard, deadline=ext.requested_deadline, listing=listing, extension=ext, note=note)
        else:
            record(actor, "hazard.decide_extension", hazard, from_state=hazard.status, to_state=hazard.status,
                   note=note, data=data)
        record(actor, "listing.extension_decided", listing, from_state=listing.status, to_state=listing.status,
               note=note, data=data)
        _notify_extension_decided(listing, ext, approve, note)
    return listing


# ---------------------------------------------------------------- 摘牌 acceptance timer

def delisting_days(on: datetime.date | None = None) -> int:
    """N under the DeadlineRule version in force on ``on`` (the day of the delisting request)."""
    from tips.deadlines import rule

    return rule(DELISTING_STAGE, on)[0]


def delisting_due(listing: Listing) -> datetime.date | None:
    """The day the listing body must have accepted (摘牌) or refused: N days after the request,
    calendar or working days as the DeadlineRule version in force on the request day says
    (tips.deadlines)."""
    from tips.deadlines import due

    if listing.delisting_requested_at is None:
        return None
    return due(DELISTING_STAGE, timezone.localtime(listing.delisting_requested_at).date())


def send_delisting_alerts(today: datetime.date | None = None) -> dict:
    """Pending delisting requests: "due soon" (≤ SOON_DAYS before the due day) to the listing body's
    leaders, "overdue" (after the due day) to the listing body and the next-higher 安委办. Once each."""
    from .alerts import CHANNELS, next_higher_office, org_users

    today = today or timezone.localdate()
    counts = {"delisting_due_soon": 0, "delisting_overdue": 0}
    pending = Listing.objects.filter(status=workflow.DELISTING_REQUESTED).select_related(
        "hazard__enterprise", "listing_body__region")
    for listing in pending:
        due = delisting_due(listing)
        name = listing.hazard.enterprise.name
        url = f"/supervision/{listing.pk}/"
        if today > due:
            users = list(org_users(listing.listing_body)) + list(org_users(next_higher_office(listing.listing_body)))
            for user in users:
                if notify(kind="listing.delisting_overdue", dedupe_key=f"listing:{listing.pk}:delisting_overdue:{due}:user:{user.pk}",
                          title=f"摘牌验收逾期：{name}", body=f"{listing.notice_number}：摘牌申请应于{due}前验收办结。",
                          url=url, obj=listing, user=user, channels=CHANNELS):
                    counts["delisting_overdue"] += 1
        elif (due - today).days <= SOON_DAYS:
            for user in org_users(listing.listing_body):
                if notify(kind="listing.delisting_due", dedupe_key=f"listing:{listing.pk}:delisting_due:{due}:user:{user.pk}",
                          title=f"摘牌验收即将到期：{name}", body=f"{listing.notice_number}：请于{due}前组织验收。",
                          url=url, obj=listing, user=user, channels=CHANNELS):
                    counts["delisting_due_soon"] += 1
    return counts


# ---------------------------------------------------------------- on-site acceptance timer

ACCEPTANCE_STAGE = "listed_accept"


def acceptance_request(listing: Listing):
    """The pending 整改完成 submission (``hazards.Acceptance``) of a listed hazard awaiting acceptance,
    or None."""
    from hazards.models import Acceptance, Hazard

    if listing.status not in workflow.SUPERVISED_STATES or listing.hazard.status != Hazard.Status.PENDING_ACCEPTANCE:
        return None
    return listing.hazard.acceptances.filter(decision=Acceptance.Decision.PENDING).order_by("-submitted_at").first()


def acceptance_due(listing: Listing, request=None) -> datetime.date | None:
    """The day the on-site acceptance of a listed hazard is due: N days (calendar or working, as the
    DeadlineRule version in force on the submission day says) after the day the enterprise submitted
    its 整改完成 — a dated fact (``Acceptance.submitted_at``, event ``hazard.submit_completion``)."""
    from tips.deadlines import due

    request = request or acceptance_request(listing)
    if request is None:
        return None
    return due(ACCEPTANCE_STAGE, timezone.localtime(request.submitted_at).date())


def send_acceptance_alerts(today: datetime.date | None = None) -> dict:
    """Listed hazards waiting for acceptance: "due soon" (≤ SOON_DAYS before the due day) to the
    listing body and the responsible department (who accepts a 重大 hazard), "overdue" (after the
    due day) to both and the next-higher 安委办. Once each per submission (its due day in the key)."""
    from hazards.models import Hazard

    from .alerts import CHANNELS, next_higher_office, org_users

    today = today or timezone.localdate()
    counts = {"acceptance_due_soon": 0, "acceptance_overdue": 0}
    waiting = Listing.objects.filter(status__in=workflow.SUPERVISED_STATES, hazard__status=Hazard.Status.PENDING_ACCEPTANCE
                                     ).select_related("hazard__enterprise", "listing_body__region", "responsible_department")
    for listing in waiting:
        due = acceptance_due(listing)
        if due is None:
            continue
        name, url = listing.hazard.enterprise.name, f"/supervision/{listing.pk}/"
        users = list(org_users(listing.listing_body)) + list(org_users(listing.responsible_department))
        if today > due:
            kind, key, title = "listing.acceptance_overdue", "acceptance_overdue", f"挂牌督办隐患现场验收逾期：{name}"
            body = f"{listing.notice_number}：企业已提交整改完成，应于{due}前组织现场验收。"
            users += list(org_users(next_higher_office(listing.listing_body)))
        elif (due - today).days <= SOON_DAYS:
            kind, key, title = "listing.acceptance_due", "acceptance_due_soon", f"挂牌督办隐患现场验收即将到期：{name}"
            body = f"{listing.notice_number}：企业已提交整改完成，请于{due}前组织现场验收。"
        else:
            continue
        for user in {u.pk: u for u in users}.values():
            if notify(kind=kind, dedupe_key=f"listing:{listing.pk}:{key}:{due}:user:{user.pk}", title=title, body=body,
                      url=url, obj=listing, user=user, channels=CHANNELS):
                counts[key] += 1
    return counts
