"""Forms of the accident pages (validation of shape only; the rules live in services)."""

from django import forms

from accounts.models import Organisation, Sector
from core.forms import StyledForm, chosen_field
from enterprises.models import Enterprise
from regions.models import Region

from .models import CHAPTER_MAX, REPORTABLE_TYPES, TEXT_BOUNDS, Accident, Responsibility

DT = {"type": "datetime-local"}
D = {"type": "date"}
REQ = {"required": "此项为必填项。"}
NUM = {"required": "此项为必填项。", "invalid": "请输入数字。", "min_value": "不能为负数。"}
#: 死亡人数 / 重伤人数: at most ``Accident.MAX_CASUALTIES``
PEOPLE = {"min_value": 0, "max_value": Accident.MAX_CASUALTIES,
          "error_messages": {**NUM, "max_value": f"人数不能超过{Accident.MAX_CASUALTIES}人。"}}


class ReportForm(StyledForm):
    """Accident report. An enterprise user reports its own enterprise; a government user picks it."""

    enterprise = forms.ModelChoiceField(label="事故单位", queryset=Enterprise.objects.none(), required=False,
                                        error_messages={"invalid_choice": "单位不存在或不在您的管辖范围内。"})
    enterprise_name = forms.CharField(label="或填写单位名称（名录外单位）", max_length=TEXT_BOUNDS["enterprise_name"], required=False)
    township = forms.ModelChoiceField(label="发生地乡镇（街道）", queryset=Region.objects.filter(level="township"), required=False,
                                      error_messages={"invalid_choice": "乡镇（街道）无效。"})
    sector = forms.ModelChoiceField(label="行业领域", queryset=Sector.objects.filter(is_active=True),
                                    error_messages={"required": "请选择行业领域。", "invalid_choice": "行业领域无效。"})
    accident_type = forms.ChoiceField(
        label="事故类别", choices=[("", "请选择事故类别")] + REPORTABLE_TYPES,
        help_text="按《企业职工伤亡事故分类》（GB 6441-1986）；道路上的交通事故选“道路交通事故”。道路交通事故、火灾事故的伤亡人数补报期限为7日，其他为30日。",
        error_messages={"required": "请选择事故类别。", "invalid_choice": "事故类别无效，请从列表中选择。"})
    place = forms.CharField(label="事故地点", max_length=TEXT_BOUNDS["place"], error_messages=REQ)
    occurred_at = forms.DateTimeField(label="事故发生时间", widget=forms.DateTimeInput(attrs=DT),
                                      error_messages={"required": "请填写事故发生时间。", "invalid": "时间格式不正确。"})
    learned_at = forms.DateTimeField(label="单位负责人接到报告时间", widget=forms.DateTimeInput(attrs=DT),
                                     error_messages={"required": "请填写单位负责人接到报告的时间。", "invalid": "时间格式不正确。"})
    deaths = forms.IntegerField(label="死亡人数（含失踪）", initial=0, **PEOPLE)
    injuries = forms.IntegerField(label="重伤人数（含急性工业中毒）", initial=0, **PEOPLE)
    loss = forms.DecimalField(label="直接经济损失（万元）", min_value=0, max_digits=14, decimal_places=2, initial=0, error_messages=NUM)
    summary = forms.CharField(label="事故简要经过", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, error_messages=REQ)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")


