"""Handling time of a tip after acceptance (RULES.md §1): the ≤ 30-day extension of handling
(asked by the handling unit, approved by the next level — 上一级), the
feedback to the reporter within 10 days of closing (办结 = the ``verify`` transition, docs/tips.md
"Closing of the case"; not the tip's ``closed`` state, which follows the paid reward), and the
reporter's 复查 request (应急〔2023〕106号) with its deadlines. Days come from DeadlineRule rows, counted as calendar or working days as the
row's ``calendar_days`` says (tips.deadlines; defaults there: calendar days)."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.events import record
from core.services import NotPermitted, ServiceError, StaleState

from . import deadlines, workflow
from .models import Tip
from .validators import TEXT_BOUNDS, clean_text

HANDLING_STATES = (workflow.ACCEPTED, workflow.VERIFYING)


def days(stage: str, on: datetime.date | None = None) -> int:
    """Days of ``stage`` under the DeadlineRule version in force on ``on`` (the date of the fact the
    period runs from; default today)."""
    return deadlines.rule(stage, on)[0]


def can_request_extension(actor, tip: Tip) -> bool:
    """The handling unit asks (报请) for the extension while the tip is being handled, once."""
    from .services import is_handler

    return (actor is not None and is_handler(actor, tip) and tip.status in HANDLING_STATES and not tip.extended_days
            and not tip.extension_pending)


def can_decide_extension(actor, tip: Tip) -> bool:
    """A leader of the next-level unit the request went to (``Tip.extension_approver``)."""
    if actor is None or not actor.is_authenticated or not actor.is_active or not tip.extension_pending:
        return False
    if actor.is_superuser:
        return True
    m = getattr(actor, "membership", None)
    return bool(m and m.can_approve and tip.extension_approver_id and m.organisation_id == tip.extension_approver_id)


def _extra_days(extra_days, limit: int, calendar: bool) -> int:
    try:
        extra = int(extra_days)
    except (TypeError, ValueError):
        raise ServiceError("请填写延长天数。", "extra_days")
    if not 1 <= extra <= limit:
        raise ServiceError(f"延长办理期限最多{limit}{'日' if calendar else '个工作日'}。", "extra_days")
    return extra


def request_extension(actor, tip: Tip, *, extra_days: int, reason: str) -> Tip:
    """延期办理, step 1: the handling unit asks the next level (上一级, ``routing.next_level_office``)
    to extend the handling period once, by at most DeadlineRule "extension" days (30)."""
    from .routing import next_level_office
    from .services import is_handler

    if not is_handler(actor, tip):
        raise NotPermitted("只有承办单位可以报请延期办理。")
    if tip.status not in HANDLING_STATES:
        raise ServiceError("只有办理中的举报可以延期。", "extra_days")
    if tip.extended_days:
        raise ServiceError("该举报已延期一次，不能再次延期。", "extra_days")
    if tip.extension_pending:
        raise ServiceError("已报请延期，正等待上一级审批。", "extra_days")
    limit, calendar = deadlines.rule("extension")
    extra = _extra_days(extra_days, limit, calendar)
    reason = clean_text(reason, field="reason", label="延期理由", max_length=TEXT_BOUNDS["extend_reason"], required=True)
    approver = next_level_office(tip.assigned_org)
    if approver is None:
        raise ServiceError("平台上没有承办单位的上一级部门或安委会办公室，无法报请延期。", "extra_days")
    now = timezone.now()
    with transaction.atomic():
        if Tip.objects.filter(pk=tip.pk, status=tip.status, extended_days=0, extension_requested_at=tip.extension_requested_at,
                              extension_decided_at=tip.extension_decided_at).update(
                extension_requested_days=extra, extension_reason=reason, extension_requested_at=now,
                extension_requested_by=actor if actor.is_authenticated else None, extension_approver=approver,
                extension_decided_at=None, extension_decision_note="") != 1:
            raise StaleState()
        record(actor, "tip.extension_requested", tip, from_state=tip.status, to_state=tip.status, note=reason,
               data={"days": extra, "approver": approver.pk})
        _notify_approver(tip, approver, extra, now)
    tip.refresh_from_db()
    return tip


def decide_extension(actor, tip: Tip, *, approve: bool, note: str = "") -> Tip:
    """延期办理, step 2: a leader of the next-level unit approves (the handling deadline moves by the
    requested days, counted as the "extension" rule in force on the request day says) or refuses
    (with a reason). The handling unit's own leaders may not decide."""
    if not tip.extension_pending:
        raise ServiceError("该举报没有待审批的延期申请。", "note")
    if not can_decide_extension(actor, tip):
        raise NotPermitted("延期办理须经承办单位的上一级部门负责人批准，承办单位不能自行批准。")
    note = clean_text(note, field="note", label="审批意见", max_length=TEXT_BOUNDS["extension_note"], required=not approve)
    now = timezone.now()
    changes = {"extension_decided_at": now, "extension_decision_note": note}
    data = {"days": tip.extension_requested_days, "approver": tip.extension_approver_id}
    if approve:
        if tip.status not in HANDLING_STATES:
            raise ServiceError("举报已不在办理中，无需延期。", "note")
        _limit, calendar = deadlines.rule("extension", timezone.localtime(tip.extension_requested_at).date())
        new_deadline = deadlines.add(tip.handle_deadline or timezone.localdate(), tip.extension_requested_days, calendar)
        changes.update(extended_days=tip.extension_requested_days, handle_deadline=new_deadline,
                       extension_approved_by=actor if actor.is_authenticated else None)
        data.update(old_deadline=str(tip.handle_deadline), new_deadline=str(new_deadline))
    with transaction.atomic():
        if Tip.objects.filter(pk=tip.pk, status=tip.status, extension_requested_at=tip.extension_requested_at,
                              extension_decided_at__isnull=True).update(**changes) != 1:
            raise StaleState()
        record(actor, "tip.extended" if approve else "tip.extension_refused", tip, from_state=tip.status,
               to_state=tip.status, note=note or tip.extension_reason, data=data)
    tip.refresh_from_db()
    return tip


