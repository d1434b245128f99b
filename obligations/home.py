"""Home-page card for enterprise users: what their self-check dashboard shows as due or overdue."""

from django.utils import timezone

from accounts.permissions import is_enterprise_user
from enterprises.models import Enterprise

from .summary import obligation_summary


def cards(user) -> list[dict]:
    if not is_enterprise_user(user):
        return []
    ent = Enterprise.objects.visible_to(user).first()
    if ent is None:
        return []
    items = obligation_summary(ent, timezone.localdate())["items"]
    overdue = sum(1 for i in items if i["status"] == "overdue")
    due = sum(1 for i in items if i["status"] == "due")
    return [{"key": "obligations_overdue", "title": "主体责任逾期事项", "value": overdue, "url": f"/obligations/enterprise/{ent.pk}/",
             "hint": f"另有 {due} 项本期待办"}]
