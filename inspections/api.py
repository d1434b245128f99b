"""REST API for inspections: scoped reads; writes through the services (400 field+reason)."""

from django.contrib.auth import get_user_model
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ScopedViewSetMixin
from core.api_files import FILE_RENDERERS, document_schema, send_document
from core.api_http import settles
from enterprises.models import Enterprise

from . import documents, services
from .filters import RecordFilter, SpotCheckFilter
from .models import Draw, Plan, Record, RecordItem, ReviewBatch, SpotCheck, Visit


class VisibleEnterprise(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Enterprise.objects.visible_to(self.context["request"].user)


class PlanSerializer(serializers.ModelSerializer):
    done_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "department", "title", "year", "month", "high_risk_only", "standardisation_grades",
                  "planned_count", "max_per_enterprise", "done_count", "created_at"]


class DrawSerializer(serializers.ModelSerializer):
    class Meta:
        model = Draw
        fields = ["id", "plan", "seed", "enterprise_pool", "inspector_pool", "conflicts", "count", "per_enterprise",
                  "result", "superseded", "superseded_by", "redraw_reason", "created_at"]


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecordItem
        fields = ["id", "record", "standard_item", "key_item", "text", "result", "note", "grade", "deadline", "hazard"]


class RecordSerializer(serializers.ModelSerializer):
    enterprise = VisibleEnterprise()
    inspectors = serializers.PrimaryKeyRelatedField(many=True, queryset=get_user_model().objects.all(), write_only=True)
    signatures = serializers.SerializerMethodField()

    class Meta:
        model = Record
        fields = ["id", "enterprise", "organisation", "kind", "inspected_on", "location", "summary", "status",
                  "locked_at", "inspectors", "signatures"]
        read_only_fields = ["organisation", "status", "locked_at"]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_signatures(self, obj):
        return [{"user": ri.user_id, "signed_at": ri.signed_at} for ri in obj.inspectors.all()]

    def create(self, data):
        return services.create_record(self.context["request"].user, **data)


class SpotCheckSerializer(serializers.ModelSerializer):
    enterprise = VisibleEnterprise()
    answers = serializers.DictField(child=serializers.BooleanField(), write_only=True, required=False)
    notes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)

    class Meta:
        model = SpotCheck
        fields = ["id", "enterprise", "organisation", "checked_on", "answers", "notes", "q2_2", "q2_3", "q2_4", "q2_5",
                  "q2_6", "q2_6_via_permit_records", "q2_7", "q2_7_contractor_unqualified", "q2_7_no_agreement",
                  "q2_7_unclear_duties", "q2_7_not_unified", "q2_8", "q2_9"]
        read_only_fields = ["organisation", "q2_2", "q2_3", "q2_4", "q2_5", "q2_6", "q2_7", "q2_8", "q2_9"]

    def create(self, data):
        subs = {k.replace("q2_7_", ""): data.pop(k, False) for k in list(data) if k.startswith("q2_7_")}
        via = data.pop("q2_6_via_permit_records", False)
        return services.record_spot_check(self.context["request"].user, via_permit_records=via, **subs, **data)


class VisitSerializer(serializers.ModelSerializer):
    enterprise = VisibleEnterprise(required=False, allow_null=True)

    class Meta:
        model = Visit
        fields = ["id", "organisation", "kind", "visited_on", "township", "enterprise", "target_organisation", "content"]
        read_only_fields = ["organisation"]

    def create(self, data):
        return services.record_visit(self.context["request"].user, **data)


class PlanViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer

    def base_queryset(self):
        return Plan.objects.all()


class DrawViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = DrawSerializer

    def base_queryset(self):
        return Draw.objects.all()


class RecordViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RecordSerializer
    filterset_class = RecordFilter  # the inspections index page's FilterSet

    def base_queryset(self):
        return Record.objects.prefetch_related("inspectors")

    @action(detail=True, methods=["post"], url_path="answer-remaining")
    @settles(lambda rec, r: not rec.items.filter(result=RecordItem.Result.PENDING).exists())
    def answer_remaining(self, request, pk=None):
        """State that every checklist line not yet answered conforms (符合)."""
        rec = self.get_object()
        count = services.answer_remaining(request.user, rec)
        return Response({"answered": count})

    @document_schema("现场检查记录（docx）")
    @action(detail=True, methods=["get"], url_path="documents/record", renderer_classes=FILE_RENDERERS, pagination_class=None, filter_backends=[])
    def record_document(self, request, pk=None):
        rec = self.get_object()
        return send_document(request, documents.record_docx(rec), f"现场检查记录-{rec.number}", "inspection_record", rec)

    @document_schema("责令限期整改指令书（docx；检查结论为隐患的条目）", parameters=[OpenApiParameter(
        "item_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="检查条目（结论为隐患）")])
    @action(detail=True, methods=["get"], url_path=r"documents/orders/(?P<item_pk>[0-9]+)", renderer_classes=FILE_RENDERERS, pagination_class=None, filter_backends=[])
    def order_document(self, request, pk=None, item_pk=None):
        rec = self.get_object()
        item = rec.items.filter(pk=item_pk, result=RecordItem.Result.HAZARD).first()
        if item is None:
            raise Http404("没有该隐患条目。")
        return send_document(request, documents.order_docx(rec, item), f"责令限期整改指令书-{rec.number}-{item.pk}",
                             "inspection_order", rec)

    @action(detail=True, methods=["post"])
    @settles(lambda rec, r: rec.inspectors.filter(user=r.user, signed_at__isnull=False).exists())
    def sign(self, request, pk=None):
        rec = services.sign(request.user, self.get_object())
        return Response(RecordSerializer(rec, context={"request": request}).data)


class FindingViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ItemSerializer

    def base_queryset(self):
        return RecordItem.objects.filter(result=RecordItem.Result.HAZARD)


class SpotCheckViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SpotCheckSerializer
    filterset_class = SpotCheckFilter  # the spot-check page's FilterSet

    def base_queryset(self):
        return SpotCheck.objects.all()


class VisitViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = VisitSerializer

    def base_queryset(self):
        return Visit.objects.all()


class ReviewBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewBatch
        fields = ["id", "organisation", "title", "created_at"]


class ReviewBatchViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """整改复查批次（复查单位所在辖区）。"""

    serializer_class = ReviewBatchSerializer

    def base_queryset(self):
        return ReviewBatch.objects.order_by("-created_at", "-id")

    @document_schema("整改复查意见书（docx）")
    @action(detail=True, methods=["get"], url_path="document", renderer_classes=FILE_RENDERERS, pagination_class=None, filter_backends=[])
    def document(self, request, pk=None):
        batch = self.get_object()
        return send_document(request, documents.review_docx(batch), f"整改复查意见书-{batch.pk}", "inspection_review", batch)
