"""Pages: case list / open / detail with actions, decision documents, credit list, typical
cases, accountability. Reads via visible_to; writes via one service call per POST."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import is_government
from core import idnumber
from core.events import events_for
from core.forms import CHOOSE
from core.lists import Column, ScopedListView
from core.services import ServiceError
from core.views import form_status, get_visible_or_404, named_or_404, posted, posted_text, press, submit_form
from documents.delivery import send

from . import compulsion, forms, rules, services, transfer_clock, workflow
from .documents import render_decision, renderable
from .filters import AccountabilityFilter, CaseFilter, CreditListingFilter, TypicalCaseFilter
from .models import Accountability, Case, CreditListing, Decision, OversightNotice, SectorBan, TypicalCase


class CaseList(ScopedListView):
    name = "enforcement.cases"
    url_name = "enforcement:case_list"
    title = "执法案件"
    model = Case
    filterset_class = CaseFilter
    template_name = "enforcement/case_list.html"
    row_template = "enforcement/_case_row.html"
    select_related = ("enterprise", "opened_by_org")
    columns = (Column("案号", "number"), Column("当事单位", "enterprise.name"), Column("案由", "title"),
               Column("阶段", "get_stage_display"), Column("立案单位", "opened_by_org.name"), Column("立案日期", "opened_on"))
    empty_text = "暂无案件"
    export_name = "cases"
    export_url_name = "enforcement:case_export"

    def extra_context(self, request):
        user = request.user
        return {"can_open": is_government(user) and services._org(user) is not None
                and user.membership.organisation.kind == "department" and user.membership.can_write}


case_list = CaseList.as_view()
case_export = CaseList.as_view(mode="export")


def case_open(request):
    if not is_government(request.user):
        raise Http404
    from enterprises.models import Enterprise
    from hazards.models import Hazard

    form = forms.OpenCaseForm(posted(request), user=request.user)
    # an enterprise or hazard the officer cannot see (another region, another sector) is not found
    named_or_404(form, "enterprise", Enterprise.objects, request.user)
    hazard = named_or_404(form, "hazard", Hazard.objects, request.user)

    def call(**d):
        return services.open_case(request.user, enterprise=d["enterprise"], title=d["title"], facts=d["facts"],
                                  hazard=hazard if d["hazard"] else None, origin=d["origin"])

    answered = submit_form(request, form, call, None, lambda case: redirect("enforcement:case_detail", case.pk),
                           forbid=False)
    if answered is not None:
        return answered
    return render(request, "enforcement/case_open.html", {"form": form}, status=form_status(form))


def _action_forms(case, data=None, only=None):
    specs = {
        "advance": (forms.AdvanceForm, False), "party": (forms.PartyForm, False),
        "party_id": (forms.PartyIdForm, True), "penalty": (forms.PenaltyForm, True),
        "no_penalty": (forms.ReasonForm, False), "suspension": (forms.SuspensionForm, False),
        "resume": (forms.ResumeForm, False), "transfer": (forms.TransferForm, True),
        "daily_fine": (forms.DailyFineForm, True), "correction": (forms.CorrectionForm, True),
        "measure": (forms.MeasureForm, False), "typical": (forms.TypicalForm, False), "listing": (forms.ListingForm, False),
        "ban": (forms.BanForm, True),
        "revoke": (forms.RevokeForm, True), "transfer_receipt": (forms.TransferReceiptForm, True),
        "transfer_outcome": (forms.TransferOutcomeForm, True), "reconsideration": (forms.ReconsiderationForm, True),
    }
    out = {}
    for name, (cls, needs_case) in specs.items():
        kwargs = {"case": case} if needs_case else {}
        bound = data if name == only else None
        out[name] = cls(bound, prefix=name, **kwargs)
    allowed = workflow.available_actions(case.stage, ctx=_stage_context(case)) if only != "advance" else workflow.ACTIONS
    out["advance"].fields["stage_action"].choices = [("", CHOOSE)] + [(a, workflow.LABELS[a]) for a in allowed]
    return out


#: the forms about a transfer: transfers are hidden from enterprise users, so are these forms (404)
TRANSFER_FORMS = ("transfer_receipt", "transfer_outcome", "reconsideration")


def _events(case, government: bool):
    """The case's timeline; a transfer to the judiciary is not shown outside government (as its decision),
    nor what the 公安机关 did with it (case.transfer_received / _outcome / _reconsideration)."""
    events = events_for(case)
    return events if government else events.exclude(verb__startswith="case.transfer")


def _stage_context(case):
    """What the transition guards read (``services.case_context``); the note is typed in the form itself."""
    return services.case_context(case, has_note=True)


def _offered(case, action_forms, failed=None):
    """Only the forms of the actions possible now in the case's stage (plus the one that just failed)."""
    names = set(workflow.available_forms(case.stage, ctx=_stage_context(case)))
    if "party_id" in names and not action_forms["party_id"].fields["party"].queryset.exists():
        names.discard("party_id")  # no person party to identify (a case against the entity alone)
    if "ban" in names and not forms.BanForm.principals(case):
        names.discard("ban")  # 行业禁入 is of a 主要负责人: none is a party of the case
    for name in TRANSFER_FORMS:  # no transfer at the step the form records (no 回执 yet, no 不予立案)
        if name in names and not action_forms[name].fields["decision"].queryset.exists():
            names.discard(name)
    offered = {name: form for name, form in action_forms.items() if name in names or name == failed}
    for name, form in offered.items():
        # the card's heading: the one list of the forms' names. Not ``form.title``: the template reads
        # ``form.title`` as the form's field of that name first (公布典型案例's 标题 box stood as its heading)
        form.card_heading = workflow.FORM_LABELS[name]
    return offered


