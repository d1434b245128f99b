"""The committee office's cockpit page (驾驶舱): committee-office users of the region and above only."""

from django.shortcuts import render

from core.errors import bad_address
from core.services import ServiceError
from hazards import asof

from .cockpit import DISPATCH_LABELS, breadcrumbs, cockpit, resolve


def cockpit_view(request):
    top, region = resolve(request.user, request.GET.get("region"))
    try:
        at = asof.instant(request.GET.get("as_of"))
    except ServiceError as exc:
        return bad_address(request, f"截止时间有误：{exc.message}")
    data = cockpit(request.user, region, at)
    status = request.GET.get("dispatch", "")
    if status not in DISPATCH_LABELS:
        status = ""
    lines = data["dispatch"]["lines"]
    data["dispatch_lines"] = [x for x in lines if x["status"] == status] if status else lines
    data["dispatch_filter"] = status
    counts = data["dispatch"]["counts"]
    data["dispatch_buttons"] = [{"key": k, "label": label, "count": counts.get(k, 0)} for k, label in DISPATCH_LABELS.items()]
    data["crumbs"] = breadcrumbs(top, region)
    data["parent"] = region.parent if region.pk != top.pk else None
    return render(request, "campaigns/cockpit.html", data)
