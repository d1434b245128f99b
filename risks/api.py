"""REST API for risk points, assessments and band tables (scoped; writes via the services)."""

from django.http import Http404
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action

from core.api import ScopedViewSetMixin, VisibleRecordField
from core.api_files import FILE_RENDERERS, document_schema, send_document
from enterprises.models import Enterprise

from . import services
from .filters import RiskPointFilter
from .models import Band, BandTable, Level, Method, RiskAssessment, RiskPoint


class RiskPointSerializer(serializers.ModelSerializer):
    enterprise = VisibleRecordField(Enterprise, "单位")
    level = serializers.ChoiceField(choices=Level.choices, allow_blank=True, read_only=True, help_text="当前等级；尚未评价为空")
    colour = serializers.CharField(read_only=True)

    class Meta:
        model = RiskPoint
        fields = ["id", "enterprise", "code", "name", "category", "location", "hazard_factors", "consequences",
                  "longitude", "latitude", "control_measures", "monitoring", "review_on", "responsible_unit",
                  "responsible_person", "responsible_phone", "supervising_department", "emergency_plan",
                  "emergency_resources", "level", "colour"]
        read_only_fields = ["level"]
        validators = []
        extra_kwargs = {"longitude": {"min_value": RiskPoint.LONGITUDE_RANGE[0], "max_value": RiskPoint.LONGITUDE_RANGE[1]},
                        "latitude": {"min_value": RiskPoint.LATITUDE_RANGE[0], "max_value": RiskPoint.LATITUDE_RANGE[1]}}

    def create(self, data):
        enterprise = data.pop("enterprise")
        return services.create_risk_point(self.context["request"].user, enterprise, **data)


class AssessmentSerializer(serializers.ModelSerializer):
    risk_point = VisibleRecordField(RiskPoint, "风险点")
    method = serializers.ChoiceField(choices=Method.choices)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    factor_l = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)
    factor_e = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)
    factor_c = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)
    factor_s = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)
    colour = serializers.CharField(read_only=True)

    class Meta:
        model = RiskAssessment
        fields = ["id", "risk_point", "method", "factor_l", "factor_e", "factor_c", "factor_s", "score", "band_table",
                  "level", "colour", "reason", "assessed_on"]
        read_only_fields = ["score", "band_table", "assessed_on"]

    def create(self, data):
        factors = {k: data[f"factor_{k}"] for k in "lecs" if data.get(f"factor_{k}") is not None}
        return services.assess(self.context["request"].user, data["risk_point"], method=data["method"], factors=factors,
                               level=data.get("level", ""), reason=data.get("reason", ""))


class BandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Band
        fields = ["level", "min_score"]


class BandTableSerializer(serializers.ModelSerializer):
    bands = BandSerializer(many=True, read_only=True)

    class Meta:
        model = BandTable
        fields = ["id", "method", "code", "version", "name", "source", "is_default", "bands"]


class RiskPointViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """风险点（按辖区和行业过滤）。"""

    serializer_class = RiskPointSerializer
    filterset_class = RiskPointFilter  # the risk list page's FilterSet

    def base_queryset(self):
        return RiskPoint.objects.order_by("id")

    @document_schema("风险告知卡（docx；已评估的风险点）")
    @action(detail=True, methods=["get"], url_path="document", renderer_classes=FILE_RENDERERS, pagination_class=None, filter_backends=[])
    def document(self, request, pk=None):
        from . import exports

        point = self.get_object()
        if not point.level:
            raise Http404("风险点尚未评估。")
        data = exports.notification_card(point, point.assessments.select_related("band_table").first())
        return send_document(request, data, f"risk-card-{point.pk}", "risk_card", point)


class AssessmentViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """风险评估（LEC / LS / 直接判定）。"""

    serializer_class = AssessmentSerializer
    filterset_fields = ["risk_point", "enterprise"]

    def base_queryset(self):
        return RiskAssessment.objects.order_by("-id")


class BandTableViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """分级标准（各版本）。"""

    serializer_class = BandTableSerializer

    def base_queryset(self):
        return BandTable.objects.prefetch_related("bands").order_by("method", "code", "version")
