"""Home-page cards: accidents under investigation and investigations past their deadline."""

from accounts.permissions import is_government

from .models import Accident


def cards(user) -> list[dict]:
    if not is_government(user):
        return []
    qs = Accident.objects.visible_to(user).open_investigations()
    return [
        {"key": "accidents_open", "title": "在查事故", "value": qs.count(), "url": "/accidents/?investigating=true",
         "hint": "已报告、调查中"},
        {"key": "accidents_overdue", "title": "调查超期事故", "value": Accident.objects.visible_to(user).overdue().count(),
         "url": "/accidents/?overdue=true", "hint": "超过60日（或延长后）期限"},
    ]
