"""The committee office's cockpit (驾驶舱): its sub-regions on a map coloured by the five-colour rule,
weekly trends from the board snapshots, rankings, overdue and listed hazards, and the dispatch status
of every reporting unit this week — every figure a link down to the rows.

Read-only. Every hazard figure comes from ``campaigns.board`` (``board()``: the same rule and counts
as the board page), so a change there flows through; the links point at the hazard ledger filtered
by region + grade + ``progress`` / ``listed`` (``hazards.filters.HazardFilter``), whose total equals
the figure.
"""

import datetime
import functools
import json
from urllib.parse import urlencode

from django.contrib.staticfiles import finders
from django.http import Http404
from django.templatetags.static import static
from django.utils import timezone

from accounts.models import Organisation
from accounts.permissions import actor_org
from hazards import asof
from regions.models import Region

from . import dispatch as D
from .board import HEX, LABELS, ORDER, active_rules, board
from .models import BoardSnapshot, Submission

#: GeoJSON shipped with the vendored ECharts 4.9 maps (core/static/vendor/README.md); feature ids are
#: 6-digit division codes (a city's code padded with "00").
VENDORED_MAPS = ("vendor/maps/province/tianjin.json", "vendor/maps/province/hubei.json", "vendor/maps/china.json")
TREND_WEEKS = 12
LIST_SIZE = 10
FIGURE_LABELS = {"total": "重大隐患", "open": "未整改", "overdue": "逾期未改", "closed": "已整改销号",
                 "listed": "挂牌督办", "listed_overdue": "挂牌且逾期"}
DISPATCH_LABELS = {"on_time": "按时报送", "late": "迟报", "missing": "未报送"}


# ---------------------------------------------------------------- scope

def top_region(user) -> Region:
    """The viewer's own region: a committee office's (安委会办公室); everyone else 404. A superuser
    without a unit starts at the highest committee office's region."""
    org = actor_org(user)
    if user.is_superuser and (org is None or org.kind != Organisation.Kind.COMMITTEE):
        org = (Organisation.objects.filter(kind=Organisation.Kind.COMMITTEE, is_active=True)
               .select_related("region").order_by("region__path", "pk").first())
        if org is None:
            raise Http404("不存在或无权查看")
    if org is None or org.kind != Organisation.Kind.COMMITTEE or not org.is_active:
        raise Http404("不存在或无权查看")
    return org.region


def resolve(user, code: str | None) -> tuple[Region, Region]:
    """(the viewer's top region, the region asked for): the latter must be the viewer's region or
    inside it, else 404 (the project's rule: out of scope looks like not there)."""
    top = top_region(user)
    if not code:
        return top, top
    region = Region.objects.filter(code=str(code)[:12]).first()
    if region is None or not (region.pk == top.pk or region.path.startswith(top.path + "/") or user.is_superuser):
        raise Http404("不存在或无权查看")
    return top, region


def board_region(region: Region) -> Region:
    """The region whose sub-regions a cockpit shows: ``region`` itself, or down through a single
    child (天津市 → 市辖区 → its districts), so a municipality's cockpit shows its districts."""
    seen = 0
    while seen < 3:
        children = list(region.children.all()[:2])
        if len(children) != 1 or children[0].level == Region.Level.TOWNSHIP:
            return region
        region = children[0]
        seen += 1
    return region


def breadcrumbs(top: Region, region: Region) -> list[Region]:
    codes = region.path.split("/")
    start = codes.index(top.code) if top.code in codes else 0
    chain = codes[start:]
    by_code = {r.code: r for r in Region.objects.filter(code__in=chain)}
    return [by_code[c] for c in chain if c in by_code and (c == region.code or c == top.code or len(by_code[c].children.all()[:2]) != 1)]


# ---------------------------------------------------------------- links down to the rows

def ledger_url(code: str, figure: str) -> str:
    """The hazard ledger filtered to exactly the hazards behind one figure of region ``code``."""
    params = {"region": code, "grade": "major"}
    if figure == "total":
        params["progress"] = "counted"
    elif figure in ("open", "overdue", "closed"):
        params["progress"] = figure
    elif figure == "listed":
        params["listed"] = "true"
    elif figure == "listed_overdue":
        params.update(listed="true", progress="overdue")
    else:
        raise ValueError(figure)
    return "/hazards/?" + urlencode(params)


