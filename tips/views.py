"""Staff pages: the tip inbox, the detail with its timeline and actions, hotline entry,
identity reveal (permitted users only) and attachment download."""

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from accounts.permissions import is_government
from core.events import events_for
from core.lists import Column, ScopedListView
from core.pickers import bind
from core.services import ServiceError
from core.views import form_status, get_visible_or_404, posted, submit_form
from hazards.models import Hazard

from . import handling, services, workflow
from .filters import TipFilter
from .forms import (
    CloseForm,
    DuplicateForm,
    ExtendForm,
    ExtensionDecisionForm,
    FeedbackForm,
    NoteForm,
    PayForm,
    PublicTipForm,
    ReassignForm,
    ReviewDecisionForm,
    RewardForm,
    TransferForm,
    VerifyForm,
)
from .models import Reward, Tip
from .public_views import Region, _tip_kwargs
from .reward_rules import reward_refusal


def _require_government(user):
    if not is_government(user):
        raise PermissionDenied("仅政府工作人员可以查看举报。")


class TipInbox(ScopedListView):
    name = "tips.inbox"
    url_name = "tips:inbox"
    title = "举报受理"
    model = Tip
    filterset_class = TipFilter
    template_name = "tips/inbox.html"
    row_template = "tips/_inbox_row.html"
    select_related = ("assigned_org", "sector")
    columns = (Column("编号", "number"), Column("提交时间", "submitted_at"), Column("被举报单位", "enterprise_name"),
               Column("行业", "sector.name"), Column("承办单位", "assigned_org.name"), Column("状态", "get_status_display"),
               Column("当前期限", "current_deadline"))
    testid = "tip-table"
    empty_text = "暂无举报"
    export_name = "tips"
    export_url_name = "tips:export"

    def check_access(self, request):
        _require_government(request.user)

    def extra_context(self, request):
        return {"can_hotline": services.hotline_allowed(request.user)}


inbox = TipInbox.as_view()
inbox_export = TipInbox.as_view(mode="export")


def detail(request, pk: int, forms: dict | None = None, revealed: dict | None = None, status: int = 200):
    _require_government(request.user)
    tip = get_visible_or_404(Tip.objects.select_related("assigned_org", "sector", "hazard"), request.user, pk=pk)
    handler = services.is_handler(request.user, tip)
    rewards = list(tip.rewards.select_related("decided_by", "approved_by"))
    facts = workflow.Facts(is_handler=handler, result=tip.result,
                           rewards_settled=all(r.status == Reward.Status.PAID for r in rewards))
    forms = forms or {}
    ctx = {
        "tip": tip, "events": events_for(tip), "handler": handler,
        "actions": workflow.allowed_actions(tip.status, facts) if handler else [],
        "can_reassign": services.covering_committee(request.user, tip) and tip.status not in workflow.FINAL_STATES,
        "can_reveal": services.can_reveal(request.user) and tip.has_identity, "revealed": revealed,
        "rewards": rewards, "attachments": tip.attachments.all(),
        "note_form": forms.get("note", NoteForm()), "verify_form": forms.get("verify", VerifyForm()),
        "reward_form": forms.get("reward", RewardForm()), "pay_form": forms.get("pay", PayForm()),
        "transfer_form": forms.get("transfer", TransferForm()), "reassign_form": forms.get("reassign", ReassignForm()),
        "duplicate_form": forms.get("duplicate", DuplicateForm()), "close_form": forms.get("close", CloseForm()),
        "reward_refusal": reward_refusal(tip) if tip.status == workflow.VERIFIED else None,
        "can_extend": handling.can_request_extension(request.user, tip),
        "can_decide_extension": handling.can_decide_extension(request.user, tip),
        "extension_decision_form": forms.get("extension_decision", ExtensionDecisionForm()),
        "can_feedback": handling.can_give_feedback(request.user, tip),
        "can_review": handling.can_decide_review(request.user, tip),
        "extend_form": forms.get("extend", ExtendForm()), "feedback_form": forms.get("feedback", FeedbackForm()),
        "review_form": forms.get("review", ReviewDecisionForm()),
    }
    for value in ctx.values():
        if isinstance(value, django_forms.BaseForm):
            bind(value, request.user)  # pickers label a chosen id only inside the user's scope
    return render(request, "tips/detail.html", ctx, status=status)


ACTION_FORMS = {"extend": ("extend", ExtendForm), "decide_extension": ("extension_decision", ExtensionDecisionForm),
                "feedback": ("feedback", FeedbackForm),
                "decide_review": ("review", ReviewDecisionForm), "accept": ("note", NoteForm),
                "start_verification": ("note", NoteForm), "verify": ("verify", VerifyForm),
                "decide_reward": ("reward", RewardForm), "close": ("close", CloseForm), "transfer": ("transfer", TransferForm),
                "reassign": ("reassign", ReassignForm), "mark_duplicate": ("duplicate", DuplicateForm)}


