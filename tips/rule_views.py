"""Pages of the editable reward-policy table (committee office / designated admin)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from core.events import events_for
from core.forms import StyledModelForm
from core.ruletables import later_notice
from core.views import form_status, posted, submit_form

from .models import RewardPolicy
from .rule_admin import can_edit_rules, revise_reward_policy


class PolicyForm(StyledModelForm):
    class Meta:
        model = RewardPolicy
        fields = ["name", "kind", "percent", "min_amount", "max_amount", "fixed_amount", "internal_topup_percent",
                  "topup_above_cap", "basis", "effective_from"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"})}


def _require(user):
    if not can_edit_rules(user):
        raise PermissionDenied("只有安委会办公室或指定的管理员可以维护规则表。")


def policy_list(request):
    _require(request.user)
    today = timezone.localdate()
    in_force = set(RewardPolicy.in_force_ids(today))
    rows = list(RewardPolicy.objects.order_by("code", "-version"))
    for r in rows:
        r.in_force_today = r.pk in in_force
        r.future = r.effective_from > today
    return render(request, "tips/rules_rewards.html", {"rows": rows, "today": today})


def policy_edit(request, code: str):
    _require(request.user)
    today = timezone.localdate()
    current = RewardPolicy.in_force(code, today) or RewardPolicy.objects.filter(code=code).order_by("-version").first()
    if current is None:
        raise Http404
    initial = {"effective_from": today}
    form = PolicyForm(posted(request), instance=None, initial={**{f: getattr(current, f) for f in
                                                                        PolicyForm.Meta.fields}, **initial})

    def revise(**data):
        new = revise_reward_policy(request.user, current, **data)
        notice = later_notice(new)
        if notice:  # inserted before a later version: say how far it reaches
            messages.warning(request, notice)
        return new

    answered = submit_form(request, form, revise, None, "tips:rules_rewards", forbid=False)
    if answered is not None:
        return answered
    return render(request, "tips/rules_reward_edit.html", {"form": form, "current": current,
                                                           "events": events_for(current)},
                  status=form_status(form))
