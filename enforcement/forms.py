"""Forms of the case actions (each validated here, then one service call)."""

from django import forms
from django.db.models import Q
from django.utils.timezone import localdate

from core.forms import StyledForm, chosen_field
from core.pickers import PickerSelect, bind
from core.querysets import parse_id

from .models import CaseParty, Decision, EnterpriseMeasure, OversightNotice, PenaltyArticle, SectorBan, TransferOutcome

DATE = forms.DateInput(attrs={"type": "date"})


def decided_on_field(label="决定日期"):
    """The date the fact happened (entered by the user, default today, never in the future): the
    dispatch table counts it by this date (docs/dispatch.md)."""
    return forms.DateField(label=f"{label}（不能晚于今天，缺省为今天）", initial=localdate, required=False, widget=DATE)


class OpenCaseForm(StyledForm):
    enterprise = forms.ModelChoiceField(label="当事单位", queryset=None,
                                        widget=PickerSelect("enterprises", placeholder="输入单位名称或统一社会信用代码"))
    title = forms.CharField(label="案由", max_length=200)
    facts = forms.CharField(label="违法事实", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    hazard = forms.IntegerField(label="关联隐患（可选）", required=False, min_value=1,
                                widget=PickerSelect("hazards", depends="#id_enterprise",
                                                    placeholder="输入隐患编号（如 YH120105-0000044）或描述"))
    origin = forms.CharField(label="案件来源（可选）", max_length=80, required=False,
                             help_text="例如：双随机抽查发现、群众举报核实、上级交办")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from enterprises.models import Enterprise

        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by("name")
        bind(self, user)

    def clean_hazard(self):
        """An id as the picker sends it (ASCII digits, ``core.querysets.parse_id``): Python's int()
        also reads other scripts' digits (٣, ３), which the view's scoped lookup (``named_or_404``)
        does not — the case was opened with no hazard and nothing said."""
        value = self.cleaned_data.get("hazard")
        raw = str(self.data.get(self.add_prefix("hazard")) or "").strip()
        if value is not None and parse_id(raw) is None:
            raise forms.ValidationError("请从列表中选择隐患，或输入隐患序号（半角数字）。")
        return value


ID_NUMBER_HELP = "18位，末位可为X；移送司法机关、问责人数按身份号码计人（未填的按姓名计）。页面只显示前6位和后4位。"


def id_number_field(required=False):
    return forms.CharField(label="公民身份号码", max_length=24, required=required, help_text=ID_NUMBER_HELP,
                           widget=forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off"}))


class PartyForm(StyledForm):
    name = forms.CharField(label="姓名", max_length=150)
    role = chosen_field(label="身份", choices=[c for c in CaseParty.Role.choices if c[0] != "entity"])
    position = forms.CharField(label="职务", max_length=60, required=False)
    id_number = id_number_field()


class PartyIdForm(StyledForm):
    """A person party's 公民身份号码, recorded or corrected while the case is open."""

    party = forms.ModelChoiceField(label="当事人", queryset=CaseParty.objects.none())
    id_number = id_number_field(required=True)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = case.parties.filter(kind=CaseParty.Kind.PERSON)


class AdvanceForm(StyledForm):
    stage_action = chosen_field(label="操作", choices=[(a, a) for a in ("investigate", "notify", "decide", "execute", "close")])
    note = forms.CharField(label="说明", required=False)


class PartyChoiceForm(StyledForm):
    party = forms.ModelChoiceField(label="当事人", queryset=CaseParty.objects.none())

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = case.parties.all()


class PenaltyForm(PartyChoiceForm):
    article = forms.ModelChoiceField(label="处罚依据", queryset=PenaltyArticle.objects.all())
    amount = forms.DecimalField(label="罚款金额（元）", max_digits=14, decimal_places=2, min_value=0, required=False,
                                help_text="按上一年年收入固定比例处罚的（第九十五条）可不填，按比例计算")
    income = forms.DecimalField(label="上一年年收入（元）", max_digits=14, decimal_places=2, min_value=0, required=False,
                                help_text="第九十五条、第九十六条（导致事故）按当事人上一年年收入的比例处以罚款")
    reason = forms.CharField(label="说明", required=False,
                             help_text="已提出不予处罚建议的案件，对单位罚款或依“一案双罚”条款对其负责人员罚款，须写明不予适用的理由")
    decided_on = decided_on_field()
    correction_ordered_on = forms.DateField(label="责令改正日期（可选）", widget=DATE, required=False)
    correction_deadline = forms.DateField(label="改正期限（可选）", widget=DATE, required=False)
    act_on = forms.DateField(label="违法行为发生日期", widget=DATE, required=False,
                             help_text="罚款幅度适用违法行为发生时的规定，作出决定时的规定较轻的适用新规定（从旧兼从轻）；"
                                       "缺省为立案日期，逾期未改正、拒不执行的为改正期限届满的次日")


class RevokeForm(StyledForm):
    """撤销 an effective decision of the case (e.g. after 复议 or on finding it wrong); revoking a
    停产整顿 decision lifts the suspension it imposed."""

    decision = forms.ModelChoiceField(label="撤销的决定", queryset=Decision.objects.none())
    reason = forms.CharField(label="撤销理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = case.decisions.filter(status=Decision.Status.EFFECTIVE).select_related("party")
        self.fields["decision"].label_from_instance = lambda d: f"{d.get_kind_display()} {d.party.name} {d.decided_on:%Y-%m-%d}"


class TransferForm(PartyChoiceForm):
    reason = forms.CharField(label="移送理由")
    transfer_to = forms.CharField(label="移送至（公安机关）", max_length=100,
                                  help_text="同级公安机关，移送书的主送机关，如：天津市公安局河北分局")
    dangerous_ops = forms.BooleanField(label="涉嫌危险作业罪", required=False)
    decided_on = decided_on_field("移送日期")


class TransferAnswerForm(StyledForm):
    """What the 公安机关 did with a transfer of the case (国务院令第310号 第七条至第九条): the transfer is
    chosen among the case's effective ones at the step the form records (``transfers``)."""

    decision = forms.ModelChoiceField(label="移送决定", queryset=Decision.objects.none())

    def transfers(self, case):
        return case.decisions.filter(kind=Decision.Kind.TRANSFER, status=Decision.Status.EFFECTIVE)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = self.transfers(case).select_related("party")
        self.fields["decision"].label_from_instance = lambda d: f"移送 {d.party.name} {d.decided_on:%Y-%m-%d}"


class TransferReceiptForm(TransferAnswerForm):
    """第七条: the 公安机关 signs the 回执 of the 涉嫌犯罪案件移送书."""

    receiving_organ = forms.CharField(label="接收机关", max_length=100, required=False,
                                      help_text="签收回执的公安机关名称；不填即移送决定所写的公安机关")
    received_on = forms.DateField(label="回执签收日期", widget=DATE)


class TransferOutcomeForm(TransferAnswerForm):
    """第八条 立案 / 不予立案, or 第七条 转送有管辖权的机关 — notified in writing, once the 回执 is recorded."""

    outcome = chosen_field(label="公安机关处理结果", choices=TransferOutcome.Outcome.choices)
    notified_on = forms.DateField(label="书面通知日期", widget=DATE)
    note = forms.CharField(label="说明（可选）", max_length=300, required=False,
                           help_text="例如立案/不予立案通知书文号，转送的机关")

    def transfers(self, case):
        return super().transfers(case).filter(transfer_outcome__isnull=False)


class ReconsiderationForm(TransferAnswerForm):
    """第九条: after a 不予立案 notice the transferring organ may within 3 days ask the 公安机关 to 复议."""

    requested_on = forms.DateField(label="提请复议日期", widget=DATE,
                                   help_text="应自接到不予立案通知书之日起3日内提请（第九条）")
    result = forms.CharField(label="复议结果（可选）", max_length=300, required=False)

    def transfers(self, case):
        return super().transfers(case).filter(transfer_outcome__outcome=TransferOutcome.Outcome.NOT_FILED)


class DailyFineForm(StyledForm):
    """按日连续处罚: the original fine (with its 责令改正) and the refusal facts; the per-day amount
    is the original amount (安全生产法 art. 112), set by the service."""

    base = forms.ModelChoiceField(label="原罚款决定", queryset=Decision.objects.none())
    reason = forms.CharField(label="拒不改正的事实", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base"].queryset = case.decisions.filter(kind=Decision.Kind.PENALTY, status=Decision.Status.EFFECTIVE)


class ReasonForm(StyledForm):
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResumeForm(StyledForm):
    """复产复查: the review's opinion and its day (not before the suspension it lifts nor before the
    hazard's 销号 — checked by ``services.resume``)."""

    reason = forms.CharField(label="复查意见", widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请填写复查意见。"})
    decided_on = decided_on_field("复查日期")


class SuspensionForm(StyledForm):
    """责令停产停业整顿 under a clause that orders it (行政处罚法 第五十九条: the decision names its legal
    basis); the clause is chosen, never the first one shown."""

    article = forms.ModelChoiceField(label="法律依据", queryset=PenaltyArticle.objects.filter(suspension=True),
                                     error_messages={"required": "请选择法律依据。"},
                                     help_text="规定了责令停产停业整顿的条款；逾期未改正、拒不执行的，须以本案先行作出的责令改正为前提")
    reason = forms.CharField(label="理由")
    correction_deadline = forms.DateField(label="整顿期限", widget=DATE, required=False)
    decided_on = decided_on_field()


class CorrectionForm(StyledForm):
    """登记改正 of a 按日连续处罚 (its accrual stops) or of a fine with a 责令改正 (corrected by the
    deadline: no 逾期未改正 / 拒不执行 later)."""

    decision = forms.ModelChoiceField(label="决定（按日连续处罚或附责令改正的罚款）", queryset=Decision.objects.none())
    corrected_on = forms.DateField(label="改正日期", widget=DATE)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = (
            case.decisions.filter(status=Decision.Status.EFFECTIVE, corrected_on__isnull=True)
            .filter(Q(kind=Decision.Kind.DAILY_FINE) | Q(kind=Decision.Kind.PENALTY, correction_ordered_on__isnull=False))
            .select_related("party"))
        self.fields["decision"].label_from_instance = lambda d: f"{d.get_kind_display()} {d.party.name} {d.decided_on:%Y-%m-%d}"


class MeasureForm(StyledForm):
    kind = chosen_field(label="措施", choices=EnterpriseMeasure.Kind.choices)
    note = forms.CharField(label="说明", required=False)
    date = decided_on_field("日期")


class TypicalForm(StyledForm):
    title = forms.CharField(label="标题", max_length=200)
    summary = forms.CharField(label="案例简介", widget=forms.Textarea(attrs={"rows": 3}))
    dangerous_ops = forms.BooleanField(label="危险作业罪案例", required=False)
    published_on = decided_on_field("公布日期")


class ListingForm(StyledForm):
    reason = forms.CharField(label="列入事由")
    duration_months = forms.IntegerField(label="期限（月）", initial=36, min_value=1, max_value=120)
    public = forms.BooleanField(label="向社会公开", required=False, initial=True)


class BanForm(StyledForm):
    """行业禁入 of a 主要负责人 party of the case (安全生产法 第九十四条第二款): the ground sets the term."""

    person_name = forms.ChoiceField(label="主要负责人", choices=())
    ground = chosen_field(label="禁入依据", choices=SectorBan.Ground.choices)
    start = forms.DateField(label="起始日期（不能晚于今天）", widget=DATE, required=False,
                            help_text="受刑事处罚的为刑罚执行完毕之日，受撤职处分的为受处分之日（五年内不得担任任何生产经营单位的"
                                      "主要负责人）；对重大、特别重大事故负有责任的终身不得担任本行业生产经营单位的主要负责人，缺省为今天")
    accident = forms.ModelChoiceField(label="负有责任的事故（终身禁入）", queryset=None, required=False)
    reason = forms.CharField(label="事由", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @staticmethod
    def principals(case):
        return list(case.parties.filter(role=CaseParty.Role.PRINCIPAL).values_list("name", flat=True).distinct())

    def __init__(self, *args, case=None, **kwargs):
        from accidents import workflow as accident_workflow
        from accidents.models import Accident

        super().__init__(*args, **kwargs)
        self.fields["person_name"].choices = [("", "请选择")] + [(n, n) for n in self.principals(case)]
        # the case's unit's 重大/特别重大 accidents (the service checks the officer sees the one chosen)
        self.fields["accident"].queryset = Accident.objects.filter(
            enterprise_id=case.enterprise_id,
            grade__in=(accident_workflow.MAJOR, accident_workflow.ESPECIALLY_MAJOR)).order_by("-occurred_at")
        self.fields["accident"].label_from_instance = lambda a: f"{a.occurred_at:%Y-%m-%d} {a.get_grade_display()}"
        if not self.fields["accident"].queryset.exists():
            self.fields["accident"].help_text = "本单位没有重大、特别重大生产安全事故记录，不能以此为依据终身禁入。"


class AccountabilityForm(StyledForm):
    """责任倒查追责问责 (dispatch row 3.9), dated the day it was decided."""

    person_name = forms.CharField(label="被问责人", max_length=60)
    id_number = id_number_field()
    person_position = forms.CharField(label="职务", max_length=100, required=False)
    measure = forms.CharField(label="问责方式", max_length=100)
    reason = forms.CharField(label="事由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    date = decided_on_field("问责日期")


class NoticeForm(StyledForm):
    """约谈 / 通报 of a township office or department (dispatch row 3.10), dated the day it happened."""

    target = forms.ModelChoiceField(label="对象单位", queryset=None)
    kind = chosen_field(label="方式", choices=OversightNotice.Kind.choices)
    reason = forms.CharField(label="事由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    date = decided_on_field("日期")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import Organisation

        self.fields["target"].queryset = Organisation.objects.visible_to(user).filter(
            kind__in=(Organisation.Kind.TOWNSHIP, Organisation.Kind.DEPARTMENT)).order_by("kind", "name")
