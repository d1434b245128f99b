"""Statistics over the hazards a user may see: by sub-region × sector, by channel, weekly trend."""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.models import Sector
from regions.models import Region

from .board import rate

OPEN = ("registered", "rectifying", "pending_acceptance")


def _agg(today):
    return {
        "found": Count("pk"),
        "rectified": Count("pk", filter=Q(status="closed")),
        "open": Count("pk", filter=Q(status__in=OPEN)),
        "overdue": Count("pk", filter=Q(status__in=OPEN, deadline__lt=today)),
    }


def statistics(hazards, region: Region, *, grade: str = "", weeks: int = 12, today=None) -> dict:
    """``hazards`` is already scoped (visible_to); merged and voided hazards count nowhere."""
    today = today or timezone.localdate()
    qs = hazards.exclude(status__in=("merged", "void"))
    if grade:
        qs = qs.filter(grade=grade)
    children = list(region.children.order_by("code"))
    level = children[0].level if children else region.level
    names = {c.code: c.name for c in children} or {region.code: region.name}
    sectors = dict(Sector.objects.values_list("pk", "name"))
    listed = None
    try:
        from django.apps import apps

        Listing = apps.get_model("supervision", "Listing")
        if any(f.name == "hazard" for f in Listing._meta.get_fields()):
            listed = Listing.objects.values("hazard_id")
    except LookupError:
        pass
    agg = _agg(today)
    if listed is not None:
        agg["listed"] = Count("pk", filter=Q(pk__in=listed))
    rows = []
    for r in qs.values(f"{level}_code", "sector_id").annotate(**agg).order_by(f"{level}_code", "sector_id"):
        r["region"] = names.get(r[f"{level}_code"], r[f"{level}_code"])
        r["sector"] = sectors.get(r["sector_id"], "")
        r["rate"] = str(rate(r["rectified"], r["found"]))
        rows.append(r)
    by_region = []
    for r in qs.values(f"{level}_code").annotate(**agg).order_by(f"{level}_code"):
        r["region"] = names.get(r[f"{level}_code"], r[f"{level}_code"])
        r["rate"] = str(rate(r["rectified"], r["found"]))
        by_region.append(r)
    labels = dict(hazards.model.Channel.choices)
    by_channel = [{"channel": labels.get(r["channel"], r["channel"]), **r}
                  for r in qs.values("channel").annotate(**agg).order_by("channel")]
    since = today - datetime.timedelta(days=7 * weeks)
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    trend = [{"week": r["week"].date().isoformat() if hasattr(r["week"], "date") else str(r["week"]), "found": r["found"],
              "rectified": r["rectified"]}
             for r in qs.filter(first_reported_at__gte=start).annotate(week=TruncWeek("first_reported_at"))
             .values("week").annotate(found=Count("pk"), rectified=Count("pk", filter=Q(status="closed"))).order_by("week")]
    return {"rows": rows, "by_region": by_region, "by_channel": by_channel, "trend": trend, "has_listing": listed is not None}
