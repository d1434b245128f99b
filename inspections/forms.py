"""Inspection forms."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.timezone import localdate

from core import uploads
from core.forms import StyledForm, chosen_field
from core.intake import validate_spreadsheet
from core.pickers import PickerSelect, PickerSelectMultiple
from enterprises.models import Enterprise
from hazards.models import Hazard
from regions.models import Region

from .models import SPOT_FIELDS, Draw, Plan, Record, RecordItem, Visit

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class RecordForm(StyledForm):
    enterprise = forms.ModelChoiceField(Enterprise.objects.none(), label="被检查单位",
                                        widget=PickerSelect("enterprises", placeholder="输入单位名称或统一社会信用代码"))
    kind = chosen_field(label="检查类型", choices=Record.Kind.choices)
    inspected_on = forms.DateField(label="检查日期", widget=DATE)
    inspectors = forms.ModelMultipleChoiceField(get_user_model().objects.none(), label="检查人员",
                                                widget=forms.CheckboxSelectMultiple)
    other_inspectors = forms.ModelMultipleChoiceField(
        get_user_model().objects.none(), label="其他单位的检查人员（联合检查）", required=False,
        widget=PickerSelectMultiple("inspectors", params="other=1", placeholder="输入姓名搜索其他单位的执法检查人员"))
    location = forms.CharField(label="检查场所", max_length=200, required=False)
    draw = forms.ModelChoiceField(Draw.objects.none(), label="双随机抽取（按抽取结果检查时选择）", required=False)

    def __init__(self, *args, user=None, inspectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")
        # the current draws of the user's own department (a superseded or foreign draw is refused on the field)
        org_id = getattr(getattr(user, "membership", None), "organisation_id", None)
        self.fields["draw"].queryset = Draw.objects.visible_to(user).filter(
            department_id=org_id, superseded=False).select_related("plan")
        self.fields["inspectors"].queryset = get_user_model().objects.filter(pk__in=[u.pk for u in inspectors])
        self.fields["inspectors"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["inspectors"].widget.attrs = {}
        # a joint inspection's inspectors of other units: whom the API lets the user name (the
        # same scope, services.nameable_inspectors), the own unit's being the boxes above
        from . import services

        others = get_user_model().objects.none()
        if user is not None and services.can_inspect(user):
            others = (services.nameable_inspectors(user).filter(membership__is_inspector=True, is_active=True)
                      .exclude(membership__organisation_id=org_id))
        self.fields["other_inspectors"].queryset = others
        self.fields["other_inspectors"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        """One list of inspectors for the service: the own unit's and the other units' chosen."""
        data = super().clean()
        others = list(data.pop("other_inspectors", None) or [])
        if "inspectors" in data:
            data["inspectors"] = [*data["inspectors"], *others]
        return data


class ItemForm(StyledForm):
    result = forms.ChoiceField(label="结论", choices=RecordItem.Result.choices)
    note = forms.CharField(label="说明/隐患描述", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    grade = forms.ChoiceField(label="隐患等级", required=False, choices=[("", "—"), *Hazard.Grade.choices])
    deadline = forms.DateField(label="整改期限", required=False, widget=DATE)
    photo = forms.FileField(label="照片（可直接拍照）", required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}))

    def clean_photo(self):
        """Photos are checked by their content (magic bytes + Pillow), never by their name."""
        photo = self.cleaned_data.get("photo")
        if photo:
            from core.services import ServiceError
            from hazards.evidence import check_upload

            try:
                checked = check_upload(photo)
            except ServiceError as exc:
                raise forms.ValidationError(exc.message)
            if checked.extension not in ("jpg", "png"):
                raise forms.ValidationError("照片须为 JPG 或 PNG 图片。")
            photo.seek(0)
        return photo


def ledger_choices(hazards) -> list:
    """The enterprise's open hazards for a finding's "台账中的同一隐患" select (labels, never ids)."""
    from .matching import hazard_label

    return [("", "— 否，这是新发现的隐患 —"), *((h.pk, hazard_label(h)) for h in hazards)]


class LedgerHazardField(forms.IntegerField):
    """The id of a ledger hazard chosen from a select; which ones may be chosen (the enterprise's,
    open, in scope) is the service's check, with its Chinese reason (inspections.matching)."""

    def __init__(self, **kwargs):
        super().__init__(label="台账中的同一隐患（该单位已登记、尚未销号的隐患）", required=False,
                         widget=forms.Select(), help_text="如本隐患就是企业已自查上报、正在整改的隐患，请选择该隐患，"
                                                          "检查记录签名后将作为该隐患的检查发现来源，不重复登记。", **kwargs)


