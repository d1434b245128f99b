"""Forms for the enterprise's own obligation records (one per record kind) and remarks."""

from django import forms

from core import uploads
from core.forms import StyledForm, chosen_field
from core.pickers import PickerSelect
from hazards.models import TEXT_LIMITS, Hazard

from .models import (
    COST_INDUSTRIES,
    MANAGERS_REFUSAL,
    PARTICIPANTS_REFUSAL,
    EmergencyDrill,
    Operation,
    Outsourcing,
    PrincipalCheck,
    ResponsibilityList,
    SafetyCostExtraction,
    SafetyOrganisation,
    WorkPermit,
)

#: a sum of the cost record: bounded by its numeric(16, 2) column (the value implies the digits)
MONEY = {"min_value": 0, "max_value": SafetyCostExtraction.MAX_AMOUNT, "decimal_places": 2}


def _managers(label):
    return forms.IntegerField(label=label, min_value=0, max_value=SafetyOrganisation.MAX_MANAGERS,
                              error_messages={"min_value": MANAGERS_REFUSAL, "max_value": MANAGERS_REFUSAL})

DATE = forms.DateInput(attrs={"type": "date"})


class FindingForm(StyledForm):
    """One hazard a principal-led check found, with what any hazard registration carries (its checks:
    ``hazards.services.check_hazard``, through ``services.record_principal_check``)."""

    description = forms.CharField(label="隐患描述", required=False, max_length=TEXT_LIMITS["description"], widget=forms.Textarea(attrs={"rows": 2}))
    grade = forms.ChoiceField(label="隐患等级", choices=(("general", "一般"), ("major", "重大")), initial="general")
    sector = forms.ModelChoiceField(label="行业领域", queryset=None, required=False)
    basis_item = forms.ModelChoiceField(label="判定依据条款（重大隐患必选其一：条款或理由）", queryset=None, required=False,
                                        widget=PickerSelect("standard-items", placeholder="输入关键词，按适用的判定标准分组"))
    basis_reason = forms.CharField(label="无对应条款时的判定理由", required=False, max_length=TEXT_LIMITS["basis_reason"],
                                   widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label="整改期限（重大隐患必填）", required=False, widget=DATE)
    location = forms.CharField(label="隐患部位", required=False, max_length=TEXT_LIMITS["location"])

    def __init__(self, *args, enterprise=None, **kwargs):
        from accounts.models import Sector
        from hazards.acting import allowed_sectors
        from hazards.forms import applicable_items

        super().__init__(*args, **kwargs)
        sectors = Sector.objects.filter(is_active=True)
        if enterprise is not None:
            sectors = sectors.filter(pk__in=allowed_sectors(enterprise))
            own = list(enterprise.sectors.values_list("pk", flat=True))
            self.fields["sector"].initial = own[0] if len(own) == 1 else None
            self.fields["basis_item"].widget.params = f"enterprise={enterprise.pk}"
        self.fields["sector"].queryset = sectors.order_by("sort_order", "code")
        self.fields["basis_item"].queryset = applicable_items(enterprise) if enterprise is not None else \
            Hazard._meta.get_field("basis_item").related_model.objects.none()

    def has_changed(self) -> bool:
        """A row is a finding once anything beyond its preset sector and the default grade 一般 is
        filled (so an untouched row is skipped, and one set to 重大 alone is refused, not dropped)."""
        changed = set(self.changed_data) - {"sector"}
        if self.data.get(self.add_prefix("grade"), "general") in ("", "general"):
            changed.discard("grade")
        return bool(changed)


FindingFormSet = forms.formset_factory(FindingForm, extra=3, max_num=30, validate_max=True)