def cockpit_url(code: str) -> str:
    return "/campaigns/cockpit/?" + urlencode({"region": code})


def _links(item: dict) -> dict:
    return {f: ledger_url(item["code"], f) for f in FIGURE_LABELS}


# ---------------------------------------------------------------- map shapes

@functools.lru_cache(maxsize=8)
def _features(path: str) -> dict:
    """{feature id: feature name} of a vendored GeoJSON file."""
    found = finders.find(path)
    if not found:
        return {}
    with open(found, encoding="utf-8") as fh:
        data = json.load(fh)
    return {str(f.get("id") or f.get("properties", {}).get("adcode", "")): f.get("properties", {}).get("name", "")
            for f in data.get("features", [])}


def feature_id(code: str) -> str:
    return code.ljust(6, "0") if len(code) < 6 else code


def map_for(children: list[Region]) -> tuple[str | None, dict]:
    """(static URL of the GeoJSON holding the shapes of ``children``, {child code: feature name}) —
    the vendored file covering most of them (at least half); (None, {}) where no shapes exist
    (townships: the cockpit falls back to a coloured grid)."""
    if not children or children[0].level == Region.Level.TOWNSHIP:
        return None, {}
    best, names = None, {}
    for path in VENDORED_MAPS:
        feats = _features(path)
        got = {c.code: feats[feature_id(c.code)] for c in children if feature_id(c.code) in feats}
        if len(got) > len(names):
            best, names = path, got
    if best is None or len(names) * 2 < len(children):
        return None, {}
    return static(best), names


# ---------------------------------------------------------------- the figures

def _own_figures(region: Region, items: list[dict], at, hazards) -> dict:
    """The region's own line: from its parent's board (the same counts the parent's cockpit shows),
    or, at the top of the tree, the sum of its sub-regions."""
    if region.parent_id:
        for fig in board(region.parent, at, hazards=hazards):
            if fig["code"] == region.code:
                return fig
    out = {"code": region.code, "name": region.name}
    for key in FIGURE_LABELS:
        out[key] = sum(i.get(key, 0) for i in items)
    worst = min((ORDER.index(i["colour"]) for i in items), default=ORDER.index("green"))
    out["colour"] = ORDER[worst]
    out["colour_label"], out["hex"] = LABELS[out["colour"]], HEX[out["colour"]]
    return out


def trend(region: Region, leaf: bool, weeks: int = TREND_WEEKS) -> list[dict]:
    """The last ``weeks`` weekly snapshots: per week the number of sub-regions of each colour and the
    open / overdue / listed major hazards (sums over the sub-regions; a leaf region: its own row)."""
    qs = BoardSnapshot.objects.filter(region=region) if leaf else BoardSnapshot.objects.filter(region__parent=region)
    wanted = list(qs.order_by("-week").values_list("week", flat=True).distinct()[:weeks])
    rows: dict = {}
    for week, colour, figures in qs.filter(week__in=wanted).values_list("week", "colour", "figures"):
        row = rows.setdefault(week, {"week": week, **{c: 0 for c in ORDER}, "open": 0, "overdue": 0, "listed": 0, "colour": colour})
        row[colour] += 1
        for key in ("open", "overdue", "listed"):
            row[key] += int((figures or {}).get(key) or 0)
    out = [rows[w] for w in sorted(rows)]
    for row in out:
        row["colour_label"] = LABELS.get(row["colour"], "")
    return out


def hazard_list(user, code: str, figure: str):
    """(the first LIST_SIZE rows, the total) of the ledger behind a figure — the ledger's own filter."""
    from django.http import QueryDict

    from hazards.filters import HazardFilter
    from hazards.models import Hazard

    query = QueryDict(ledger_url(code, figure).split("?", 1)[1])
    fs = HazardFilter(query, queryset=Hazard.objects.visible_to(user).select_related("enterprise"))
    if not fs.is_valid():
        return [], 0
    qs = fs.qs.order_by("deadline", "pk")
    return list(qs[:LIST_SIZE]), qs.count()


