"""Register and import forms of the hazard ledger."""

from django import forms
from django.utils import timezone

from accounts.models import Sector
from accounts.permissions import is_enterprise_user
from core.forms import StyledForm, chosen_field
from core.intake import validate_spreadsheet
from core.pickers import PickerSelect
from enterprises.models import Enterprise

from . import acting
from .models import STATED_CATEGORIES, TEXT_LIMITS, Hazard

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def writable_enterprises(user):
    """Enterprises the user may register hazards for (visible and a writing membership)."""
    if not (user.is_authenticated and (user.is_superuser or getattr(getattr(user, "membership", None), "can_write", False))):
        return Enterprise.objects.none()
    return Enterprise.objects.visible_to(user)


def applicable_items(enterprise):
    """Standard items that may serve as 判定依据 for this enterprise — the same set the picker offers
    (standards.applicability: its sectors' standards in force, sub-sector articles only for that
    sub-sector, so a trading firm is not offered 冶金 items)."""
    from standards.applicability import applicable_items as items_for

    return items_for(enterprise).filter(standard__status="in_force")


class RegisterForm(StyledForm):
    enterprise = forms.ModelChoiceField(label="生产经营单位", queryset=Enterprise.objects.none(),
                                        widget=PickerSelect("enterprises", placeholder="输入单位名称或统一社会信用代码"))
    sector = forms.ModelChoiceField(label="行业领域", queryset=Sector.objects.none(),
                                    widget=PickerSelect("sectors", depends="#id_enterprise", placeholder="选择行业领域"))
    # a classification with no safe default: 一般 preselected filed a 重大 hazard as 一般 (no 挂牌督办, no
    # major count) from one click on 登记 — both start on 请选择 and are refused unchosen
    grade = chosen_field(label="隐患等级", choices=Hazard.Grade.choices)
    category = chosen_field(label="隐患类别", choices=STATED_CATEGORIES)
    channel = forms.ChoiceField(label="发现渠道", choices=[("", "按登记单位自动确定")] + list(Hazard.Channel.choices),
                                required=False)
    location = forms.CharField(label="隐患部位", max_length=200, required=False)
    description = forms.CharField(label="隐患描述", max_length=TEXT_LIMITS["description"], widget=forms.Textarea(attrs={"rows": 3}))
    basis_item = forms.ModelChoiceField(label="判定依据条款（重大隐患）", queryset=Hazard._meta.get_field("basis_item")
                                        .related_model.objects.none(), required=False,
                                        widget=PickerSelect("standard-items", depends="#id_enterprise",
                                                            placeholder="输入关键词，按适用的判定标准分组"))
    basis_reason = forms.CharField(label="无对应条款时的判定理由", required=False, max_length=TEXT_LIMITS["basis_reason"],
                                   widget=forms.Textarea(attrs={"rows": 2}))
    found_on = forms.DateField(label="发现日期", required=False, widget=DATE)
    deadline = forms.DateField(label="整改期限", required=False, widget=DATE)
    responsible_person = forms.CharField(label="整改责任人", max_length=60, required=False)
    responsible_phone = forms.CharField(label="责任人电话", max_length=20, required=False)
    stop_production = forms.BooleanField(label="需停产停业整改", required=False)
    photo = forms.FileField(label="隐患照片（jpg/png/pdf）", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        ents = writable_enterprises(user)
        self.fields["enterprise"].queryset = ents
        enterprise = None
        if is_enterprise_user(user):
            enterprise = ents.first()
            self.fields["enterprise"].initial = enterprise.pk if enterprise else None
            self.fields["enterprise"].disabled = True
            self.fields["channel"].choices = [("", "企业自查"), (Hazard.Channel.ENTERPRISE_THIRD_PARTY, "企业委托第三方"),
                                              (Hazard.Channel.ACCIDENT, "事故举一反三")]
        else:
            raw = self.data.get("enterprise") or self.initial.get("enterprise")
            if raw:
                raw = str(raw).strip()  # ASCII digits only: "²" is a digit to isdigit() and no number to int()
                enterprise = ents.filter(pk=int(raw)).first() if raw.isascii() and raw.isdigit() else None
        self.enterprise = enterprise
        sectors = Sector.objects.filter(is_active=True)
        if enterprise is not None:
            sectors = sectors.filter(pk__in=acting.allowed_sectors(enterprise))
        self.fields["sector"].queryset = sectors
        self.fields["basis_item"].queryset = applicable_items(enterprise) if enterprise else \
            self.fields["basis_item"].queryset
        if enterprise is not None and is_enterprise_user(user):
            self.fields["sector"].widget.depends = ""
            self.fields["sector"].widget.params = f"enterprise={enterprise.pk}"
            self.fields["basis_item"].widget.depends = ""
            self.fields["basis_item"].widget.params = f"enterprise={enterprise.pk}"


class ImportForm(StyledForm):
    file = forms.FileField(label="隐患台账文件（.xlsx）", validators=[validate_spreadsheet])
    dry_run = forms.BooleanField(label="试运行（只检查，不写入）", required=False, initial=True)
    confirm_duplicate = forms.BooleanField(
        label="仍要导入", required=False,
        help_text="本单位已导入过完全相同的文件时，正式导入会重复登记其中的每一条隐患，须勾选此项确认。")


class SiteOrderForm(StyledForm):
    """现场处理措施 (安全生产法 第六十五条第一款第（三）项); checked by ``services.order_site_measures``."""

    withdraw_workers = forms.BooleanField(label="责令从危险区域内撤出作业人员", required=False)
    halt = forms.BooleanField(label="责令暂时停产停业", required=False)
    stop_use = forms.BooleanField(label="责令停止使用相关设施、设备", required=False)
    facilities = forms.CharField(label="停止使用的设施、设备（选择停止使用时必填）", max_length=200, required=False)
    reason = forms.CharField(label="理由（重大事故隐患排除前或者排除过程中无法保证安全的情形）", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "请写明排除前或者排除过程中无法保证安全的情形。"})
    ordered_on = forms.DateField(label="决定日期（不能晚于今天，缺省为今天）", required=False, initial=timezone.localdate,
                                 widget=DATE)


