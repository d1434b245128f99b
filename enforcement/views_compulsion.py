"""强制措施 (安全生产法 第七十条) enforcing a case's 责令停产停业整顿: take (the 主要负责人 of the department handling
the case), lift (that department), the 强制措施通知书. Read through the decision (scoped: out of scope is 404)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from accounts.permissions import is_government
from core.views import form_status, get_visible_or_404, posted, submit_form
from documents.delivery import send
from hazards.forms import CompulsoryLiftForm, CompulsoryMeasureForm
from hazards.site_orders import ART_70, PRINCIPAL_ONLY

from . import compulsion, services
from .models import Decision


def _suspension(request, pk: int) -> Decision:
    decision = get_visible_or_404(Decision.objects.select_related("case__enterprise", "party"), request.user, pk=pk)
    if decision.kind != Decision.Kind.SUSPENSION:
        raise Http404
    return decision


def _measure(decision, mid: int):
    measure = decision.compulsory_measures.filter(pk=mid).first()  # a measure of the visible decision, else 404
    if measure is None:
        raise Http404
    measure.suspension = decision
    return measure


def _page(request, decision, form, call, title: str, done: str, *, principal: bool):
    case = decision.case
    if not (is_government(request.user) and services.can_handle(request.user, case)):
        raise PermissionDenied("只有立案单位的执法人员可以办理该案件。")
    if principal and not compulsion.may_compel(request.user, case):
        raise PermissionDenied(PRINCIPAL_ONLY)
    answered = submit_form(request, form, call, done, f"/enforcement/cases/{case.pk}/")
    if answered is not None:
        return answered
    return render(request, "enforcement/compulsion_form.html",
                  {"decision": decision, "case": case, "form": form, "title": title, "art_70": ART_70},
                  status=form_status(form))


def compulsion_new(request, pk: int):
    decision = _suspension(request, pk)
    form = CompulsoryMeasureForm(posted(request))
    return _page(request, decision, form,
                 lambda **data: services.take_suspension_measures(request.user, decision, **data),
                 "采取强制措施（停止供电、停止供应民用爆炸物品等）", "已采取强制措施。", principal=True)


def compulsion_lift(request, pk: int, mid: int):
    decision = _suspension(request, pk)
    measure = _measure(decision, mid)
    form = CompulsoryLiftForm(posted(request))
    return _page(request, decision, form,
                 lambda **data: services.lift_suspension_measures(request.user, measure, **data),
                 "解除强制措施", "已解除强制措施。", principal=False)


def compulsion_document(request, pk: int, mid: int):
    from documents.hazard_docs import suspension_compulsion_docx

    decision = _suspension(request, pk)
    measure = _measure(decision, mid)
    return send(request, suspension_compulsion_docx(measure), f"强制措施通知书-{measure.number}",
                "enforcement_compulsory_measure", decision.case, pdf=True)