def _run(user, case, name, d):
    s = services
    calls = {
        "advance": lambda: s.advance(user, case, d["stage_action"], note=d["note"]),
        "party": lambda: s.add_party(user, case, name=d["name"], role=d["role"], position=d["position"],
                                     id_number=d["id_number"]),
        "party_id": lambda: s.set_party_id_number(user, case, party=d["party"], id_number=d["id_number"]),
        "penalty": lambda: s.decide_penalty(user, case, party=d["party"], article=d["article"], amount=d["amount"],
                                            reason=d["reason"], decided_on=d["decided_on"],
                                            correction_ordered_on=d["correction_ordered_on"],
                                            correction_deadline=d["correction_deadline"], act_on=d["act_on"],
                                            income=d["income"]),
        "no_penalty": lambda: s.decide_no_penalty(user, case, reason=d["reason"]),
        "suspension": lambda: s.order_suspension(user, case, article=d["article"], reason=d["reason"],
                                                  correction_deadline=d["correction_deadline"], decided_on=d["decided_on"]),
        "resume": lambda: s.resume(user, case, reason=d["reason"], decided_on=d["decided_on"]),
        "transfer": lambda: s.transfer(user, case, party=d["party"], reason=d["reason"], transfer_to=d["transfer_to"],
                                        dangerous_ops=d["dangerous_ops"], decided_on=d["decided_on"]),
        "daily_fine": lambda: s.daily_fine(user, case, base=d["base"], reason=d["reason"]),
        "correction": lambda: s.record_correction(user, d["decision"], corrected_on=d["corrected_on"]),
        "measure": lambda: s.add_measure(user, enterprise=case.enterprise, kind=d["kind"], note=d["note"], case=case,
                                          date=d["date"]),
        "typical": lambda: s.publish_typical(user, case, title=d["title"], summary=d["summary"],
                                             dangerous_ops=d["dangerous_ops"], published_on=d["published_on"]),
        "listing": lambda: s.propose_listing(user, enterprise=case.enterprise, reason=d["reason"],
                                             duration_months=d["duration_months"], public=d["public"], case=case),
        "revoke": lambda: s.revoke_decision(user, d["decision"], reason=d["reason"]),
        "ban": lambda: s.ban_person(user, case, person_name=d["person_name"], ground=d["ground"], start=d["start"],
                                    reason=d["reason"], accident=d["accident"]),
        "transfer_receipt": lambda: s.record_transfer_receipt(user, d["decision"], receiving_organ=d["receiving_organ"],
                                                              received_on=d["received_on"]),
        "transfer_outcome": lambda: s.record_transfer_outcome(user, d["decision"], outcome=d["outcome"],
                                                              notified_on=d["notified_on"], note=d["note"]),
        "reconsideration": lambda: s.request_reconsideration(user, d["decision"], requested_on=d["requested_on"],
                                                             result=d["result"]),
    }
    return calls[name]()


