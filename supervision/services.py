"""The only code that writes listings: guard (workflow.refusal), one transaction,
compare-and-set on the status, one event in the same transaction."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from accounts.permissions import membership
from core.events import record
from core.services import NotPermitted, ServiceError, StaleState, lock
from hazards.models import Hazard

from . import workflow
from .models import PERCENTAGE_REFUSAL, REPORT_EVERY_DAYS_REFUSAL, Listing, ProgressReport

# Writers split out of this module (the AST test core/tests/test_writers.py allows them): extensions of listed hazards decided by the listing authority
SERVICE_MODULES = ('extensions',)

def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


_membership = membership


def roles_for(actor, listing: Listing) -> set[str]:
    """The actor's roles on this listing (empty when out of scope or read-only)."""
    if actor is None:
        return {"superuser"}
    if not actor.is_authenticated or not actor.is_active:
        return set()
    if actor.is_superuser:
        return {"superuser"}
    m = _membership(actor)
    if m is None or not m.can_write:
        return set()
    if not Listing.objects.visible_to(actor).filter(pk=listing.pk).exists():
        return set()
    roles = set()
    org = m.organisation
    if org.pk == listing.listing_body_id:
        roles.add("proposer")
        if m.can_approve:
            roles.add("leader")
    if org.pk == listing.responsible_department_id:
        roles.add("department")
    if org.kind == Organisation.Kind.ENTERPRISE and listing.hazard.enterprise.organisation_id == org.pk:
        roles.add("enterprise")
    return roles


def proposing_office(actor) -> Organisation | None:
    """The committee office (安委办) the actor may propose listings for, or None."""
    m = _membership(actor)
    if m is None or not m.can_write:
        return None
    org = m.organisation
    if org.kind != Organisation.Kind.COMMITTEE or org.region.level not in workflow.LEVELS or not org.is_active:
        return None
    return org


def listable_hazards(actor):
    """Open major hazards in the actor's scope without an active listing."""
    return (Hazard.objects.visible_to(actor).major().open().exclude(listings__status__in=workflow.ACTIVE_STATES)
            .select_related("enterprise"))


def department_choices(hazard: Hazard | None = None):
    qs = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, is_active=True).select_related("region")
    if hazard is not None:
        codes = [c for c in (hazard.province_code, hazard.city_code, hazard.county_code) if c]
        qs = qs.filter(region__code__in=codes)
    return qs


def competent_department(hazard: Hazard) -> Organisation | None:
    """The department leading the hazard's sector where the hazard is (the default 督办责任部门)."""
    from accounts.models import Competence

    sector_ids = [hazard.sector_id] + ([hazard.sector.parent_id] if hazard.sector.parent_id else [])
    comp = (Competence.objects.filter(sector_id__in=sector_ids, role=Competence.Role.LEAD,
                                      department__in=department_choices(hazard))
            .select_related("department").order_by("-region__code").first())
    return comp.department if comp else None


def _transition(actor, listing: Listing, action: str, ctx: workflow.Context, *, note: str = "", data=None,
                updates: dict | None = None) -> Listing:
    roles = roles_for(actor, listing)
    if not roles:
        raise NotPermitted("该挂牌督办不在您的管辖范围内，或您没有办理权限。")
    reason = workflow.refusal(listing.status, action, roles, ctx)
    if reason:
        raise ServiceError(reason)
    old = listing.status
    new = workflow.target_state(old, action)
    if Listing.objects.filter(pk=listing.pk, status=old).update(status=new, **(updates or {})) != 1:
        raise StaleState()
    listing.refresh_from_db()
    record(actor, f"listing.{action}", listing, from_state=old, to_state=new, note=note, data=data or {})
    return listing


