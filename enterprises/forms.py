"""Forms of the registry pages. Services do the writing; forms only parse and normalise input."""

from django import forms

from accounts.models import Sector
from core.forms import StyledForm, StyledModelForm
from core.intake import validate_spreadsheet
from regions.models import Region

from .models import EMPLOYEES_REFUSAL, Enterprise
from .validators import credit_code_error, normalise_credit_code

PROFILE_FORM_FIELDS = [
    "name", "credit_code", "region", "sectors", "address", "longitude", "latitude", "scale", "employees",
    "legal_representative", "principal_name", "principal_phone", "controller_name", "controller_phone",
    "standardisation_grade", "uses_hazchem", "fire_key_unit", "uses_gas", "has_special_equipment",
    "high_risk_override", "high_risk_reason",
]


class EnterpriseForm(StyledModelForm):
    """The profile. No 经营状态: a new unit operates; 停产整顿 and 复产 are enforcement decisions,
    关闭 has its own page (``enterprise_close``)."""

    region = forms.ModelChoiceField(label="所在乡镇（街道）", queryset=Region.objects.none())
    sectors = forms.ModelMultipleChoiceField(label="行业领域", queryset=Sector.objects.filter(is_active=True),
                                             widget=forms.SelectMultiple(attrs={"size": 8}))
    credit_code = forms.CharField(label="统一社会信用代码", max_length=40)
    employees = forms.IntegerField(label="从业人员数", min_value=0, max_value=Enterprise.MAX_EMPLOYEES, initial=0,
                                   error_messages={"min_value": EMPLOYEES_REFUSAL, "max_value": EMPLOYEES_REFUSAL,
                                                   "invalid": EMPLOYEES_REFUSAL})
    high_risk_override = forms.NullBooleanField(label="人工认定高危", required=False, widget=forms.NullBooleanSelect())

    class Meta:
        model = Enterprise
        fields = PROFILE_FORM_FIELDS

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user).filter(level=Region.Level.TOWNSHIP)
        if self.instance.pk:
            self.fields["credit_code"].disabled = True
        self.fields["high_risk_override"].widget.choices = [
            ("unknown", "按行业自动判定"), ("true", "认定为高危"), ("false", "认定为非高危")]

    def clean_credit_code(self):
        if self.instance.pk:
            return self.instance.credit_code
        code = normalise_credit_code(self.cleaned_data.get("credit_code"))
        error = credit_code_error(code)
        if error:
            raise forms.ValidationError(error)
        return code

    def _post_clean(self):  # the service validates and writes; skip ModelForm's instance construction
        pass

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("credit_code", None)
        return data


class CloseForm(StyledForm):
    reason = forms.CharField(label="关闭（注销）理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "关闭（注销）须填写理由。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


class ContactsForm(StyledForm):
    principal_phone = forms.CharField(label="主要负责人电话", max_length=20, required=False)
    controller_phone = forms.CharField(label="实际控制人电话", max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


class SafetyManagerForm(StyledForm):
    name = forms.CharField(label="姓名", max_length=60, required=False)
    phone = forms.CharField(label="电话", max_length=20, required=False)
    full_time = forms.BooleanField(label="专职", required=False, initial=True)
    certificate_no = forms.CharField(label="证书号", max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not data.get("name") and (data.get("phone") or data.get("certificate_no")) and not data.get("DELETE"):
            self.add_error("name", "请填写安全管理人员姓名。")
        return data


SafetyManagerFormSet = forms.formset_factory(SafetyManagerForm, extra=1, can_delete=True, max_num=50,
                                             validate_max=True)


class ImportForm(StyledForm):
    file = forms.FileField(label="文件（.xlsx 或 .csv）", validators=[validate_spreadsheet])
    dry_run = forms.BooleanField(label="试运行（只检查，不写入）", required=False, initial=True)

    MAX_BYTES = 20 * 1024 * 1024

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("只支持 .xlsx 或 .csv 文件。")
        if f.size > self.MAX_BYTES:
            raise forms.ValidationError("文件不能超过20MB。")
        return f


class ReopenForm(StyledForm):
    reason = forms.CharField(label="恢复正常经营理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "恢复正常经营须填写理由。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


class EngagementForm(StyledForm):
    """委托第三方机构: the agency is chosen with the ``agencies`` picker (active agencies only)."""

    agency = forms.ModelChoiceField(label="第三方机构", queryset=None, error_messages={
        "required": "请选择受委托的第三方机构。", "invalid_choice": "所选机构不是启用的第三方机构。"})
    engaged_by = forms.ChoiceField(label="委托方", choices=[], required=False)
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"required": "请填写开始日期。", "invalid": "请输入正确的日期。"})
    end = forms.DateField(label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          help_text="不填：长期有效，直至提前结束。", error_messages={"invalid": "请输入正确的日期。"})
    note = forms.CharField(label="说明", max_length=200, required=False,
                           help_text="如合同编号、服务内容（安全评价、隐患排查技术服务等）。")

    def __init__(self, *args, choose_side: bool = False, user=None, **kwargs):
        from accounts.models import Organisation
        from core.pickers import PickerSelect, bind

        from .models import Engagement

        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True)
        self.fields["agency"].widget = PickerSelect("agencies", placeholder="输入机构名称搜索")
        if choose_side:  # superusers say for whom; everyone else engages for their own side
            self.fields["engaged_by"].choices = Engagement.EngagedBy.choices
            self.fields["engaged_by"].required = True
        else:
            del self.fields["engaged_by"]
        bind(self, user)


class EndEngagementForm(StyledForm):
    end = forms.DateField(label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          help_text="不填：今天。尚未开始的委托在开始日期前结束的，不再开始。", error_messages={"invalid": "请输入正确的日期。"})
    reason = forms.CharField(label="提前结束理由", max_length=200, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "提前结束委托须填写理由。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
