"""Statistics over the hazards a user may see: by sub-region × sector, by channel, weekly trend.

As of now with a government scope (``scope`` given, ``today`` None) the figures come from the
pre-aggregated tallies (``hazards.tallies``); as of any other instant from the event trail
(``hazards.asof``). Both give the same numbers for "now"."""

import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncWeek

from accounts.models import Sector
from hazards import asof, tallies, workflow
from regions.models import Region

from .board import rate_text


def _agg(at):
    return {
        "found": Count("pk"),
        "rectified": Count("pk", filter=asof.closed_q()),
        "open": Count("pk", filter=asof.open_q()),
        "overdue": Count("pk", filter=asof.overdue_q(at)),
    }


def _within(region: Region) -> dict:
    """Only the region the page is about (a superuser's scope is everything; every other
    viewer's scope already lies within their own region)."""
    return {f"{region.level}_code": region.code}


def statistics(hazards, region: Region, *, grade: str = "", weeks: int = 12, today=None, scope=None) -> dict:
    """``hazards`` is already scoped (visible_to). Everything as of the instant ``today`` (default
    now; a date = end of that day) through ``hazards.asof``: hazards merged or voided by then
    count nowhere; only listings in force then count as 挂牌督办. ``scope`` (the viewer's
    ``accounts.scope.Scope`` or user, the one ``hazards`` was scoped with) lets "now" read the
    tallies instead."""
    if today is None and scope is not None and tallies.scope_q(scope) is not None:
        return _from_tallies(hazards, region, scope, grade=grade, weeks=weeks)
    at = asof.instant(today)
    day = asof.local_day(at)
    qs = asof.annotate(hazards.filter(**_within(region)), at)
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
        r["rate"] = rate_text(r["rectified"], r["found"])
        rows.append(r)
    by_region = []
    for r in qs.values(f"{level}_code").annotate(**agg).order_by(f"{level}_code"):
        r["region"] = names.get(r[f"{level}_code"], r[f"{level}_code"])
        r["rate"] = rate_text(r["rectified"], r["found"])
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


def _from_tallies(hazards, region: Region, scope, *, grade: str, weeks: int) -> dict:
    """The figures of ``statistics`` as of now from the tallies: counted (not merged/void)
    hazards by sub-region × sector × channel in one grouped read of ``HazardTally``, the trend from
    ``HazardWeekTally``. Read directly (small): open hazards whose deadline fell this week
    before today, hazards first reported in the trend's first, partial week, and the listed ones."""
    at = asof.now()
    day = asof.local_day(at)
    children = list(region.children.order_by("code"))
    level = children[0].level if children else region.level
    names = {c.code: c.name for c in children} or {region.code: region.name}
    sectors = dict(Sector.objects.values_list("pk", "name"))
    key = f"{level}_code"
    filters = {**_within(region), **({"grade": grade} if grade else {})}
    opens = Q(status__in=workflow.OPEN_STATES)
    week = tallies.monday(day)
    cells: dict = {}

    def cell(code, sector_id, channel):
        return cells.setdefault((code, sector_id, channel), {"found": 0, "rectified": 0, "open": 0, "overdue": 0, "listed": 0})

    tally = tallies.rows(scope, level=tallies.finest(level, region.level)).filter(**filters).exclude(status__in=workflow.FINAL_STATES)
    for r in tally.values(key, "sector_id", "channel").annotate(
            found=Sum("n"), rectified=Sum("n", filter=Q(status=workflow.CLOSED)), open=Sum("n", filter=opens),
            overdue=Sum("n", filter=opens & Q(deadline_week__lt=week))):
        c = cell(r[key], r["sector_id"], r["channel"])
        for f in ("found", "rectified", "open", "overdue"):
            c[f] += r[f] or 0
    counted = hazards.filter(**filters).exclude(status__in=workflow.FINAL_STATES)
    if week < day:
        for r in (counted.filter(status__in=workflow.OPEN_STATES, deadline__gte=week, deadline__lt=day)
                  .values(key, "sector_id", "channel").annotate(k=Count("pk")).order_by()):
            cell(r[key], r["sector_id"], r["channel"])["overdue"] += r["k"]
    listed_ids = tallies.listed_ids()
    if listed_ids is not None:
        for r in counted.filter(pk__in=listed_ids).values(key, "sector_id", "channel").annotate(k=Count("pk")).order_by():
            cell(r[key], r["sector_id"], r["channel"])["listed"] += r["k"]
    fields = ("found", "rectified", "open", "overdue") + (("listed",) if listed_ids is not None else ())

    def grouped(by):
        out: dict = {}
        for (code, sector_id, channel), c in cells.items():
            k = by(code, sector_id, channel)
            acc = out.setdefault(k, dict.fromkeys(fields, 0))
            for f in fields:
                acc[f] += c[f]
        return [(k, v) for k, v in sorted(out.items()) if v["found"]]

    rows = []
    for (code, sector_id), v in grouped(lambda c, s, ch: (c, s)):
        rows.append({key: code, "sector_id": sector_id, **v, "region": names.get(code, code),
                     "sector": sectors.get(sector_id, ""), "rate": rate_text(v["rectified"], v["found"])})
    by_region = [{key: code, **v, "region": names.get(code, code), "rate": rate_text(v["rectified"], v["found"])}
                 for (code,), v in grouped(lambda c, s, ch: (c,))]
    by_channel = [{"channel": channel, **v} for (channel,), v in grouped(lambda c, s, ch: (ch,))]
    # weekly trend: whole weeks from the week tally, the first (partial) week directly
    since = day - datetime.timedelta(days=7 * weeks)
    first_full = tallies.monday(since) if since.weekday() == 0 else tallies.monday(since) + datetime.timedelta(days=7)
    trend: dict = {}
    weekly = tallies.rows(scope, level=region.level, weekly=True).filter(**filters, week__gte=first_full).exclude(
        status__in=workflow.FINAL_STATES)
    for r in weekly.values("week").annotate(found=Sum("n"), rectified=Sum("n", filter=Q(status=workflow.CLOSED))):
        trend[r["week"]] = [r["found"] or 0, r["rectified"] or 0]
    if first_full > since:
        part = counted.filter(first_reported_at__gte=asof.start_of(since), first_reported_at__lt=asof.start_of(first_full))
        head = part.aggregate(found=Count("pk"), rectified=Count("pk", filter=Q(status=workflow.CLOSED)))
        trend[tallies.monday(since)] = [head["found"], head["rectified"]]
    trend_rows = [{"week": w.isoformat(), "found": f, "rectified": r} for w, (f, r) in sorted(trend.items()) if f]
    return {"rows": rows, "by_region": by_region, "by_channel": by_channel, "trend": trend_rows,
            "has_listing": listed_ids is not None, "as_of": at}
