"""Plans and 双随机 draws, spot-checks, visits and batch reviews."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from accounts.permissions import membership
from core import ruletables
from core.lists import Column, ScopedListView
from core.querysets import parse_id
from core.views import form_status, get_visible_or_404, named_or_404, posted, submit_form
from documents.delivery import send
from enterprises.models import Enterprise
from regions.models import Region

from .. import documents, forms, frequency, redraw, review, services
from ..filters import SpotCheckFilter
from ..models import Plan, Record, RedrawRequest, ReviewBatch, SpotCheck, Visit


def _obligation_summary(enterprise):
    """The enterprise's obligation records, shown beside the nine questions."""
    from obligations.summary import obligation_summary

    return obligation_summary(enterprise, timezone.localdate())


def plan_new(request):
    if not services.can_plan(request.user):
        raise PermissionDenied("只有行业部门可以制定检查计划。")
    org = request.user.membership.organisation
    form = forms.PlanForm(posted(request), org=org, initial={"year": timezone.localdate().year})
    answered = submit_form(request, form, lambda **data: services.create_plan(request.user, **data), None,
                           lambda plan: f"/inspections/plans/{plan.pk}/", forbid=False)
    if answered is not None:
        return answered
    return render(request, "inspections/form.html", {"form": form, "title": "制定检查计划"}, status=form_status(form))


def plan_detail(request, pk: int):
    plan = get_visible_or_404(Plan.objects.select_related("department"), request.user, pk=pk)
    can_draw = services.can_plan(request.user) and request.user.membership.organisation_id == plan.department_id
    current = plan.draws.filter(superseded=False).first()
    form = forms.DrawForm(posted(request), redraw=current is not None)
    if request.method == "POST" and not can_draw:
        raise PermissionDenied("只能为本部门的计划抽取。")

    def draw(**data):
        if current is None:
            return services.make_draw(request.user, plan, **data)
        return redraw.request_redraw(request.user, plan, **data)  # 重新抽取: a request the department's 负责人 decides

    answered = submit_form(request, form, draw, "抽取完成。" if current is None else "已提交重新抽取申请，待本部门负责人审批。",
                           f"/inspections/plans/{plan.pk}/", forbid=False)
    if answered is not None:
        return answered
    return _plan_page(request, plan, can_draw, current, form)


def _plan_page(request, plan, can_draw, current, form, decision_form=None, status=None):
    """The plan's page: its draws, the 重新抽取 requests (with the decision form, bound when a decision was
    refused: answered with ``status``) and the draw form."""
    names = dict(Enterprise.objects.filter(pk__in={r["enterprise"] for d in plan.draws.all() for r in d.result})
                 .values_list("pk", "name"))
    from django.contrib.auth import get_user_model

    users = {u.pk: u.get_full_name() or u.username for u in get_user_model().objects.filter(
        pk__in={i for d in plan.draws.all() for r in d.result for i in r["inspectors"]})}
    done = {(r.draw_id, r.enterprise_id): r for r in Record.objects.visible_to(request.user).filter(draw__plan=plan)}
    draws = [(d, [(r["enterprise"], names.get(r["enterprise"], r["enterprise"]), [users.get(i, i) for i in r["inspectors"]],
                   done.get((d.pk, r["enterprise"]))) for r in d.result])
             for d in plan.draws.all()]
    # 按抽取结果检查: the department's own inspection staff start a record from a current draw's row
    can_record = services.can_inspect(request.user) and request.user.membership.organisation_id == plan.department_id
    requests = list(RedrawRequest.objects.visible_to(request.user).filter(plan=plan)
                    .select_related("requested_by", "decided_by", "new_draw"))
    m = membership(request.user)  # None for a superuser without a unit (who sees every plan)
    can_decide = bool(m and m.can_approve and m.can_write and m.organisation_id == plan.department_id)
    return render(request, "inspections/plan.html", {
        "plan": plan, "form": form, "can_draw": can_draw, "draws": draws, "can_record": can_record, "current": current,
        "requests": requests, "pending": next((r for r in requests if r.status == RedrawRequest.Status.PENDING), None),
        "can_decide": can_decide, "decision_form": decision_form or forms.RedrawDecisionForm(),
        "caps": frequency.summary(timezone.localdate()),
        "caps_editable": ruletables.can_edit(request.user, ruletables.table("inspection-frequency-caps")),
    }, status=status or form_status(form))


@require_POST
def redraw_decide(request, pk: int, decision: str):
    """批准 / 不予批准 a 重新抽取 request (the department's 负责人, not the requester)."""
    req = get_visible_or_404(RedrawRequest.objects.select_related("plan", "draw", "requested_by"), request.user, pk=pk)
    form = forms.RedrawDecisionForm(request.POST)

    def decide(decision_note):
        if decision == "approve":
            return redraw.approve_redraw(request.user, req, note=decision_note)
        redraw.refuse_redraw(request.user, req, note=decision_note)

    refusals = []  # a request decided meanwhile by another is 409, the others 400 (403: the 403 page)
    answered = submit_form(request, form, decide,
                           lambda new: f"已批准，已重新抽取（第{new.pk}号抽取）。" if new is not None else "已不予批准，原抽取结果继续有效。",
                           f"/inspections/plans/{req.plan_id}/", refused=refusals.append)
    if answered is not None:
        return answered
    plan = req.plan
    can_draw = services.can_plan(request.user) and request.user.membership.organisation_id == plan.department_id
    current = plan.draws.filter(superseded=False).first()
    return _plan_page(request, plan, can_draw, current, forms.DrawForm(redraw=current is not None), decision_form=form,
                      status=form_status(refusal=refusals[0]) if refusals else form_status(form))


