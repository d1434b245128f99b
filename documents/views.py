"""Scoped, logged downloads of generated 公文 (.docx, or PDF with ?format=pdf)."""

from django.http import Http404

from core.errors import bad_address
from core.models import SecurityLog
from core.security import log_security
from core.views import get_visible_or_404

from . import hazard_docs
from .delivery import send


def hazard_report(request, pk: int):
    from hazards.models import Hazard

    hazard = get_visible_or_404(Hazard.objects.select_related("enterprise", "sector", "basis_item__standard", "reported_to"),
                                request.user, pk=pk)
    if hazard.grade != Hazard.Grade.MAJOR:
        raise Http404("仅重大事故隐患有报告表")
    return send(request, hazard_docs.hazard_report_docx(hazard, request.user), f"重大事故隐患报告表-{hazard.number}",
                "hazard_report", hazard, pdf=True)


def listing_notice(request, pk: int):
    from supervision.models import Listing

    listing = get_visible_or_404(Listing.objects.select_related("hazard__enterprise", "listing_body", "responsible_department"),
                                 request.user, pk=pk)
    if not hazard_docs.notice_issued(listing):
        raise Http404("该挂牌督办尚未批准，没有督办通知书")
    return send(request, hazard_docs.listing_notice_docx(listing), f"挂牌督办通知书-{listing.notice_number or listing.number}",
                "listing_notice", listing, pdf=True)


def hazard_acceptance(request, pk: int):
    from hazards.models import Acceptance, Hazard

    hazard = get_visible_or_404(Hazard.objects.select_related("enterprise"), request.user, pk=pk)
    acceptance = (hazard.acceptances.filter(decision=Acceptance.Decision.ACCEPTED)
                  .select_related("decided_by", "decided_by_org").order_by("-decided_at", "-id").first())
    if acceptance is None:
        raise Http404("该隐患尚无验收通过记录")
    return send(request, hazard_docs.acceptance_docx(acceptance), f"隐患整改验收销号意见-{hazard.number}",
                "hazard_acceptance", hazard, pdf=True)


def hazard_reports_batch(request):
    """Queue a zip of the 报告表 of every major hazard in the filtered ledger (a job)."""
    from django.shortcuts import redirect

    from core.lists import filter_errors_text
    from hazards.views.ledger import HazardLedger
    from jobs.services import submit

    query = request.GET.copy()
    query.pop("page", None)
    f = HazardLedger.filterset_class(query, queryset=HazardLedger.scoped_queryset(request.user), request=request)
    if not f.is_valid():
        return bad_address(request, filter_errors_text(f))
    job = submit(request.user, "documents.hazard_reports", "批量生成重大事故隐患报告表", {"query": dict(query.lists())})
    log_security(SecurityLog.Kind.EXPORT, request=request, user=request.user, what="documents.hazard_reports",
                 job=job.pk)
    return redirect("jobs:detail", pk=job.pk)
