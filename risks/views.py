"""Risk points, assessments, notification card, the four lists (xlsx) and the risk map."""

import json

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render

from core.lists import Column, ScopedListView
from core.views import form_status, get_visible_or_404, posted, submit_form
from documents.delivery import send
from enterprises.models import Enterprise

from . import exports, services
from .filters import RiskPointFilter
from .forms import AssessmentForm, RiskPointForm
from .models import COLOURS, LEVEL_ORDER, Level, RiskPoint

MAP_POINTS = 2000  # points drawn on the map; the page says so when there are more (the table counts all)


class RiskPointList(ScopedListView):
    name = "risks.list"
    url_name = "risks:list"
    title = "风险分级管控"
    model = RiskPoint
    filterset_class = RiskPointFilter
    template_name = "risks/list.html"
    select_related = ("enterprise", "enterprise__region__parent")
    ordering = ("enterprise__name", "code")
    row_url_name = "risks:point"
    testid = "register"
    empty_text = "无风险点"
    export_name = "risk-register"
    export_url_name = "risks:register_xlsx"
    export_formats = ("xlsx",)  # four sheets in one workbook

    def get_columns(self, request, filterset):
        view = (filterset.form.cleaned_data.get("view") if filterset.is_valid() else None) or "basic"
        return tuple(Column(header, getter) for header, getter in exports.LIST_VIEWS[view][1])

    def extra_context(self, request):
        own = Enterprise.objects.visible_to(request.user)
        writable = [e for e in own[:5] if services.can_manage_points(request.user, e)] if own.count() <= 5 else []
        view = request.GET.get("view") if request.GET.get("view") in exports.LIST_VIEWS else "basic"
        return {"writable": writable, "view": view, "views": exports.LIST_VIEWS, "level": request.GET.get("level", ""),
                "view_title": exports.LIST_VIEWS[view][0]}

    def write_export(self, request, filterset, qs, path, fmt, progress=None):
        """The four lists (基础/防控/责任/应急清单) of exactly the filtered points, one sheet each, streamed."""
        return exports.write_register(qs, path, progress=progress)


point_list = RiskPointList.as_view()
register_xlsx = RiskPointList.as_view(mode="export")


def point_add(request, pk: int):
    enterprise = get_visible_or_404(Enterprise.objects, request.user, pk=pk)
    if not services.can_manage_points(request.user, enterprise):
        raise PermissionDenied("只有本单位人员可以登记风险点。")
    form = RiskPointForm(posted(request))
    answered = submit_form(request, form, lambda **d: services.create_risk_point(request.user, enterprise, **d),
                           "风险点已登记，请进行评估。", lambda point: f"/risks/points/{point.pk}/", forbid=False)
    if answered is not None:
        return answered
    return render(request, "risks/form.html", {"form": form, "title": "登记风险点", "enterprise": enterprise},
                  status=form_status(form))


def point_detail(request, pk: int):
    point = get_visible_or_404(RiskPoint.objects.select_related("enterprise"), request.user, pk=pk)
    can_assess = services.can_assess(request.user, point.enterprise)
    form = AssessmentForm(posted(request))
    if request.method == "POST" and not can_assess:
        raise PermissionDenied("您无权评估该风险点。")

    def assess(**d):
        factors = {k: d[f"factor_{k}"] for k in "lecs" if d.get(f"factor_{k}")}
        return services.assess(request.user, point, method=d["method"], factors=factors, level=d.get("level") or "",
                               reason=d.get("reason") or "")

    answered = submit_form(request, form, assess, "评估已保存。", f"/risks/points/{point.pk}/", forbid=False)
    if answered is not None:
        return answered
    assessments = point.assessments.select_related("band_table", "assessed_by")
    return render(request, "risks/detail.html", {"point": point, "assessments": assessments, "form": form,
                                                 "can_assess": can_assess, "colours": COLOURS}, status=form_status(form))


def point_card(request, pk: int):
    point = get_visible_or_404(RiskPoint.objects.select_related("enterprise"), request.user, pk=pk)
    if not point.level:
        raise Http404("风险点尚未评估")
    data = exports.notification_card(point, point.assessments.select_related("band_table").first())
    return send(request, data, f"risk-card-{point.pk}", "risk_card", point)


def risk_map(request):
    """Risk points by township and colour: an ECharts chart with the table beside it."""
    qs = RiskPoint.objects.visible_to(request.user).exclude(level="")
    counts = qs.values("enterprise__region__name", "level").annotate(n=Count("id")).order_by("enterprise__region__name")
    table: dict[str, dict] = {}
    for row in counts:
        table.setdefault(row["enterprise__region__name"], {lvl: 0 for lvl in Level.values})[row["level"]] = row["n"]
    rows = [{"region": name, "counts": [c[lvl] for lvl in Level.values],
             "top": max((lvl for lvl in Level.values if c[lvl]), key=LEVEL_ORDER.get, default="")}
            for name, c in sorted(table.items())]
    located = qs.exclude(longitude=None).exclude(latitude=None)
    points = [{"name": f"{p.enterprise.name} {p.name}", "value": [float(p.longitude), float(p.latitude)], "level": p.level}
              for p in located.select_related("enterprise")[:MAP_POINTS]]
    chart = {"regions": [r["region"] for r in rows], "levels": [[lbl, COLOURS[lvl][1]] for lvl, lbl in Level.choices],
             "series": [[r["counts"][i] for r in rows] for i in range(4)], "points": points}
    return render(request, "risks/map.html", {"rows": rows, "levels": Level.choices, "colours": COLOURS,
                                              "points_note": {"total": located.count(), "shown": MAP_POINTS},
                                              "chart_json": json.dumps(chart, ensure_ascii=False)})

