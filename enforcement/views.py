"""Pages: case list / open / detail with actions, decision documents, credit list, typical
cases, accountability. Reads via visible_to; writes via one service call per POST."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import is_government
from core.models import SecurityLog
from core.security import log_security
from core.services import NotPermitted, ServiceError
from core.views import get_visible_or_404, service_error_to_form

from . import forms, rules, services, workflow
from .documents import render_decision, renderable
from .models import Accountability, Case, CreditListing, Decision, OversightNotice, TypicalCase


@login_required
def case_list(request):
    qs = Case.objects.visible_to(request.user).select_related("enterprise", "opened_by_org")
    stage, q = request.GET.get("stage", ""), request.GET.get("q", "").strip()
    if stage in Case.Stage.values:
        qs = qs.filter(stage=stage)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(enterprise__name__icontains=q))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "enforcement/case_list.html", {
        "page_obj": page, "stages": Case.Stage.choices, "stage": stage, "q": q,
        "can_open": is_government(request.user) and services._org(request.user) is not None
        and request.user.membership.organisation.kind == "department" and request.user.membership.can_write,
    })


@login_required
def case_open(request):
    if not is_government(request.user):
        raise Http404
    form = forms.OpenCaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        hazard = None
        if d["hazard"]:
            from hazards.models import Hazard

            hazard = Hazard.objects.visible_to(request.user).filter(pk=d["hazard"]).first()
            if hazard is None:
                form.add_error("hazard", "隐患不存在或不在您的管辖范围内。")
        if not form.errors:
            try:
                case = services.open_case(request.user, enterprise=d["enterprise"], title=d["title"], facts=d["facts"],
                                          hazard=hazard, origin=d["origin"])
                return redirect("enforcement:case_detail", case.pk)
            except ServiceError as e:
                service_error_to_form(form, e)
    status = 400 if request.method == "POST" else 200
    return render(request, "enforcement/case_open.html", {"form": form}, status=status)


def _action_forms(case, data=None, only=None):
    specs = {
        "advance": (forms.AdvanceForm, False), "party": (forms.PartyForm, False), "penalty": (forms.PenaltyForm, True),
        "no_penalty": (forms.ReasonForm, False), "suspension": (forms.SuspensionForm, False),
        "resume": (forms.ReasonForm, False), "transfer": (forms.TransferForm, True),
        "daily_fine": (forms.DailyFineForm, True), "correction": (forms.CorrectionForm, True),
        "measure": (forms.MeasureForm, False), "typical": (forms.TypicalForm, False), "listing": (forms.ListingForm, False),
    }
    out = {}
    for name, (cls, needs_case) in specs.items():
        kwargs = {"case": case} if needs_case else {}
        bound = data if name == only else None
        out[name] = cls(bound, prefix=name, **kwargs)
    return out


def _run(user, case, name, d):
    s = services
    calls = {
        "advance": lambda: s.advance(user, case, d["stage_action"], note=d["note"]),
        "party": lambda: s.add_party(user, case, name=d["name"], role=d["role"], position=d["position"]),
        "penalty": lambda: s.decide_penalty(user, case, party=d["party"], article=d["article"], amount=d["amount"],
                                            reason=d["reason"], correction_ordered_on=d["correction_ordered_on"],
                                            correction_deadline=d["correction_deadline"]),
        "no_penalty": lambda: s.decide_no_penalty(user, case, reason=d["reason"]),
        "suspension": lambda: s.order_suspension(user, case, reason=d["reason"], correction_deadline=d["correction_deadline"]),
        "resume": lambda: s.resume(user, case, reason=d["reason"]),
        "transfer": lambda: s.transfer(user, case, party=d["party"], reason=d["reason"], dangerous_ops=d["dangerous_ops"]),
        "daily_fine": lambda: s.daily_fine(user, case, base=d["base"], reason=d["reason"]),
        "correction": lambda: s.record_correction(user, d["decision"], corrected_on=d["corrected_on"]),
        "measure": lambda: s.add_measure(user, enterprise=case.enterprise, kind=d["kind"], note=d["note"], case=case),
        "typical": lambda: s.publish_typical(user, case, title=d["title"], summary=d["summary"],
                                             dangerous_ops=d["dangerous_ops"]),
        "listing": lambda: s.propose_listing(user, enterprise=case.enterprise, reason=d["reason"],
                                             duration_months=d["duration_months"], public=d["public"], case=case),
    }
    return calls[name]()


def _detail_context(request, case, action_forms):
    decisions = list(case.decisions.select_related("party", "article"))
    if not is_government(request.user):
        decisions = [d for d in decisions if d.kind != Decision.Kind.TRANSFER]
    for d in decisions:
        d.document = renderable(d)
        if d.kind == Decision.Kind.DAILY_FINE:
            d.accrual = services.daily_fine_total(d)
    government = is_government(request.user)
    return {
        "case": case, "parties": case.parties.all(), "decisions": decisions, "government": government,
        "can_handle": government and services.can_handle(request.user, case),
        "actions": workflow.available_actions(case.stage), "action_labels": workflow.LABELS,
        "forms": action_forms, "double_penalty": services.is_double_penalty(case),
        "leniency": government and rules.leniency_proposed(case),
        "closure": government and rules.closure_proposal(case.enterprise),
        "credit": rules.credit_status(case.enterprise),
    }


@login_required
def case_detail(request, pk: int):
    case = get_visible_or_404(Case.objects.select_related("enterprise", "hazard", "opened_by_org"), request.user, pk=pk)
    return render(request, "enforcement/case_detail.html", _detail_context(request, case, _action_forms(case)))


@login_required
@require_POST
def case_action(request, pk: int, action: str):
    case = get_visible_or_404(Case.objects.select_related("enterprise", "hazard", "opened_by_org"), request.user, pk=pk)
    if not services.can_handle(request.user, case) or not is_government(request.user):
        raise PermissionDenied("只有立案单位的执法人员可以办理该案件。")
    action_forms = _action_forms(case, request.POST, only=action)
    form = action_forms.get(action)
    if form is None:
        raise Http404
    if form.is_valid():
        try:
            _run(request.user, case, action, form.cleaned_data)
            messages.success(request, "已办理。")
            return redirect("enforcement:case_detail", case.pk)
        except NotPermitted as e:
            raise PermissionDenied(e.message)
        except ServiceError as e:
            service_error_to_form(form, e)
    ctx = _detail_context(request, case, action_forms)
    ctx["failed"] = action
    return render(request, "enforcement/case_detail.html", ctx, status=400)


@login_required
def decision_document(request, pk: int):
    decision = get_visible_or_404(Decision.objects.select_related("case__enterprise", "party", "article"),
                                  request.user, pk=pk)
    if not renderable(decision):
        raise Http404
    name, data = render_decision(decision)
    log_security(SecurityLog.Kind.DOWNLOAD, request=request, user=request.user, object=f"enforcement.decision:{pk}")
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def credit_list(request):
    rows = CreditListing.objects.visible_to(request.user).select_related("enterprise").prefetch_related("repairs")
    return render(request, "enforcement/credit_list.html", {"rows": rows[:500], "government": is_government(request.user)})


@login_required
@require_POST
def credit_action(request, pk: int, action: str):
    listing = get_visible_or_404(CreditListing.objects.select_related("enterprise"), request.user, pk=pk)
    try:
        if action == "confirm":
            services.confirm_listing(request.user, listing)
        elif action == "apply":
            services.apply_repair(request.user, listing, statement=request.POST.get("statement", ""))
        elif action in ("approve", "deny"):
            repair = listing.repairs.filter(status="pending").first()
            if repair is None:
                raise ServiceError("没有待审核的修复申请。", "statement")
            services.decide_repair(request.user, repair, approve=action == "approve", note=request.POST.get("note", ""))
        else:
            raise Http404
    except NotPermitted as e:
        raise PermissionDenied(e.message)
    except ServiceError as e:
        messages.error(request, e.message)
        return render(request, "enforcement/credit_list.html", {
            "rows": CreditListing.objects.visible_to(request.user).select_related("enterprise")[:500],
            "government": is_government(request.user), "error": e}, status=400)
    messages.success(request, "已办理。")
    return redirect("enforcement:credit_list")


@login_required
def typical_list(request):
    rows = TypicalCase.objects.visible_to(request.user).select_related("enterprise", "organisation")
    return render(request, "enforcement/typical_list.html", {"rows": rows[:500]})


@login_required
def accountability_list(request):
    if not is_government(request.user):
        raise Http404
    return render(request, "enforcement/accountability_list.html", {
        "rows": Accountability.objects.visible_to(request.user).select_related("organisation")[:500],
        "notices": OversightNotice.objects.visible_to(request.user).select_related("target", "organisation")[:500],
    })
