"""API: scoped cases (with parties and decisions), decisions, credit list, typical cases; a
penalty can be decided through POST /api/v1/cases/{id}/penalties/ (400 names the field)."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.permissions import is_government
from core import idnumber
from core.api import MAX_ID, ScopedReadOnlyViewSet
from core.api_files import FILE_RENDERERS, document_schema, send_document
from core.api_http import already_done, settles
from core.text import TEXT_MAX
from hazards.api_detail import (
    CompulsoryLiftSerializer,
    CompulsoryMeasureInSerializer,
    CompulsoryMeasureOutSerializer,
    lift_answer,
)
from hazards.site_orders import PRINCIPAL_ONLY

from . import compulsion, rules, services, transfer_clock
from .filters import CaseFilter, CreditListingFilter, TypicalCaseFilter
from .models import (
    Case,
    CaseParty,
    CreditListing,
    Decision,
    PenaltyArticle,
    SuspensionCompulsion,
    TransferOutcome,
    TypicalCase,
)


class PartySerializer(serializers.ModelSerializer):
    id_number_masked = serializers.SerializerMethodField(
        help_text="公民身份号码，仅显示前6位和后4位（出生日期隐去）；未登记为空字符串")

    class Meta:
        model = CaseParty
        fields = ["id", "kind", "role", "name", "position", "id_number_masked"]

    def get_id_number_masked(self, party) -> str:
        return idnumber.masked(party.id_number)


class _BlankAsNull:
    """Read-only: an empty text (nothing recorded) is null, as when no record exists at all."""

    def to_representation(self, value):
        return super().to_representation(value) or None


class _NullableText(_BlankAsNull, serializers.CharField):
    pass


class _NullableChoice(_BlankAsNull, serializers.ChoiceField):
    pass


def _police(field, attr, help_text, **kwargs):
    """A field of the transfer's TransferOutcome (null on other decisions and while nothing is recorded)."""
    return field(source=f"transfer_outcome.{attr}", read_only=True, allow_null=True,
                 help_text=f"{help_text}；仅移送司法机关决定，未登记为 null", **kwargs)


class TransferStepSerializer(serializers.Serializer):
    """One time limit of a transfer (国务院令第310号), as the case page shows it."""

    code = serializers.ChoiceField(choices=[("transfer", "移送（第五条）"), ("forward", "转送（第七条）"),
                                            ("review", "审查（第八条）"), ("reconsideration", "提请复议（第九条）"),
                                            ("handover", "移交涉案物品（第十一条）")])
    label = serializers.CharField(help_text="该步骤的名称")
    article = serializers.CharField(help_text="所依据的条款，如“第五条”")
    due = serializers.DateField(help_text="期限届满日（“24小时”按日计：决定或签收之日的次日）")
    done_on = serializers.DateField(allow_null=True, help_text="办理日期；未办理或未登记为 null")
    state = serializers.ChoiceField(choices=list(transfer_clock.STATE_LABELS.items()),
                                    help_text="open 期限内、met 按期、late 逾期办理、overdue 已逾期、lapsed 期限已过（可选步骤）、"
                                              "reminder 提示（本平台不登记其办理）")
    state_label = serializers.CharField(help_text="状态的中文名称")
    days_late = serializers.IntegerField(min_value=0, help_text="逾期办理的天数（其他状态为 0）")


class SuspensionCompulsionSerializer(CompulsoryMeasureOutSerializer):
    """强制措施 (安全生产法 第七十条) enforcing a 责令停产停业整顿: the same record as a hazard's."""

    class Meta(CompulsoryMeasureOutSerializer.Meta):
        model = SuspensionCompulsion