class SiteOrderLiftForm(StyledForm):
    """经审查同意恢复 (the hazard 销号 first); checked by ``services.lift_site_order``."""

    opinion = forms.CharField(label="审查意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "请填写审查意见。"})
    lifted_on = forms.DateField(label="解除日期（不能晚于今天，缺省为今天）", required=False, initial=timezone.localdate,
                                widget=DATE)


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CompulsoryMeasureForm(StyledForm):
    """强制措施 to enforce a 现场处理措施 the unit defies (安全生产法 第七十条); checked by
    ``services.take_compulsory_measures``."""

    stop_power = forms.BooleanField(label="通知有关单位停止供电", required=False)
    stop_explosives = forms.BooleanField(label="通知有关单位停止供应民用爆炸物品", required=False)
    other_measures = forms.CharField(label="其他强制措施", max_length=200, required=False)
    notified_units = forms.CharField(label="书面通知的有关单位（如供电企业、民用爆炸物品供应单位）", max_length=200,
                                     error_messages={"required": "请写明书面通知的有关单位（如供电企业、民用爆炸物品供应单位）。"})
    defiance = forms.CharField(label="生产经营单位拒不执行决定的情形", max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}),
                               error_messages={"required": "请写明生产经营单位拒不执行决定的情形。"})
    danger = forms.CharField(label="有发生生产安全事故的现实危险", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请写明有发生生产安全事故的现实危险。"})
    enterprise_notified_at = forms.DateTimeField(label="通知生产经营单位的时间（停止供电须提前二十四小时通知）",
                                                 required=False, widget=DATETIME)
    takes_effect_at = forms.DateTimeField(label="措施实施时间", widget=DATETIME,
                                          error_messages={"required": "请填写措施实施时间。"})
    emergency = forms.BooleanField(label="有危及生产安全的紧急情形（停止供电可不提前通知）", required=False)
    emergency_reason = forms.CharField(label="紧急情形", max_length=2000, required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    decided_on = forms.DateField(label="主要负责人批准日期（不能晚于今天，缺省为今天）", required=False,
                                 initial=timezone.localdate, widget=DATE)


class CompulsoryLiftForm(StyledForm):
    """及时解除 once the unit complies and eliminates the hazard; checked by ``services.lift_compulsory_measures``."""

    note = forms.CharField(label="生产经营单位履行决定、消除事故隐患的情况", max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "请写明生产经营单位履行决定、消除事故隐患的情况。"})
    lifted_on = forms.DateField(label="解除日期（不能晚于今天，缺省为今天）", required=False, initial=timezone.localdate,
                                widget=DATE)
