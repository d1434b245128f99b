"""Accident API (/api/v1/accidents/): scoped reads, the report, 补报 and the investigation
steps. Every write calls one service; refusals come back as 400/403 with field + reason."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.models import Sector
from accounts.permissions import is_enterprise_user, is_government
from core.api import ScopedReadOnlyViewSet, VisibleRecordField
from core.api_http import settles
from enterprises.models import Enterprise
from regions.models import Region

from . import services, workflow
from .filters import AccidentFilter, LessonCheckFilter
from .models import CHAPTER_MAX, REPORTABLE_TYPES, TEXT_BOUNDS, Accident, Investigation, LessonCheck, Measure

#: the API's refusals of a missing or unknown 事故类别 (the service says the same for other callers)
TYPE_ERRORS = {"required": "请选择事故类别。", "null": "请选择事故类别。", "blank": "请选择事故类别。",
               "invalid_choice": "事故类别“{input}”无效，请从列表中选择。"}


def _inv(accident):
    return Investigation.objects.filter(accident_id=accident.pk).first()


def _same_figures(accident, request) -> bool:
    """补报 with the figures already on record: the effect is there."""
    from decimal import Decimal, InvalidOperation

    d = request.data if isinstance(request.data, dict) else {}
    try:
        return (int(d.get("deaths")) == accident.deaths and int(d.get("injuries")) == accident.injuries
                and Decimal(str(d.get("loss"))) == accident.loss)
    except (TypeError, ValueError, InvalidOperation):
        return False


class MeasureSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = ["id", "problem", "content", "owner_org", "owner_name", "deadline", "status", "overdue"]

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class AccidentSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    sector_code = serializers.CharField(source="sector.code", read_only=True)
    accident_type_label = serializers.CharField(source="get_accident_type_display", read_only=True, label="事故类别（中文）")
    flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)
    investigation = serializers.SerializerMethodField()

    class Meta:
        model = Accident
        fields = ["id", "number", "status", "grade", "occurred_at", "learned_at", "reported_at", "report_due_at",
                  "township_code", "county_code", "place", "enterprise", "enterprise_name", "sector_code", "accident_type",
                  "accident_type_label", "deaths",
                  "injuries", "loss", "summary", "source", "flags", "supplement_until", "investigation_due",
                  "approval_due", "evaluation_due", "investigation", "measures"]

    def to_representation(self, instance):
        """报告来源 as the caller may see it: "tip" reads "government" outside government
        (hazards.disclosure; RULES.md §1 nothing passed to the reported party)."""
        from hazards.disclosure import shown_accident_source

        data = super().to_representation(instance)
        if "source" in data:
            data["source"] = shown_accident_source(data["source"], getattr(self.context.get("request"), "user", None))
        return data

    def get_investigation(self, obj) -> dict | None:
        inv = getattr(obj, "investigation", None)
        if inv is None:
            return None
        return {"level": inv.level, "authority_name": inv.authority_name, "leader_name": inv.leader_name,
                "extension_days": inv.extension_days, "escalated": inv.escalated, "supervised": inv.supervised,
                "report_submitted_on": inv.report_submitted_on, "approved_on": inv.approved_on}


class AccidentReportSerializer(serializers.Serializer):
    enterprise = VisibleRecordField(Enterprise, "单位", required=False, allow_null=True)
    enterprise_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_BOUNDS["enterprise_name"])
    township_code = serializers.CharField(required=False, allow_blank=True, default="", max_length=Region._meta.get_field("code").max_length)
    sector_code = serializers.CharField(max_length=Sector._meta.get_field("code").max_length)
    accident_type = serializers.ChoiceField(
        choices=REPORTABLE_TYPES, error_messages=TYPE_ERRORS, label="事故类别",
        help_text="GB 6441-1986 的类别或 road_traffic（道路交通事故）；决定伤亡人数补报期限（道路交通、火灾7日，其他30日）")
    place = serializers.CharField(max_length=TEXT_BOUNDS["place"])
    occurred_at = serializers.DateTimeField()
    learned_at = serializers.DateTimeField()
    deaths = serializers.IntegerField(min_value=0, max_value=Accident.MAX_CASUALTIES, default=0)
    injuries = serializers.IntegerField(min_value=0, max_value=Accident.MAX_CASUALTIES, default=0)
    loss = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, default=0)
    summary = serializers.CharField()


class AccidentClassifySerializer(serializers.Serializer):
    accident_type = serializers.ChoiceField(choices=REPORTABLE_TYPES, error_messages=TYPE_ERRORS, label="事故类别")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_BOUNDS["classify_note"])


class AccidentReclassifySerializer(serializers.Serializer):
    accident_type = serializers.ChoiceField(choices=REPORTABLE_TYPES, error_messages=TYPE_ERRORS, label="更正后的事故类别")
    reason = serializers.CharField(label="更正理由", max_length=TEXT_BOUNDS["reclassify_reason"])


class SupplementSerializer(serializers.Serializer):
    deaths = serializers.IntegerField(min_value=0, max_value=Accident.MAX_CASUALTIES)
    injuries = serializers.IntegerField(min_value=0, max_value=Accident.MAX_CASUALTIES)
    loss = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    note = serializers.CharField(max_length=TEXT_BOUNDS["supplement_note"])


class TeamSerializer(serializers.Serializer):
    leader_name = serializers.CharField(max_length=TEXT_BOUNDS["leader_name"])
    members = serializers.CharField()


class ExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, help_text="延长天数（条例第二十九条：最长不超过规则表所定天数）")
    reason = serializers.CharField(max_length=TEXT_BOUNDS["extend_reason"])


class EscalationSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_BOUNDS["escalate_reason"])


class ChapterSerializer(serializers.Serializer):
    cause = serializers.CharField()
    nature = serializers.CharField(max_length=TEXT_BOUNDS["nature"])
    technical_chapter = serializers.CharField(max_length=CHAPTER_MAX)
    management_chapter = serializers.CharField(max_length=CHAPTER_MAX)


class ReportApprovalSerializer(serializers.Serializer):
    doc_no = serializers.CharField(max_length=TEXT_BOUNDS["doc_no"])
    text = serializers.CharField()


class EvaluationSerializer(serializers.Serializer):
    rectification = serializers.CharField(max_length=CHAPTER_MAX)
    prevention = serializers.CharField(max_length=CHAPTER_MAX)
    handling = serializers.CharField(max_length=CHAPTER_MAX)
    conclusion = serializers.CharField(max_length=CHAPTER_MAX)


class AccidentViewSet(ScopedReadOnlyViewSet):
    serializer_class = AccidentSerializer
    filterset_class = AccidentFilter  # the list page's FilterSet

    def base_queryset(self):
        return Accident.objects.select_related("sector", "investigation").prefetch_related("measures")

    @extend_schema(request=AccidentReportSerializer, responses={201: AccidentSerializer})
    def create(self, request):
        user = request.user
        if not (is_government(user) or is_enterprise_user(user)):
            raise PermissionDenied("您无权报告事故。")
        ser = AccidentReportSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        sector = Sector.objects.filter(code=d["sector_code"]).first()
        if sector is None:
            raise serializers.ValidationError({"sector_code": ["行业领域无效。"]})
        # a unit out of the caller's scope (or none) was a 404 already (VisibleRecordField), as its page
        ent = user.membership.organisation.enterprise if is_enterprise_user(user) else d.get("enterprise")
        region = ent.region if ent else Region.objects.filter(code=d["township_code"], level="township").first()
        accident = services.report_accident(
            user, region=region, place=d["place"], enterprise=ent, enterprise_name=d["enterprise_name"], sector=sector,
            accident_type=d["accident_type"], occurred_at=d["occurred_at"], learned_at=d["learned_at"], deaths=d["deaths"], injuries=d["injuries"],
            loss=d["loss"], summary=d["summary"])
        return Response(AccidentSerializer(accident).data, status=status.HTTP_201_CREATED)

    def _act(self, request, serializer_cls, fn):
        accident = self.get_object()
        ser = serializer_cls(data=request.data)
        ser.is_valid(raise_exception=True)
        fn(accident, ser.validated_data)
        return Response(AccidentSerializer(self.base_queryset().get(pk=accident.pk)).data)

    @extend_schema(request=SupplementSerializer, responses=AccidentSerializer, summary="补报伤亡人数（补报期限内）")
    @action(detail=True, methods=["post"])
    @settles(_same_figures)
    def supplement(self, request, pk=None):
        return self._act(request, SupplementSerializer, lambda a, d: services.update_casualties(request.user, a, **d))

    # 补录事故类别 of a report filed before the type existed (未填写); recomputes the 补报 window
    @extend_schema(request=AccidentClassifySerializer, responses=AccidentSerializer,
                   summary="补录事故类别（仅限事故类别为“未填写”的早期报告），并按类别重新计算伤亡人数补报截止日期")
    @action(detail=True, methods=["post"])
    @settles(lambda a, r: bool(a.accident_type))
    def classify(self, request, pk=None):
        return self._act(request, AccidentClassifySerializer, lambda a, d: services.classify_accident(request.user, a, **d))

    # 更正事故类别 by the investigating government until the report is approved; recomputes the window
    @extend_schema(request=AccidentReclassifySerializer, responses=AccidentSerializer,
                   summary="更正事故类别（负责事故调查的单位，调查报告批复前），并按新类别重新计算伤亡人数补报截止日期")
    @action(detail=True, methods=["post"])
    @settles(lambda a, r: isinstance(r.data, dict) and bool(a.accident_type) and a.accident_type == r.data.get("accident_type"))
    def reclassify(self, request, pk=None):
        return self._act(request, AccidentReclassifySerializer,
                         lambda a, d: services.reclassify_accident(request.user, a, **d))

    @extend_schema(request=TeamSerializer, responses=AccidentSerializer, summary="成立事故调查组")
    @action(detail=True, methods=["post"], url_path="start-investigation")
    @settles(lambda a, r: _inv(a) is not None)
    def start_investigation(self, request, pk=None):
        return self._act(request, TeamSerializer, lambda a, d: services.start_investigation(request.user, a, **d))

    @extend_schema(request=ExtendSerializer, responses=AccidentSerializer, summary="延长事故调查期限（一次）")
    @action(detail=True, methods=["post"], url_path="extend-investigation")
    @settles(lambda a, r: bool(getattr(_inv(a), "extension_days", 0)))
    def extend_investigation(self, request, pk=None):
        return self._act(request, ExtendSerializer, lambda a, d: services.extend_investigation(request.user, a, **d))

    @extend_schema(request=EscalationSerializer, responses=AccidentSerializer, summary="提级调查")
    @action(detail=True, methods=["post"])
    @settles(lambda a, r: bool(getattr(_inv(a), "escalated", False)))
    def escalate(self, request, pk=None):
        return self._act(request, EscalationSerializer, lambda a, d: services.escalate(request.user, a, **d))

    @extend_schema(request=ChapterSerializer, responses=AccidentSerializer, summary="提交事故调查报告")
    @action(detail=True, methods=["post"], url_path="submit-report")
    @settles(lambda a, r: getattr(_inv(a), "report_submitted_on", None) is not None)
    def submit_report(self, request, pk=None):
        return self._act(request, ChapterSerializer, lambda a, d: services.submit_report(request.user, a, **d))

    @extend_schema(request=ReportApprovalSerializer, responses=AccidentSerializer, summary="批复事故调查报告")
    @action(detail=True, methods=["post"])
    @settles(lambda a, r: getattr(_inv(a), "approved_on", None) is not None)
    def approve(self, request, pk=None):
        return self._act(request, ReportApprovalSerializer, lambda a, d: services.approve(request.user, a, **d))

    @extend_schema(request=EvaluationSerializer, responses=AccidentSerializer, summary="发布事故整改和防范措施落实情况评估")
    @action(detail=True, methods=["post"], url_path="publish-evaluation")
    @settles(lambda a, r: a.status == workflow.EVALUATED)
    def publish_evaluation(self, request, pk=None):
        return self._act(request, EvaluationSerializer, lambda a, d: services.publish_evaluation(request.user, a, **d))


class MeasureNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MeasureViewSet(ScopedReadOnlyViewSet):
    """/api/v1/accident-measures/: exposed-problem measures, with submit / accept / reject."""

    serializer_class = MeasureSerializer

    def base_queryset(self):
        return Measure.objects.select_related("accident")

    def _act(self, request, fn):
        m = self.get_object()
        ser = MeasureNoteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        fn(request.user, m, note=ser.validated_data["note"])
        m.refresh_from_db()  # the measure get_object() found in scope, as the service left it
        return Response(MeasureSerializer(m).data)

    @extend_schema(request=MeasureNoteSerializer, responses=MeasureSerializer, summary="提交整改措施落实情况")
    @action(detail=True, methods=["post"])
    @settles(lambda m, r: m.status == workflow.M_PENDING)
    def submit(self, request, pk=None):
        return self._act(request, services.submit_measure)

    @extend_schema(request=MeasureNoteSerializer, responses=MeasureSerializer, summary="验收通过整改措施")
    @action(detail=True, methods=["post"])
    @settles(lambda m, r: m.status == workflow.M_CLOSED)
    def accept(self, request, pk=None):
        return self._act(request, services.accept_measure)

    @extend_schema(request=MeasureNoteSerializer, responses=MeasureSerializer, summary="退回整改措施")
    @action(detail=True, methods=["post"])
    @settles(lambda m, r: m.status == workflow.M_OPEN and bool(m.review_note))  # returned, not yet resubmitted
    def reject(self, request, pk=None):
        return self._act(request, services.reject_measure)




class LessonCheckSerializer(serializers.ModelSerializer):
    targets = serializers.SerializerMethodField()

    class Meta:
        model = LessonCheck
        fields = ["id", "accident", "title", "checklist", "deadline", "status", "targets"]

    def get_targets(self, obj) -> list[dict]:
        return [{"enterprise": t.enterprise_id, "status": t.status, "note": t.note,
                 "hazards": [h.pk for h in t.hazards.all()]} for t in obj.targets.all()]


class LessonCheckViewSet(ScopedReadOnlyViewSet):
    """/api/v1/accident-lesson-checks/: 举一反三 checks (government users of the region)."""

    serializer_class = LessonCheckSerializer
    filterset_class = LessonCheckFilter  # the list page's FilterSet

    def base_queryset(self):
        return LessonCheck.objects.prefetch_related("targets__hazards")