def _detail_context(request, case, action_forms, failed=None):
    decisions = list(case.decisions.select_related("party", "article", "transfer_outcome", "lifts__case")
                     .prefetch_related("compulsory_measures", "lifted_by"))
    may_compel = is_government(request.user) and compulsion.may_compel(request.user, case)
    if not is_government(request.user):
        decisions = [d for d in decisions if d.kind != Decision.Kind.TRANSFER]
    for d in decisions:
        d.document = renderable(d)
        if d.kind == Decision.Kind.DAILY_FINE:
            d.accrual = services.daily_fine_total(d)
        if d.kind == Decision.Kind.SUSPENSION:  # 强制措施 (第七十条) offered to the 主要负责人 while it is defied
            d.compulsion_offered = may_compel and compulsion.enforceable(d)
        if d.kind == Decision.Kind.TRANSFER:  # what the 公安机关 did with it (None: nothing recorded yet)
            d.police = getattr(d, "transfer_outcome", None)
            d.clock = transfer_clock.for_decision(d, timezone.localdate())  # 国务院令第310号's time limits
    government = is_government(request.user)
    ctx = _stage_context(case)
    return {
        "case": case, "parties": case.parties.all(), "decisions": decisions, "government": government,
        "can_handle": government and services.can_handle(request.user, case),
        "actions": workflow.available_actions(case.stage, ctx=ctx), "action_labels": workflow.LABELS,
        "daily_fine_running": government and case.stage != workflow.CLOSED and ctx.daily_fine_running,
        "suspension_in_force": government and case.stage != workflow.CLOSED and ctx.suspension_in_force,
        "forms": _offered(case, action_forms, failed), "double_penalty": services.is_double_penalty(case),
        "leniency": government and rules.leniency_proposed(case),
        "closure": government and rules.closure_proposal(case.enterprise),
        "credit": rules.credit_status(case.enterprise), "events": _events(case, government),
        "bans": (SectorBan.objects.filter(case=case).select_related("accident", "organisation", "sector").order_by("start", "pk")
                 if government else ()),
    }


def case_detail(request, pk: int):
    case = get_visible_or_404(Case.objects.select_related("enterprise", "hazard", "opened_by_org"), request.user, pk=pk)
    return render(request, "enforcement/case_detail.html", _detail_context(request, case, _action_forms(case)))


@require_POST
def case_action(request, pk: int, action: str):
    case = get_visible_or_404(Case.objects.select_related("enterprise", "hazard", "opened_by_org"), request.user, pk=pk)
    if action in TRANSFER_FORMS and not is_government(request.user):
        raise Http404  # an enterprise user does not learn that the case has transfers
    if not services.can_handle(request.user, case) or not is_government(request.user):
        raise PermissionDenied("只有立案单位的执法人员可以办理该案件。")
    action_forms = _action_forms(case, request.POST, only=action)
    form = action_forms.get(action)
    if form is None:
        raise Http404
    if action not in workflow.available_forms(case.stage, ctx=_stage_context(case)):
        # what the page does not offer at this stage is refused here too (the services hold the same
        # rule: _check_form_stage), whatever the URL names
        form.is_valid()
        form.add_error(None, f"案件当前阶段（{case.get_stage_display()}）不能办理“{workflow.FORM_LABELS[action]}”。")
    else:  # a refusal of permission (NotPermitted) is the 403 page
        answered = submit_form(request, form, lambda **d: _run(request.user, case, action, d), "已办理。",
                               lambda r: redirect("enforcement:case_detail", case.pk))
        if answered is not None:
            return answered
    ctx = _detail_context(request, case, action_forms, failed=action)
    ctx["failed"] = action
    return render(request, "enforcement/case_detail.html", ctx, status=form_status(form))