class DecisionSerializer(serializers.ModelSerializer):
    party = PartySerializer(read_only=True)
    article = serializers.StringRelatedField(allow_null=True)  # a 不予处罚, 复产 or 移送 names none
    case = serializers.PrimaryKeyRelatedField(read_only=True)
    transfer_to = serializers.CharField(read_only=True, help_text=(
        "移送司法机关：接收移送的同级公安机关（国务院令第310号第三条），移送书的主送机关；其他决定为空字符串"))
    # what the 公安机关 did with a transfer (国务院令第310号 第七条至第九条); transfers are government-only
    transfer_receiving_organ = _police(_NullableText, "receiving_organ", "接收移送的公安机关（签收回执的机关）")
    transfer_received_on = _police(serializers.DateField, "received_on", "回执签收日期（第七条）")
    transfer_outcome = _police(_NullableChoice, "outcome",
                               "公安机关处理结果：filed 立案、not_filed 不予立案（第八条）、forwarded 转送有管辖权的机关（第七条）",
                               choices=TransferOutcome.Outcome.choices)
    transfer_notified_on = _police(serializers.DateField, "notified_on", "公安机关书面通知处理结果的日期")
    transfer_outcome_note = _police(_NullableText, "note", "处理结果的说明（如通知书文号、转送的机关）")
    transfer_reconsideration_requested_on = _police(
        serializers.DateField, "reconsideration_requested_on", "不予立案后提请复议的日期（第九条：接到通知之日起3日内）")
    transfer_reconsideration_result = _police(_NullableText, "reconsideration_result", "复议结果")
    lifts = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text=(
        "复产复查决定：所解除的责令停产停业整顿决定的id（安全生产法第六十五条第一款第（三）项）；其他决定为null"))
    transfer_deadlines = serializers.SerializerMethodField(
        help_text="移送的法定期限（国务院令第310号第五、七、八、九、十一条），按今日计；仅生效的移送司法机关决定，其他为空列表")
    compulsory_measures = SuspensionCompulsionSerializer(
        many=True, read_only=True,
        help_text="责令停产停业整顿：拒不执行时采取的强制措施（安全生产法第七十条）及其解除；其他决定为空列表")

    class Meta:
        model = Decision
        fields = ["id", "case", "kind", "status", "party", "article", "amount", "income", "reason", "dangerous_ops",
                  "transfer_to", "correction_deadline", "corrected_on", "decided_on", "act_on", "lifts", "transfer_receiving_organ",
                  "transfer_received_on", "transfer_outcome", "transfer_notified_on", "transfer_outcome_note",
                  "transfer_reconsideration_requested_on", "transfer_reconsideration_result", "transfer_deadlines",
                  "compulsory_measures"]

    @extend_schema_field(TransferStepSerializer(many=True))
    def get_transfer_deadlines(self, decision) -> list:
        today = self.context.setdefault("today", timezone.localdate())  # one day for a whole page of decisions
        return TransferStepSerializer(transfer_clock.for_decision(decision, today), many=True).data


class CaseSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    parties = PartySerializer(many=True, read_only=True)
    number = serializers.CharField(read_only=True)
    double_penalty = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "number", "enterprise", "enterprise_name", "title", "stage", "origin", "opened_on", "closed_on",
                  "parties", "double_penalty"]

    def get_double_penalty(self, obj) -> bool:
        return services.is_double_penalty(obj)


class PenaltyInputSerializer(serializers.Serializer):
    party = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="本案当事人 id（parties[].id）")
    article = serializers.PrimaryKeyRelatedField(queryset=PenaltyArticle.objects.all())
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None,
                                      help_text="罚款金额（元）；按上一年年收入固定比例处罚的（第九十五条）可不填")
    income = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None,
                                      help_text="上一年年收入（元）：第九十五条、第九十六条（导致事故）按其比例处以罚款")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    act_on = serializers.DateField(required=False, allow_null=True, default=None,
                                   help_text="违法行为发生日期（罚款幅度从旧兼从轻）；缺省见 docs/enforcement.md")


