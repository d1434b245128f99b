"""REST API for obligation records: scoped reads, writes through the services (400 with
field and reason, 403 when the caller may not write for that enterprise)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from core.api import ScopedViewSetMixin, VisibleRecordField
from core.views import get_visible_or_404
from enterprises.models import Enterprise

from . import services
from .models import (
    MANAGERS_REFUSAL,
    PARTICIPANTS_REFUSAL,
    EmergencyDrill,
    Outsourcing,
    PrincipalCheck,
    ResponsibilityList,
    SafetyCostExtraction,
    SafetyOrganisation,
    SpecialWorker,
    WorkPermit,
)
from .summary import obligation_summary


class RecordSerializer(serializers.ModelSerializer):
    enterprise = VisibleRecordField(Enterprise, "单位")
    #: the service called on create; receives (actor, enterprise, **validated_data)
    service = None

    def create(self, validated_data):
        enterprise = validated_data.pop("enterprise")
        return type(self).service(self.context["request"].user, enterprise, **validated_data)


def _serializer(model, fields, service, extra=None):
    meta = type("Meta", (), {"model": model, "fields": ["id", "enterprise", *fields, "created_at"],
                             "read_only_fields": ["created_at"]})
    attrs = {"Meta": meta, "service": staticmethod(service), **(extra or {})}
    return type(f"{model.__name__}Serializer", (RecordSerializer,), attrs)


class FindingSerializer(serializers.Serializer):
    """One hazard a principal-led check found: the hazard registration API's own fields and checks
    (``hazards.api.HazardCreateSerializer``: grade 一般/重大, sector by code, basis_item id …),
    then every rule of ``hazards.services`` through ``services.record_principal_check``."""

    def get_fields(self):
        from hazards.api import HazardCreateSerializer

        fields = HazardCreateSerializer().get_fields()
        return {name: fields[name] for name in services.FINDING_FIELDS}

    def validate_basis_item(self, value):
        from hazards.api import HazardCreateSerializer

        return HazardCreateSerializer.validate_basis_item(self, value)


PrincipalCheckSerializer = _serializer(
    PrincipalCheck, ["kind", "held_on", "leader", "participants", "findings", "hazard_ids", "hazards"],
    services.record_principal_check,
    {"hazard_ids": serializers.ListField(read_only=True),
     "hazards": FindingSerializer(many=True, write_only=True, required=False,
                                  help_text="带队检查发现的隐患，每条登记入隐患台账（企业自查）")})
ListSerializer = _serializer(ResponsibilityList, ["kind", "title", "text", "issued_on"], services.add_responsibility_list)
def _money(label, **kwargs):
    return serializers.DecimalField(label=label, max_digits=16, decimal_places=2, min_value=0,
                                    max_value=SafetyCostExtraction.MAX_AMOUNT, **kwargs)


def _managers(label):
    return serializers.IntegerField(label=label, required=False, min_value=0, max_value=SafetyOrganisation.MAX_MANAGERS,
                                    error_messages={"min_value": MANAGERS_REFUSAL, "max_value": MANAGERS_REFUSAL})


StaffingSerializer = _serializer(SafetyOrganisation, ["has_institution", "institution_name", "full_time_managers",
                                                      "part_time_managers", "as_of"], services.set_safety_organisation,
                                 {"full_time_managers": _managers("专职安全管理人员"), "part_time_managers": _managers("兼职安全管理人员")})
WorkerSerializer = _serializer(SpecialWorker, ["name", "id_tail", "operation", "certificate_no", "issued_on",
                                               "reviewed_on", "expires_on", "review_due_on"], services.add_special_worker,
                               {"expires_on": serializers.DateField(read_only=True),
                                "review_due_on": serializers.DateField(read_only=True)})
PermitSerializer = _serializer(WorkPermit, ["kind", "operation", "number", "work_on", "location", "approved_by", "workers"],
                               services.add_work_permit, {"workers": VisibleRecordField(SpecialWorker, "特种作业人员", many=True)})
OutsourcingSerializer = _serializer(Outsourcing, ["kind", "counterpart", "scope", "qualification_ok", "agreement_signed",
                                                  "duties_defined", "unified_management", "start", "end", "chaotic"],
                                    services.add_outsourcing, {"chaotic": serializers.BooleanField(read_only=True)})
DrillSerializer = _serializer(EmergencyDrill, ["kind", "plan", "held_on", "scenario", "participants", "evaluation"],
                              services.add_drill,
                              {"participants": serializers.IntegerField(
                                  label="参演人数", min_value=1, max_value=EmergencyDrill.MAX_PARTICIPANTS,
                                  error_messages={"min_value": PARTICIPANTS_REFUSAL, "max_value": PARTICIPANTS_REFUSAL})})
CostSerializer = _serializer(SafetyCostExtraction, ["year", "industry", "category", "base", "ratio_percent", "amount",
                                                    "used_amount", "use", "required_amount", "below_required"],
                             services.add_cost_extraction,
                             {"year": serializers.IntegerField(label="年度", min_value=SafetyCostExtraction.FIRST_YEAR,
                                                               help_text="不早于2000年、不晚于今年"),
                              "required_amount": serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True),
                              "base": _money("计提依据（元）"), "amount": _money("提取金额（元）"),
                              "used_amount": _money("使用金额（元）", required=False),
                              "ratio_percent": serializers.DecimalField(
                                  label="企业提取比例（%）", max_digits=6, decimal_places=3, min_value=0, required=False, allow_null=True,
                                  max_value=SafetyCostExtraction.MAX_RATIO_PERCENT),
                              "below_required": serializers.BooleanField(read_only=True)})


def _viewset(model, serializer_class, doc):
    class RecordViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
        __doc__ = doc
        filterset_fields = ["enterprise"]

        def base_queryset(self):
            return model.objects.order_by("-id")

    RecordViewSet.serializer_class = serializer_class
    RecordViewSet.__name__ = f"{model.__name__}ViewSet"
    return RecordViewSet


PrincipalCheckViewSet = _viewset(PrincipalCheck, PrincipalCheckSerializer, "主要负责人带队检查和专题研究")
ListViewSet = _viewset(ResponsibilityList, ListSerializer, "安全生产责任清单（文本）")
StaffingViewSet = _viewset(SafetyOrganisation, StaffingSerializer, "安全管理机构和人员")
WorkerViewSet = _viewset(SpecialWorker, WorkerSerializer, "特种作业人员和证书")
PermitViewSet = _viewset(WorkPermit, PermitSerializer, "作业票（人员须持有效证书）")
OutsourcingViewSet = _viewset(Outsourcing, OutsourcingSerializer, "外包外租")
DrillViewSet = _viewset(EmergencyDrill, DrillSerializer, "应急演练")
CostViewSet = _viewset(SafetyCostExtraction, CostSerializer, "安全生产费用提取")


class SummarySerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    questions = serializers.DictField(child=serializers.BooleanField())
    items = serializers.ListField(child=serializers.DictField())
    due = serializers.IntegerField()
    overdue = serializers.IntegerField()


@extend_schema(responses=SummarySerializer)
@api_view(["GET"])
def summary(request, pk: int):
    """Due/overdue obligations and the dispatch-table section 二 answers for one enterprise."""
    enterprise = get_visible_or_404(Enterprise.objects, request.user, pk=pk)
    facts = obligation_summary(enterprise, timezone.localdate())
    return Response({k: (str(v) if k in ("today", "last_drill_on", "cost_shortfall") and v is not None else v)
                     for k, v in facts.items()})