def _notify_approver(tip: Tip, approver, extra: int, requested_at) -> None:
    """The next level's leaders are told (in-app) that a request waits for them."""
    from django.contrib.auth import get_user_model

    from accounts.models import APPROVER_ROLES
    from core.notifications import notify

    for user in get_user_model().objects.filter(membership__organisation=approver, is_active=True,
                                                membership__role__in=APPROVER_ROLES):
        notify(kind="tip.approval_requested", dedupe_key=f"tip:{tip.pk}:extension:{requested_at:%Y%m%d%H%M%S%f}:{user.pk}",
               title=f"举报办理延期待审批：{tip.number}", body=f"{tip.assigned_org.name}报请延长{extra}日",
               url=f"/tips/{tip.pk}/", obj=tip, user=user, channels=("inapp",))


def feedback_due(verified_on: datetime.date) -> datetime.date:
    """The last day to tell the reporter the result: DeadlineRule "feedback" days (10, calendar days
    by default) after the day the handling ended (办结 = verification), under the rule in force then."""
    return deadlines.due("feedback", verified_on)


def can_give_feedback(actor, tip: Tip) -> bool:
    from .services import is_handler

    return actor is not None and is_handler(actor, tip) and tip.status in workflow.FEEDBACK_STATES


def give_feedback(actor, tip: Tip, *, text: str) -> Tip:
    """向举报人反馈 the result once the handling has ended (verified, reward decided or closed; due
    within 10 days of the verification, ``Tip.feedback_due``)."""
    from .services import is_handler

    if not is_handler(actor, tip):
        raise NotPermitted("只有承办单位可以反馈。")
    if tip.status not in workflow.FEEDBACK_STATES:
        raise ServiceError("举报核查办结后方可反馈办理结果。", "text")
    text = clean_text(text, field="text", label="反馈", max_length=TEXT_BOUNDS["feedback"], required=True)
    now = timezone.now()
    with transaction.atomic():
        if Tip.objects.filter(pk=tip.pk, status=tip.status).update(feedback=text, feedback_at=now) != 1:
            raise StaleState()
        late = tip.feedback_due is not None and timezone.localtime(now).date() > tip.feedback_due
        record(actor, "tip.feedback", tip, note=text, data={"late": late})
    tip.refresh_from_db()
    return tip


#: events whose actor's unit took part in handling the tip: it may not review it
HANDLING_VERBS = ("tip.accept", "tip.start_verification", "tip.verify", "tip.decide_reward", "tip.close",
                  "tip.feedback", "tip.transfer_internal", "tip.mark_duplicate", "tip.extension_requested")


def handling_orgs(tip: Tip) -> set[int]:
    """The units that handled the tip: the one it is assigned to and every unit that acted for it."""
    from core.models import Event

    orgs = set(Event.objects.filter(object_type="tips.tip", object_id=tip.pk, verb__in=HANDLING_VERBS,
                                    actor_org__isnull=False).values_list("actor_org_id", flat=True))
    return orgs | {tip.assigned_org_id}