class PrincipalCheckForm(StyledForm):
    kind = chosen_field(label="类型", choices=PrincipalCheck.Kind.choices)
    held_on = forms.DateField(label="日期", widget=DATE)
    leader = forms.CharField(label="带队/主持人", max_length=60)
    participants = forms.CharField(label="参加人员", max_length=300)
    findings = forms.CharField(label="发现问题/研究结论", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    #: the findings below the form: each one filled in is registered in the hazard ledger
    formset_title = "带队检查发现的隐患（每条登记入隐患台账；空行不登记）"

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.formset = FindingFormSet(self.data if self.is_bound else None, prefix="hazards",
                                      form_kwargs={"enterprise": enterprise})

    def is_valid(self):
        valid = super().is_valid() & self.formset.is_valid()
        if valid:
            self.cleaned_data["hazards"] = [f.cleaned_data for f in self.formset.forms if f.has_changed()]
        return valid

    def service_error(self, exc) -> bool:
        """Show a refusal of finding n (field ``hazards.<n>.<field>``) under that finding's field."""
        parts = (exc.field or "").split(".")
        if len(parts) == 3 and parts[0] == "hazards" and parts[1].isdigit() and int(parts[1]) < len(self.formset.forms):
            form = self.formset.forms[int(parts[1])]
            form.add_error(parts[2] if parts[2] in form.fields else None, exc.message)
            return True
        return False


class ResponsibilityListForm(StyledForm):
    kind = chosen_field(label="类型", choices=ResponsibilityList.Kind.choices)
    title = forms.CharField(label="标题", max_length=120)
    issued_on = forms.DateField(label="印发日期", widget=DATE)
    text = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    file = forms.FileField(label="文件（PDF/Word/图片，10MB以内）", required=False,
                           validators=[uploads.validator("obligation_list")])  # type sniffed by content


class SafetyOrganisationForm(StyledForm):
    has_institution = forms.BooleanField(label="已设置安全管理机构", required=False)
    institution_name = forms.CharField(label="机构名称", required=False, max_length=120)
    full_time_managers = _managers("专职安全管理人员（人）")
    part_time_managers = _managers("兼职安全管理人员（人）")
    as_of = forms.DateField(label="填报日期", widget=DATE)


class SpecialWorkerForm(StyledForm):
    name = forms.CharField(label="姓名", max_length=60)
    id_tail = forms.CharField(label="身份证后四位", max_length=4, required=False)
    operation = chosen_field(label="作业类别", choices=Operation.choices)
    certificate_no = forms.CharField(label="证书编号", max_length=40)
    issued_on = forms.DateField(label="初领/换证日期", widget=DATE)
    reviewed_on = forms.DateField(label="最近复审日期", required=False, widget=DATE)


class WorkPermitForm(StyledForm):
    kind = chosen_field(label="作业票类型", choices=WorkPermit.Kind.choices)
    operation = chosen_field(label="所需特种作业类别", choices=Operation.choices)
    number = forms.CharField(label="作业票编号", max_length=40)
    work_on = forms.DateField(label="作业日期", widget=DATE)
    location = forms.CharField(label="作业地点", max_length=120)
    approved_by = forms.CharField(label="审批人", max_length=60)
    workers = forms.ModelMultipleChoiceField(label="作业人员", queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import SpecialWorker

        self.fields["workers"].queryset = SpecialWorker.objects.filter(enterprise=enterprise)


class OutsourcingForm(StyledForm):
    kind = chosen_field(label="类型", choices=Outsourcing.Kind.choices)
    counterpart = forms.CharField(label="承包/承租单位", max_length=150)
    scope = forms.CharField(label="项目/场所", max_length=200, required=False)
    qualification_ok = forms.BooleanField(label="具备安全生产条件或相应资质", required=False)
    agreement_signed = forms.BooleanField(label="签订安全生产管理协议", required=False)
    duties_defined = forms.BooleanField(label="明确各自安全生产管理职责", required=False)
    unified_management = forms.BooleanField(label="纳入本单位统一协调管理", required=False)
    start = forms.DateField(label="开始日期", widget=DATE)
    end = forms.DateField(label="结束日期", required=False, widget=DATE)


class DrillForm(StyledForm):
    kind = chosen_field(label="演练类型", choices=EmergencyDrill.Kind.choices)
    plan = forms.CharField(label="应急预案", max_length=150)
    held_on = forms.DateField(label="演练日期", widget=DATE)
    scenario = forms.CharField(label="演练情景", max_length=200)
    participants = forms.IntegerField(label="参演人数", min_value=1, max_value=EmergencyDrill.MAX_PARTICIPANTS,
                                      error_messages={"min_value": PARTICIPANTS_REFUSAL, "max_value": PARTICIPANTS_REFUSAL})
    evaluation = forms.CharField(label="评估总结", required=False, widget=forms.Textarea(attrs={"rows": 3}))


INDUSTRIES = COST_INDUSTRIES


class CostForm(StyledForm):
    """The 适用行业 is chosen, never assumed: the box starts on the enterprise's own industry where one of
    its sectors is one (a 加油站 → 危险品生产与储存), else on "请选择" — it started on the list's first
    entry, so a 商贸 unit's extraction was saved as 危险品 unless someone noticed."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    industry = chosen_field(label="适用行业", choices=INDUSTRIES)
    category = forms.CharField(label="类别（建设工程如“房屋建筑工程”；煤矿、非煤矿山如“其他井工矿”“金属矿山（露天）”）",
                               required=False, max_length=60)
    base = forms.DecimalField(label="计提依据（上年度营业收入或建安工程造价，元；煤矿、非煤矿山为产量，吨）", **MONEY)
    ratio_percent = forms.DecimalField(label="企业提取比例（%）", required=False, min_value=0,
                                       max_value=SafetyCostExtraction.MAX_RATIO_PERCENT, decimal_places=3)
    amount = forms.DecimalField(label="提取金额（元）", **MONEY)
    used_amount = forms.DecimalField(label="使用金额（元）", required=False, **MONEY)
    use = forms.CharField(label="使用情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprise is not None:
            own = set(enterprise.sectors.values_list("code", flat=True)) & {code for code, _ in INDUSTRIES}
            if len(own) == 1:  # two industries of its own: the user says which this record is
                self.fields["industry"].initial = own.pop()


class RemarkForm(StyledForm):
    topic = forms.CharField(label="事项", max_length=40, required=False)
    text = forms.CharField(label="监管意见", widget=forms.Textarea(attrs={"rows": 3}))
