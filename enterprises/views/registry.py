"""List and xlsx export (one scoped list, core.lists), detail, create, edit and contacts pages."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.account_rules import manages_enterprise
from core.events import events_for
from core.lists import Column, ScopedListView
from core.views import form_status, get_visible_or_404, named_or_404, posted, submit_form
from regions.models import Region

from .. import permissions as perms
from .. import services
from ..filters import EnterpriseFilter
from ..forms import CloseForm, ContactsForm, EnterpriseForm, ReopenForm, SafetyManagerFormSet
from ..models import Enterprise
from ..queries import supervising_departments
from .engagements import engagements_of

PAGE_SIZE = 50


class EnterpriseList(ScopedListView):
    name = "enterprises.list"
    url_name = "enterprises:list"
    title = "生产经营单位"
    model = Enterprise
    filterset_class = EnterpriseFilter
    template_name = "enterprises/enterprise_list.html"
    row_template = "enterprises/_enterprise_row.html"
    select_related = ("region",)
    prefetch_related = ("sectors",)
    columns = (Column("单位名称", "name"), Column("统一社会信用代码", "credit_code"), Column("乡镇（街道）", "region.name"),
               Column("行业领域", "sectors"), Column("高危", "high_risk"), Column("从业人员", "employees"),
               Column("状态", "get_status_display"))
    page_size = PAGE_SIZE
    testid = "enterprise-table"
    empty_text = "没有符合条件的单位。"
    export_name = "enterprises"
    export_url_name = "enterprises:export"
    export_noun = "家单位"

    def extra_context(self, request):
        return {"can_register": perms.can_register(request.user)}

    def export_columns(self, request, filterset):
        """The import template's columns (the file can be edited and imported again)."""
        from ..spreadsheets import export_columns

        return export_columns()


enterprise_list = EnterpriseList.as_view()
enterprise_export = EnterpriseList.as_view(mode="export")


def enterprise_detail(request, pk: int):
    ent = get_visible_or_404(Enterprise.objects.select_related("region"), request.user, pk=pk)
    from standards.applicability import applicable_key_lists, applicable_standards

    return render(request, "enterprises/enterprise_detail.html", {
        "ent": ent, "sectors": list(ent.sectors.all()), "managers": list(ent.safety_managers.order_by("id")),
        "supervisors": supervising_departments(ent), "standards": applicable_standards(ent),
        "key_lists": applicable_key_lists(ent), "events": list(_history(ent)[:RECENT_EVENTS]),
        "events_total": {"total": events_for(ent).count(), "shown": RECENT_EVENTS},
        "can_edit": perms.can_edit_profile(request.user, ent),
        "can_edit_contacts": perms.can_edit_contacts(request.user, ent),
        "can_close": ent.status != Enterprise.Status.CLOSED and perms.can_close(request.user, ent),
        "can_reopen": ent.status == Enterprise.Status.CLOSED and perms.can_reopen(request.user, ent),
        "engagements": engagements_of(request.user, ent),
        "can_engage": ent.status != Enterprise.Status.CLOSED and perms.can_engage(request.user, ent),
        "manages_accounts": manages_enterprise(request.user, ent),
        **_enforcement_facts(ent),
    })


RECENT_EVENTS = 20  # the detail page's latest changes; the history page pages through all of them


def _history(ent):
    return events_for(ent).order_by("-created_at", "-id")


def enterprise_history(request, pk: int):
    """Every change recorded on an enterprise (its events), newest first, 50 a page with the total."""
    from django.core.paginator import Paginator

    ent = get_visible_or_404(Enterprise.objects.all(), request.user, pk=pk)
    page = Paginator(_history(ent), 50).get_page(request.GET.get("page"))
    return render(request, "enterprises/enterprise_history.html", {"ent": ent, "page_obj": page, "events": page.object_list})


def _enforcement_facts(ent) -> dict:
    """Credit status (严重失信主体名单, sector bans) and the art. 113 closure proposal, from the
    enforcement app — read-only facts for the profile."""
    from enforcement.rules import closure_proposal, credit_status

    return {"credit": credit_status(ent), "closure": closure_proposal(ent)}


