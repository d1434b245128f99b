"""延期申请 of a hazard under rectification and their decision by the competent department (a
hazard under 挂牌督办: supervision.extensions). Split out of ``services`` (listed in its
SERVICE_MODULES); requests that lapse when the hazard leaves 整改中: ``services._lapse_extensions``."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.events import record
from core.services import ServiceError, StaleState, lock
from supervision import workflow as listing_workflow  # pure (core.workflow only): the listing states

from .alerts import set_schedule
from .models import ExtensionRequest, Hazard
from .services import _context, _transition, first_alert_on


def request_extension(actor, hazard: Hazard, *, new_deadline: datetime.date, reason: str) -> ExtensionRequest:
    with transaction.atomic():
        hazard = lock(hazard)  # serialised: at most one pending request, decided on the locked row
        pending = hazard.extensions.filter(status=ExtensionRequest.Status.PENDING).exists()
        if hazard.deadline and new_deadline <= hazard.deadline:
            raise ServiceError("申请延至日期须晚于当前整改期限。", "new_deadline")
        _transition(actor, hazard, "request_extension",
                    _context(hazard, actor, has_reason=bool(reason.strip()), pending_extension=pending),
                    note=reason, data={"requested_deadline": new_deadline.isoformat()})
        ext = ExtensionRequest.objects.create(hazard=hazard, requested_by=actor if actor is not None and actor.is_authenticated else None,
                                              reason=reason, old_deadline=hazard.deadline, requested_deadline=new_deadline)
        from supervision.extensions import extension_requested

        extension_requested(actor, hazard, ext)  # under 挂牌督办: the listing body decides, so it is told
        return ext




def decide_extension(actor, hazard: Hazard, *, approve: bool, note: str = "") -> Hazard:
    """The competent department decides an extension — except for a hazard under 挂牌督办, whose
    extension the listing authority decides (supervision.extensions.decide_listed_extension)."""
    listing = hazard.listings.filter(status__in=listing_workflow.SUPERVISED_STATES).select_related("listing_body").first()
    if listing is not None:
        raise ServiceError(f"该隐患正由{listing.listing_body.name}挂牌督办，延期须由挂牌单位审批"
                           f"（挂牌督办通知书确定的整改期限由挂牌单位调整）。", "approve")
    with transaction.atomic():
        hazard = lock(hazard)  # serialised: approve vs deny vs a new request — one wins
        ext = hazard.extensions.filter(status=ExtensionRequest.Status.PENDING).first()
        if ext and approve and hazard.deadline and ext.requested_deadline <= hazard.deadline:
            raise ServiceError(f"申请延至的日期（{ext.requested_deadline}）不晚于现在的整改期限（{hazard.deadline}），"
                               "批准将缩短期限；请不予批准，由企业重新申请。", "approve")
        updates = {"deadline": ext.requested_deadline} if (ext and approve) else {}
        hazard = _transition(actor, hazard, "decide_extension", _context(hazard, actor, pending_extension=ext is not None),
                             note=note, updates=updates,
                             data={"approved": approve, "old_deadline": str(ext.old_deadline) if ext else None,
                                   "new_deadline": str(ext.requested_deadline) if ext else None})
        if ExtensionRequest.objects.filter(pk=ext.pk, status=ExtensionRequest.Status.PENDING).update(
                status=ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.DENIED,
                decided_by=actor if actor is not None and actor.is_authenticated else None, decided_at=timezone.now(),
                decision_note=note) != 1:
            raise StaleState()
        _tell_requester(hazard, ext, approve, note)
    return hazard


def _tell_requester(hazard: Hazard, ext: ExtensionRequest, approved: bool, note: str) -> None:
    """The requester learns the decision (in-app, once per request)."""
    if ext.requested_by_id is None:
        return
    from core.notifications import notify

    outcome = f"已批准，整改期限延至{ext.requested_deadline:%Y-%m-%d}" if approved else "未批准，整改期限不变"
    notify(kind="hazard.extension_decided", dedupe_key=f"extension:{ext.pk}:decided", obj=hazard, user=ext.requested_by,
           title=f"延期申请{outcome[:3]}：{hazard.number}", body=f"延期申请{outcome}。{('意见：' + note) if note else ''}",
           url=f"/hazards/{hazard.pk}/", channels=("inapp",))


def set_listed_deadline(actor, hazard: Hazard, *, deadline: datetime.date, listing, extension=None, note: str = "") -> Hazard:
    """The hazard's 整改期限 becomes its 挂牌督办's — one value (docs/supervision.md): on approval the
    notice's deadline (event ``hazard.listing_deadline``, old → new), on an extension approved by the
    listing body the extended date (``hazard.decide_extension``, approved). ``hazards.asof`` reads
    both at their time. Caller holds the transaction; compare-and-set on status and deadline; the
    deadline alerts re-armed for the new date."""
    old = hazard.deadline
    if Hazard.objects.filter(pk=hazard.pk, status=hazard.status, deadline=old).update(deadline=deadline) != 1:
        raise StaleState()
    set_schedule(hazard.pk, first_alert_on(deadline))
    hazard.deadline = deadline
    if extension is None:
        verb, data = "hazard.listing_deadline", {"deadline": deadline.isoformat(), "old_deadline": str(old) if old else None}
    else:
        verb, data = "hazard.decide_extension", {"approved": True, "old_deadline": str(extension.old_deadline),
                                                 "new_deadline": deadline.isoformat()}
    record(actor, verb, hazard, from_state=hazard.status, to_state=hazard.status, note=note,
           data={**data, "listing": listing.pk})
    return hazard
