"""Statistics over the hazards a user may see: by sub-region × sector, by channel, weekly trend."""

import datetime

from django.db.models import Count
from django.db.models.functions import TruncWeek

from accounts.models import Sector
from hazards import asof
from regions.models import Region

from .board import rate


def _agg(at):
    return {
        "found": Count("pk"),
        "rectified": Count("pk", filter=asof.closed_q()),
        "open": Count("pk", filter=asof.open_q()),
        "overdue": Count("pk", filter=asof.overdue_q(at)),
    }


def statistics(hazards, region: Region, *, grade: str = "", weeks: int = 12, today=None) -> dict:
    """``hazards`` is already scoped (visible_to). Everything as of the instant ``today`` (default
    now; a date = end of that day) through ``hazards.asof``: hazards merged or voided by then
    count nowhere; only listings in force then count as 挂牌督办."""
    at = asof.instant(today)
    day = asof.local_day(at)
    qs = asof.annotate(hazards, at)
    if grade:
        qs = qs.filter(grade_at=grade)
    children = list(region.children.order_by("code"))
    level = children[0].level if children else region.level
    names = {c.code: c.name for c in children} or {region.code: region.name}
    sectors = dict(Sector.objects.values_list("pk", "name"))
    listed = asof.has_listing()
    agg = _agg(at)
    if listed:
        agg["listed"] = Count("pk", filter=asof.listed_q())
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
    since = day - datetime.timedelta(days=7 * weeks)
    start = asof.start_of(since)
    trend = [{"week": r["week"].date().isoformat() if hasattr(r["week"], "date") else str(r["week"]), "found": r["found"],
              "rectified": r["rectified"]}
             for r in qs.filter(first_reported_at__gte=start).annotate(week=TruncWeek("first_reported_at"))
             .values("week").annotate(found=Count("pk"), rectified=Count("pk", filter=asof.closed_q())).order_by("week")]
    return {"rows": rows, "by_region": by_region, "by_channel": by_channel, "trend": trend, "has_listing": listed, "as_of": at}