@require_POST
def act(request, pk: int, action: str):
    _require_government(request.user)
    tip = get_visible_or_404(Tip.objects, request.user, pk=pk)
    if action not in ACTION_FORMS:
        raise Http404
    key, form_cls = ACTION_FORMS[action]
    if action in workflow.TRANSITIONS and tip.status not in workflow.TRANSITIONS[action].sources:
        # the tip moved on since its page was shown (the action's form is gone from it): 409, saying so
        messages.error(request, f"举报当前状态（{tip.get_status_display()}）不能“{workflow.TRANSITIONS[action].label}”，请刷新页面。")
        return detail(request, pk, status=409)
    form = form_cls(request.POST)

    refusals = []  # the refusal lands on the form; an extension decided by another than the next level's leader: 403
    answered = submit_form(request, form, lambda **d: _run(request, tip, action, d), None, f"/tips/{tip.pk}/",
                           forbid=False, refused=refusals.append)
    if answered is not None:
        return answered
    not_leader = action == "decide_extension" and refusals and refusals[0].code == "permission_denied"
    return detail(request, pk, forms={key: form}, status=form_status(refusal=refusals[0]) if not_leader else form_status(form))


def _run(request, tip, action, d):
    user = request.user
    if action == "extend":
        handling.request_extension(user, tip, extra_days=d["extra_days"], reason=d["reason"])
    elif action == "decide_extension":
        handling.decide_extension(user, tip, approve=d["decision"] == "approve", note=d.get("note", ""))
    elif action == "feedback":
        handling.give_feedback(user, tip, text=d["text"])
    elif action == "decide_review":
        handling.decide_review(user, tip, result=d["result"])
    elif action == "accept":
        services.accept(user, tip, note=d["note"])
    elif action == "start_verification":
        services.start_verification(user, tip, note=d["note"])
    elif action == "close":
        services.close(user, tip, feedback=d["note"], no_reward_reason=d.get("no_reward_reason", ""))
    elif action == "verify":
        # the ledger hazard the tip is about: one the user cannot see is not found (404), as for an
        # inspection finding's "台账中的同一隐患" (inspections.views.records._ledger_hazard)
        hazard = get_visible_or_404(Hazard.objects, user, pk=d["hazard"]) if d.get("hazard") else None
        register = None
        if d.get("register"):
            # The handler writes the description and, for 重大, the basis: nothing of the tip (text,
            # time, id) reaches the hazard the reported enterprise reads.
            register = {"description": d.get("description") or "", "grade": d.get("grade") or "general",
                        "deadline": d.get("deadline"), "basis_reason": d.get("basis_reason") or ""}
        services.verify(user, tip, result=d["result"], note=d["note"], feedback=d.get("feedback", ""), hazard=hazard,
                        register=register, fine_amount=d.get("fine_amount"))
    elif action == "decide_reward":
        services.decide_reward(user, tip, policy=d["policy"], fine_amount=d.get("fine_amount"), line=d["line"],
                               beneficiary=d.get("beneficiary", ""), collect_note=d.get("collect_note", ""),
                               deaths=d.get("deaths"))
    elif action == "transfer":
        services.transfer(user, tip, unit=d.get("unit", ""), reason=d["reason"], to_org=d.get("to_org"))
    elif action == "reassign":
        services.reassign(user, tip, to_org=d["to_org"], reason=d["reason"])
    elif action == "mark_duplicate":
        original = Tip.objects.visible_to(user).filter(pk=d["original"]).first()
        if original is None:
            raise ServiceError("原举报不存在或无权查看。", "original")
        services.mark_duplicate(user, tip, original=original)


@require_POST
def reward_act(request, pk: int, reward_pk: int, action: str):
    _require_government(request.user)
    tip = get_visible_or_404(Tip.objects, request.user, pk=pk)
    reward = tip.rewards.filter(pk=reward_pk).first()
    if reward is None or action not in ("approve", "pay"):
        raise Http404
    form = PayForm(request.POST) if action == "pay" else NoteForm(request.POST)

    def decide(**data):
        if action == "approve":
            return services.approve_reward(request.user, reward)
        return services.pay_reward(request.user, reward, **data)

    answered = submit_form(request, form, decide, None, f"/tips/{tip.pk}/", forbid=False)
    if answered is not None:
        return answered
    return detail(request, pk, forms={"pay": form} if action == "pay" else {"note": form}, status=form_status(form))


@require_POST
def reveal(request, pk: int):
    _require_government(request.user)
    tip = get_visible_or_404(Tip.objects, request.user, pk=pk)
    if not services.can_reveal(request.user):
        raise PermissionDenied("您无权查看举报人身份。")
    return detail(request, pk, revealed=services.reveal_identity(request.user, tip, request=request))


def attachment(request, pk: int, att_pk: int):
    _require_government(request.user)
    tip = get_visible_or_404(Tip.objects, request.user, pk=pk)
    att = tip.attachments.filter(pk=att_pk).first()
    if att is None:
        raise Http404
    return FileResponse(services.open_attachment(request.user, tip, att, request=request), content_type=att.content_type,
                        as_attachment=False)


def hotline(request):
    """Staff enter a 12350 hotline call on the caller's behalf (same form as the public one)."""
    if not services.hotline_allowed(request.user):
        raise PermissionDenied("仅政府工作人员可以录入热线举报。")
    form = PublicTipForm(posted(request))
    form.fields["captcha"].required = False
    answered = submit_form(
        request, form,
        lambda **d: services.submit_tip(request.user, channel=Tip.Channel.HOTLINE,
                                        region=Region.objects.filter(code=d["township"]).first(), **_tip_kwargs(request, d)),
        None, lambda sent: render(request, "tips/public_receipt.html", {"tip": sent[0], "code": sent[1]}),
        forbid=False, rename={"region": "township"})
    if answered is not None:
        return answered
    return render(request, "tips/hotline.html", {"form": form}, status=form_status(form))


__all__ = ["inbox", "detail", "act", "reward_act", "reveal", "attachment", "hotline", "Reward"]
