"""Self-check dashboard (enterprise), scoped enterprise list (government), record forms."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.scope import scope_for
from core.lists import Column, ScopedListView
from core.views import form_status, get_visible_or_404, submit_form
from enterprises.models import Enterprise

from . import forms, services
from .filters import ObligationEnterpriseFilter
from .models import (
    EmergencyDrill,
    Outsourcing,
    PrincipalCheck,
    Remark,
    ResponsibilityList,
    SafetyCostExtraction,
    SafetyOrganisation,
    SpecialWorker,
    WorkPermit,
)
from .summary import obligation_summaries, obligation_summary

# kind → (title, form class, service function)
KINDS = {
    "check": ("主要负责人带队检查/专题研究", forms.PrincipalCheckForm, services.record_principal_check),
    "list": ("安全生产责任清单", forms.ResponsibilityListForm, services.add_responsibility_list),
    "staffing": ("安全管理机构和人员", forms.SafetyOrganisationForm, services.set_safety_organisation),
    "worker": ("特种作业人员", forms.SpecialWorkerForm, services.add_special_worker),
    "permit": ("作业票", forms.WorkPermitForm, services.add_work_permit),
    "outsourcing": ("外包外租", forms.OutsourcingForm, services.add_outsourcing),
    "drill": ("应急演练", forms.DrillForm, services.add_drill),
    "cost": ("安全生产费用提取", forms.CostForm, services.add_cost_extraction),
}


class ObligationList(ScopedListView):
    """Government users: the scoped operating enterprises with their due/overdue obligations."""

    name = "obligations.list"
    url_name = "obligations:dashboard"
    title = "企业主体责任落实情况"
    model = Enterprise
    filterset_class = ObligationEnterpriseFilter
    template_name = "obligations/list.html"
    row_template = "obligations/_list_row.html"
    ordering = ("name", "id")
    columns = (Column("单位", "name"), Column("待办", lambda e: e.summary["due"]),
               Column("逾期", lambda e: e.summary["overdue"]), Column("调度表第二部分问题", lambda e: "、".join(e.problems)))
    testid = "enterprise-table"
    empty_text = "无可查看的单位"
    export_name = "obligations"
    export_url_name = "obligations:export"

    @classmethod
    def scoped_queryset(cls, user):
        return super().scoped_queryset(user).filter(status=Enterprise.Status.OPERATING)

    def rows_for_page(self, rows):
        summaries = obligation_summaries(rows, timezone.localdate())
        for ent in rows:
            ent.summary = summaries[ent.pk]
            ent.problems = [k for k, v in ent.summary["questions"].items() if v]
        return rows


_obligation_list = ObligationList.as_view()
obligation_export = ObligationList.as_view(mode="export")


def dashboard(request):
    """Enterprise users see their own self-check page; others the list of scoped enterprises."""
    scope = scope_for(request.user)
    if scope.kind == "enterprise" and scope.enterprise_ids and len(scope.enterprise_ids) == 1:
        return enterprise_detail(request, next(iter(scope.enterprise_ids)))
    return _obligation_list(request)


def enterprise_detail(request, pk: int, remark_form=None):
    enterprise = get_visible_or_404(Enterprise.objects, request.user, pk=pk)
    today = timezone.localdate()
    ctx = {
        "enterprise": enterprise,
        "summary": obligation_summary(enterprise, today),
        "can_write": services.can_write_records(request.user, enterprise),
        "can_remark": services.can_remark(request.user, enterprise),
        "remark_form": remark_form or forms.RemarkForm(), "totals": {},
        "workers": SpecialWorker.objects.filter(enterprise=enterprise),
        "staffing": SafetyOrganisation.objects.filter(enterprise=enterprise).first(),
    }
    # the latest records of each kind; the page says how many there are in all when it shows fewer
    for key, qs, shown in (
            ("checks", PrincipalCheck.objects.filter(enterprise=enterprise), 10),
            ("lists", ResponsibilityList.objects.filter(enterprise=enterprise), 10),
            ("permits", WorkPermit.objects.filter(enterprise=enterprise).prefetch_related("workers"), 10),
            ("outsourcing", Outsourcing.objects.filter(enterprise=enterprise), 10),
            ("drills", EmergencyDrill.objects.filter(enterprise=enterprise), 10),
            ("costs", SafetyCostExtraction.objects.filter(enterprise=enterprise), 5),
            ("remarks", Remark.objects.filter(enterprise=enterprise).select_related("created_by"), 10)):
        ctx[key] = qs[:shown]
        ctx["totals"][key] = {"total": qs.count(), "shown": shown}
    ctx["kinds"] = {k: v[0] for k, v in KINDS.items()}
    return render(request, "obligations/enterprise.html", ctx, status=form_status(remark_form))


def add_record(request, pk: int, kind: str):
    if kind not in KINDS:
        raise Http404("未知记录类型")
    enterprise = get_visible_or_404(Enterprise.objects, request.user, pk=pk)
    if not services.can_write_records(request.user, enterprise):
        raise PermissionDenied("只有本单位人员可以填报。")
    title, form_class, service = KINDS[kind]
    extra = {"enterprise": enterprise} if kind in ("permit", "check", "cost") else {}
    form = form_class(request.POST, request.FILES, **extra) if request.method == "POST" else form_class(**extra)

    def page():
        return render(request, "obligations/form.html", {"form": form, "title": title, "enterprise": enterprise},
                      status=form_status(form))

    def save(**data):
        if kind == "cost" and data.get("used_amount") is None:
            data["used_amount"] = 0
        return service(request.user, enterprise, **data)

    def refused(exc):  # a refusal of one of the form's findings lands under that finding's field
        return page() if hasattr(form, "service_error") and form.service_error(exc) else None

    answered = submit_form(request, form, save, f"{title}已保存。",
                           lambda _: redirect("obligations:enterprise", pk=enterprise.pk),
                           forbid=False, refused=refused)
    return answered if answered is not None else page()


@require_POST
def add_remark(request, pk: int):
    enterprise = get_visible_or_404(Enterprise.objects, request.user, pk=pk)
    if not services.can_remark(request.user, enterprise):
        raise PermissionDenied("无权填写监管意见。")
    form = forms.RemarkForm(request.POST)
    answered = submit_form(request, form, lambda **data: services.add_remark(request.user, enterprise, **data),
                           "监管意见已保存。", lambda _: redirect("obligations:enterprise", pk=enterprise.pk),
                           forbid=False)
    if answered is not None:
        return answered
    return enterprise_detail(request, enterprise.pk, remark_form=form)  # the page again, the reason on the form (400)
