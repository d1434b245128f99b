"""One input form per hazard action. The dispatcher both the pages and the API use,
``services.run_action(actor, hazard, action, data, evidence=…)``, maps validated input (a form's
``cleaned_data`` or a serializer's ``validated_data``) to the matching service function.
"""

from django import forms
from django.db.models import Q

from accounts.models import Organisation
from core.forms import StyledForm, chosen_field

from . import acting, services, workflow
from .models import STATED_CATEGORIES, Acceptance, GovernancePlan, Hazard

#: 双报告 recipients (the service checks the same set)
report_departments = services.report_departments

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 2})


class _Base(StyledForm):
    def __init__(self, *args, hazard: Hazard, **kwargs):
        self.hazard = hazard
        super().__init__(*args, **kwargs)




class ReportForm(_Base):
    department = forms.ModelChoiceField(label="报告主管部门", queryset=Organisation.objects.none())
    to_congress = forms.BooleanField(label="同时报告职工代表大会", required=False, initial=True)
    note = forms.CharField(label="说明", required=False, widget=TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = report_departments(self.hazard).order_by("name")
        if self.hazard.reported_at is not None:  # the department was told: what may follow is the congress
            field = self.fields["department"]
            field.required, field.initial = False, self.hazard.reported_to_id
            field.help_text = "已报告主管部门（首次报告保留）；本次补报职工代表大会"


class PlanForm(_Base):
    goal_tasks = forms.CharField(label="治理的目标和任务", required=False, widget=TEXT)
    measures = forms.CharField(label="采取的方法和措施", required=False, widget=TEXT)
    funds_materials = forms.CharField(label="经费和物资的落实", required=False, widget=TEXT)
    funds_amount = forms.DecimalField(  # bounded by the column (GovernancePlan.MAX_FUNDS; the value implies the digits)
        label="治理资金（万元）", required=False, decimal_places=2, min_value=0, max_value=GovernancePlan.MAX_FUNDS,
        error_messages={"invalid": "治理资金须为数字。", "min_value": "治理资金不能为负数。",
                        "max_value": f"治理资金不能超过{GovernancePlan.MAX_FUNDS}万元。"})
    responsible = forms.CharField(label="负责治理的机构和人员", required=False, widget=TEXT)
    deadline = forms.DateField(label="治理的时限", required=False, widget=DATE)
    safety_emergency = forms.CharField(label="安全措施和应急预案", required=False, widget=TEXT)
    note = forms.CharField(label="说明", required=False, widget=TEXT)


class EvidenceForm(_Base):
    evidence_note = forms.CharField(label="整改完成情况", widget=TEXT)
    evidence = forms.FileField(label="整改证据（jpg/png/pdf）", required=False)


class CompletionForm(EvidenceForm):
    assessment_report = forms.CharField(label="第三方评估报告（编号或说明）", required=False, max_length=200)


class AcceptForm(_Base):
    mode = chosen_field(label="验收方式", choices=Acceptance.Mode.choices)
    opinion = forms.CharField(label="验收意见", required=False, widget=TEXT)


class RejectForm(_Base):
    mode = chosen_field(label="验收方式", choices=Acceptance.Mode.choices)
    reason = forms.CharField(label="不通过理由", widget=TEXT)
    next_steps = forms.CharField(label="下一步要求", required=False, widget=TEXT)


class ExtensionForm(_Base):
    new_deadline = forms.DateField(label="申请延至", widget=DATE)
    reason = forms.CharField(label="延期理由", widget=TEXT)


class DecideExtensionForm(_Base):
    approve = chosen_field(forms.TypedChoiceField, label="审批结论", choices=[("1", "批准"), ("0", "不予批准")],
                             coerce=lambda v: v == "1")
    note = forms.CharField(label="审批意见", required=False, widget=TEXT)


class MergeForm(_Base):
    into = forms.ModelChoiceField(label="合并到（同一单位的隐患）", queryset=Hazard.objects.none())
    reason = forms.CharField(label="理由", widget=TEXT)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = merge_targets(self.hazard, user)


def merge_targets(hazard, user):
    """The hazards ``hazard`` may be merged into (``services.merge_refusal``): hazards of the same
    enterprise, open or closed after it was found; for a 重大 one, no 一般 one past 已登记."""
    qs = (Hazard.objects.visible_to(user).filter(enterprise_id=hazard.enterprise_id).exclude(pk=hazard.pk)
          .exclude(status__in=workflow.FINAL_STATES))
    if hazard.grade == Hazard.Grade.MAJOR:
        qs = qs.exclude(~Q(status=workflow.REGISTERED), grade=Hazard.Grade.GENERAL)
    closed = [h.pk for h in qs.filter(status=workflow.CLOSED) if services.merge_refusal(hazard, h)]
    return qs.exclude(pk__in=closed)


class ReasonForm(_Base):
    reason = forms.CharField(label="理由", widget=TEXT)


class ReopenForm(_Base):
    reason = forms.CharField(label="理由（再次发现的情况）", widget=TEXT)
    deadline = forms.DateField(label="新的整改期限", required=False, widget=DATE)


class ClassifyForm(_Base):
    category = chosen_field(label="隐患类别", choices=STATED_CATEGORIES)


class ReclassifyForm(_Base):
    category = chosen_field(label="更正后的隐患类别", choices=STATED_CATEGORIES)
    reason = forms.CharField(label="更正理由", widget=TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the classes it may become: every stated class but the one it has
        self.fields["category"].choices = [c for c in self.fields["category"].choices if c[0] != self.hazard.category]


FORMS = {
    "report": ReportForm, "submit_plan": PlanForm, "close_now": EvidenceForm, "submit_completion": CompletionForm,
    "accept": AcceptForm, "reject": RejectForm, "request_extension": ExtensionForm,
    "decide_extension": DecideExtensionForm, "merge": MergeForm, "void": ReasonForm, "reopen": ReopenForm,
    "classify": ClassifyForm, "reclassify": ReclassifyForm,
}
assert set(FORMS) == set(workflow.ACTIONS)


def make_form(action, hazard, user, data=None, files=None):
    kwargs = {"hazard": hazard, "prefix": action}
    if action == "merge":
        kwargs["user"] = user
    return FORMS[action](data, files, **kwargs)


def available_for(user, hazard) -> list[str]:
    """The actions the user may take on this hazard now (state / actor / grade rules)."""
    kind = acting.actor_kind(user, hazard)
    if kind is None:
        return []
    return workflow.available_actions(hazard.status, kind, hazard.grade, unstated=not hazard.category)


# The dispatch of an action to its service lives in services (one call per composite write).
run_action = services.run_action
