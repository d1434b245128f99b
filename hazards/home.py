"""Home-page cards of the hazard ledger (scoped: enterprise users see their own). Government
scopes read the pre-aggregated tallies (``hazards.tallies``); enterprise and agency scopes —
a few enterprises — count their rows directly."""

from django.utils import timezone

from . import tallies
from .models import Hazard


def figures(user) -> dict:
    qs = Hazard.objects.visible_to(user)
    today = timezone.localdate()
    counted = tallies.open_figures(user, qs, today)
    if counted is not None:
        return counted
    open_qs = qs.open()
    return {"open": open_qs.count(), "open_major": open_qs.major().count(), "overdue": qs.overdue(today).count()}


def cards(user) -> list[dict]:
    fig = figures(user)
    return [
        {"key": "hazards_open", "title": "未销号隐患", "value": fig["open"], "url": "/hazards/?open=true",
         "hint": "已登记、整改中、待验收"},
        {"key": "hazards_open_major", "title": "未销号重大隐患", "value": fig["open_major"],
         "url": "/hazards/?open=true&grade=major", "hint": "须制定治理方案、由主管部门验收销号"},
        {"key": "hazards_overdue", "title": "逾期未整改隐患", "value": fig["overdue"],
         "url": "/hazards/?overdue=true", "hint": "超过整改期限仍未销号"},
    ]
