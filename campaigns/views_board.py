"""Statistics and the five-colour board (government users) and the quarterly bulletin (committee offices)."""

import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone

from accounts.permissions import committee_org_or_404, government_org_or_404
from core.errors import bad_address
from core.services import ServiceError
from documents.delivery import send
from hazards import asof
from hazards.models import Hazard
from regions.models import Region

from .board import DEFAULT_RULES, HEX, LABELS, active_rules, board
from .bulletin import bulletin_docx, bulletin_instant, parse_quarter, quarter_over
from .models import BoardSnapshot
from .stats import statistics


def _region(user):
    """(the region whose sub-regions the board, statistics and bulletin rank, issuer name): the
    user's region, or down through a single child as the cockpit does (天津市 → 市辖区 → its
    districts: a municipality's office ranks its districts, not one 市辖区 row)."""
    from .cockpit import board_region

    org = government_org_or_404(user)
    if org is None:  # superuser without membership: the first county
        return Region.objects.filter(level="county").order_by("code").first(), "系统管理员"
    return board_region(org.region), org.name


def _as_of(request):
    """(instant, whether it is a past one) of the page's ``?as_of=``: a moment not yet come is
    now — figures are facts, never a forecast (DISPATCH_TABLE.md: facts are never in the future);
    the page then says today's date."""
    at = asof.instant(request.GET.get("as_of"))
    if not request.GET.get("as_of") or at >= timezone.now():
        return asof.instant(None), False
    return at, True


def stats(request):
    from core.labels import key_label

    region, _ = _region(request.user)
    grade = request.GET.get("grade", "")
    if grade not in ("", "major", "general"):
        grade = ""
    try:
        at, past = _as_of(request)
    except ServiceError as exc:
        return bad_address(request, exc.message)
    # now: the pre-aggregated tallies (scope); a past instant: the event trail
    data = statistics(Hazard.objects.visible_to(request.user), region, grade=grade,
                      today=at if past else None, scope=request.user)
    from accidents.figures import year_to_date  # accidents beside hazards (issue 21)

    return render(request, "campaigns/stats.html", {"data": data, "region": region, "grade": grade,
                                                     "as_of_day": asof.local_day(at),
                                                     "accident_figures": year_to_date(request.user, asof.local_day(at)),
                                                     "chart_json": json.dumps({"by_region": data["by_region"], "by_channel": [{**r, "label": key_label(r["channel"])} for r in data["by_channel"]],
                                                                               "trend": data["trend"]}, default=str)})


def boundary_url(region) -> str | None:
    """GeoJSON of ``region``'s sub-regions from the configurable static directory, if present."""
    directory = getattr(settings, "QINGLING_BOUNDARY_DIR", "vendor/maps/boundaries")
    path = f"{directory.rstrip('/')}/{region.code}.json"
    return static(path) if finders.find(path) else None


def board_view(request):
    region, _ = _region(request.user)
    try:
        at, past = _as_of(request)  # the board as of any past instant (default now)
    except ServiceError as exc:
        return bad_address(request, exc.message)
    items = board(region, at if past else None, hazards=Hazard.objects.visible_to(request.user),
                  scope=request.user)  # scoped like the statistics; now from the tallies
    weeks = list(BoardSnapshot.objects.filter(region__parent=region).order_by("-week").values_list("week", flat=True).distinct()[:8])
    history = {}
    for snap in BoardSnapshot.objects.filter(region__parent=region, week__in=weeks).select_related("region"):
        history.setdefault(snap.region.code, {})[snap.week] = snap.colour
    hist_rows = [{"name": i["name"], "cells": [(LABELS.get(history.get(i["code"], {}).get(w), ""),
                                               HEX.get(history.get(i["code"], {}).get(w), "#fff"))
                                              for w in weeks]} for i in items]  # 红/橙/黄/蓝/绿, never the code
    from accidents.figures import year_to_date  # accidents beside hazards (issue 21)

    from .cockpit import top_region
    try:
        top_region(request.user)  # the cockpit is the committee office's: link it only for those who may open it
        cockpit_url = f"/campaigns/cockpit/?region={region.code}"
    except Http404:
        cockpit_url = None

    return render(request, "campaigns/board.html", {
        "accident_figures": year_to_date(request.user, asof.local_day(at)),
        "region": region, "items": items, "rules": active_rules(asof.local_day(at)), "as_of_day": asof.local_day(at), "defaults": DEFAULT_RULES, "labels": LABELS,
        "weeks": weeks, "hist_rows": hist_rows, "cockpit_url": cockpit_url, "geo_url": boundary_url(region),
        "map_json": json.dumps([{"name": i["name"], "value": i["rank"], "itemStyle": {"areaColor": i["hex"]}} for i in items]),
    })


def _bulletin_issuer(user):
    """(region, issuer name) of a quarterly bulletin: issuing one (季度通报) is the committee office's
    task (PRODUCT.md: the 安委办 officer "dispatch, 挂牌督办, bulletins"; seed 002 四(四):
    "区安委会办公室按照'月调度、季通报、年总结'要求…通报"); every other unit gets a 404 like the
    committee's other pages (accounts.permissions.committee_org_or_404). A municipality's office
    ranks its districts (board_region)."""
    from .cockpit import board_region

    org = committee_org_or_404(user)
    return board_region(org.region), org.name


def bulletin(request):
    region, issuer = _bulletin_issuer(request.user)
    now = asof.now()  # one "now" for the whole page: its cut-off and whether the quarter is over
    try:
        year, quarter = parse_quarter(request.GET.get("year"), request.GET.get("quarter"), now)
    except ServiceError as exc:
        label = {"year": "年份", "quarter": "季度"}.get(exc.field, "")
        return bad_address(request, f"{label}：{exc.message}" if label else exc.message)
    from accidents.figures import quarter_counts  # accident section (issue 21)

    accidents = quarter_counts(request.user, year, quarter)
    if request.GET.get("download"):
        data = bulletin_docx(region, issuer, year, quarter, today=now, hazards=Hazard.objects.visible_to(request.user),
                             accidents=accidents)
        return send(request, data, f"bulletin-{year}Q{quarter}", "quarterly_bulletin", region)
    at = bulletin_instant(year, quarter, now)
    items = board(region, at, hazards=Hazard.objects.visible_to(request.user))
    return render(request, "campaigns/bulletin.html", {"year": year, "quarter": quarter, "items": items,
                                                       "region": region, "issuer": issuer,
                                                       "as_of_day": asof.local_day(at),
                                                       # 24时 only once the quarter is over: before, the figures are as of now
                                                       "quarter_over": quarter_over(year, quarter, now),
                                                       "accident_figures": accidents})
