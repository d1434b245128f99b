"""Home-page cards of the hazard ledger (scoped: enterprise users see their own)."""

from django.utils import timezone

from .models import Hazard


def cards(user) -> list[dict]:
    qs = Hazard.objects.visible_to(user)
    today = timezone.localdate()
    open_qs = qs.open()
    return [
        {"key": "hazards_open", "title": "未销号隐患", "value": open_qs.count(), "url": "/hazards/?open=true",
         "hint": "已登记、整改中、待验收"},
        {"key": "hazards_open_major", "title": "未销号重大隐患", "value": open_qs.major().count(),
         "url": "/hazards/?open=true&grade=major", "hint": "须制定治理方案、由主管部门验收销号"},
        {"key": "hazards_overdue", "title": "逾期未整改隐患", "value": qs.overdue(today).count(),
         "url": "/hazards/?overdue=true", "hint": "超过整改期限仍未销号"},
    ]
