"""/api/v1/engagements/: 第三方服务委托 — the list page's rows and FilterSet (``?enterprise=&state=
&engaged_by=&q=``), scoped like the page (an agency sees its own engagements only); POST creates
one through ``services.engage_agency`` (the caller's side decides 企业委托 / 政府购买服务);
POST ``/{id}/end/`` ends one early (``services.end_engagement``). Never deleted, never PATCHed."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.models import Organisation
from core.api import ScopedViewSetMixin, VisibleRecordField
from core.api_http import already_done, settles

from . import permissions as perms
from . import services
from .filters import EngagementFilter
from .models import Engagement, Enterprise


class ActiveAgency(serializers.PrimaryKeyRelatedField):
    """Any active third-party agency (an agency serves enterprises wherever they are)."""

    def get_queryset(self):
        return Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True)


class EngagementSerializer(serializers.ModelSerializer):
    enterprise = VisibleRecordField(Enterprise, "单位")
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    agency = ActiveAgency()
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    engaged_by = serializers.ChoiceField(choices=Engagement.EngagedBy.choices, required=False,
                                         help_text="委托方：由办理人决定（企业人员为企业委托，政府部门人员为政府购买服务）；"
                                                   "只有超级用户可以指定。")
    state = serializers.SerializerMethodField(help_text="今天的状态：in_force 委托中，not_started 尚未开始，ended 已结束。")

    class Meta:
        model = Engagement
        fields = ["id", "agency", "agency_name", "enterprise", "enterprise_name", "engaged_by", "start", "end", "note",
                  "state", "end_reason"]
        read_only_fields = ["end_reason"]

    def get_state(self, obj) -> str:
        return obj.state()


class EndSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, error_messages={"required": "提前结束委托须填写理由。",
                                                                   "blank": "提前结束委托须填写理由。"})
    end = serializers.DateField(required=False, allow_null=True,
                                help_text="结束日期；不填为今天。尚未开始的委托在开始日期前结束的，不再开始（不赋予任何一天）。")


def _ended_by(eng, request) -> bool:
    """The end asked for (default today) is already in place."""
    raw = request.data.get("end") if hasattr(request.data, "get") else None
    try:
        day = serializers.DateField().to_internal_value(raw) if raw else timezone.localdate()
    except serializers.ValidationError:
        return False  # a bad date is the action's 400, not a repeat
    return eng.end is not None and eng.end <= day


class EngagementViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = EngagementSerializer
    filterset_class = EngagementFilter  # the list page's FilterSet

    def base_queryset(self):
        return Engagement.objects.select_related("agency", "enterprise").order_by("-start", "-id")

    @extend_schema(summary="委托第三方机构：企业本单位经办人员（企业委托）或管辖该单位的政府部门经办人员（政府购买服务）")
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not perms.can_engage(request.user, data["enterprise"]):
            raise PermissionDenied("只有本单位具有经办权限的人员或管辖该单位的政府部门经办人员可以委托第三方机构。")
        same = Engagement.objects.visible_to(request.user).filter(agency=data["agency"], enterprise=data["enterprise"], start=data["start"],
                                         end=data.get("end")).first()
        if same is not None:  # a retry of a create that took effect: 409 already_done, not a 400 overlap
            already_done(self.detail_data(same))
        eng = services.engage_agency(request.user, **data)
        return Response(self.detail_data(self.base_queryset().get(pk=eng.pk)), status=status.HTTP_201_CREATED)

    @extend_schema(request=EndSerializer, responses={200: EngagementSerializer},
                   summary="提前结束委托（记录保留）：须为委托方，填写理由；结束日期不早于今天（早于开始日期的，该委托不再开始）")
    @action(detail=True, methods=["post"])
    @settles(_ended_by)
    def end(self, request, pk=None):
        eng = self.get_object()
        body = EndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        eng = services.end_engagement(request.user, eng, reason=body.validated_data["reason"],
                                      end=body.validated_data.get("end"))
        return Response(self.detail_data(self.base_queryset().get(pk=eng.pk)))
