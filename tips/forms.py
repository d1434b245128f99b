"""Forms of the public tip page and the staff actions."""

from django import forms

from accounts.models import Organisation, Sector
from core.forms import StyledForm, chosen_field
from core.pickers import PickerSelect
from hazards.models import TEXT_LIMITS

from .models import Reward, RewardPolicy, Tip
from .validators import TEXT_BOUNDS


class PublicTipForm(StyledForm):
    township = forms.CharField(label="乡镇（街道）", max_length=12, error_messages={"required": "请选择到乡镇（街道）一级。"})
    address = forms.CharField(label="详细地址", max_length=200, error_messages={"required": "请填写地址。"})
    longitude = forms.DecimalField(label="经度", required=False, max_digits=9, decimal_places=6,
                                   error_messages={"invalid": "经度须为数字。"})
    latitude = forms.DecimalField(label="纬度", required=False, max_digits=9, decimal_places=6,
                                  error_messages={"invalid": "纬度须为数字。"})
    enterprise = forms.IntegerField(label="被举报单位（从名录中选择）", required=False, widget=forms.Select)
    enterprise_name = forms.CharField(label="或填写单位名称", max_length=150, required=False)
    sector = forms.ModelChoiceField(label="行业领域", queryset=Sector.objects.filter(is_active=True),
                                    error_messages={"required": "请选择行业领域。", "invalid_choice": "行业领域无效。"})
    content = forms.CharField(label="举报内容", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000,
                              error_messages={"required": "请填写举报内容。"})
    anonymous = forms.BooleanField(label="匿名举报", required=False, initial=True)
    internal_whistleblower = forms.BooleanField(label="我是该单位员工（企业内部吹哨人，须实名）", required=False)
    name = forms.CharField(label="姓名", max_length=40, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    contact = forms.CharField(label="其他联系方式", max_length=100, required=False)
    captcha = forms.CharField(label="验证码（请计算图中算式）", max_length=8, error_messages={"required": "请填写验证码。"})


class TrackForm(StyledForm):
    code = forms.CharField(label="举报查询码", max_length=40, error_messages={"required": "请输入查询码。"},
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))


class NoteForm(StyledForm):
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(StyledForm):
    note = forms.CharField(label="向举报人反馈（空则沿用核查时的反馈）", max_length=TEXT_BOUNDS["feedback"], required=False, widget=forms.Textarea(attrs={"rows": 2}))
    no_reward_reason = forms.CharField(label="未予奖励的理由（核查属实、符合奖励条件而未奖励时必填，如举报人放弃奖励、无法联系举报人）",
                                       required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(StyledForm):
    result = chosen_field(label="核查结果", choices=Tip.Result.choices)
    note = forms.CharField(label="核查情况", widget=forms.Textarea(attrs={"rows": 3}))
    feedback = forms.CharField(label="向举报人反馈", max_length=TEXT_BOUNDS["feedback"], required=False, widget=forms.Textarea(attrs={"rows": 2}))
    hazard = forms.IntegerField(label="关联已有隐患（可选）", required=False,
                                widget=PickerSelect("hazards", placeholder="输入隐患编号（如 YH120105-0000044）或描述"))
    register = forms.BooleanField(label="登记为新隐患", required=False)
    grade = forms.ChoiceField(label="隐患等级", choices=[("general", "一般"), ("major", "重大")], required=False)
    description = forms.CharField(label="隐患描述（由核查人员撰写，不得照抄举报内容）", required=False, max_length=TEXT_LIMITS["description"],
                                  widget=forms.Textarea(attrs={"rows": 2}))
    basis_reason = forms.CharField(label="重大隐患的判定理由", required=False, max_length=TEXT_LIMITS["basis_reason"], widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label="整改期限", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    fine_amount = forms.DecimalField(label="罚款金额（元）", required=False, max_digits=12, decimal_places=2)


class RewardForm(StyledForm):
    line = chosen_field(label="奖励项", choices=Reward.Line.choices)
    policy = forms.ModelChoiceField(label="奖励标准", queryset=RewardPolicy.objects.filter(is_active=True))
    fine_amount = forms.DecimalField(label="罚款金额（元）（核查时已登记的，按登记金额计算，无需再填）", required=False,
                                     max_digits=12, decimal_places=2)
    deaths = forms.IntegerField(label="查实死亡人数（瞒报谎报事故）", required=False, min_value=1, max_value=10000)
    beneficiary = forms.CharField(label="受奖对象（一案双奖时必填）", required=False, max_length=120)
    collect_note = forms.CharField(label="领取方式说明", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        self.fields["policy"].queryset = RewardPolicy.objects.filter(pk__in=RewardPolicy.in_force_ids(timezone.localdate()))


class PayForm(StyledForm):
    paid_on = forms.DateField(label="发放日期", widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.CharField(label="发放方式", max_length=40)
    collected = forms.BooleanField(label="已领取", required=False)


class TransferForm(StyledForm):
    to_org = forms.ModelChoiceField(label="移交至平台内单位（可选）", required=False,
                                    queryset=Organisation.objects.filter(kind__in=("department", "committee", "township")))
    unit = forms.CharField(label="或写明平台外接收单位", required=False, max_length=120)
    reason = forms.CharField(label="移交理由", max_length=TEXT_BOUNDS["transfer_reason"], widget=forms.Textarea(attrs={"rows": 2}))


class ReassignForm(StyledForm):
    to_org = forms.ModelChoiceField(label="改派至", queryset=Organisation.objects.filter(kind__in=("department", "township")))
    reason = forms.CharField(label="改派理由", max_length=TEXT_BOUNDS["reassign_reason"], widget=forms.Textarea(attrs={"rows": 2}))


class DuplicateForm(StyledForm):
    original = forms.IntegerField(label="原举报", widget=PickerSelect("tips", placeholder="输入举报编号（如 JB120105-000012）或地址"))




class ExtendForm(StyledForm):
    extra_days = forms.IntegerField(label="延长天数（最多30日）", min_value=1, max_value=366)
    reason = forms.CharField(label="延期理由", max_length=TEXT_BOUNDS["extend_reason"], widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(StyledForm):
    decision = chosen_field(label="审批意见", choices=[("approve", "批准延期"), ("refuse", "不批准")])
    note = forms.CharField(label="说明（不批准时必填）", max_length=TEXT_BOUNDS["extension_note"], required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FeedbackForm(StyledForm):
    text = forms.CharField(label="向举报人反馈办理结果", max_length=TEXT_BOUNDS["feedback"], widget=forms.Textarea(attrs={"rows": 2}))


class ReviewDecisionForm(StyledForm):
    result = forms.CharField(label="复查结论", max_length=TEXT_BOUNDS["review_result"], widget=forms.Textarea(attrs={"rows": 2}))


class ReviewRequestForm(StyledForm):
    code = forms.CharField(label="举报查询码", max_length=40, widget=forms.HiddenInput)
    reason = forms.CharField(label="对办理结果有异议，申请复查的理由", max_length=TEXT_BOUNDS["review_reason"],
                             widget=forms.Textarea(attrs={"rows": 3}))
