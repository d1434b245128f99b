"""The rest of the hazard as the detail page shows it, as API operations: plan, acceptance
history, extension requests, sources, timeline, attachments (multipart upload, download),
departments a 双报告 may go to, and the ledger export (xlsx, the page's FilterSet).

Export: ``ledger_export`` answers small sets at once (``hazards.exports.ledger_workbook``, up to
``settings.API_EXPORT_SYNC_MAX_ROWS`` rows); larger sets answer 202 with the page's export job
(``hazards.export``, the same FilterSet and rows), polled at /api/v1/jobs/{id}/.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.models import Organisation
from core.api import PrebuiltFieldsMixin
from core.api_files import FILE_RENDERERS, FileRenderer, document_schema, send_document
from core.api_http import already_done
from core.events import events_for
from core.files import open_stored
from core.models import SecurityLog
from core.security import log_security
from core.services import StaleState
from jobs.api import JobSerializer

from . import acting, services, site_orders, workflow
from .actions import report_departments
from .disclosure import sees_tip_channel, shown_channel
from .evidence import add_attachment, check_upload
from .exports import XLSX_TYPE, ledger_workbook
from .models import Acceptance, Attachment, CompulsoryMeasure, ExtensionRequest, GovernancePlan, HazardSource, SiteOrder


class PlanOutSerializer(PrebuiltFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = GovernancePlan
        fields = ["goal_tasks", "measures", "funds_materials", "funds_amount", "responsible", "deadline",
                  "safety_emergency", "created_at"]


class AcceptanceSerializer(PrebuiltFieldsMixin, serializers.ModelSerializer):
    decided_by_org_name = serializers.CharField(source="decided_by_org.name", read_only=True, allow_null=True,
                                                default=None)

    class Meta:
        model = Acceptance
        fields = ["id", "submitted_at", "evidence_note", "assessment_report", "decision", "mode", "decided_at",
                  "decided_by_org", "decided_by_org_name", "reason", "next_steps"]


class ExtensionOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionRequest
        fields = ["id", "requested_at", "reason", "old_deadline", "requested_deadline", "status", "decided_at",
                  "decision_note"]


class CompulsoryMeasureOutSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True, help_text="文号（强制措施通知书）")
    measures = serializers.ListField(child=serializers.CharField(), read_only=True,
                                     help_text="强制措施（安全生产法第七十条的用语：停止供电、停止供应民用爆炸物品，及其他措施）")
    decided_by_org_name = serializers.CharField(source="decided_by_org.name", read_only=True)

    class Meta:
        model = CompulsoryMeasure
        fields = ["id", "number", "stop_power", "stop_explosives", "other_measures", "measures", "notified_units",
                  "defiance", "danger", "decided_on", "approved_by_name", "decided_by_org", "decided_by_org_name",
                  "enterprise_notified_at", "takes_effect_at", "emergency", "emergency_reason", "lifted_on", "lift_note"]


class SiteOrderOutSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True, help_text="文号（现场处理措施决定书）")
    measures = serializers.ListField(child=serializers.CharField(), read_only=True,
                                     help_text="责令的措施（安全生产法第六十五条第一款第（三）项的用语）")
    ordered_by_org_name = serializers.CharField(source="ordered_by_org.name", read_only=True)
    document = serializers.SerializerMethodField(help_text="现场处理措施决定书下载地址（页面，须登录，按管辖范围）")
    compulsory_measures = CompulsoryMeasureOutSerializer(many=True, read_only=True,
                                                         help_text="拒不执行时采取的强制措施（安全生产法第七十条）及其解除")

    class Meta:
        model = SiteOrder
        fields = ["id", "number", "withdraw_workers", "halt", "stop_use", "facilities", "measures", "reason",
                  "ordered_on", "ordered_by_org", "ordered_by_org_name", "lifted_on", "lift_opinion", "document",
                  "compulsory_measures"]

    def get_document(self, obj) -> str:
        return f"/hazards/{obj.hazard_id}/site-orders/{obj.pk}/document.docx"


class SiteOrderInSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    """责令采取现场处理措施 (安全生产法 第六十五条第一款第（三）项), checked by ``services.order_site_measures``."""

    withdraw_workers = serializers.BooleanField(default=False, help_text="责令从危险区域内撤出作业人员")
    halt = serializers.BooleanField(default=False, help_text="责令暂时停产停业")
    stop_use = serializers.BooleanField(default=False, help_text="责令停止使用相关设施、设备（须写明 facilities）")
    facilities = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                       help_text="停止使用的设施、设备")
    reason = serializers.CharField(max_length=2000, help_text="重大事故隐患排除前或者排除过程中无法保证安全的情形")
    ordered_on = serializers.DateField(required=False, help_text="决定日期（缺省为今天；不能晚于今天，不能早于隐患发现日期）")


class SiteOrderLiftSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    """经审查同意，恢复生产经营和使用 (the hazard 销号 first), checked by ``services.lift_site_order``."""

    opinion = serializers.CharField(max_length=2000, help_text="审查意见")
    lifted_on = serializers.DateField(required=False,
                                      help_text="解除日期（缺省为今天；不能晚于今天，不能早于措施决定日期和隐患销号日期）")


class CompulsoryMeasureInSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    """强制措施 (安全生产法 第七十条) against a unit defying a 现场处理措施 or a 责令停产停业整顿, checked by
    ``hazards.site_orders.compulsion_fields`` (through ``take_compulsory_measures`` / ``take_suspension_measures``)."""

    stop_power = serializers.BooleanField(default=False, help_text="通知有关单位停止供电")
    stop_explosives = serializers.BooleanField(default=False, help_text="通知有关单位停止供应民用爆炸物品")
    other_measures = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                           help_text="其他强制措施")
    notified_units = serializers.CharField(max_length=200, help_text="书面通知的有关单位（如供电企业、民用爆炸物品供应单位）")
    defiance = serializers.CharField(max_length=2000, help_text="生产经营单位拒不执行决定的情形")
    danger = serializers.CharField(max_length=2000, help_text="有发生生产安全事故的现实危险")
    enterprise_notified_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None,
        help_text="通知生产经营单位的时间（停止供电须提前二十四小时通知，紧急情形除外；不能晚于现在和措施实施时间）")
    takes_effect_at = serializers.DateTimeField(help_text="措施实施时间（不能早于批准日期）")
    emergency = serializers.BooleanField(default=False, help_text="有危及生产安全的紧急情形（停止供电可不提前通知）")
    emergency_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                             help_text="紧急情形（emergency 为 true 时必填）")
    decided_on = serializers.DateField(required=False,
                                       help_text="主要负责人批准日期（缺省为今天；不能晚于今天，不能早于所执行的决定——现场处理措施或责令停产停业整顿——的日期）")


class CompulsoryLiftSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    """及时解除 once the unit complies and eliminates the hazard, checked by ``services.lift_compulsory_measures``."""

    note = serializers.CharField(max_length=2000, help_text="生产经营单位履行决定、消除事故隐患的情况")
    lifted_on = serializers.DateField(required=False, help_text="解除日期（缺省为今天；不能晚于今天，不能早于批准日期）")


class SourceSerializer(serializers.ModelSerializer):
    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["channel"] = shown_channel(data["channel"], getattr(self.context.get("request"), "user", None))
        return data

    class Meta:
        model = HazardSource
        fields = ["id", "channel", "reference", "note", "reported_at"]


class AttachmentSerializer(PrebuiltFieldsMixin, serializers.ModelSerializer):
    download = serializers.SerializerMethodField(help_text="下载地址（须登录，按管辖范围）")

    class Meta:
        model = Attachment
        fields = ["id", "kind", "original_name", "content_type", "size", "sha256", "exif_time", "exif_gps",
                  "uploaded_at", "download"]

    def get_download(self, obj) -> str:
        return f"/api/v1/hazards/{obj.hazard_id}/attachments/{obj.pk}/download/"


class EventSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    verb = serializers.CharField()
    actor_name = serializers.CharField()
    actor_org_name = serializers.CharField(source="actor_org.name", allow_null=True, default=None)
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    note = serializers.CharField()


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "province_code", "city_code", "county_code"]


class UploadSerializer(PrebuiltFieldsMixin, serializers.Serializer):
    evidence = serializers.FileField(help_text="JPG / PNG 图片或 PDF（按内容识别，有大小限制）")
    kind = serializers.ChoiceField(choices=Attachment.Kind.choices, default=Attachment.Kind.EVIDENCE)


def _may_order(user, hazard) -> None:
    """现场处理措施 are ordered and lifted by the department competent for the hazard (403 for anyone
    else who sees it), as on the page."""
    if not site_orders.can_order(user, hazard):
        raise PermissionDenied("只有负责该隐患的行业主管部门可以责令采取或解除现场处理措施。")


def _visible_order(hazard, order_pk) -> SiteOrder:
    """An order of the visible hazard (404 otherwise), its measures prefetched."""
    order = hazard.site_orders.filter(pk=order_pk).prefetch_related("compulsory_measures__decided_by_org").first()
    if order is None:
        raise Http404
    order.hazard = hazard
    return order


def _measure_out(measure: CompulsoryMeasure) -> dict:
    return CompulsoryMeasureOutSerializer(CompulsoryMeasure.objects.select_related("decided_by_org").get(
        pk=measure.pk)).data


def lift_answer(request, row, body, lift, current) -> Response:
    """Lift ``row`` (a 现场处理措施 or a 强制措施) with the checked ``body``: lifted already — or meanwhile by
    someone else (``StaleState``) — answers 409 ``already_done`` with ``current()``, the row as stored."""
    if row.lifted_on is not None:
        already_done(current())
    ser = body(data=request.data)
    ser.is_valid(raise_exception=True)
    try:
        lift(request.user, row, **ser.validated_data)
    except StaleState:  # lifted meanwhile by someone else: that is done too
        already_done(current())
    return Response(current())


class HazardDetailMoreMixin:
    """Extra read and upload operations of HazardViewSet (``self.get_object`` scopes: 404 outside)."""

    @extend_schema(responses=EventSerializer(many=True), summary="办理经过（时间线）")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def timeline(self, request, pk=None):
        hazard = self.get_object()
        return Response(EventSerializer(events_for(hazard).select_related("actor_org"), many=True).data)

    @extend_schema(responses=AcceptanceSerializer(many=True), summary="整改验收记录（含退回理由、下一步要求）")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def acceptances(self, request, pk=None):
        hazard = self.get_object()
        return Response(AcceptanceSerializer(hazard.acceptances.select_related("decided_by_org"), many=True).data)

    @extend_schema(responses=ExtensionOutSerializer(many=True), summary="延期申请")
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def extensions(self, request, pk=None):
        return Response(ExtensionOutSerializer(self.get_object().extensions.all(), many=True).data)

    @extend_schema(methods=["get"], responses=SiteOrderOutSerializer(many=True),
                   summary="现场处理措施（撤出作业人员、暂时停产停业、停止使用设施设备）及其解除")
    @extend_schema(methods=["post"], request=SiteOrderInSerializer, responses={201: SiteOrderOutSerializer},
                   summary="责令采取现场处理措施（负有监管职责的主管部门；尚未销号的重大事故隐患，每个隐患同时只有一项未解除）")
    @action(detail=True, methods=["get", "post"], url_path="site-orders", pagination_class=None, filter_backends=[])
    def site_orders(self, request, pk=None):
        hazard = self.get_object()
        if request.method == "GET":
            orders = hazard.site_orders.select_related("ordered_by_org", "hazard").prefetch_related(
                "compulsory_measures__decided_by_org", "compulsory_measures__site_order__hazard")
            return Response(SiteOrderOutSerializer(orders, many=True).data)
        _may_order(request.user, hazard)
        in_force = site_orders.open_site_order(hazard)
        if in_force is not None:  # the measures are in force already: answered with them
            already_done(SiteOrderOutSerializer(in_force).data, "该隐患已有未解除的现场处理措施（附当前措施）。")
        ser = SiteOrderInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        order = services.order_site_measures(request.user, hazard, **ser.validated_data)
        return Response(SiteOrderOutSerializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SiteOrderLiftSerializer, responses=SiteOrderOutSerializer,
                   summary="解除现场处理措施（重大事故隐患验收销号后，经审查同意恢复生产经营和使用）")
    @action(detail=True, methods=["post"], url_path=r"site-orders/(?P<order_pk>[0-9]+)/lift", pagination_class=None,
            filter_backends=[])
    def lift_site_order(self, request, pk=None, order_pk=None):
        hazard = self.get_object()
        order = _visible_order(hazard, order_pk)
        _may_order(request.user, hazard)
        return lift_answer(request, order, SiteOrderLiftSerializer, services.lift_site_order,
                       lambda: SiteOrderOutSerializer(hazard.site_orders.get(pk=order.pk)).data)

    @extend_schema(request=CompulsoryMeasureInSerializer, responses={201: CompulsoryMeasureOutSerializer},
                   summary="采取强制措施（安全生产法第七十条：生产经营单位拒不执行暂时停产停业或者停止使用的决定，"
                           "经本部门主要负责人批准，通知有关单位停止供电、停止供应民用爆炸物品等；由主要负责人办理）")
    @action(detail=True, methods=["post"], url_path=r"site-orders/(?P<order_pk>[0-9]+)/compulsory-measures",
            pagination_class=None, filter_backends=[])
    def compulsory_measures(self, request, pk=None, order_pk=None):
        hazard = self.get_object()
        order = _visible_order(hazard, order_pk)
        _may_order(request.user, hazard)
        if not site_orders.may_approve_compulsion(request.user, hazard):
            raise PermissionDenied(site_orders.PRINCIPAL_ONLY)
        in_force = next((m for m in order.compulsory_measures.all() if m.lifted_on is None), None)
        if in_force is not None:  # taken already: answered with the measures in force
            already_done(CompulsoryMeasureOutSerializer(in_force).data, "该现场处理措施已有未解除的强制措施（附当前措施）。")
        ser = CompulsoryMeasureInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        measure = services.take_compulsory_measures(request.user, order, **ser.validated_data)
        return Response(_measure_out(measure), status=status.HTTP_201_CREATED)

    @extend_schema(request=CompulsoryLiftSerializer, responses=CompulsoryMeasureOutSerializer,
                   summary="解除强制措施（生产经营单位依法履行行政决定、采取相应措施消除事故隐患的，及时解除）")
    @action(detail=True, methods=["post"],
            url_path=r"site-orders/(?P<order_pk>[0-9]+)/compulsory-measures/(?P<measure_pk>[0-9]+)/lift",
            pagination_class=None, filter_backends=[])
    def lift_compulsory_measures(self, request, pk=None, order_pk=None, measure_pk=None):
        hazard = self.get_object()
        order = _visible_order(hazard, order_pk)
        measure = next((m for m in order.compulsory_measures.all() if m.pk == int(measure_pk)), None)
        if measure is None:  # a measure of the visible order, else 404
            raise Http404
        _may_order(request.user, hazard)
        measure.site_order = order
        return lift_answer(request, measure, CompulsoryLiftSerializer, services.lift_compulsory_measures,
                       lambda: _measure_out(measure))

    @extend_schema(responses=DepartmentSerializer(many=True), summary="双报告可报告的主管部门")
    @action(detail=True, methods=["get"], url_path="report-departments", pagination_class=None, filter_backends=[])
    def report_departments(self, request, pk=None):
        hazard = self.get_object()
        return Response(DepartmentSerializer(report_departments(hazard).order_by("name", "id"), many=True).data)

    @extend_schema(methods=["get"], responses=AttachmentSerializer(many=True), summary="附件列表")
    @extend_schema(methods=["post"], request={"multipart/form-data": UploadSerializer},
                   responses={201: AttachmentSerializer}, summary="上传照片或整改证据（multipart/form-data）")
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser], pagination_class=None,
            filter_backends=[])
    def attachments(self, request, pk=None):
        hazard = self.get_object()
        if request.method == "GET":
            return Response(AttachmentSerializer(hazard.attachments.all(), many=True).data)
        if acting.actor_kind(request.user, hazard) is None or hazard.status in workflow.FINAL_STATES:
            raise PermissionDenied("您不能为该隐患上传附件。")
        ser = UploadSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        upload = ser.validated_data["evidence"]
        att = add_attachment(request.user, hazard, check_upload(upload), original_name=upload.name,
                             kind=ser.validated_data["kind"])
        return Response(AttachmentSerializer(att).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(
        OpenApiTypes.BINARY, description="文件内容（image/jpeg、image/png 或 application/pdf）")},
        summary="下载附件（记入安全日志）")
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<att_pk>[0-9]+)/download",
            renderer_classes=[JSONRenderer, FileRenderer], pagination_class=None, filter_backends=[])
    def download_attachment(self, request, pk=None, att_pk=None):
        hazard = self.get_object()
        att = hazard.attachments.filter(pk=att_pk).first()
        if att is None:
            raise Http404
        handle = open_stored(att.file)
        log_security(SecurityLog.Kind.DOWNLOAD, request=request, user=request.user, what="hazards.attachment",
                     hazard=hazard.pk, attachment=att.pk, sha256=att.sha256)
        ext = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(att.content_type, "bin")
        response = FileResponse(handle, content_type=att.content_type, as_attachment=True,
                                filename=f"hazard-{hazard.pk}-{att.pk}.{ext}")
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @document_schema("重大事故隐患报告表（docx，或 doc_format=pdf；仅重大事故隐患）", pdf=True)
    @action(detail=True, methods=["get"], url_path="documents/report", renderer_classes=FILE_RENDERERS, pagination_class=None, filter_backends=[])
    def report_document(self, request, pk=None):
        from documents.hazard_docs import hazard_report_docx

        hazard = self.get_object()
        if hazard.grade != hazard.Grade.MAJOR:
            raise Http404("仅重大事故隐患有报告表。")
        return send_document(request, hazard_report_docx(hazard, request.user), f"重大事故隐患报告表-{hazard.number}", "hazard_report",
                             hazard, pdf=True)

    @document_schema("隐患整改验收销号意见（docx，或 doc_format=pdf；验收通过后）", pdf=True)
    @action(detail=True, methods=["get"], url_path="documents/acceptance", renderer_classes=FILE_RENDERERS, pagination_class=None, filter_backends=[])
    def acceptance_document(self, request, pk=None):
        from documents.hazard_docs import acceptance_docx

        hazard = self.get_object()
        acceptance = (hazard.acceptances.filter(decision=Acceptance.Decision.ACCEPTED)
                      .select_related("decided_by", "decided_by_org").order_by("-decided_at", "-id").first())
        if acceptance is None:
            raise Http404("该隐患尚无验收通过记录。")
        return send_document(request, acceptance_docx(acceptance), f"隐患整改验收销号意见-{hazard.number}",
                             "hazard_acceptance", hazard, pdf=True)

    @extend_schema(responses={
        (200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="隐患台账（与台账页面相同的筛选；"
                                                                          "不超过 API_EXPORT_SYNC_MAX_ROWS 行时直接返回）"),
        (202, "application/json"): OpenApiResponse(JobSerializer, description="行数较多：已创建导出任务，轮询 url，"
                                                                              "完成后从 download 下载（仅发起人可见）")},
        summary="导出隐患台账（xlsx，筛选条件同列表；大量数据时返回 202 和导出任务）", filters=True)
    @action(detail=False, methods=["get"], url_path="export", renderer_classes=[JSONRenderer, FileRenderer],
            pagination_class=None)
    def ledger_export(self, request):
        queryset = self.filter_queryset(self.get_queryset())  # the page's FilterSet: bad values are 400
        count = queryset.count()
        filters = {k: v for k, v in request.query_params.items()}
        if count > settings.API_EXPORT_SYNC_MAX_ROWS:
            from core.lists import queue_export
            from hazards.views.ledger import HazardLedger

            query = request.query_params.copy()
            for key in ("page", "format", "doc_format"):
                query.pop(key, None)
            job = queue_export(request, HazardLedger, query, "xlsx", what="hazards.ledger.api", rows=count)
            job.refresh_from_db()
            response = Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
            response["Location"] = f"/api/v1/jobs/{job.pk}/"
            return response
        content, count = ledger_workbook(queryset, mask_tips=not sees_tip_channel(request.user))
        log_security(SecurityLog.Kind.EXPORT, request=request, user=request.user, what="hazards.ledger.api",
                     rows=count, filters=filters)
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="hazards-{timezone.localdate():%Y%m%d}.xlsx"'
        return response