def propose_listing(actor, *, hazard: Hazard, responsible_department: Organisation, deadline: datetime.date,
                    requirements: str, report_every_days: int = workflow.DEFAULT_REPORT_EVERY_DAYS,
                    public_notice: bool = True) -> Listing:
    """安委办 proposes listing an open major hazard in its region; the level is its region's level."""
    office = proposing_office(actor)
    if office is None:
        raise NotPermitted("只有省、市、县级安委会办公室可以提出挂牌督办。")
    if not Hazard.objects.visible_to(actor).filter(pk=hazard.pk).exists():
        raise NotPermitted("该隐患不在您的管辖范围内。")
    level = office.region.level
    if getattr(hazard, f"{level}_code") != office.region.code:
        raise NotPermitted("该隐患不在本级安委会辖区内。")
    if hazard.grade != Hazard.Grade.MAJOR:
        raise ServiceError("只有重大事故隐患可以挂牌督办。", "hazard")
    if not hazard.is_open():
        raise ServiceError("该隐患已销号或已作废，不能挂牌督办。", "hazard")
    if hazard.listings.filter(status__in=workflow.ACTIVE_STATES).exists():
        raise ServiceError("该隐患已在挂牌督办中。", "hazard")
    if responsible_department is None or not department_choices(hazard).filter(pk=responsible_department.pk).exists():
        raise ServiceError("督办责任部门须为隐患属地的行业主管部门。", "responsible_department")
    if deadline is None or deadline < timezone.localdate():
        raise ServiceError("整改期限不能早于今天。", "deadline")
    requirements = (requirements or "").strip()
    if not requirements:
        raise ServiceError("请填写督办要求。", "requirements")
    try:
        report_every_days = int(report_every_days)
    except (TypeError, ValueError):
        raise ServiceError("进展报告周期须为整数天数。", "report_every_days") from None
    if not Listing.MIN_REPORT_EVERY_DAYS <= report_every_days <= Listing.MAX_REPORT_EVERY_DAYS:
        raise ServiceError(REPORT_EVERY_DAYS_REFUSAL, "report_every_days")
    now = timezone.now()
    with transaction.atomic():
        listing = Listing.objects.create(
            hazard=hazard, level=level, listing_body=office, responsible_department=responsible_department,
            deadline=deadline, requirements=requirements, report_every_days=report_every_days,
            public_notice=public_notice, status=Listing.Status.PROPOSED, proposed_by=_user(actor), proposed_at=now,
            created_at=now)
        record(actor, "listing.proposed", listing, to_state=listing.status,
               data={"hazard": hazard.pk, "level": level, "department": responsible_department.pk,
                     "deadline": deadline.isoformat()})
        from .alerts import notify_proposed

        notify_proposed(listing)
    return listing


def _notice_number(listing: Listing, year: int) -> str:
    seq = Listing.objects.filter(listing_body=listing.listing_body, approved_at__year=year).exclude(notice_number="").count() + 1
    return f"{listing.listing_body.region.name}安委督〔{year}〕{seq}号"


def approve(actor, listing: Listing, *, public_notice: bool | None = None, note: str = "") -> Listing:
    """安委会 leader approves: the hazard is listed, the notice gets its number and is published, and
    the hazard's 整改期限 becomes the notice's (one deadline: the five-colour board, the statistics and
    the figures as of a date read the hazard's; ``hazards.services.set_listed_deadline``, its event
    dated now)."""
    is_proposer = actor is not None and listing.proposed_by_id == getattr(actor, "pk", None)
    hazard = Hazard.objects.get(pk=listing.hazard_id)  # as it is now, not as it was proposed
    if not hazard.is_open():
        raise ServiceError(f"该隐患{hazard.get_status_display()}，不能批准挂牌；请作出不予挂牌决定。", "hazard")
    if hazard.grade != Hazard.Grade.MAJOR:
        raise ServiceError("该隐患已不是重大事故隐患，不能批准挂牌；请作出不予挂牌决定。", "hazard")
    now = timezone.now()
    publish = listing.public_notice if public_notice is None else public_notice
    with transaction.atomic():
        listing = _transition(
            actor, listing, "approve", workflow.Context(is_proposer=is_proposer), note=note,
            updates={"approved_by": _user(actor), "approved_at": now, "notice_number": _notice_number(listing, timezone.localdate().year),
                     "public_notice": publish, "published_at": now if publish else None},
            data={"public_notice": publish})
        if hazard.deadline != listing.deadline:
            from hazards.services import set_listed_deadline

            set_listed_deadline(actor, hazard, deadline=listing.deadline, listing=listing,
                                note=f"挂牌督办通知书{listing.notice_number}确定的整改期限")
        from .alerts import notify_listed

        notify_listed(listing)
    return listing


