"""Risk points, assessments, notification card, the four lists (xlsx) and the risk map."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from core.models import SecurityLog
from core.security import log_security
from core.services import ServiceError
from core.views import get_visible_or_404, service_error_to_form
from enterprises.models import Enterprise

from . import exports, services
from .forms import AssessmentForm, RiskPointForm
from .models import COLOURS, LEVEL_ORDER, Level, RiskPoint

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _points(request, enterprise=None):
    qs = RiskPoint.objects.visible_to(request.user).select_related("enterprise", "enterprise__region__parent")
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    level = request.GET.get("level", "")
    if level in Level.values:
        qs = qs.filter(level=level)
    elif level == "major_large":
        qs = qs.filter(level__in=["major", "large"])
    return qs.order_by("enterprise__name", "code"), level


@login_required
def point_list(request):
    points, level = _points(request)
    own = Enterprise.objects.visible_to(request.user)
    writable = [e for e in own[:5] if services.can_manage_points(request.user, e)] if own.count() <= 5 else []
    view = request.GET.get("view", "basic")
    if view not in exports.LIST_VIEWS:
        view = "basic"
    title, columns = exports.LIST_VIEWS[view]
    rows = [[g(p) for _, g in columns] for p in points[:1000]]
    return render(request, "risks/list.html", {"points": points[:1000], "level": level, "levels": Level.choices,
                                               "writable": writable, "view": view, "views": exports.LIST_VIEWS,
                                               "headers": [h for h, _ in columns], "rows": rows, "view_title": title})


@login_required
def register_xlsx(request):
    points, _ = _points(request)
    enterprise_id = request.GET.get("enterprise")
    if enterprise_id:
        enterprise = get_visible_or_404(Enterprise.objects, request.user, pk=enterprise_id)
        points = points.filter(enterprise=enterprise)
    log_security(SecurityLog.Kind.EXPORT, request=request, user=request.user, what="risks.register", count=points.count())
    response = HttpResponse(exports.register_xlsx(points), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="risk-register.xlsx"'
    return response


@login_required
def point_add(request, pk: int):
    enterprise = get_visible_or_404(Enterprise.objects, request.user, pk=pk)
    if not services.can_manage_points(request.user, enterprise):
        raise PermissionDenied("只有本单位人员可以登记风险点。")
    form = RiskPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            point = services.create_risk_point(request.user, enterprise, **form.cleaned_data)
        except ServiceError as exc:
            service_error_to_form(form, exc)
        else:
            messages.success(request, "风险点已登记，请进行评估。")
            return redirect("risks:point", pk=point.pk)
    return render(request, "risks/form.html", {"form": form, "title": "登记风险点", "enterprise": enterprise})


@login_required
def point_detail(request, pk: int):
    point = get_visible_or_404(RiskPoint.objects.select_related("enterprise"), request.user, pk=pk)
    can_assess = services.can_assess(request.user, point.enterprise)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST":
        if not can_assess:
            raise PermissionDenied("您无权评估该风险点。")
        if form.is_valid():
            d = form.cleaned_data
            factors = {k: d[f"factor_{k}"] for k in "lecs" if d.get(f"factor_{k}")}
            try:
                services.assess(request.user, point, method=d["method"], factors=factors, level=d.get("level") or "",
                                reason=d.get("reason") or "")
            except ServiceError as exc:
                service_error_to_form(form, exc)
            else:
                messages.success(request, "评估已保存。")
                return redirect("risks:point", pk=point.pk)
    assessments = point.assessments.select_related("band_table", "assessed_by")
    return render(request, "risks/detail.html", {"point": point, "assessments": assessments, "form": form,
                                                 "can_assess": can_assess, "colours": COLOURS})


@login_required
def point_card(request, pk: int):
    point = get_visible_or_404(RiskPoint.objects.select_related("enterprise"), request.user, pk=pk)
    if not point.level:
        raise Http404("风险点尚未评估")
    data = exports.notification_card(point, point.assessments.select_related("band_table").first())
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="risk-card-{point.pk}.docx"'
    return response


@login_required
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
    points = [{"name": f"{p.enterprise.name} {p.name}", "value": [float(p.longitude), float(p.latitude)], "level": p.level}
              for p in qs.select_related("enterprise").exclude(longitude=None).exclude(latitude=None)[:2000]]
    chart = {"regions": [r["region"] for r in rows], "levels": [[lbl, COLOURS[lvl][1]] for lvl, lbl in Level.choices],
             "series": [[r["counts"][i] for r in rows] for i in range(4)], "points": points}
    return render(request, "risks/map.html", {"rows": rows, "levels": Level.choices, "colours": COLOURS,
                                              "chart_json": json.dumps(chart, ensure_ascii=False)})