def spot_check_new(request, enterprise_pk: int):
    enterprise = get_visible_or_404(Enterprise.objects, request.user, pk=enterprise_pk)
    if not services.can_inspect(request.user):
        raise PermissionDenied("只有政府部门经办人员可以填写抽查记录。")
    form = forms.SpotCheckForm(posted(request), initial={"checked_on": timezone.localdate()})

    def record(**cleaned):
        data = {k: cleaned[k] for k in ("checked_on", "via_permit_records", "contractor_unqualified",
                                        "no_agreement", "unclear_duties", "not_unified")}
        return services.record_spot_check(request.user, enterprise=enterprise, answers=form.answers(), notes=form.notes(),
                                          **data)

    answered = submit_form(request, form, record, "抽查记录已保存。", "inspections:spot_checks", forbid=False)
    if answered is not None:
        return answered
    return render(request, "inspections/spot_check.html", {
        "form": form, "enterprise": enterprise, "summary": _obligation_summary(enterprise)}, status=form_status(form))


class SpotCheckList(ScopedListView):
    name = "inspections.spot_checks"
    url_name = "inspections:spot_checks"
    title = "自查自改抽查记录"
    model = SpotCheck
    filterset_class = SpotCheckFilter
    template_name = "inspections/spot_checks.html"
    row_template = "inspections/_spot_check_row.html"
    select_related = ("enterprise", "organisation")
    ordering = ("-checked_on", "-id")
    columns = (Column("日期", "checked_on"), Column("企业", "enterprise.name"), Column("抽查单位", "organisation.name"),
               Column("发现问题", lambda r: "、".join(code for code, yes in r.answers().items() if yes)))
    empty_text = "暂无"
    export_name = "spot-checks"
    export_url_name = "inspections:spot_checks_export"


spot_checks = SpotCheckList.as_view()
spot_checks_export = SpotCheckList.as_view(mode="export")


def visit_new(request):
    if not services.can_inspect(request.user):
        raise PermissionDenied("只有政府部门经办人员可以填报。")
    org = request.user.membership.organisation
    form = forms.VisitForm(posted(request), user=request.user, org=org, initial={"visited_on": timezone.localdate()})
    # a unit, township or supervised office out of scope is not found (one in scope but not offered: the form's 400)
    named_or_404(form, "enterprise", Enterprise.objects, request.user)
    named_or_404(form, "township", Region.objects, request.user)
    named_or_404(form, "target_organisation", Organisation.objects, request.user)
    answered = submit_form(request, form, lambda **data: services.record_visit(request.user, **data), "已保存。",
                           "inspections:index", forbid=False)
    if answered is not None:
        return answered
    return render(request, "inspections/form.html", {"form": form, "title": "帮扶指导 / 督导检查"}, status=form_status(form))


def visit_detail(request, pk: int):
    visit = get_visible_or_404(Visit.objects, request.user, pk=pk)
    return render(request, "inspections/visit.html", {"visit": visit})


def review_new(request):
    if not services.can_inspect(request.user):
        raise PermissionDenied("只有政府部门经办人员可以导入复查批次。")
    inspectors = services.inspectors_of(request.user.membership.organisation)
    form = forms.ReviewImportForm(posted(request), request.FILES or None, inspectors=inspectors)

    def import_batch(**data):
        ids = review.parse_hazard_ids(data["file"].read())  # an unreadable file: refused on the form, too
        return review.import_batch(request.user, title=data["title"], hazard_ids=ids, inspector=data["inspector"])

    answered = submit_form(request, form, import_batch, None, lambda batch: f"/inspections/reviews/{batch.pk}/",
                           forbid=False)
    if answered is not None:
        return answered
    return render(request, "inspections/form.html", {"form": form, "title": "导入整改复查批次", "multipart": True},
                  status=form_status(form))


def review_detail(request, pk: int):
    batch = get_visible_or_404(ReviewBatch.objects, request.user, pk=pk)
    form = forms.ReviewConclusionForm(posted(request), request.FILES or None)
    if request.method == "POST":
        task_id = parse_id(request.POST.get("task", ""))  # ASCII digits only: "²" was a 500
        task = batch.tasks.filter(pk=task_id).first() if task_id else None
        if task is None:
            raise Http404
        answered = submit_form(request, form, lambda **data: review.conclude(request.user, task, **data), None,
                               f"/inspections/reviews/{batch.pk}/")
        if answered is not None:
            return answered
    return render(request, "inspections/review.html", {
        "batch": batch, "tasks": batch.tasks.select_related("hazard__enterprise", "inspector"), "form": form},
        status=form_status(form))


def review_docx(request, pk: int):
    batch = get_visible_or_404(ReviewBatch.objects, request.user, pk=pk)
    return send(request, documents.review_docx(batch), f"整改复查意见书-{batch.pk}", "inspection_review", batch)