class ClassifyForm(StyledForm):
    """补录事故类别 of a report filed before the type existed (未填写)."""

    accident_type = forms.ChoiceField(label="事故类别", choices=[("", "请选择事故类别")] + REPORTABLE_TYPES,
                                      error_messages={"required": "请选择事故类别。", "invalid_choice": "事故类别无效，请从列表中选择。"})
    note = forms.CharField(label="补录说明", max_length=TEXT_BOUNDS["classify_note"], widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReclassifyForm(StyledForm):
    """更正事故类别 by the investigating government, with its reason."""

    accident_type = forms.ChoiceField(label="更正后的事故类别", choices=[("", "请选择事故类别")] + REPORTABLE_TYPES,
                                      error_messages={"required": "请选择事故类别。", "invalid_choice": "事故类别无效，请从列表中选择。"})
    reason = forms.CharField(label="更正理由", max_length=TEXT_BOUNDS["reclassify_reason"], widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请填写更正理由。"})


class SupplementForm(StyledForm):
    deaths = forms.IntegerField(label="死亡人数（含失踪）", **PEOPLE)
    injuries = forms.IntegerField(label="重伤人数", **PEOPLE)
    loss = forms.DecimalField(label="直接经济损失（万元）", min_value=0, max_digits=14, decimal_places=2, error_messages=NUM)
    note = forms.CharField(label="补报说明", max_length=TEXT_BOUNDS["supplement_note"], widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQ)


class FlagsForm(StyledForm):
    omitted = forms.BooleanField(label="漏报", required=False)
    false_report = forms.BooleanField(label="谎报", required=False)
    concealed = forms.BooleanField(label="瞒报", required=False)
    note = forms.CharField(label="认定说明", max_length=TEXT_BOUNDS["flag_note"], widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQ)


class TeamForm(StyledForm):
    leader_name = forms.CharField(label="调查组组长", max_length=TEXT_BOUNDS["leader_name"], error_messages=REQ)
    members = forms.CharField(label="调查组成员（单位及人员）", widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQ)


class ExtendForm(StyledForm):
    days = forms.IntegerField(label="延长天数", min_value=1, error_messages={**NUM, "min_value": "延长天数至少为1日。"})
    reason = forms.CharField(label="延长理由", max_length=TEXT_BOUNDS["extend_reason"], widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQ)


class ReasonForm(StyledForm):
    reason = forms.CharField(label="理由", max_length=TEXT_BOUNDS["escalate_reason"], widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQ)


class NoteForm(StyledForm):
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RequiredNoteForm(StyledForm):
    note = forms.CharField(label="说明", max_length=TEXT_BOUNDS["supervise_note"], widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQ)


class ReportChapterForm(StyledForm):
    cause = forms.CharField(label="事故原因", widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQ)
    nature = forms.CharField(label="事故性质", max_length=TEXT_BOUNDS["nature"], initial="生产安全责任事故", error_messages=REQ)
    technical_chapter = forms.CharField(label="技术问题专篇", max_length=CHAPTER_MAX, widget=forms.Textarea(attrs={"rows": 3}), error_messages=REQ)
    management_chapter = forms.CharField(label="管理问题专篇", max_length=CHAPTER_MAX, widget=forms.Textarea(attrs={"rows": 3}), error_messages=REQ)


class ApproveForm(StyledForm):
    doc_no = forms.CharField(label="批复文号", max_length=TEXT_BOUNDS["doc_no"], error_messages=REQ)
    text = forms.CharField(label="批复意见", widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQ)


class ResponsibilityForm(StyledForm):
    kind = chosen_field(label="处理类型", choices=Responsibility.Kind.choices)
    subject = forms.CharField(label="处理对象", max_length=120, error_messages=REQ)
    measure = forms.CharField(label="处理意见", max_length=200, error_messages=REQ)
    case = forms.IntegerField(label="执法案件编号（可选）", required=False, error_messages={"invalid": "请输入案件序号。"})
    accountability = forms.IntegerField(label="问责记录编号（可选）", required=False, error_messages={"invalid": "请输入记录序号。"})


class MeasureForm(StyledForm):
    problem = forms.CharField(label="暴露问题", widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQ)
    content = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQ)
    owner_org = forms.ModelChoiceField(label="责任单位", queryset=Organisation.objects.filter(is_active=True).exclude(
        kind__in=("enterprise", "agency")), error_messages={"required": "请选择责任单位。", "invalid_choice": "责任单位无效。"})
    owner_name = forms.CharField(label="责任人", max_length=60, error_messages=REQ)
    deadline = forms.DateField(label="完成期限", widget=forms.DateInput(attrs=D),
                               error_messages={"required": "请填写完成期限。", "invalid": "日期格式不正确。"})

    def __init__(self, *args, accident=None, **kwargs):
        super().__init__(*args, **kwargs)
        if accident is not None:  # units of the accident's county (and the enterprise's own organisation)
            from django.db.models import Q

            q = Q(county_code=accident.county_code) | Q(province_code=accident.province_code, kind="committee")
            if accident.enterprise_id:
                q |= Q(enterprise=accident.enterprise_id)
            self.fields["owner_org"].queryset = Organisation.objects.filter(q, is_active=True).order_by("kind", "name")


class EvaluationForm(StyledForm):
    rectification = forms.CharField(label="问题整改情况", max_length=CHAPTER_MAX, widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQ)
    prevention = forms.CharField(label="防范措施落实情况", max_length=CHAPTER_MAX, widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQ)
    handling = forms.CharField(label="责任人处理情况", max_length=CHAPTER_MAX, widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQ)
    conclusion = forms.CharField(label="评估结论", max_length=CHAPTER_MAX, widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQ)


class LessonForm(StyledForm):
    title = forms.CharField(label="检查名称", max_length=150, error_messages=REQ)
    deadline = forms.DateField(label="完成期限", widget=forms.DateInput(attrs=D),
                               error_messages={"required": "请填写完成期限。", "invalid": "日期格式不正确。"})
    checklist = forms.CharField(label="检查清单（每行一项，留空则按事故暴露问题生成）", required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))


class LessonResultForm(StyledForm):
    note = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQ)
    hazard_description = forms.CharField(label="发现隐患（可选）", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    hazard_deadline = forms.DateField(label="隐患整改期限", required=False, widget=forms.DateInput(attrs=D),
                                      error_messages={"invalid": "日期格式不正确。"})
