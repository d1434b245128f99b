"""挂牌督办 API: scoped list/detail, propose (create) and the workflow actions."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts.models import Organisation
from core.api import ScopedViewSetMixin, VisibleRecordField
from core.api_files import FILE_RENDERERS, document_schema, send_document
from core.api_http import settles
from core.services import NotPermitted, ServiceError
from hazards.models import ExtensionRequest, Hazard

from . import extensions, services, workflow
from .filters import ListingFilter
from .models import PERCENTAGE_REFUSAL, REPORT_EVERY_DAYS_REFUSAL, Listing, ProgressReport


class ProgressReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = ["id", "date", "percentage", "text", "created_at"]


class PendingExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionRequest
        fields = ["id", "old_deadline", "requested_deadline", "reason", "requested_at"]


class ListingSerializer(serializers.ModelSerializer):
    hazard_number = serializers.CharField(source="hazard.number", read_only=True)
    enterprise = serializers.CharField(source="hazard.enterprise.name", read_only=True)
    listing_body_name = serializers.CharField(source="listing_body.name", read_only=True)
    responsible_department_name = serializers.CharField(source="responsible_department.name", read_only=True)
    overdue = serializers.SerializerMethodField()
    pending_extension = serializers.SerializerMethodField(help_text="待挂牌单位审批的延期申请（无则为 null）")
    progress_reports = ProgressReportSerializer(many=True, read_only=True)

    class Meta:
        model = Listing
        fields = ["id", "hazard", "hazard_number", "enterprise", "level", "listing_body", "listing_body_name",
                  "responsible_department", "responsible_department_name", "deadline", "requirements",
                  "report_every_days", "status", "notice_number", "public_notice", "published_at", "proposed_at",
                  "approved_at", "delisted_at", "overdue", "pending_extension", "progress_reports"]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()

    @extend_schema_field(PendingExtensionSerializer(allow_null=True))
    def get_pending_extension(self, obj):
        pending = [e for e in obj.hazard.extensions.all() if e.status == ExtensionRequest.Status.PENDING]
        return PendingExtensionSerializer(pending[0]).data if pending else None


class ProposeSerializer(serializers.Serializer):
    hazard = VisibleRecordField(Hazard, "隐患")
    responsible_department = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(kind="department"))
    deadline = serializers.DateField()
    requirements = serializers.CharField()
    report_every_days = serializers.IntegerField(
        min_value=Listing.MIN_REPORT_EVERY_DAYS, max_value=Listing.MAX_REPORT_EVERY_DAYS,
        default=workflow.DEFAULT_REPORT_EVERY_DAYS,
        error_messages={"min_value": REPORT_EVERY_DAYS_REFUSAL, "max_value": REPORT_EVERY_DAYS_REFUSAL})
    public_notice = serializers.BooleanField(default=True)


class ApproveSerializer(serializers.Serializer):
    public_notice = serializers.BooleanField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ListingReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    date = serializers.DateField()
    percentage = serializers.IntegerField(min_value=0, max_value=ProgressReport.MAX_PERCENTAGE,
                                          error_messages={"min_value": PERCENTAGE_REFUSAL, "max_value": PERCENTAGE_REFUSAL})
    text = serializers.CharField()


class DelistingRequestSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DelistingDecisionSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ExtensionRequestSerializer(serializers.Serializer):
    new_deadline = serializers.DateField(help_text="申请延至日期（须晚于当前整改期限）")
    reason = serializers.CharField(help_text="延期理由")


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true 同意延期，false 不同意（须填写理由）")
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _extension_pending(listing, request) -> bool:
    """A request is pending (a second one is meaningless until it is decided)."""
    return listing.hazard.extensions.filter(status=ExtensionRequest.Status.PENDING).exists()


def _extension_decided(listing, request) -> bool:
    """Nothing pending and the last request was decided the way asked for."""
    approve = request.data.get("approve") if isinstance(request.data, dict) else None
    last = listing.hazard.extensions.order_by("-requested_at", "-id").first()
    if last is None or last.status == ExtensionRequest.Status.PENDING or not isinstance(approve, bool):
        return False
    return last.status == (ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.DENIED)


def _delisting_decided(listing, request) -> bool:
    """The decision asked for is the one on record: delisted (accept), or refused after the last
    request and not requested again (refuse)."""
    accept = request.data.get("accept") if isinstance(request.data, dict) else None
    if accept is True:
        return listing.status == Listing.Status.DELISTED
    if accept is False:
        return (listing.status == Listing.Status.LISTED and listing.decided_at is not None
                and listing.delisting_requested_at is not None and listing.decided_at >= listing.delisting_requested_at)
    return False


class ListingViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     GenericViewSet):
    """挂牌督办: a listing is visible to whoever can see its hazard."""

    serializer_class = ListingSerializer
    filterset_class = ListingFilter  # the list page's FilterSet

    def base_queryset(self):
        return (Listing.objects.select_related("hazard__enterprise", "listing_body", "responsible_department")
                .prefetch_related("progress_reports", "hazard__extensions").order_by("-proposed_at", "-id"))

    def _input(self, serializer_class):
        s = serializer_class(data=self.request.data, context={"request": self.request})
        s.is_valid(raise_exception=True)
        return s.validated_data

    def _done(self, listing, code=status.HTTP_200_OK):
        listing = self.base_queryset().get(pk=listing.pk)
        return Response(ListingSerializer(listing).data, status=code)

    @extend_schema(request=ProposeSerializer, responses=ListingSerializer)
    def create(self, request, *args, **kwargs):
        if services.proposing_office(request.user) is None:
            raise NotPermitted("只有省、市、县级安委会办公室可以提出挂牌督办。")
        d = self._input(ProposeSerializer)
        return self._done(services.propose_listing(request.user, **d), status.HTTP_201_CREATED)

    @extend_schema(request=ApproveSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"])
    @settles(lambda lst, r: lst.status == Listing.Status.LISTED and lst.approved_at is not None)
    def approve(self, request, pk=None):
        listing = self.get_object()
        d = self._input(ApproveSerializer)
        return self._done(services.approve(request.user, listing, **d))

    @extend_schema(request=ListingReasonSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"])
    @settles(lambda lst, r: lst.status == Listing.Status.DECLINED)
    def decline(self, request, pk=None):
        listing = self.get_object()
        d = self._input(ListingReasonSerializer)
        return self._done(services.decline(request.user, listing, reason=d["reason"]))

    @document_schema("挂牌督办通知书（docx，或 doc_format=pdf）", pdf=True)
    @action(detail=True, methods=["get"], url_path="documents/notice", renderer_classes=FILE_RENDERERS, pagination_class=None, filter_backends=[])
    def notice_document(self, request, pk=None):
        from documents.hazard_docs import listing_notice_docx, notice_issued

        listing = self.get_object()
        if not notice_issued(listing):
            raise NotFound("该挂牌督办尚未批准，没有督办通知书。")
        return send_document(request, listing_notice_docx(listing),
                             f"挂牌督办通知书-{listing.notice_number or listing.number}", "listing_notice", listing, pdf=True)

    @extend_schema(request=ProgressSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        d = self._input(ProgressSerializer)
        listing = self.get_object()
        services.report_progress(request.user, listing, **d)
        return self._done(listing)

    @extend_schema(request=DelistingRequestSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"], url_path="request-delisting")
    @settles(lambda lst, r: lst.status == Listing.Status.DELISTING_REQUESTED)
    def request_delisting(self, request, pk=None):
        listing = self.get_object()
        d = self._input(DelistingRequestSerializer)
        return self._done(services.request_delisting(request.user, listing, **d))

    @extend_schema(request=DelistingDecisionSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"], url_path="decide-delisting")
    @settles(_delisting_decided)
    def decide_delisting(self, request, pk=None):
        d = self._input(DelistingDecisionSerializer)
        return self._done(services.decide_delisting(request.user, self.get_object(), **d))

    @extend_schema(request=ExtensionRequestSerializer, responses=ListingSerializer,
                   description="挂牌督办隐患的生产经营单位申请延期；挂牌单位的人员收到站内消息，由挂牌单位负责人审批。")
    @action(detail=True, methods=["post"], url_path="request-extension")
    @settles(_extension_pending)
    def request_extension(self, request, pk=None):
        from hazards.services import request_extension

        listing = self.get_object()
        d = self._input(ExtensionRequestSerializer)
        if listing.status not in workflow.SUPERVISED_STATES:
            raise ServiceError("该隐患不在挂牌督办中，延期请向主管部门申请。", "new_deadline")
        request_extension(request.user, Hazard.objects.get(pk=listing.hazard_id), new_deadline=d["new_deadline"],
                          reason=d["reason"])
        return self._done(listing)

    @extend_schema(request=ExtensionDecisionSerializer, responses=ListingSerializer,
                   description="挂牌单位负责人审批延期申请；同意时隐患和通知书的整改期限同时改为申请日期；申请人收到站内消息。")
    @action(detail=True, methods=["post"], url_path="decide-extension")
    @settles(_extension_decided)
    def decide_extension(self, request, pk=None):
        listing = self.get_object()
        d = self._input(ExtensionDecisionSerializer)
        extensions.decide_listed_extension(request.user, Hazard.objects.get(pk=listing.hazard_id), approve=d["approve"],
                                           note=d["note"])
        return self._done(listing)
