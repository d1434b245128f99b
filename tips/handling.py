"""Handling time of a tip after acceptance (RULES.md §1): the ≤ 30-day extension of handling, the
feedback to the reporter within 10 days of closing, and the reporter's 复查 request (应急〔2023〕106号)
with its deadlines. Days come from DeadlineRule rows, counted as calendar or working days as the
row's ``calendar_days`` says (tips.deadlines; defaults there: calendar days)."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.events import record
from core.services import NotPermitted, ServiceError, StaleState

from . import deadlines, workflow
from .models import Tip
from .validators import clean_text

HANDLING_STATES = (workflow.ACCEPTED, workflow.VERIFYING)


def days(stage: str, on: datetime.date | None = None) -> int:
    """Days of ``stage`` under the DeadlineRule version in force on ``on`` (the date of the fact the
    period runs from; default today)."""
    return deadlines.rule(stage, on)[0]


def _leader_of_handler(actor, tip: Tip) -> bool:
    if actor is not None and actor.is_superuser:
        return True
    m = getattr(actor, "membership", None)
    return bool(m and m.can_approve and m.organisation_id == tip.assigned_org_id)


def can_extend(actor, tip: Tip) -> bool:
    return _leader_of_handler(actor, tip)


def extend_handling(actor, tip: Tip, *, extra_days: int, reason: str) -> Tip:
    """延期办理: a leader of the handling unit extends the handling deadline once, by at most
    DeadlineRule "extension" days (30)."""
    limit, calendar = deadlines.rule("extension")
    if not _leader_of_handler(actor, tip):
        raise NotPermitted("延期办理须经承办单位负责人批准。")
    if tip.status not in HANDLING_STATES:
        raise ServiceError("只有办理中的举报可以延期。", "extra_days")
    if tip.extended_days:
        raise ServiceError("该举报已延期一次，不能再次延期。", "extra_days")
    try:
        extra = int(extra_days)
    except (TypeError, ValueError):
        raise ServiceError("请填写延长天数。", "extra_days")
    if not 1 <= extra <= limit:
        raise ServiceError(f"延长办理期限最多{limit}{'日' if calendar else '个工作日'}。", "extra_days")
    reason = clean_text(reason, field="reason", label="延期理由", max_length=1000, required=True)
    new_deadline = deadlines.add(tip.handle_deadline or timezone.localdate(), extra, calendar)
    with transaction.atomic():
        if Tip.objects.filter(pk=tip.pk, status=tip.status, extended_days=0).update(
                extended_days=extra, extension_reason=reason, extension_approved_by=actor if actor.is_authenticated else None,
                handle_deadline=new_deadline) != 1:
            raise StaleState()
        record(actor, "tip.extended", tip, from_state=tip.status, to_state=tip.status, note=reason,
               data={"days": extra, "old_deadline": str(tip.handle_deadline), "new_deadline": str(new_deadline)})
    tip.refresh_from_db()
    return tip


def feedback_due(closed_on: datetime.date) -> datetime.date:
    return deadlines.due("feedback", closed_on)


def give_feedback(actor, tip: Tip, *, text: str) -> Tip:
    """向举报人反馈 the result of a closed tip (due within 10 days of closing)."""
    from .services import is_handler

    if not is_handler(actor, tip):
        raise NotPermitted("只有承办单位可以反馈。")
    if tip.status != workflow.CLOSED:
        raise ServiceError("举报办结后方可反馈办理结果。", "text")
    text = clean_text(text, field="text", label="反馈", max_length=2000, required=True)
    now = timezone.now()
    with transaction.atomic():
        if Tip.objects.filter(pk=tip.pk, status=workflow.CLOSED).update(feedback=text, feedback_at=now) != 1:
            raise StaleState()
        late = tip.feedback_due is not None and timezone.localtime(now).date() > tip.feedback_due
        record(actor, "tip.feedback", tip, note=text, data={"late": late})
    tip.refresh_from_db()
    return tip


def request_review(tip: Tip, *, reason: str, today: datetime.date | None = None) -> Tip:
    """The reporter (by tracking code) disputes the result and asks for 复查 within the window after
    the feedback; the review is due DeadlineRule "review" days later."""
    today = today or timezone.localdate()
    if tip.status != workflow.CLOSED or tip.feedback_at is None:
        raise ServiceError("举报办结并反馈后方可申请复查。", "reason")
    if tip.review_requested_at is not None:
        raise ServiceError("已申请过复查。", "reason")
    fed_back = timezone.localtime(tip.feedback_at).date()
    last = deadlines.due("review_request", fed_back)
    if today > last:
        raise ServiceError(f"申请复查的期限已过（应于{last:%Y-%m-%d}前申请）。", "reason")
    reason = clean_text(reason, field="reason", label="复查理由", max_length=2000, required=True)
    due = deadlines.due("review", today)
    with transaction.atomic():
        if Tip.objects.filter(pk=tip.pk, review_requested_at__isnull=True).update(
                review_requested_at=timezone.now(), review_reason=reason, review_due=due) != 1:
            raise StaleState()
        record(None, "tip.review_requested", tip, note="举报人申请复查", data={"due": str(due)})
    tip.refresh_from_db()
    return tip


def decide_review(actor, tip: Tip, *, result: str) -> Tip:
    """复查 by the covering committee office (not the unit that handled the tip)."""
    from .services import covering_committee

    if not covering_committee(actor, tip):
        raise NotPermitted("复查由属地安委会办公室办理。")
    if tip.review_requested_at is None or tip.review_decided_at is not None:
        raise ServiceError("该举报没有待办理的复查申请。", "result")
    result = clean_text(result, field="result", label="复查结论", max_length=2000, required=True)
    with transaction.atomic():
        if Tip.objects.filter(pk=tip.pk, review_decided_at__isnull=True).update(
                review_result=result, review_decided_at=timezone.now()) != 1:
            raise StaleState()
        record(actor, "tip.review_decided", tip, note=result)
    tip.refresh_from_db()
    return tip
