"""现场处理措施 of a major hazard: order (a department competent for it), lift after 销号 and review,
and the 现场处理措施决定书. Read through the hazard (scoped: out of scope is 404)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from core.views import form_status, posted, submit_form

from .. import services, site_orders
from ..forms import CompulsoryLiftForm, CompulsoryMeasureForm, SiteOrderForm, SiteOrderLiftForm
from .detail import _hazard


def _order(hazard, oid: int):
    order = hazard.site_orders.filter(pk=oid).first()
    if order is None:
        raise Http404
    return order


def _page(request, hazard, form, call, title: str, done: str, order=None, *, may=None, law=None):
    if not site_orders.can_order(request.user, hazard):
        raise PermissionDenied("只有负责该隐患的行业主管部门可以责令采取或解除现场处理措施。")
    if may is not None and not may(request.user, hazard):
        raise PermissionDenied(site_orders.PRINCIPAL_ONLY)
    answered = submit_form(request, form, call, done, f"/hazards/{hazard.pk}/")
    if answered is not None:
        return answered
    return render(request, "hazards/site_order_form.html",
                  {"hazard": hazard, "form": form, "title": title, "order": order, "law": site_orders.LAW,
                   "art_70": site_orders.ART_70 if law == 70 else ""},
                  status=form_status(form))


def order_new(request, pk: int):
    hazard = _hazard(request, pk)
    form = SiteOrderForm(posted(request))
    return _page(request, hazard, form, lambda **data: services.order_site_measures(request.user, hazard, **data),
                 "责令采取现场处理措施", "已责令采取现场处理措施。")


def order_lift(request, pk: int, oid: int):
    hazard = _hazard(request, pk)
    order = _order(hazard, oid)
    form = SiteOrderLiftForm(posted(request))
    return _page(request, hazard, form, lambda **data: services.lift_site_order(request.user, order, **data),
                 "解除现场处理措施（经审查同意恢复生产经营和使用）", "已解除现场处理措施。", order=order)


def _measure(order, mid: int):
    measure = order.compulsory_measures.filter(pk=mid).first()
    if measure is None:
        raise Http404
    measure.site_order = order
    return measure


def compulsion_new(request, pk: int, oid: int):
    hazard = _hazard(request, pk)
    order = _order(hazard, oid)
    order.hazard = hazard
    form = CompulsoryMeasureForm(posted(request))
    return _page(request, hazard, form, lambda **data: services.take_compulsory_measures(request.user, order, **data),
                 "采取强制措施（停止供电、停止供应民用爆炸物品等）", "已采取强制措施。", order=order,
                 may=site_orders.may_approve_compulsion, law=70)


def compulsion_lift(request, pk: int, oid: int, mid: int):
    hazard = _hazard(request, pk)
    order = _order(hazard, oid)
    order.hazard = hazard
    measure = _measure(order, mid)
    form = CompulsoryLiftForm(posted(request))
    return _page(request, hazard, form, lambda **data: services.lift_compulsory_measures(request.user, measure, **data),
                 "解除强制措施", "已解除强制措施。", order=order, law=70)


def compulsion_document(request, pk: int, oid: int, mid: int):
    from documents.delivery import send
    from documents.hazard_docs import compulsory_measure_docx

    hazard = _hazard(request, pk)
    order = _order(hazard, oid)
    order.hazard = hazard
    measure = _measure(order, mid)
    return send(request, compulsory_measure_docx(measure), f"强制措施通知书-{measure.number}", "hazard_compulsory_measure",
                hazard, pdf=True)


def order_document(request, pk: int, oid: int):
    from documents.delivery import send
    from documents.hazard_docs import site_order_docx

    hazard = _hazard(request, pk)
    order = _order(hazard, oid)
    return send(request, site_order_docx(order), f"现场处理措施决定书-{order.number}", "hazard_site_order", hazard,
                pdf=True)
