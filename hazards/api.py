"""REST API of the hazard ledger: scoped list / create / detail with the ledger's FilterSet, and
one endpoint per action: ``POST /api/v1/hazards/{id}/actions/{action}/`` (same guards as the pages)."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.response import Response

from accounts.models import Organisation, Sector
from core.api import MAX_ID, CodeRelatedField, PrebuiltFieldsMixin, ScopedViewSetMixin, VisibleRecordField
from core.api_http import already_done
from enterprises.models import Enterprise

from . import services, tallies, workflow
from .actions import available_for, merge_targets, report_departments, run_action
from .api_detail import AcceptanceSerializer, HazardDetailMoreMixin, PlanOutSerializer
from .disclosure import shown_channel
from .filters import HazardFilter
from .models import STATED_CATEGORIES, TEXT_LIMITS, Acceptance, ExtensionRequest, GovernancePlan, Hazard


class HazardSerializer(PrebuiltFieldsMixin, serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    sector_code = serializers.CharField(source="sector.code", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Hazard
        fields = ["id", "number", "enterprise", "enterprise_name", "sector", "sector_code", "description", "location",
                  "category", "grade", "basis_item", "basis_reason", "channel", "found_on", "deadline",
                  "original_deadline", "responsible_person", "status", "overdue", "reported_at", "closed_at",
                  "first_reported_at", "merged_into", "county_code", "township_code"]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()

    def to_representation(self, instance):
        """The channel as the caller may see it (hazards.disclosure: outside government a tip's
        举报核实 reads 部门检查)."""
        data = super().to_representation(instance)
        if "channel" in data:
            data["channel"] = shown_channel(data["channel"], getattr(self.context.get("request"), "user", None))
        return data


class HazardDetailSerializer(HazardSerializer):
    available_actions = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField(help_text="治理方案六要素（重大隐患；未提交为 null）")
    last_acceptance = serializers.SerializerMethodField(help_text="最近一次整改验收（含退回理由和下一步要求）")
    reported_to_name = serializers.CharField(source="reported_to.name", read_only=True, allow_null=True, default=None)

    class Meta(HazardSerializer.Meta):
        fields = HazardSerializer.Meta.fields + ["reported_to", "reported_to_name", "plan", "last_acceptance",
                                                 "available_actions"]
        read_only_fields = fields

    def get_available_actions(self, obj) -> list[str]:
        return available_for(self.context["request"].user, obj)

    @extend_schema_field(PlanOutSerializer(allow_null=True))
    def get_plan(self, obj):
        try:
            plan = obj.plan  # one-to-one: read with the hazard when the view selected it
        except GovernancePlan.DoesNotExist:
            return None
        return PlanOutSerializer(plan).data

    @extend_schema_field(AcceptanceSerializer(allow_null=True))
    def get_last_acceptance(self, obj):
        prefetched = getattr(obj, "_prefetched_objects_cache", {}).get("acceptances")
        if prefetched is not None:  # newest first (Acceptance.Meta.ordering), as the query below
            acc = next(iter(prefetched), None)
        else:
            acc = obj.acceptances.select_related("decided_by_org").first()
        return AcceptanceSerializer(acc).data if acc else None


class HazardCreateSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    enterprise = VisibleRecordField(Enterprise, "单位")
    sector = CodeRelatedField(queryset=Sector.objects.filter(is_active=True))
    description = serializers.CharField(max_length=TEXT_LIMITS["description"])
    grade = serializers.ChoiceField(choices=Hazard.Grade.choices)
    category = serializers.ChoiceField(choices=STATED_CATEGORIES, required=False,
                                       help_text="隐患类别；不填时记为“未注明”（不代为选择）")
    channel = serializers.ChoiceField(choices=Hazard.Channel.choices, required=False)
    location = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_LIMITS["location"])
    basis_item = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID,
                                          help_text="判定依据条款 id（重大隐患必填）")
    basis_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_LIMITS["basis_reason"])
    found_on = serializers.DateField(required=False)
    deadline = serializers.DateField(required=False, allow_null=True)
    responsible_person = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    responsible_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    stop_production = serializers.BooleanField(required=False, default=False)

    def validate_basis_item(self, value):
        if value is None:
            return None
        from standards.models import Item

        item = Item.objects.filter(pk=value).first()
        if item is None:
            raise serializers.ValidationError("判定依据条款不存在。")
        return item


# ---------------------------------------------------------------- one serializer per action
# (every input serializer here builds its fields once per class: core.api.PrebuiltFieldsMixin)

class ReportSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    """双报告 (安全生产法 art. 41): the first report names the competent department (with the workers'
    congress at once, or not); the congress report that may follow is the enterprise's report to its
    own 职工大会或者职工代表大会 — addressed to no department, so ``department`` is then left out (or
    is the one already reported to; another is refused by the service)."""

    department = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind="department"), required=False, allow_null=True, default=None,
        help_text="报告的主管部门：首次报告必填；已报告主管部门后补报职工代表大会时不填")
    to_congress = serializers.BooleanField(default=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_department(self, value):
        hazard = self.context["hazard"]
        if value is None or hazard.reported_at is not None:  # no department, or the congress report is what is left
            return value
        if not report_departments(hazard).filter(pk=value.pk).exists():
            raise serializers.ValidationError("报告部门须为属地主管部门。")
        return value


class PlanSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    goal_tasks = serializers.CharField(required=False, allow_blank=True, default="")
    measures = serializers.CharField(required=False, allow_blank=True, default="")
    funds_materials = serializers.CharField(required=False, allow_blank=True, default="")
    funds_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=0,
        max_value=GovernancePlan.MAX_FUNDS, help_text="治理资金（万元）",
        error_messages={"min_value": "治理资金不能为负数。", "max_value": f"治理资金不能超过{GovernancePlan.MAX_FUNDS}万元。"})
    responsible = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True)
    safety_emergency = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CloseNowSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    evidence_note = serializers.CharField()


class CompletionSerializer(CloseNowSerializer):
    assessment_report = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class AcceptSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    mode = serializers.ChoiceField(choices=Acceptance.Mode.choices, default=Acceptance.Mode.ON_SITE)
    opinion = serializers.CharField(required=False, allow_blank=True, default="")


class RejectSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    reason = serializers.CharField()
    next_steps = serializers.CharField(required=False, allow_blank=True, default="")
    mode = serializers.ChoiceField(choices=Acceptance.Mode.choices, default=Acceptance.Mode.ON_SITE)


class ExtensionSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    new_deadline = serializers.DateField()
    reason = serializers.CharField()


class DecideExtensionSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MergeSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    into = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="合并到的隐患 id（同一单位、未合并或作废）")
    reason = serializers.CharField()

    def validate_into(self, value):
        target = merge_targets(self.context["hazard"], self.context["request"].user).filter(pk=value).first()
        if target is None:
            raise serializers.ValidationError("目标隐患不存在、不是同一单位或已合并/作废。")
        return target


class ReasonSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    reason = serializers.CharField()


class ReopenSerializer(ReasonSerializer):
    deadline = serializers.DateField(required=False, allow_null=True)


class ClassifySerializer(PrebuiltFieldsMixin, serializers.Serializer):
    category = serializers.ChoiceField(choices=STATED_CATEGORIES, help_text="隐患类别（仅类别未注明的隐患可注明）")


class ReclassifySerializer(ReasonSerializer):
    category = serializers.ChoiceField(choices=STATED_CATEGORIES, help_text="更正后的隐患类别（仅已注明类别的隐患；须与原类别不同）")
    reason = serializers.CharField(help_text="更正理由")


ACTION_SERIALIZERS = {
    "report": ReportSerializer, "submit_plan": PlanSerializer, "close_now": CloseNowSerializer,
    "submit_completion": CompletionSerializer, "accept": AcceptSerializer, "reject": RejectSerializer,
    "request_extension": ExtensionSerializer, "decide_extension": DecideExtensionSerializer,
    "merge": MergeSerializer, "void": ReasonSerializer, "reopen": ReopenSerializer,
    "classify": ClassifySerializer, "reclassify": ReclassifySerializer,
}
assert set(ACTION_SERIALIZERS) == set(workflow.ACTIONS)


def _effect_there(hazard, action_name, data) -> bool:
    """Actions that keep the status: is the effect of this request already on record?"""
    data = data if isinstance(data, dict) else {}
    if action_name == "report":  # 双报告 to the same department (or none named: the one on record), and
        congress = data.get("to_congress", True) not in (False, "false", "False", "0", 0)  # to the congress when asked
        return (hazard.reported_at is not None and data.get("department") in (None, hazard.reported_to_id)
                and (hazard.reported_to_congress_at is not None or not congress))
    if action_name == "request_extension":  # a request is pending
        return hazard.extensions.filter(status=ExtensionRequest.Status.PENDING).exists()
    if action_name == "decide_extension":  # nothing pending; the last request was decided this way
        last = hazard.extensions.order_by("-requested_at", "-id").first()
        if last is None or last.status == ExtensionRequest.Status.PENDING or not isinstance(data.get("approve"), bool):
            return False
        return last.status == (ExtensionRequest.Status.APPROVED if data["approve"] else ExtensionRequest.Status.DENIED)
    if action_name in ("classify", "reclassify"):  # the class asked for is the one on record (classify: another one
        return bool(hazard.category) and data.get("category") == hazard.category  # is refused, 400)
    return False


class HazardViewSet(HazardDetailMoreMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    """隐患台账 — only hazards inside the caller's scope; other ids are 404."""

    filterset_class = HazardFilter
    queryset = Hazard.objects.none()  # for the schema; get_queryset scopes

    def base_queryset(self):
        qs = Hazard.objects.select_related("enterprise", "sector", "reported_to")
        if self.action == "perform_action":  # the answer shows the plan (one-to-one); see _after_action
            qs = qs.select_related("plan")
        return qs

    def known_total(self, request, filterset):
        """The list's total from the tallies when its filters allow (``tallies.filtered_total``), for
        the filterset the filter backend bound and validated (``KnownTotalPagination``)."""
        return tallies.filtered_total(request.user, filterset.form.cleaned_data) if filterset.is_valid() else None

    def get_serializer_class(self):
        if self.action == "create":
            return HazardCreateSerializer
        if self.action == "retrieve":
            return HazardDetailSerializer
        return HazardSerializer

    @extend_schema(request=HazardCreateSerializer, responses={201: HazardDetailSerializer})
    def create(self, request, *args, **kwargs):
        ser = HazardCreateSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        hazard = services.register_hazard(request.user, **ser.validated_data)
        # registered just now: no governance plan and no acceptance yet (relation caches instead of two queries)
        Hazard.plan.related.set_cached_value(hazard, None)
        hazard._prefetched_objects_cache = {"acceptances": Acceptance.objects.none()}
        return Response(HazardDetailSerializer(hazard, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="hazards_action",
        summary="办理隐患操作（双报告、治理方案、销号、验收、退回、延期、合并、作废、重新打开）",
        parameters=[OpenApiParameter("action_name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(workflow.ACTIONS),
                                     description="操作代码")],
        request=PolymorphicProxySerializer(component_name="HazardActionInput", serializers=list(ACTION_SERIALIZERS.values()),
                                           resource_type_field_name=None),
        responses={200: HazardDetailSerializer, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT,
                   404: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
    )
    @drf_action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)", filter_backends=[])
    def perform_action(self, request, pk=None, action_name=None):
        if action_name not in ACTION_SERIALIZERS:
            raise Http404("未知操作")
        hazard = self.get_object()
        target = workflow.TRANSITIONS[action_name].target if action_name in workflow.TRANSITIONS else None
        if (target is not None and hazard.status == target and action_name not in available_for(request.user, hazard)) \
                or _effect_there(hazard, action_name, request.data):
            already_done(HazardDetailSerializer(hazard, context={"request": request}).data)
        ser = ACTION_SERIALIZERS[action_name](data=request.data, context={"request": request, "hazard": hazard})
        ser.is_valid(raise_exception=True)
        linked = {name: getattr(hazard, name) for name in _LINKED}  # read with the hazard by get_object
        plan = Hazard.plan.related.get_cached_value(hazard, None)  # None: no plan (select_related caches that too)
        answered = _after_action(run_action(request.user, hazard, action_name, dict(ser.validated_data)), linked, plan)
        return Response(HazardDetailSerializer(answered, context={"request": request}).data)


#: the hazard's links the detail shows, read with it by ``HazardViewSet.base_queryset``
_LINKED = ("enterprise", "sector", "reported_to")


def _after_action(hazard: Hazard, linked: dict, plan=None) -> Hazard:
    """What the detail shows of ``hazard``, the row as the action left it (``services.run_action``
    re-reads it in its transaction): its plan — ``plan``, the one read with the hazard before the
    action (a plan is written once, by ``services.submit_plan`` on a hazard that has none, and never
    edited or deleted), or read now when there was none (治理方案 may have just written it); the
    enterprise, sector and reporting department read before the action are attached when the row
    still points at them (no hazard action edits those rows; 双报告 changes ``reported_to``, which is
    then read when shown). Narrower than reading the four tables again."""
    if plan is None:
        plan = GovernancePlan.objects.filter(hazard_id=hazard.pk).first()
    Hazard.plan.related.set_cached_value(hazard, plan)
    for name, obj in linked.items():
        field = Hazard._meta.get_field(name)
        if getattr(hazard, field.attname) == (obj.pk if obj is not None else None):
            field.set_cached_value(hazard, obj)
    return hazard