def decision_document(request, pk: int):
    decisions = Decision.objects.select_related("case__enterprise", "party", "article")
    if not is_government(request.user):  # 移送司法机关 is hidden from enterprise users (as on the case page and the API)
        decisions = decisions.exclude(kind=Decision.Kind.TRANSFER)
    decision = get_visible_or_404(decisions, request.user, pk=pk)
    if not renderable(decision):
        raise Http404
    name, data = render_decision(decision)
    return send(request, data, name.removesuffix(".docx"), "enforcement_decision", decision)


class CreditList(ScopedListView):
    name = "enforcement.credit"
    url_name = "enforcement:credit_list"
    title = "严重失信主体名单"
    model = CreditListing
    filterset_class = CreditListingFilter
    template_name = "enforcement/credit_list.html"
    row_template = "enforcement/_credit_row.html"
    select_related = ("enterprise",)
    columns = (Column("单位", "enterprise.name"), Column("事由", "reason"), Column("起始", "start"),
               Column("期限（月）", "duration_months"), Column("期满日期", "ends_on"), Column("公开", "public"),
               Column("状态", "get_status_display"), Column("操作"))
    empty_text = "暂无记录"

    @classmethod
    def scoped_queryset(cls, user):
        from django.db.models import Exists, OuterRef

        from .models import CreditRepair

        pending = CreditRepair.objects.filter(listing=OuterRef("pk"), status=CreditRepair.Status.PENDING)
        return super().scoped_queryset(user).annotate(repair_pending=Exists(pending))

    def extra_context(self, request):
        return {"government": is_government(request.user), "today": timezone.localdate()}


credit_list = CreditList.as_view()


@require_POST
def credit_action(request, pk: int, action: str):
    listing = get_visible_or_404(CreditListing.objects.select_related("enterprise"), request.user, pk=pk)
    if action not in ("confirm", "apply", "expire", "approve", "deny"):
        raise Http404

    def act():
        if action == "confirm":
            return services.confirm_listing(request.user, listing)
        if action == "apply":
            return services.apply_repair(request.user, listing, statement=posted_text(request, "statement"))
        if action == "expire":
            return services.expire_listing(request.user, listing)
        repair = listing.repairs.filter(status="pending").first()
        if repair is None:
            raise ServiceError("没有待审核的修复申请。", "statement")
        return services.decide_repair(request.user, repair, approve=action == "approve", note=posted_text(request, "note"))

    def shown(exc, status):
        view = CreditList()
        view.setup(request)
        return view.render_list(request, {"error": exc.message, "error_field": exc.field}, status=status)

    return press(request, act, "已办理。", "enforcement:credit_list", shown)


class TypicalList(ScopedListView):
    name = "enforcement.typical"
    url_name = "enforcement:typical_list"
    title = "典型执法案例"
    model = TypicalCase
    filterset_class = TypicalCaseFilter
    template_name = "enforcement/typical_list.html"
    row_template = "enforcement/_typical_row.html"
    select_related = ("enterprise", "organisation")
    columns = (Column("案例"),)
    empty_text = "暂无典型案例"


typical_list = TypicalList.as_view()


class AccountabilityList(ScopedListView):
    """责任倒查 (government only): accountability measures, with the 约谈/通报 notices below."""

    name = "enforcement.accountability"
    url_name = "enforcement:accountability_list"
    title = "责任倒查追责问责"
    model = Accountability
    filterset_class = AccountabilityFilter
    template_name = "enforcement/accountability_list.html"
    row_template = "enforcement/_accountability_row.html"
    select_related = ("organisation",)
    columns = (Column("被问责人", "person_name"), Column("公民身份号码", lambda row: idnumber.masked(row.id_number)),
               Column("职务", "person_position"), Column("问责方式", "measure"),
               Column("日期", "date"), Column("实施单位", "organisation.name"))
    empty_text = "暂无记录"
    export_name = "accountability"
    export_url_name = "enforcement:accountability_export"

    def check_access(self, request):
        if not is_government(request.user):
            raise Http404

    def extra_context(self, request):
        notices = OversightNotice.objects.visible_to(request.user).select_related("target", "organisation")
        return {"notices": notices[:NOTICES_SHOWN], "notices_total": notices.count(), "notices_shown": NOTICES_SHOWN}


NOTICES_SHOWN = 100
accountability_list = AccountabilityList.as_view()
accountability_export = AccountabilityList.as_view(mode="export")