def reporting(region: Region, now: datetime.datetime) -> dict:
    """This week's dispatch status of every unit reporting to the committee office of ``region``
    (a township: its own office): 按时报送 / 迟报 (first version after the week's deadline, the
    roll-up's rule) / 未报送."""
    from .tables import campaign_for, first_submitted, reporting_units

    committee = Organisation.objects.filter(kind=Organisation.Kind.COMMITTEE, region=region, is_active=True).first()
    if committee is not None:
        campaign = campaign_for(committee, now)
        units = list(reporting_units(committee, campaign)) if campaign else []
    else:
        units = list(Organisation.objects.filter(is_active=True, region=region, kind__in=(
            Organisation.Kind.DEPARTMENT, Organisation.Kind.TOWNSHIP)).select_related("region").order_by("kind", "name"))
        campaign = campaign_for(units[0], now) if units else None
    if campaign is None:
        return {"campaign": None, "lines": [], "counts": {}}
    week = D.week_of(now)
    deadline = campaign.deadline(week)
    firsts = first_submitted(campaign, [u.pk for u in units], week)
    latest = {}
    for sub in Submission.objects.filter(campaign=campaign, week=week, unit__in=units).order_by("unit_id", "version"):
        latest[sub.unit_id] = sub
    lines = []
    for u in units:
        first = firsts.get(u.pk)
        status = "missing" if first is None else ("late" if first > deadline else "on_time")
        sub = latest.get(u.pk)
        lines.append({"unit": u, "status": status, "label": DISPATCH_LABELS[status], "submitted_at": first,
                      "url": f"/campaigns/submissions/{sub.pk}/" if sub else f"/campaigns/dispatch/?unit={u.pk}"})
    counts = {s: sum(1 for x in lines if x["status"] == s) for s in DISPATCH_LABELS}
    return {"campaign": campaign, "week": week, "deadline": deadline, "lines": lines, "counts": counts,
            "past_deadline": now > deadline}


def cockpit(user, region: Region, at=None) -> dict:
    """Everything the cockpit page shows for ``region`` as the viewer ``user`` sees it."""
    from hazards.models import Hazard

    at = asof.instant(at)
    hazards = Hazard.objects.visible_to(user)
    shown = board_region(region)
    children = list(shown.children.order_by("code"))
    items = board(shown, at, hazards=hazards) if children else []
    for item in items:
        item["links"] = _links(item)
        item["cockpit_url"] = cockpit_url(item["code"])
    own = _own_figures(region, items, at, hazards)
    own["links"] = _links(own)
    own["cards"] = [{"key": k, "label": label, "value": own.get(k, 0), "url": own["links"][k]} for k, label in FIGURE_LABELS.items()]
    geo_url, names = map_for(children)
    map_data = [{"name": names[i["code"]], "code": i["code"], "value": i["overdue"], "colour": i["colour_label"],
                 "url": i["cockpit_url"], "itemStyle": {"areaColor": i["hex"]}} for i in items if i["code"] in names]
    weeks = trend(shown if children else region, leaf=not children)
    overdue, overdue_total = hazard_list(user, region.code, "overdue")
    listed, listed_total = hazard_list(user, region.code, "listed")
    chart = {
        "title": region.name,
        "map": {"url": geo_url, "data": map_data},
        "ranking": [{"name": i["name"], "overdue": i["overdue"], "open": i["open"], "hex": i["hex"], "url": i["cockpit_url"]}
                    for i in items],
        "trend": [{"week": w["week"].isoformat(), **{c: w[c] for c in ORDER}, "open": w["open"], "overdue": w["overdue"],
                   "listed": w["listed"]} for w in weeks],
        "labels": LABELS, "hex": HEX, "order": list(ORDER),
    }
    return {"region": region, "shown": shown, "items": items, "own": own, "geo_url": geo_url, "leaf": not children,
            "trend": weeks, "overdue": overdue, "overdue_total": overdue_total, "listed": listed, "listed_total": listed_total,
            "dispatch": reporting(region, timezone.now()), "chart": chart, "rules": active_rules(), "labels": LABELS,
            "order": ORDER, "hex": HEX, "as_of_day": asof.local_day(at), "figure_labels": FIGURE_LABELS}
