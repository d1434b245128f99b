"""Enterprise statistics reports: enterprises submit theirs; government sees who is missing."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.permissions import actor_org
from core.services import ServiceError
from core.views import form_status, posted_text
from enterprises.models import Enterprise

from .models import EnterpriseReport
from .reports import due_date, last_closed_period, missing, submit_report

MISSING_SHOWN = 500  # names listed; the heading gives the full count and says when the list is cut


def _period(request):
    year, quarter = last_closed_period(timezone.localdate())
    try:
        year = int(request.GET.get("year") or year)
        quarter = int(request.GET.get("quarter") if request.GET.get("quarter") not in (None, "") else quarter)
    except ValueError:
        year, quarter = last_closed_period(timezone.localdate())
    return year, quarter if quarter in (0, 1, 2, 3, 4) else 0


def reports(request):
    org = actor_org(request.user)
    year, quarter = _period(request)
    ent = getattr(org, "enterprise", None) if org is not None and org.kind == "enterprise" else None
    if ent is not None:
        refused = None
        if request.method == "POST":
            try:
                submit_report(request.user, enterprise=ent, year=int(request.POST.get("year", 0) or 0),
                              quarter=int(request.POST.get("quarter", -1) or 0), remarks=posted_text(request, "remarks"))
                messages.success(request, "已报送。")
                return redirect("campaigns:reports")
            except (ServiceError, ValueError) as exc:
                refused = exc
        return render(request, "campaigns/reports_enterprise.html", {
            "enterprise": ent, "items": EnterpriseReport.objects.filter(enterprise=ent), "year": year, "quarter": quarter,
            "due": due_date(year, quarter), "error": getattr(refused, "message", "输入无效。") if refused else None},
            status=form_status(refusal=refused))
    if (org is None and not request.user.is_superuser) or (org is not None and not org.is_government):
        raise Http404
    ents = Enterprise.objects.visible_to(request.user)
    not_in = missing(ents, year, quarter).order_by("name")
    return render(request, "campaigns/reports_government.html", {
        "year": year, "quarter": quarter, "due": due_date(year, quarter),
        "missing": not_in[:MISSING_SHOWN], "missing_total": not_in.count(), "missing_shown": MISSING_SHOWN,
        "submitted": EnterpriseReport.objects.visible_to(request.user).filter(year=year, quarter=quarter).select_related("enterprise")})