def enterprise_create(request):
    if not perms.can_register(request.user):
        raise PermissionDenied(perms.REGISTRARS_ONLY)
    form = EnterpriseForm(posted(request), user=request.user)
    named_or_404(form, "region", Region.objects, request.user)  # a township out of scope (or none) is not found
    answered = submit_form(
        request, form, lambda **d: services.create_enterprise(request.user, credit_code=d["credit_code"], **form.service_kwargs()),
        lambda ent: f"已登记：{ent.name}", lambda ent: f"/enterprises/{ent.pk}/", forbid=False)
    if answered is not None:
        return answered
    return render(request, "enterprises/enterprise_form.html", {"form": form, "title": "登记生产经营单位"},
                  status=form_status(form))


def enterprise_edit(request, pk: int):
    ent = get_visible_or_404(Enterprise.objects.select_related("region"), request.user, pk=pk)
    if not perms.can_edit_profile(request.user, ent):
        raise PermissionDenied(perms.REGISTRARS_ONLY)
    form = EnterpriseForm(posted(request), instance=ent, user=request.user,
                          initial={"sectors": list(ent.sectors.all())})
    named_or_404(form, "region", Region.objects, request.user)
    answered = submit_form(request, form, lambda **_: services.edit_enterprise(request.user, ent, **form.service_kwargs()),
                           "已保存。", f"/enterprises/{ent.pk}/", forbid=False)
    if answered is not None:
        return answered
    return render(request, "enterprises/enterprise_form.html", {"form": form, "ent": ent, "title": f"编辑：{ent.name}"},
                  status=form_status(form))


def enterprise_contacts(request, pk: int):
    ent = get_visible_or_404(Enterprise.objects.all(), request.user, pk=pk)
    if not perms.can_edit_contacts(request.user, ent):
        raise PermissionDenied("只有政府部门经办人员或本单位的经办人员可以修改联系人。")
    initial = [{"name": m.name, "phone": m.phone, "full_time": m.full_time, "certificate_no": m.certificate_no}
               for m in ent.safety_managers.order_by("id")]
    post = request.POST if request.method == "POST" else None
    form = ContactsForm(post, initial={"principal_phone": ent.principal_phone, "controller_phone": ent.controller_phone})
    formset = SafetyManagerFormSet(post, initial=initial, prefix="sm", form_kwargs={"empty_permitted": False})

    def save(**data):
        managers = [f.cleaned_data for f in formset.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")]
        return services.update_contacts(request.user, ent, safety_managers=managers, **data)

    if formset.is_valid():  # the safety managers are saved with the form, only when both are valid
        answered = submit_form(request, form, save, "联系方式已保存。", f"/enterprises/{ent.pk}/", forbid=False)
        if answered is not None:
            return answered
    return render(request, "enterprises/enterprise_contacts.html", {"form": form, "formset": formset, "ent": ent},
                  status=form_status(form, formset))


def _approver_status_change(request, pk: int, *, may, refusal: str, form_class, change, done: str, template: str,
                            context=lambda ent: {}):
    """关闭 / 恢复正常经营: an approver of the unit's scope gives the reason; ``change`` is the service."""
    ent = get_visible_or_404(Enterprise.objects.select_related("region"), request.user, pk=pk)
    if not may(request.user, ent):
        raise PermissionDenied(refusal)
    form = form_class(posted(request))
    answered = submit_form(request, form, lambda **d: change(request.user, ent, reason=d["reason"]),
                           lambda _: f"{done}：{ent.name}", f"/enterprises/{ent.pk}/")
    if answered is not None:
        return answered
    return render(request, template, {"form": form, "ent": ent, **context(ent)}, status=form_status(form))


def enterprise_close(request, pk: int):
    """关闭（注销）: an approver gives the reason; refused while any hazard of the unit is open."""
    return _approver_status_change(
        request, pk, may=perms.can_close, refusal="关闭（注销）生产经营单位须由具有审批权限的负责人办理。", form_class=CloseForm,
        change=services.close_enterprise, done="已关闭", template="enterprises/enterprise_close.html",
        context=lambda ent: {"open_hazards": services.open_hazard_count(ent)})


def enterprise_reopen(request, pk: int):
    """恢复正常经营 of a closed unit: an approver gives the reason (services.reopen_enterprise)."""
    return _approver_status_change(
        request, pk, may=perms.can_reopen, refusal="恢复正常经营须由具有审批权限的负责人办理。", form_class=ReopenForm,
        change=services.reopen_enterprise, done="已恢复正常经营", template="enterprises/enterprise_reopen.html")
