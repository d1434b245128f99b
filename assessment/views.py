"""Assessment pages: the sets, the ranked results, each unit's sheet with evidence, adjustments,
述职 records, the Word report per unit and the summary workbook."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import is_committee
from core.views import form_status, get_visible_or_404, press, submit_form
from documents.delivery import send

from . import documents, services
from .forms import AdjustForm, DebriefForm, IndicatorForm, SetForm
from .jobs import computation_for
from .models import Assessment, IndicatorSet, Score

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def set_list(request, form=None, status=200):
    sets = IndicatorSet.objects.visible_to(request.user).select_related("organisation")
    return render(request, "assessment/set_list.html", {
        "sets": sets, "form": form or SetForm(), "can_create": is_committee(request.user)}, status=status)


@require_POST
def set_create(request):
    if not is_committee(request.user):
        raise PermissionDenied("只有安全生产委员会办公室可以制定考评指标。")
    form = SetForm(request.POST)
    answered = submit_form(request, form, lambda **d: services.create_set(request.user, **d), None,
                           lambda s: redirect("assessment:set", pk=s.pk), forbid=False)
    if answered is not None:
        return answered
    return set_list(request, form=form, status=form_status(form))


def set_detail(request, pk: int, error: str = "", status: int = 200, indicator_form=None):
    s = get_visible_or_404(IndicatorSet.objects.select_related("organisation"), request.user, pk=pk)
    results = Assessment.objects.visible_to(request.user).filter(indicator_set=s).select_related("unit")
    job = computation_for(request.user, s)
    return render(request, "assessment/set_detail.html", {
        "s": s, "indicators": s.indicators.all(), "vetoes": s.vetoes.all(), "results": results,
        "reviewer": services.is_reviewer(request.user, s), "error": error,
        # shown while queued or running (progress bar) and when it failed (the reason); once done
        # the page shows its results
        "computation": job if job and job.status != job.Status.DONE else None,
        "computing": bool(job and not job.finished),
        "computation_url": reverse("assessment:computation", args=[s.pk]),
        "indicator_form": indicator_form or IndicatorForm()}, status=status)


def computation(request, pk: int):
    """The progress partial of the set's computation (the job page's partial, polled here so that
    whoever sees every result of the set — not only who clicked — follows it); when it has
    finished the page reloads to show the results or the reason it failed."""
    s = get_visible_or_404(IndicatorSet.objects, request.user, pk=pk)
    job = computation_for(request.user, s)
    if job is None:
        raise Http404("没有计算任务")
    if not request.htmx:
        return redirect("assessment:set", pk=s.pk)
    response = render(request, "jobs/_job.html", {"job": job, "poll_url": reverse("assessment:computation", args=[s.pk])})
    if job.finished:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def indicator_add(request, pk: int):
    s = get_visible_or_404(IndicatorSet.objects, request.user, pk=pk)
    form = IndicatorForm(request.POST)

    def refused(exc):  # a refusal of permission: the set's page with the reason at the top
        if exc.code == "permission_denied":
            return set_detail(request, pk, error=exc.message, status=form_status(refusal=exc))
        return None

    answered = submit_form(request, form, lambda **d: services.add_indicator(request.user, s, **d), None,
                           lambda r: redirect("assessment:set", pk=s.pk), forbid=False, refused=refused)
    if answered is not None:
        return answered
    return set_detail(request, pk, status=form_status(form), indicator_form=form)


@require_POST
def set_action(request, pk: int, action: str):
    """计算 queues the computation as a job (services.start_compute) and comes back to the set's
    page, which shows its progress; 确定 finalises at once."""
    s = get_visible_or_404(IndicatorSet.objects, request.user, pk=pk)
    fn = {"compute": services.start_compute, "finalise": services.finalise}.get(action)
    if fn is None:
        return set_detail(request, pk, error="未知操作。", status=404)

    def back(outcome):
        if action == "compute" and not outcome[1]:  # (job, started): the computation already under way
            messages.info(request, "该考评结果正在计算，未重复提交；下面是正在进行的计算。")
        return reverse("assessment:set", args=[s.pk])

    return press(request, lambda: fn(request.user, s), None, back,
                 lambda exc, status: set_detail(request, pk, error=exc.message, status=status), forbid=False)


def summary_xlsx(request, pk: int):
    s = get_visible_or_404(IndicatorSet.objects, request.user, pk=pk)
    if not services.is_reviewer(request.user, s):
        raise PermissionDenied("只有考评组织单位可以导出汇总表。")
    rows = Assessment.objects.filter(indicator_set=s).select_related("unit").prefetch_related("scores")
    response = HttpResponse(documents.summary_workbook(s, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="assessment-{s.year}.xlsx"'
    return response


def sheet(request, pk: int, forms: dict | None = None, status: int = 200):
    a = get_visible_or_404(Assessment.objects.select_related("indicator_set", "unit"), request.user, pk=pk)
    reviewer = services.is_reviewer(request.user, a.indicator_set)
    forms = forms or {}
    scores = list(a.scores.select_related("indicator"))
    return render(request, "assessment/sheet.html", {
        "a": a, "scores": scores, "not_applicable": sum(1 for sc in scores if sc.final is None),
        "debriefs": a.debriefs.all(), "reviewer": reviewer,
        "adjust_form": forms.get("adjust", AdjustForm()), "debrief_form": forms.get("debrief", DebriefForm()),
        "adjust_pk": forms.get("adjust_pk")}, status=status)


@require_POST
def adjust(request, pk: int):
    sc = get_visible_or_404(Score.objects.select_related("assessment__indicator_set", "indicator"), request.user, pk=pk)
    form = AdjustForm(request.POST)
    answered = submit_form(request, form, lambda **d: services.adjust(request.user, sc, **d), None,
                           lambda r: redirect("assessment:sheet", pk=sc.assessment_id), forbid=False)
    if answered is not None:
        return answered
    return sheet(request, sc.assessment_id, forms={"adjust": form, "adjust_pk": sc.pk}, status=form_status(form))


@require_POST
def debrief(request, pk: int):
    a = get_visible_or_404(Assessment.objects.select_related("indicator_set"), request.user, pk=pk)
    form = DebriefForm(request.POST)
    answered = submit_form(request, form, lambda **d: services.add_debrief(request.user, a, **d), None,
                           lambda r: redirect("assessment:sheet", pk=a.pk), forbid=False)
    if answered is not None:
        return answered
    return sheet(request, a.pk, forms={"debrief": form}, status=form_status(form))


def report_docx(request, pk: int):
    a = get_visible_or_404(Assessment.objects.select_related("indicator_set__organisation", "unit"), request.user, pk=pk)
    return send(request, documents.unit_report(a), f"assessment-{a.indicator_set.year}-{a.pk}", "assessment_report", a)
