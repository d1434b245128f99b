"""The ledger list (filters, sort, pagination) and its xlsx export."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.models import SecurityLog
from core.security import log_security

from ..filters import HazardFilter, listing_model
from ..forms import writable_enterprises
from ..models import Hazard

PAGE_SIZE = 50


def ledger_queryset(user):
    return Hazard.objects.visible_to(user).select_related("enterprise", "sector", "basis_item")


def _style(form):
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-select form-select-sm" if hasattr(field.widget, "choices")
                                      else "form-control form-control-sm")
    return form


@login_required
def ledger(request):
    f = HazardFilter(request.GET, queryset=ledger_queryset(request.user), request=request)
    qs = f.qs if f.is_valid() else Hazard.objects.none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "hazards/ledger.html", {
        "filter": f, "form": _style(f.form), "page_obj": page, "hazards": page.object_list,
        "querystring_without_page": params.urlencode(), "today": timezone.localdate(),
        "can_register": writable_enterprises(request.user).exists(), "has_listing": listing_model() is not None,
    })


@login_required
def export(request):
    """Queue the export of the filtered ledger as a job (xlsx, or CSV with ``?format=csv``) and
    show its progress; the file is downloaded from the job page when it is ready."""
    from jobs.services import submit

    query = request.GET.copy()
    fmt = query.pop("format", ["xlsx"])[-1]
    if fmt not in ("xlsx", "csv"):
        return HttpResponse("format: 只支持 xlsx 或 csv。", status=400, content_type="text/plain; charset=utf-8")
    query.pop("page", None)
    f = HazardFilter(query, queryset=ledger_queryset(request.user), request=request)
    if not f.is_valid():
        return HttpResponse("筛选条件有误：" + "；".join(f"{k}: {' '.join(v)}" for k, v in f.errors.items()),
                        status=400, content_type="text/plain; charset=utf-8")
    job = submit(request.user, "hazards.export", f"导出隐患台账（{fmt}）", {"query": dict(query.lists()), "format": fmt})
    log_security(SecurityLog.Kind.EXPORT, request=request, user=request.user, what="hazards.ledger", job=job.pk,
                 filters={k: v for k, v in query.items()})
    return redirect("jobs:detail", pk=job.pk)
