"""Forms of the 挂牌督办 pages (validation only; services decide)."""

from django import forms
from django.utils import timezone

from accounts.models import Organisation
from core.forms import StyledForm, chosen_field
from core.pickers import PickerSelect

from . import workflow
from .models import PERCENTAGE_REFUSAL, REPORT_EVERY_DAYS_REFUSAL, Listing, ProgressReport

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


class ProposeForm(StyledForm):
    hazard = forms.ModelChoiceField(label="重大事故隐患", queryset=None,
                                    widget=PickerSelect("hazards", params="open=1&grade=major",
                                                        placeholder="输入隐患编号或描述（未销号的重大隐患）"))
    responsible_department = forms.ModelChoiceField(label="督办责任部门", queryset=None)
    deadline = forms.DateField(label="整改期限", widget=DATE)
    requirements = forms.CharField(label="督办要求", widget=TEXT)
    report_every_days = forms.IntegerField(
        label="进展报告周期（天）", initial=workflow.DEFAULT_REPORT_EVERY_DAYS,
        min_value=Listing.MIN_REPORT_EVERY_DAYS, max_value=Listing.MAX_REPORT_EVERY_DAYS,
        error_messages={"min_value": REPORT_EVERY_DAYS_REFUSAL, "max_value": REPORT_EVERY_DAYS_REFUSAL,
                        "invalid": "进展报告周期须为整数天数。"})
    public_notice = forms.BooleanField(label="向社会公告", required=False, initial=True)

    def __init__(self, *args, hazards=None, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hazard"].queryset = hazards
        self.fields["hazard"].label_from_instance = lambda h: f"{h.number} {h.enterprise.name}：{h.description[:30]}"
        self.fields["responsible_department"].queryset = departments if departments is not None else Organisation.objects.none()

    def clean_deadline(self):
        value = self.cleaned_data["deadline"]
        if value < timezone.localdate():
            raise forms.ValidationError("整改期限不能早于今天。")
        return value


class ApproveForm(StyledForm):
    public_notice = forms.BooleanField(label="向社会公告", required=False, initial=True)
    note = forms.CharField(label="审批意见", required=False, widget=TEXT)


class ReasonForm(StyledForm):
    reason = forms.CharField(label="理由", widget=TEXT)


class ProgressForm(StyledForm):
    date = forms.DateField(label="报告日期", widget=DATE, initial=timezone.localdate)
    percentage = forms.IntegerField(label="完成比例（%）", min_value=0, max_value=ProgressReport.MAX_PERCENTAGE,
                                    error_messages={"min_value": PERCENTAGE_REFUSAL, "max_value": PERCENTAGE_REFUSAL})
    text = forms.CharField(label="整改进展", widget=TEXT)


class DelistingRequestForm(StyledForm):
    note = forms.CharField(label="摘牌申请说明", required=False, widget=TEXT)


class DelistingDecisionForm(StyledForm):
    decision = chosen_field(label="审批结论", choices=[("accept", "同意摘牌"), ("refuse", "不同意摘牌")])
    reason = forms.CharField(label="意见或理由", required=False, widget=TEXT)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", "不同意摘牌须填写理由。")
        return data


class ListedExtensionForm(StyledForm):
    """The listing body's decision on the pending extension of a listed hazard."""

    decision = chosen_field(label="延期申请", choices=[("approve", "同意延期"), ("deny", "不同意")])
    note = forms.CharField(label="审批意见", required=False, widget=TEXT)
