"""Deadline alerts for tips: due within two working days or overdue; each sent once."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.notifications import notify

from . import workflow
from .models import Tip

STAGE = {"submitted": "受理", "accepted": "办理", "verifying": "办理", "verified": "奖励决定"}
# the deadline an alert is about belongs to a stage, not a status: accepted → verifying keeps the
# same 办理 deadline, which is told once (the key of "accepted", as before)
_STAGE_KEY = {"verifying": "accepted"}


def send_alerts(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=3)
    sent = 0
    User = get_user_model()
    for tip in Tip.objects.open().select_related("assigned_org"):
        deadline = tip.current_deadline
        if deadline is None or deadline > soon:
            continue
        kind = "overdue" if deadline < today else "due_soon"
        title = f"举报{tip.number}{STAGE.get(tip.status, '')}{'已超期' if kind == 'overdue' else '即将到期'}（{deadline}）"
        for user in User.objects.filter(membership__organisation_id=tip.assigned_org_id, is_active=True,
                                        membership__role__in=("officer", "leader")):
            if notify(kind=f"tip.{kind}", dedupe_key=f"tip:{tip.pk}:{_STAGE_KEY.get(tip.status, tip.status)}:{deadline}:{kind}:{user.pk}",
                      title=title, url=f"/tips/{tip.pk}/", obj=tip, user=user, channels=("inapp", "email")):
                sent += 1
    return sent


# ---------------------------------------------------------------- handling deadlines (tips.handling)

#: the window of a handling deadline an alert belongs to: the day before, the day itself, after it
HANDLING_WINDOWS = {"due_tomorrow": "明日到期", "due_today": "今日到期", "overdue": "已逾期"}
HANDLING_STAGES = {
    "extension": "延期后的办理期限",  # RULES.md §1: extension ≤ 30 days, once
    "feedback": "向举报人反馈期限",    # RULES.md §1: within 10 days of closing (办结 = verification)
    "review": "复查办结期限",          # 应急〔2023〕106号 复查 (days: DeadlineRule "review", R)
}


def handling_window(deadline: datetime.date, today: datetime.date) -> str | None:
    """Which alert is due today for ``deadline``: the day before, the day of, or after (once each;
    a missed run still sends the alert of the window it falls in)."""
    days = (deadline - today).days
    if days < 0:
        return "overdue"
    if days == 0:
        return "due_today"
    if days == 1:
        return "due_tomorrow"
    return None


def _org_staff(org_ids):
    User = get_user_model()
    return User.objects.filter(membership__organisation_id__in=list(org_ids), is_active=True,
                               membership__role__in=("officer", "leader")).select_related("membership")


def _covering_committees(tips) -> dict:
    """tip pk → the nearest committee office (安委办) whose region covers the tip (who decides a 复查
    that has no ``review_org``)."""
    from accounts.models import Organisation

    codes = {c for t in tips for c in (t.province_code, t.city_code, t.county_code, t.township_code) if c}
    offices = list(Organisation.objects.filter(kind="committee", is_active=True, region__code__in=codes)
                   .select_related("region"))
    out = {}
    for t in tips:
        covering = [o for o in offices if getattr(t, f"{o.region.level}_code", None) == o.region.code]
        if covering:
            out[t.pk] = max(covering, key=lambda o: len(o.region.code)).pk
    return out


def handling_deadlines(today: datetime.date):
    """(tip, stage, deadline, organisation id) for every pending handling deadline within a day."""
    horizon = today + datetime.timedelta(days=1)
    out = []
    for tip in Tip.objects.open().filter(extended_days__gt=0, handle_deadline__lte=horizon).order_by("pk"):
        out.append((tip, "extension", tip.handle_deadline, tip.assigned_org_id))
    for tip in Tip.objects.filter(status__in=workflow.FEEDBACK_STATES, feedback_at__isnull=True, feedback_due__isnull=False,
                                  feedback_due__lte=horizon).order_by("pk"):
        out.append((tip, "feedback", tip.feedback_due, tip.assigned_org_id))
    reviews = list(Tip.objects.filter(review_requested_at__isnull=False, review_decided_at__isnull=True,
                                      review_due__isnull=False, review_due__lte=horizon).order_by("pk"))
    committees = _covering_committees([t for t in reviews if t.review_org_id is None])
    for tip in reviews:
        body = tip.review_org_id or committees.get(tip.pk)
        if body:
            out.append((tip, "review", tip.review_due, body))
    return out


def send_handling_alerts(today: datetime.date | None = None) -> int:
    """Alerts for the extended handling deadline, the 10-day feedback and the 复查 deadline: the day
    before, the day of and after the deadline, to the handling unit's staff (复查: the covering 安委办),
    in-app and by e-mail. Idempotent: the dedupe key holds tip, stage, deadline, window and user."""
    today = today or timezone.localdate()
    rows = [(tip, stage, deadline, org, handling_window(deadline, today)) for tip, stage, deadline, org in handling_deadlines(today)]
    rows = [r for r in rows if r[4] is not None]
    staff: dict = {}
    for u in _org_staff({r[3] for r in rows}):
        staff.setdefault(u.membership.organisation_id, []).append(u)
    sent = 0
    for tip, stage, deadline, org, window in rows:
        title = f"举报{tip.number}{HANDLING_STAGES[stage]}{HANDLING_WINDOWS[window]}（{deadline:%Y-%m-%d}）"
        for user in staff.get(org, []):
            if notify(kind=f"tip.{stage}_{window}", dedupe_key=f"tip:{tip.pk}:{stage}:{deadline}:{window}:{user.pk}",
                      title=title, url=f"/tips/{tip.pk}/", obj=tip, user=user, channels=("inapp", "email")):
                sent += 1
    return sent
