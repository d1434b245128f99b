"""挂牌督办 API: scoped list/detail, propose (create) and the workflow actions."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from accounts.models import Organisation
from core.api import ScopedViewSetMixin
from core.api_files import FILE_RENDERERS, document_schema, send_document
from core.api_http import settles
from core.services import NotPermitted
from hazards.models import Hazard

from . import services
from .filters import ListingFilter
from .models import Listing, ProgressReport


class ProgressReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = ["id", "date", "percentage", "text", "created_at"]


class ListingSerializer(serializers.ModelSerializer):
    hazard_number = serializers.CharField(source="hazard.number", read_only=True)
    enterprise = serializers.CharField(source="hazard.enterprise.name", read_only=True)
    listing_body_name = serializers.CharField(source="listing_body.name", read_only=True)
    responsible_department_name = serializers.CharField(source="responsible_department.name", read_only=True)
    overdue = serializers.SerializerMethodField()
    progress_reports = ProgressReportSerializer(many=True, read_only=True)

    class Meta:
        model = Listing
        fields = ["id", "hazard", "hazard_number", "enterprise", "level", "listing_body", "listing_body_name",
                  "responsible_department", "responsible_department_name", "deadline", "requirements",
                  "report_every_days", "status", "notice_number", "public_notice", "published_at", "proposed_at",
                  "approved_at", "delisted_at", "overdue", "progress_reports"]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class ProposeSerializer(serializers.Serializer):
    # scoped in __init__: an id outside the user's scope answers exactly like an id that does not exist
    hazard = serializers.PrimaryKeyRelatedField(
        queryset=Hazard.objects.none(), error_messages={"does_not_exist": "隐患不存在或不在您的管辖范围内。"})
    responsible_department = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(kind="department"))
    deadline = serializers.DateField()
    requirements = serializers.CharField()
    report_every_days = serializers.IntegerField(min_value=1, max_value=366, default=30)
    public_notice = serializers.BooleanField(default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        self.fields["hazard"].queryset = Hazard.objects.visible_to(request.user) if request else Hazard.objects.none()


class ApproveSerializer(serializers.Serializer):
    public_notice = serializers.BooleanField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ListingReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    date = serializers.DateField()
    percentage = serializers.IntegerField(min_value=0, max_value=100)
    text = serializers.CharField()


class DelistingRequestSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DelistingDecisionSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


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
                .prefetch_related("progress_reports").order_by("-proposed_at", "-id"))

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
        from documents.hazard_docs import listing_notice_docx

        listing = self.get_object()
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
