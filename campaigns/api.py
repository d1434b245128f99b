"""Dispatch table through the API: GET /api/v1/dispatch/?unit=&as_of=&campaign= (same numbers as the page)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_files import FILE_RENDERERS, document_schema, send_document
from hazards.asof import instant as parse_as_of

from .models import Campaign
from .querysets import campaign_or_404, dispatch_unit_or_404
from .tables import unit_table


class DispatchTableView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("unit", str), OpenApiParameter("as_of", str), OpenApiParameter("campaign", int, description="专项行动编号；不在管辖范围内（或不存在）的为 404")],
                   responses={200: dict}, summary="调度表（按单位、截止时间）")
    def get(self, request):
        unit = dispatch_unit_or_404(request.user, request.query_params.get("unit"))
        as_of = parse_as_of(request.query_params.get("as_of"))
        # the campaign whose rows the table shows: one out of scope, or none, is a 404 like ?unit=
        campaign = campaign_or_404(request.user, request.query_params.get("campaign"))
        return Response(unit_table(unit, as_of, campaign).as_json())


class BulletinDocumentView(APIView):
    """每季度通报 of the caller's region — committee offices only (安委办; others 404), the page's 下载 .docx."""

    permission_classes = [IsAuthenticated]
    renderer_classes = FILE_RENDERERS

    @document_schema("每季度通报（docx；安委会办公室，本辖区）", parameters=[
        OpenApiParameter("year", int, description="年份（2000–2100，默认今年；不得晚于今年）"),
        OpenApiParameter("quarter", int, enum=[1, 2, 3, 4], description="季度（默认本季度；尚未开始的季度不能通报）")])
    def get(self, request):
        from core.services import ServiceError
        from hazards import asof
        from hazards.models import Hazard

        from .bulletin import bulletin_docx, parse_quarter
        from .views_board import _bulletin_issuer

        region, issuer = _bulletin_issuer(request.user)
        now = asof.now()
        try:
            year, quarter = parse_quarter(request.query_params.get("year"), request.query_params.get("quarter"), now)
        except ServiceError as exc:
            raise ValidationError({exc.field: [exc.message]}) from None
        from accidents.figures import quarter_counts

        data = bulletin_docx(region, issuer, year, quarter, today=now, hazards=Hazard.objects.visible_to(request.user),
                             accidents=quarter_counts(request.user, year, quarter))
        return send_document(request, data, f"bulletin-{year}Q{quarter}", "quarterly_bulletin", region)


# ---------------------------------------------------------------- campaigns, weekly submission, 催报

from django.utils import timezone  # noqa: E402
from rest_framework import serializers, status  # noqa: E402
from rest_framework.decorators import action  # noqa: E402

from accounts.permissions import committee_org_or_404, is_government  # noqa: E402
from core.api import ScopedReadOnlyViewSet  # noqa: E402
from core.api_http import settles  # noqa: E402
from core.services import ServiceError  # noqa: E402

from . import dispatch as D  # noqa: E402
from . import services  # noqa: E402
from .models import Submission  # noqa: E402


class CampaignSerializer(serializers.ModelSerializer):
    issuer_name = serializers.CharField(source="issuer.name", read_only=True)
    deadline_label = serializers.CharField(read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "issuer", "issuer_name", "region", "start", "end", "first_report_date",
                  "report_weekday", "report_time", "deadline_label", "targets"]


class SubmissionSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    values = serializers.DictField(read_only=True, help_text="各行的冻结数值：行号 → 数值（是/否行为布尔值）")

    class Meta:
        model = Submission
        fields = ["id", "campaign", "unit", "unit_name", "week", "version", "as_of", "values", "submitted_by_name",
                  "submitted_at", "note"]


class _AsOfField(serializers.DateTimeField):
    """A cut-off as everywhere else (``hazards.asof.instant``): a bare date is the end of that day in
    Asia/Shanghai — as ``GET /dispatch/?as_of=`` and the pages read it — not its midnight (DRF's
    reading, which froze a table without the facts of that day); a naive time is Asia/Shanghai. A time
    at the edge of the calendar (0001-01-01T00:00) that cannot be made aware is a 400, not a 500."""

    def to_internal_value(self, value):
        if isinstance(value, str) and 0 < len(value.strip()) <= 10:  # blank stays DRF's refusal (not "now")
            from core.services import ServiceError

            try:
                return parse_as_of(value)
            except ServiceError:
                self.fail("invalid", format="YYYY-MM-DD 或 ISO 8601 时间")
        try:
            return super().to_internal_value(value)
        except OverflowError:
            self.fail("overflow")


class DispatchSubmitSerializer(serializers.Serializer):
    unit = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1,
                                    help_text="填报单位编号（默认本单位；只能报送本单位）")
    as_of = _AsOfField(help_text="统计截止时间（不能晚于当前时间，不能早于行动开始日期）；只写日期时为当日24时（北京时间）")
    values = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict,
                                   help_text="手工填报的行：行号 → 数值（系统自动统计的行以系统数据为准，传入的值被忽略）")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.NOTE_MAX,
                                 help_text="更正说明（再次报送同一周时填写）")


class RemindLineSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    users = serializers.ListField(child=serializers.CharField(), help_text="收到站内消息的经办人")
    how = serializers.CharField(help_text="提醒方式的中文说明")
    newly = serializers.BooleanField(help_text="本次是否新发送了提醒（本周已提醒过的不重复发送）")


class RemindResultSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    week = serializers.DateField(help_text="本周（周一）")
    lines = RemindLineSerializer(many=True, help_text="每个未报送单位一行；空表示各单位均已报送")


def _submit_input(view, request) -> dict:
    ser = DispatchSubmitSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    return ser.validated_data


def _same_submission(campaign, request):
    """The latest version of the same week when it already holds exactly what this request would
    freeze (cut-off, values, note): a retry, not a correction. Invalid input is left to the action."""
    from core.services import ServiceError

    ser = DispatchSubmitSerializer(data=request.data)
    if not ser.is_valid():
        return None
    d = ser.validated_data
    unit = dispatch_unit_or_404(request.user, d.get("unit"))
    if not campaign.start <= timezone.localtime(d["as_of"]).date() <= timezone.localdate():
        return None  # out of range: the action's 400 (and no week to compute)
    last = (Submission.objects.filter(campaign=campaign, unit=unit, week=D.week_of(d["as_of"]))
            .order_by("-version").first())
    if last is None or last.as_of != d["as_of"] or last.note != d["note"][:200]:
        return None
    try:
        services._require_unit_writer(request.user, unit)  # a caller who may not submit gets 403, not a 409
        frozen = services.frozen_values(unit=unit, campaign=campaign, as_of=d["as_of"], manual=d["values"])
    except ServiceError:
        return None
    return last if frozen == last.values else None


class CampaignViewSet(ScopedReadOnlyViewSet):
    """专项行动 visible to a government user (its region's and its ancestors'), the weekly dispatch
    table submission (报送/更正) of the caller's unit and the committee office's 催报."""

    serializer_class = CampaignSerializer

    def base_queryset(self):
        return Campaign.objects.select_related("issuer").order_by("-start", "-id")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Campaign.objects.none()
        if not is_government(self.request.user):
            return Campaign.objects.none()  # enterprises and agencies: 404, like the pages
        return super().get_queryset()

    @extend_schema(request=DispatchSubmitSerializer, responses={201: SubmissionSerializer},
                   summary="报送本单位本周调度表（再次报送同一周为更正，生成新版本；内容完全相同的重复报送为 409）")
    @action(detail=True, methods=["post"], url_path="submit")
    @settles(lambda c, r: _same_submission(c, r) is not None,
             current=lambda view, c: SubmissionSerializer(_same_submission(c, view.request)).data)
    def submit(self, request, pk=None):
        campaign = self.get_object()
        d = _submit_input(self, request)
        unit = dispatch_unit_or_404(request.user, d.get("unit"))
        try:
            sub = services.submit(request.user, unit=unit, campaign=campaign, as_of=d["as_of"], manual=d["values"],
                                  note=d["note"])
        except ServiceError as exc:
            if not (exc.field or "").startswith("row_"):
                raise
            raise ValidationError({f"values.{exc.field[4:]}": [exc.message]}) from None  # the body's name of the row
        return Response(SubmissionSerializer(sub).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: RemindResultSerializer},
                   summary="催报：提醒本周尚未报送的单位（安委会办公室；每单位每周只发送一次站内消息）")
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None):
        campaign = self.get_object()
        committee = committee_org_or_404(request.user)
        lines = services.remind_missing(request.user, committee=committee, campaign=campaign)
        return Response({"campaign": campaign.pk, "week": D.week_of(timezone.now()),
                         "lines": [{"unit": line["unit"].pk, "unit_name": line["unit"].name, "users": line["users"],
                                    "how": line["how"], "newly": line["newly"]} for line in lines]})


class SubmissionViewSet(ScopedReadOnlyViewSet):
    """Submitted (frozen) dispatch tables the caller may see: its own unit's, or every unit of its
    region for a committee office."""

    serializer_class = SubmissionSerializer

    def base_queryset(self):
        return Submission.objects.select_related("unit").order_by("-submitted_at", "-id")

    @extend_schema(parameters=[OpenApiParameter("campaign", int, description="专项行动编号"),
                               OpenApiParameter("unit", int, description="单位编号"),
                               OpenApiParameter("week", str, description="报送周的周一（YYYY-MM-DD）")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        import datetime

        queryset = super().filter_queryset(queryset)
        if self.action != "list":
            return queryset
        params, errors = self.request.query_params, {}
        for name in ("campaign", "unit"):
            raw = params.get(name, "")
            if raw and not (raw.isdigit() and int(raw) < 2**31):
                errors[name] = ["须为编号（正整数）。"]
            elif raw:
                queryset = queryset.filter(**{f"{name}_id": int(raw)})
        raw = params.get("week", "")
        if raw:
            try:
                queryset = queryset.filter(week=datetime.date.fromisoformat(raw))
            except ValueError:
                errors["week"] = ["日期格式须为 YYYY-MM-DD。"]
        if errors:
            raise ValidationError(errors)
        return queryset

