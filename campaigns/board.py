"""The five-colour board (红橙黄蓝绿晾晒): figures per sub-region and the configurable colour rules.

Rules (``BoardRuleSet.rules`` overrides any of DEFAULT_RULES; see docs/dispatch.md):

* red    — any open major hazard overdue by more than ``red_overdue_days`` days, or (when
           ``listed_overdue_is_red``) any listed (挂牌督办) hazard overdue;
* orange — any open major hazard overdue;
* yellow — one due within ``due_soon_days`` days, or the rectification rate below ``target_rate`` %
           (到期整改率 = closed ÷ (closed + overdue): hazards not yet due do not lower it);
* blue   — open major hazards, all within their deadlines;
* green  — no open major hazard.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from regions.models import Region

DEFAULT_RULES = {"due_soon_days": 7, "red_overdue_days": 30, "target_rate": 90, "listed_overdue_is_red": True}
ORDER = ("red", "orange", "yellow", "blue", "green")
LABELS = {"red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝", "green": "绿"}
HEX = {"red": "#d9534f", "orange": "#f0883e", "yellow": "#f5c518", "blue": "#3b82f6", "green": "#22a06b"}
OPEN = ("registered", "rectifying", "pending_acceptance")


def active_rules() -> dict:
    from .models import BoardRuleSet

    row = BoardRuleSet.objects.filter(is_active=True).order_by("-updated_at", "-id").first()
    return {**DEFAULT_RULES, **((row.rules or {}) if row else {})}


def rate(closed: int, total: int) -> Decimal:
    if not total:
        return Decimal(100)
    return (Decimal(closed) * 100 / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def colour(fig: dict, rules: dict | None = None) -> str:
    """The colour of one sub-region's figures (open, overdue, max_overdue_days, due_soon_days_min,
    listed_overdue, rate)."""
    rules = {**DEFAULT_RULES, **(rules or {})}
    if fig.get("max_overdue_days", 0) > rules["red_overdue_days"] or (rules["listed_overdue_is_red"] and fig.get("listed_overdue", 0)):
        return "red"
    if fig.get("overdue", 0):
        return "orange"
    soon = fig.get("min_days_left")
    if (soon is not None and soon <= rules["due_soon_days"]) or Decimal(str(fig.get("rate", 100))) < Decimal(str(rules["target_rate"])):
        return "yellow"
    if fig.get("open", 0):
        return "blue"
    return "green"


def _listed_hazard_ids():
    try:
        Listing = apps.get_model("supervision", "Listing")
    except LookupError:
        return None
    if not any(f.name == "hazard" for f in Listing._meta.get_fields()):
        return None
    return Listing.objects.values("hazard_id")


def sub_regions(region: Region):
    return list(region.children.order_by("code"))


def figures(region: Region, today: datetime.date | None = None) -> list[dict]:
    """One dict per sub-region of ``region`` with the board's figures, in one grouped query."""
    from hazards.models import Hazard

    today = today or timezone.localdate()
    children = sub_regions(region)
    if not children:
        return []
    level = children[0].level
    open_q = Q(status__in=OPEN)
    overdue_q = open_q & Q(deadline__lt=today)
    agg = {
        "total": Count("pk"),
        "closed": Count("pk", filter=Q(status="closed")),
        "open": Count("pk", filter=open_q),
        "overdue": Count("pk", filter=overdue_q),
        "due": Count("pk", filter=Q(status="closed") | overdue_q),
        "on_time": Count("pk", filter=Q(status="closed", closed_at__date__lte=F("deadline"))),
        "not_due": Count("pk", filter=open_q & (Q(deadline__gte=today) | Q(deadline__isnull=True))),
        "min_overdue_deadline": Min("deadline", filter=overdue_q),
        "min_open_deadline": Min("deadline", filter=open_q & Q(deadline__gte=today)),
    }
    listed = _listed_hazard_ids()
    if listed is not None:
        agg["listed_overdue"] = Count("pk", filter=overdue_q & Q(pk__in=listed))
        agg["listed"] = Count("pk", filter=Q(pk__in=listed))
    rows = (Hazard.objects.filter(**{f"{region.level}_code": region.code}, grade="major")
            .exclude(status__in=("merged", "void")).values(f"{level}_code").annotate(**agg))
    by_code = {r[f"{level}_code"]: r for r in rows}
    out = []
    for child in children:
        r = by_code.get(child.code, {})
        fig = {
            "code": child.code, "name": child.name, "total": r.get("total", 0), "closed": r.get("closed", 0),
            "open": r.get("open", 0), "overdue": r.get("overdue", 0), "not_due": r.get("not_due", 0),
            "on_time": r.get("on_time", 0), "listed": r.get("listed", 0), "listed_overdue": r.get("listed_overdue", 0),
            "max_overdue_days": (today - r["min_overdue_deadline"]).days if r.get("min_overdue_deadline") else 0,
            "min_days_left": (r["min_open_deadline"] - today).days if r.get("min_open_deadline") else None,
        }
        fig["rate"] = str(rate(fig["closed"], r.get("due", 0)))  # 到期整改率: not-yet-due hazards do not lower it
        fig["overall_rate"] = str(rate(fig["closed"], fig["total"]))
        fig["on_time_rate"] = str(rate(fig["on_time"], fig["closed"])) if fig["closed"] else "—"
        out.append(fig)
    return out


def board(region: Region, today: datetime.date | None = None, rules: dict | None = None) -> list[dict]:
    """Sub-regions with colour and rank (worst first: colour, then overdue, then rate)."""
    rules = rules or active_rules()
    items = figures(region, today)
    for fig in items:
        fig["colour"] = colour(fig, rules)
        fig["colour_label"] = LABELS[fig["colour"]]
        fig["hex"] = HEX[fig["colour"]]
    items.sort(key=lambda f: (ORDER.index(f["colour"]), -f["overdue"], Decimal(f["rate"]), f["code"]))
    for i, fig in enumerate(items, 1):
        fig["rank"] = i
    return items


def snapshot(region: Region, today: datetime.date | None = None) -> int:
    """Write (or rewrite) this week's snapshot rows for the sub-regions of ``region``. Idempotent."""
    from django.db import transaction

    from .models import BoardSnapshot

    today = today or timezone.localdate()
    week = today - datetime.timedelta(days=today.weekday())
    n = 0
    with transaction.atomic():
        for fig in board(region, today):
            child = Region.objects.get(code=fig["code"])
            snap, _ = BoardSnapshot.objects.get_or_create(
                region=child, week=week, defaults={"colour": fig["colour"], "figures": fig})
            if snap.colour != fig["colour"] or snap.figures != fig:
                BoardSnapshot.objects.filter(pk=snap.pk).update(colour=fig["colour"], figures=fig)
            if not snap.township_code and not snap.county_code:
                snap.set_region_codes(child)
                BoardSnapshot.objects.filter(pk=snap.pk).update(
                    province_code=snap.province_code, city_code=snap.city_code, county_code=snap.county_code,
                    township_code=snap.township_code)
            n += 1
    return n