def review_body(tip: Tip):
    """Who decides a 复查: the next level (上一级, ``routing.next_level_office``) above the handling
    unit, going further up past any unit that handled the tip; None when the platform has none (then
    a covering 安委办 that did not handle it decides). The 信访 rules give the review to the 上一级 of
    the original handling body; 应急〔2023〕106号 names none (RULES.md §1), so this is our reading."""
    from .routing import next_level_office

    handled, org = handling_orgs(tip), tip.assigned_org
    for _ in range(len(handled) + 1):
        org = next_level_office(org)
        if org is None or org.pk not in handled:
            return org
    return None


def _may_review(actor, tip: Tip) -> bool:
    from .services import covering_committee

    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    m = getattr(actor, "membership", None)
    if not (m and m.can_write) or m.organisation_id in handling_orgs(tip):
        return False
    if tip.review_org_id is not None:
        return m.organisation_id == tip.review_org_id
    return covering_committee(actor, tip)  # no next level on the platform (or a request from before tips/0016)


def can_decide_review(actor, tip: Tip) -> bool:
    return tip.review_requested_at is not None and tip.review_decided_at is None and _may_review(actor, tip)


def request_review(tip: Tip, *, reason: str, today: datetime.date | None = None) -> Tip:
    """The reporter (by tracking code) disputes the result and asks for 复查 within the window after
    the feedback; the review is due DeadlineRule "review" days later and goes to ``review_body``."""
    today = today or timezone.localdate()
    if tip.status not in workflow.FEEDBACK_STATES or tip.feedback_at is None:
        raise ServiceError("举报核查办结并反馈后方可申请复查。", "reason")
    if tip.review_requested_at is not None:
        raise ServiceError("已申请过复查。", "reason")
    fed_back = timezone.localtime(tip.feedback_at).date()
    last = deadlines.due("review_request", fed_back)
    if today > last:
        raise ServiceError(f"申请复查的期限已过（应于{last:%Y-%m-%d}前申请）。", "reason")
    reason = clean_text(reason, field="reason", label="复查理由", max_length=TEXT_BOUNDS["review_reason"], required=True)
    due = deadlines.due("review", today)
    body = review_body(tip)
    with transaction.atomic():
        if Tip.objects.filter(pk=tip.pk, review_requested_at__isnull=True).update(
                review_requested_at=timezone.now(), review_reason=reason, review_due=due, review_org=body) != 1:
            raise StaleState()
        record(None, "tip.review_requested", tip, note="举报人申请复查",
               data={"due": str(due), "review_org": getattr(body, "pk", None)})
        if body is not None:
            _notify_reviewer(tip, body, due)
    tip.refresh_from_db()
    return tip


def _notify_reviewer(tip: Tip, body, due) -> None:
    from django.contrib.auth import get_user_model

    from core.notifications import notify

    for user in get_user_model().objects.filter(membership__organisation=body, is_active=True,
                                                membership__role__in=("officer", "leader", "admin")):
        notify(kind="tip.review_requested", dedupe_key=f"tip:{tip.pk}:review:{user.pk}",
               title=f"举报复查待办理：{tip.number}", body=f"举报人对{tip.assigned_org.name}的办理结果申请复查，{due:%Y-%m-%d}前办结",
               url=f"/tips/{tip.pk}/", obj=tip, user=user, channels=("inapp",))


def decide_review(actor, tip: Tip, *, result: str) -> Tip:
    """复查 by ``Tip.review_org``, the next level above the handling unit — never a unit that
    handled the tip (``handling_orgs``)."""
    if not _may_review(actor, tip):
        body = f"（{tip.review_org.name}）" if tip.review_org_id else ""
        raise NotPermitted(f"复查由承办单位的上一级单位{body}办理，办理过该举报的单位不能复查。")
    if tip.review_requested_at is None or tip.review_decided_at is not None:
        raise ServiceError("该举报没有待办理的复查申请。", "result")
    result = clean_text(result, field="result", label="复查结论", max_length=TEXT_BOUNDS["review_result"], required=True)
    with transaction.atomic():
        if Tip.objects.filter(pk=tip.pk, review_decided_at__isnull=True).update(
                review_result=result, review_decided_at=timezone.now()) != 1:
            raise StaleState()
        record(actor, "tip.review_decided", tip, note=result, data={"review_org": tip.review_org_id})
    tip.refresh_from_db()
    return tip