class SuspensionInputSerializer(serializers.Serializer):
    """责令停产停业整顿, as the case page's form (checked by ``services.order_suspension``)."""

    article = serializers.PrimaryKeyRelatedField(
        queryset=PenaltyArticle.objects.filter(suspension=True),
        help_text="法律依据：规定了责令停产停业整顿的处罚条款 id（逾期未改正、拒不执行的，须以本案先行作出的责令改正为前提）")
    reason = serializers.CharField(max_length=TEXT_MAX, help_text="理由")
    correction_deadline = serializers.DateField(required=False, allow_null=True, default=None,
                                                help_text="整顿期限（不早于决定日期）")
    decided_on = serializers.DateField(required=False, allow_null=True, default=None,
                                       help_text="决定日期（缺省为今天；不能晚于今天）")


class ResumptionInputSerializer(serializers.Serializer):
    """复产复查, as the case page's form (checked by ``services.resume``)."""

    reason = serializers.CharField(max_length=TEXT_MAX, help_text="复查意见")
    decided_on = serializers.DateField(
        required=False, allow_null=True, default=None,
        help_text="复查日期（缺省为今天；不能晚于今天，不能早于所解除的停产整顿决定日期和本案隐患的销号日期）")


class TransferReceiptInputSerializer(serializers.Serializer):
    receiving_organ = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                            help_text="接收移送的公安机关（签收回执的机关）；缺省或空：移送决定的 transfer_to")
    received_on = serializers.DateField(help_text="回执签收日期（第七条）：不晚于今天、不早于移送日期")


class TransferOutcomeInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=TransferOutcome.Outcome.choices,
                                      help_text="filed 立案、not_filed 不予立案（第八条）、forwarded 转送有管辖权的机关（第七条）")
    notified_on = serializers.DateField(help_text="公安机关书面通知的日期：不早于回执签收日期、不晚于今天")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                 help_text="说明（如通知书文号、转送的机关）")


class ReconsiderationInputSerializer(serializers.Serializer):
    requested_on = serializers.DateField(help_text="提请复议日期（第九条：接到不予立案通知书之日起3日内；逾期的照样登记并标明）")
    result = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                   help_text="复议结果（已知时填写）")


def _may_handle(user, case) -> bool:
    return is_government(user) and services.can_handle(user, case)


def _same_penalty(case, request):
    """The effective penalty of this case on the same party under the same article (一事不再罚)."""
    d = request.data if isinstance(request.data, dict) else {}
    party, article = d.get("party"), d.get("article")
    if not (isinstance(party, int) and isinstance(article, int)) or isinstance(party, bool) or isinstance(article, bool):
        return None
    return case.decisions.filter(kind=Decision.Kind.PENALTY, status=Decision.Status.EFFECTIVE, party_id=party,
                                 article_id=article).select_related("party", "article").first()


class CaseViewSet(ScopedReadOnlyViewSet):
    serializer_class = CaseSerializer
    filterset_class = CaseFilter  # the case list page's FilterSet

    def base_queryset(self):
        return Case.objects.select_related("enterprise").prefetch_related("parties").order_by("-id")

    @extend_schema(request=PenaltyInputSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    @settles(lambda case, r: _may_handle(r.user, case) and _same_penalty(case, r) is not None,
             current=lambda view, case: DecisionSerializer(_same_penalty(case, view.request)).data)
    def penalties(self, request, pk=None):
        case = self._handled_case(request)
        data = PenaltyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        party = case.parties.filter(pk=data.validated_data["party"]).first()
        decision = services.decide_penalty(request.user, case, party=party, article=data.validated_data["article"],
                                           amount=data.validated_data["amount"], reason=data.validated_data["reason"],
                                           act_on=data.validated_data["act_on"], income=data.validated_data["income"])
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SuspensionInputSerializer, responses={201: DecisionSerializer},
                   summary="责令停产停业整顿（须在告知之后、进入执行之前；该单位停产整顿）")
    @action(detail=True, methods=["post"])
    @settles(lambda case, r: _may_handle(r.user, case) and services.suspension_in_force(case) is not None,
             current=lambda view, case: DecisionSerializer(services.suspension_in_force(case)).data)
    def suspension(self, request, pk=None):
        return self._decide(request, SuspensionInputSerializer, services.order_suspension)

    @extend_schema(request=ResumptionInputSerializer, responses={201: DecisionSerializer},
                   summary="复产复查决定（隐患验收销号后，经复查同意恢复生产经营；执行阶段）")
    @action(detail=True, methods=["post"])
    @settles(lambda case, r: _may_handle(r.user, case) and _resumed(case) is not None,
             current=lambda view, case: DecisionSerializer(_resumed(case)).data)
    def resumption(self, request, pk=None):
        return self._decide(request, ResumptionInputSerializer, services.resume)

    def _handled_case(self, request):
        case = self.get_object()
        if not _may_handle(request.user, case):
            raise PermissionDenied("只有立案单位的执法人员可以办理该案件。")
        return case

    def _decide(self, request, input_class, write):
        """A decision of the case's handler (refused before its body is read): ``write(user, case,
        **input)``, answered 201 with the decision."""
        case = self._handled_case(request)
        data = input_class(data=request.data)
        data.is_valid(raise_exception=True)
        decision = write(request.user, case, **data.validated_data)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