class FindingForm(ItemForm):
    text = forms.CharField(label="检查内容/部位", max_length=300)
    existing_hazard = LedgerHazardField()
    field_order = ["text", "note", "grade", "deadline", "photo", "existing_hazard"]

    def __init__(self, *args, ledger=(), **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["result"]
        self.fields["existing_hazard"].widget.choices = ledger_choices(ledger)


class MatchForm(StyledForm):
    """What a finding is with respect to the ledger: the same as an open hazard, or a new one."""

    existing_hazard = LedgerHazardField()
    new_hazard = forms.BooleanField(label="确认是新发现的隐患（与台账中的隐患不是同一隐患）", required=False)

    def __init__(self, *args, ledger=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["existing_hazard"].widget.choices = ledger_choices(ledger)


class AddendumForm(StyledForm):
    text = forms.CharField(label="补正内容", widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(StyledForm):
    title = forms.CharField(label="计划名称", max_length=150)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12, required=False)
    planned_count = forms.IntegerField(label="计划检查家次", min_value=1, max_value=Plan.MAX_PLANNED)
    max_per_enterprise = forms.IntegerField(
        label="同一企业年度检查上限（可不填）", min_value=1, max_value=Plan.MAX_PER_YEAR, required=False,
        help_text="留空则按涉企检查频次上限表（按企业类别和标准化等级）；填写则取两者中较小者")
    high_risk_only = forms.BooleanField(label="仅高危行业企业", required=False)
    sectors = forms.ModelMultipleChoiceField(None, label="目标行业", required=False)
    townships = forms.ModelMultipleChoiceField(Region.objects.none(), label="目标乡镇（街道）", required=False)
    standardisation_grades = forms.MultipleChoiceField(label="标准化等级", required=False,
                                                       choices=Enterprise.StandardisationGrade.choices)

    def __init__(self, *args, org=None, **kwargs):
        from accounts.models import Sector

        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.filter(is_active=True)
        if org is not None:
            self.fields["townships"].queryset = Region.objects.filter(level="township", path__startswith=org.region.path + "/")


class DrawForm(StyledForm):
    """The first draw of a plan, or (``redraw``) a 重新抽取 request with its reason."""

    count = forms.IntegerField(label="抽取企业数", min_value=1, max_value=Plan.MAX_PLANNED)
    per_enterprise = forms.IntegerField(label="每家检查人员数", min_value=1, max_value=Draw.MAX_PER_ENTERPRISE, initial=2)
    reason = forms.CharField(label="重新抽取原因", required=False, max_length=200)

    def __init__(self, *args, redraw: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if redraw:
            self.fields["reason"].required = True
            self.fields["reason"].help_text = "重新抽取须经本部门负责人批准；批准时重新抽取，原结果保留备查。"
        else:
            del self.fields["reason"]


class RedrawDecisionForm(StyledForm):
    decision_note = forms.CharField(label="审批意见", required=False, max_length=200,
                                    help_text="不予批准时必填。")


class SpotCheckForm(StyledForm):
    checked_on = forms.DateField(label="抽查日期（不能晚于今天）", initial=localdate, widget=DATE)
    via_permit_records = forms.BooleanField(label="2.6 通过作业票记录发现", required=False)
    contractor_unqualified = forms.BooleanField(label="2.7① 承包承租单位不具备安全生产条件或资质", required=False)
    no_agreement = forms.BooleanField(label="2.7② 未签订安全生产管理协议", required=False)
    unclear_duties = forms.BooleanField(label="2.7③ 安全生产管理职责不明确", required=False)
    not_unified = forms.BooleanField(label="2.7④ 未纳入统一协调管理", required=False)

    def __init__(self, *args, **kwargs):
        from .models import SPOT_QUESTIONS

        super().__init__(*args, **kwargs)
        for code, field in SPOT_FIELDS.items():
            if code == "2.7":
                continue
            self.fields[field] = forms.BooleanField(label=f"{code} {SPOT_QUESTIONS[code]}", required=False)
            self.fields[f"{field}_note"] = forms.CharField(label=f"{code} 问题说明", required=False, max_length=500)

    def answers(self):
        return {code: self.cleaned_data.get(field, False) for code, field in SPOT_FIELDS.items() if code != "2.7"}

    def notes(self):
        return {code: self.cleaned_data.get(f"{field}_note", "") for code, field in SPOT_FIELDS.items() if code != "2.7"}


class VisitForm(StyledForm):
    kind = chosen_field(label="类型", choices=Visit.Kind.choices)
    visited_on = forms.DateField(label="日期（开展之日，不能晚于今天）", initial=localdate, widget=DATE)
    township = forms.ModelChoiceField(Region.objects.none(), label="乡镇（街道）", required=False,
                                      widget=PickerSelect("regions", params="level=township", placeholder="输入乡镇（街道）名称"))
    enterprise = forms.ModelChoiceField(Enterprise.objects.none(), label="企业", required=False,
                                        widget=PickerSelect("enterprises", placeholder="输入单位名称或统一社会信用代码"))
    target_organisation = forms.ModelChoiceField(None, label="被督导单位", required=False)
    content = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, org=None, **kwargs):
        from accounts.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")
        path = org.region.path if org else "-"
        self.fields["township"].queryset = Region.objects.filter(level="township", path__startswith=path + "/")
        self.fields["target_organisation"].queryset = Organisation.objects.filter(
            kind__in=["committee", "department", "township"], region__path__startswith=path).exclude(pk=getattr(org, "pk", None))


class ReviewImportForm(StyledForm):
    title = forms.CharField(label="批次名称", max_length=150)
    file = forms.FileField(label="隐患清单（xlsx，第一列为隐患编号）", validators=[validate_spreadsheet])
    inspector = forms.ModelChoiceField(get_user_model().objects.none(), label="复查人员")

    def __init__(self, *args, inspectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = get_user_model().objects.filter(pk__in=[u.pk for u in inspectors])
        self.fields["inspector"].label_from_instance = lambda u: u.get_full_name() or u.username


class ReviewConclusionForm(StyledForm):
    conclusion = chosen_field(label="复查结论", choices=[("passed", "整改到位"), ("failed", "整改不到位")])
    note = forms.CharField(label="复查意见", widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.FileField(label="照片", required=False, validators=[uploads.validator("review_photo")])


class HomeTownshipForm(StyledForm):
    inspector = forms.ModelChoiceField(label="执法检查人员", queryset=None)
    township = forms.ModelChoiceField(label="居住乡镇（街道）", queryset=None, required=False)

    def __init__(self, *args, inspectors=(), townships=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["inspector"].queryset = get_user_model().objects.filter(pk__in=[u.pk for u in inspectors])
        self.fields["inspector"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["township"].queryset = townships


class ConflictForm(StyledForm):
    inspector = forms.ModelChoiceField(label="执法检查人员", queryset=None)
    enterprise = forms.ModelChoiceField(label="生产经营单位", queryset=None)
    reason = forms.CharField(label="回避原因", max_length=200)

    def __init__(self, *args, inspectors=(), enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["inspector"].queryset = get_user_model().objects.filter(pk__in=[u.pk for u in inspectors])
        self.fields["inspector"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["enterprise"].queryset = enterprises