def decline(actor, listing: Listing, *, reason: str) -> Listing:
    reason = (reason or "").strip()
    with transaction.atomic():
        return _transition(actor, listing, "decline", workflow.Context(has_reason=bool(reason)), note=reason,
                           updates={"decline_reason": reason})


def _percentage(value) -> int:
    """完成比例: a whole number 0–100 — an int, or its ASCII digits from a non-form caller ("²", "1e2", 50.5,
    True are refused on the field, never a ValueError)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ServiceError(PERCENTAGE_REFUSAL, "percentage")
    text = str(value).strip()
    digits = text[1:] if text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit()) or not 0 <= int(text) <= ProgressReport.MAX_PERCENTAGE:
        raise ServiceError(PERCENTAGE_REFUSAL, "percentage")
    return int(text)


def report_progress(actor, listing: Listing, *, date: datetime.date, text: str, percentage: int) -> ProgressReport:
    """The enterprise reports its rectification progress (default monthly)."""
    text = (text or "").strip()
    if not text:
        raise ServiceError("请填写整改进展。", "text")
    percentage = _percentage(percentage)
    today = timezone.localdate()
    if date is None or date > today:
        raise ServiceError("报告日期不能晚于今天。", "date")
    if listing.approved_at and date < timezone.localtime(listing.approved_at).date():
        raise ServiceError("报告日期不能早于挂牌日期。", "date")
    roles = roles_for(actor, listing)
    if not roles:
        raise NotPermitted("该挂牌督办不在您的管辖范围内，或您没有办理权限。")
    reason = workflow.refusal(listing.status, "report_progress", roles, workflow.Context())
    if reason:
        raise ServiceError(reason)
    with transaction.atomic():
        # serialised on the listing row; it must still be listed when the report lands, and one
        # report per listing and day (a double submit is refused, not stored twice)
        if lock(listing).status != Listing.Status.LISTED:
            raise StaleState()
        if ProgressReport.objects.filter(listing=listing, date=date).exists():
            raise ServiceError("该日期已报告过整改进展。", "date")
        report = ProgressReport.objects.create(listing=listing, date=date, text=text, percentage=int(percentage),
                                               reported_by=_user(actor))
        record(actor, "listing.report_progress", listing, from_state=listing.status, to_state=listing.status, note=text,
               data={"report": report.pk, "percentage": int(percentage), "date": date.isoformat()})
    return report


def request_delisting(actor, listing: Listing, *, note: str = "") -> Listing:
    """摘牌申请: only after the hazard has been accepted and 销号."""
    listing.hazard.refresh_from_db()
    closed = listing.hazard.status == Hazard.Status.CLOSED
    now = timezone.now()
    with transaction.atomic():
        return _transition(actor, listing, "request_delisting", workflow.Context(hazard_closed=closed), note=note,
                           updates={"delisting_requested_by": _user(actor), "delisting_requested_at": now,
                                    "delisting_note": note.strip()})


def decide_delisting(actor, listing: Listing, *, accept: bool, reason: str = "") -> Listing:
    """The listing body's leader accepts (摘牌, published) or refuses (back to 挂牌督办中) with a reason."""
    reason = (reason or "").strip()
    now = timezone.now()
    with transaction.atomic():
        if accept:
            listing.hazard.refresh_from_db()
            if listing.hazard.status != Hazard.Status.CLOSED:
                raise ServiceError("隐患已重新打开，不能摘牌。")
            updates = {"decided_by": _user(actor), "decided_at": now, "decision_reason": reason, "delisted_at": now,
                       "delisting_published_at": now if listing.public_notice else None}
            listing = _transition(actor, listing, "accept_delisting", workflow.Context(), note=reason, updates=updates)
        else:
            listing = _transition(actor, listing, "refuse_delisting", workflow.Context(has_reason=bool(reason)),
                                  note=reason, updates={"decided_by": _user(actor), "decided_at": now,
                                                        "decision_reason": reason})
        from .alerts import notify_delisting_decided

        notify_delisting_decided(listing, accept, reason)
    return listing
