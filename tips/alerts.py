"""Deadline alerts for tips: due within two working days or overdue; each sent once."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.notifications import notify

from .models import Tip

STAGE = {"submitted": "受理", "accepted": "办理", "verifying": "办理", "verified": "奖励决定"}


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
            if notify(kind=f"tip.{kind}", dedupe_key=f"tip:{tip.pk}:{tip.status}:{deadline}:{kind}:{user.pk}",
                      title=title, url=f"/tips/{tip.pk}/", obj=tip, user=user, channels=("inapp", "email")):
                sent += 1
    return sent
