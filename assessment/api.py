"""Assessment API (/api/v1/assessment-sets/, /api/v1/assessments/): scoped reads."""

from rest_framework import serializers
from rest_framework.decorators import action

from core.api import ScopedReadOnlyViewSet
from core.api_files import FILE_RENDERERS, document_schema, send_document

from .models import Assessment, IndicatorSet, Score


class AssessmentScoreSerializer(serializers.ModelSerializer):
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    final = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)

    class Meta:
        model = Score
        fields = ["id", "indicator", "indicator_name", "value", "score", "adjusted_score", "adjust_reason", "final",
                  "evidence"]


class UnitAssessmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    scores = AssessmentScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "indicator_set", "unit", "unit_name", "total", "rating", "veto_note", "rank", "scores"]


class IndicatorSetSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorSet
        fields = ["id", "year", "name", "organisation", "status", "excellent_min", "good_min", "pass_min"]


class IndicatorSetViewSet(ScopedReadOnlyViewSet):
    serializer_class = IndicatorSetSerializer

    def base_queryset(self):
        return IndicatorSet.objects.all()


class UnitAssessmentViewSet(ScopedReadOnlyViewSet):
    serializer_class = UnitAssessmentSerializer

    def base_queryset(self):
        return Assessment.objects.select_related("unit").prefetch_related("scores__indicator")

    @document_schema("考评报告（docx）")
    @action(detail=True, methods=["get"], url_path="document", renderer_classes=FILE_RENDERERS, pagination_class=None, filter_backends=[])
    def document(self, request, pk=None):
        from . import documents

        a = self.get_object()
        return send_document(request, documents.unit_report(a), f"assessment-{a.indicator_set.year}-{a.pk}",
                             "assessment_report", a)
