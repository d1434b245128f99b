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


def measure_cards(user) -> list[dict]:
    """现场处理措施 and 强制措施 in force on hazards the user sees — shown while there are any (the
    department reviews and lifts them; the unit lives under them), each linking to the ledger filtered
    the same way (counted with the ledger's own filter: ``HazardFilter.site_order`` / ``compulsion``)."""
    from .filters import HazardFilter

    qs = Hazard.objects.visible_to(user)
    shown = []
    for key, title, query, hint in (
            ("site_orders", "现场处理措施未解除", "site_order", "撤出作业人员、暂时停产停业、停止使用设施设备；销号后经审查同意解除"),
            ("compulsions", "强制措施未解除", "compulsion", "停止供电、停止供应民用爆炸物品等；单位履行决定后应当及时解除")):
        value = qs.filter(pk__in=HazardFilter.base_filters[query].ids()).count()
        if value:
            shown.append({"key": f"hazards_{key}", "title": title, "value": value, "url": f"/hazards/?{query}=true",
                          "hint": hint})
    return shown


def cards(user) -> list[dict]:
    fig = figures(user)
    return [
        {"key": "hazards_open", "title": "未销号隐患", "value": fig["open"], "url": "/hazards/?open=true",
         "hint": "已登记、整改中、待验收"},
        {"key": "hazards_open_major", "title": "未销号重大隐患", "value": fig["open_major"],
         "url": "/hazards/?open=true&grade=major", "hint": "须制定治理方案、由主管部门验收销号"},
        {"key": "hazards_overdue", "title": "逾期未整改隐患", "value": fig["overdue"],
         "url": "/hazards/?overdue=true", "hint": "超过整改期限仍未销号"},
        *measure_cards(user),
    ]