def _measure_data(measure) -> dict:
    return SuspensionCompulsionSerializer(SuspensionCompulsion.objects.select_related("decided_by_org").get(
        pk=measure.pk)).data


def _resumed(case):
    """The case's 复产 decision in force, if any (it lifted the case's suspension: a case orders one while
    its unit operates, before the execution stage in which it is lifted)."""
    return (case.decisions.filter(kind=Decision.Kind.RESUMPTION, status=Decision.Status.EFFECTIVE)
            .select_related("party", "article").order_by("-decided_on", "-pk").first())


class DecisionViewSet(ScopedReadOnlyViewSet):
    serializer_class = DecisionSerializer
    filterset_fields = ["kind"]

    def base_queryset(self):
        return (Decision.objects.select_related("party", "article", "transfer_outcome", "case")  # case: a 强制措施's 文号
                .prefetch_related("compulsory_measures__decided_by_org").order_by("-id"))

    def _suspension(self, request):
        """A 责令停产停业整顿 in scope (404 otherwise: no other decision has 强制措施) that the caller handles (403)."""
        decision = self.get_object()
        if decision.kind != Decision.Kind.SUSPENSION:
            raise Http404
        if not _may_handle(request.user, decision.case):
            raise PermissionDenied("只有立案单位的执法人员可以办理该案件。")
        return decision

    @extend_schema(request=CompulsoryMeasureInSerializer, responses={201: SuspensionCompulsionSerializer},
                   summary="采取强制措施（安全生产法第七十条：拒不执行责令停产停业整顿决定，经本部门主要负责人批准，"
                           "通知有关单位停止供电、停止供应民用爆炸物品等；由主要负责人办理）")
    @action(detail=True, methods=["post"], url_path="compulsory-measures")
    def compulsory_measures(self, request, pk=None):
        decision = self._suspension(request)
        if not compulsion.may_compel(request.user, decision.case):
            raise PermissionDenied(PRINCIPAL_ONLY)
        in_force = next((m for m in decision.compulsory_measures.all() if m.lifted_on is None), None)
        if in_force is not None:  # taken already: answered with the measures in force
            already_done(SuspensionCompulsionSerializer(in_force).data, "该决定已有未解除的强制措施（附当前措施）。")
        data = CompulsoryMeasureInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        measure = services.take_suspension_measures(request.user, decision, **data.validated_data)
        return Response(_measure_data(measure), status=status.HTTP_201_CREATED)

    @extend_schema(request=CompulsoryLiftSerializer, responses=SuspensionCompulsionSerializer,
                   summary="解除强制措施（生产经营单位依法履行行政决定、采取相应措施消除事故隐患的，及时解除）")
    @action(detail=True, methods=["post"], url_path=r"compulsory-measures/(?P<measure_pk>[0-9]+)/lift")
    def lift_compulsory_measures(self, request, pk=None, measure_pk=None):
        decision = self.get_object()
        measure = next((m for m in decision.compulsory_measures.all() if m.pk == int(measure_pk)), None)
        if measure is None:  # a measure of the visible decision, else 404
            raise Http404
        self._suspension(request)
        measure.suspension = decision
        return lift_answer(request, measure, CompulsoryLiftSerializer, services.lift_suspension_measures,
                           lambda: _measure_data(measure))

    def get_queryset(self):
        qs = super().get_queryset()
        return qs if is_government(self.request.user) else qs.exclude(kind=Decision.Kind.TRANSFER)

    def _police_answer(self, request, writer, serializer_class):
        """One of the 公安机关's answers to a transfer, written by ``writer`` (enforcement.services; the same
        values again write nothing, so a retry answers the same decision); refusals are the service's."""
        decision = self.get_object()  # out of scope, or not a government user's transfer: 404
        if not _may_handle(request.user, decision.case):  # before the body: one who may not write learns no rule
            raise PermissionDenied("只有立案单位的执法人员可以办理该案件。")
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        writer(request.user, decision, **data.validated_data)
        return Response(self.detail_data(self.base_queryset().get(pk=decision.pk)))

    @extend_schema(request=TransferReceiptInputSerializer, responses={200: DecisionSerializer},
                   summary="登记移送回执：公安机关签收涉嫌犯罪案件移送书（国务院令第310号第七条；立案单位执法人员）")
    @action(detail=True, methods=["post"], url_path="transfer-receipt")
    def transfer_receipt(self, request, pk=None):
        return self._police_answer(request, services.record_transfer_receipt, TransferReceiptInputSerializer)

    @extend_schema(request=TransferOutcomeInputSerializer, responses={200: DecisionSerializer},
                   summary="登记公安机关处理结果：立案、不予立案（第八条）或转送有管辖权的机关（第七条）")
    @action(detail=True, methods=["post"], url_path="transfer-outcome")
    def transfer_outcome(self, request, pk=None):
        return self._police_answer(request, services.record_transfer_outcome, TransferOutcomeInputSerializer)

    @extend_schema(request=ReconsiderationInputSerializer, responses={200: DecisionSerializer},
                   summary="登记提请复议：不予立案后提请公安机关复议（第九条）")
    @action(detail=True, methods=["post"], url_path="transfer-reconsideration")
    def transfer_reconsideration(self, request, pk=None):
        return self._police_answer(request, services.request_reconsideration, ReconsiderationInputSerializer)

    @document_schema("执法文书（docx）：行政处罚决定书、不予行政处罚决定书、责令停产停业整顿指令书、"
                     "涉嫌犯罪案件移送书（移送司法机关；仅政府用户）")
    @action(detail=True, methods=["get"], url_path="document", renderer_classes=FILE_RENDERERS, pagination_class=None, filter_backends=[])
    def document(self, request, pk=None):
        from .documents import render_decision, renderable

        decision = self.get_object()
        if not renderable(decision):
            raise Http404("该决定没有文书。")
        name, data = render_decision(decision)
        return send_document(request, data, name.removesuffix(".docx"), "enforcement_decision", decision)


class CreditListingSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = CreditListing
        fields = ["id", "enterprise", "enterprise_name", "reason", "start", "duration_months", "ends_on", "public", "status"]


class CreditListingViewSet(ScopedReadOnlyViewSet):
    serializer_class = CreditListingSerializer
    filterset_class = CreditListingFilter  # the credit list page's FilterSet

    def base_queryset(self):
        return CreditListing.objects.select_related("enterprise").order_by("-id")


class TypicalCaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = TypicalCase
        fields = ["id", "enterprise", "title", "summary", "dangerous_ops", "published_on", "withdrawn_on", "withdrawal_reason"]


class TypicalCaseViewSet(ScopedReadOnlyViewSet):
    serializer_class = TypicalCaseSerializer
    filterset_class = TypicalCaseFilter  # the typical-case page's FilterSet

    def base_queryset(self):
        return TypicalCase.objects.order_by("-id")


def credit_status_payload(enterprise) -> dict:
    s = rules.credit_status(enterprise)
    return {"code": s["code"], "label": s["label"], "bans": [b.get_term_display() for b in s["bans"]]}
