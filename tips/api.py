"""Staff API for tips (/api/v1/tips/). Identity fields never appear in answers; the reveal
endpoint answers them only to users holding ``tips.reveal_identity``."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.permissions import is_government
from core.api import ScopedReadOnlyViewSet
from core.api_http import already_done, settles

from . import handling, services, workflow
from .filters import TipFilter
from .models import Reward, Tip
from .validators import TEXT_BOUNDS


class RewardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reward
        fields = ["id", "line", "beneficiary", "amount", "status", "paid_on", "method", "collected"]


class TipSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    assigned_org_name = serializers.CharField(source="assigned_org.name", read_only=True)
    sector_code = serializers.CharField(source="sector.code", read_only=True)
    rewards = RewardSerializer(many=True, read_only=True)

    class Meta:
        model = Tip
        fields = ["id", "number", "channel", "status", "township_code", "county_code", "address", "enterprise",
                  "enterprise_name", "sector_code", "content", "anonymous", "internal_whistleblower", "assigned_org",
                  "assigned_org_name", "result", "result_note", "transfer_unit", "transfer_reason", "duplicate_of",
                  "hazard", "no_reward_reason", "accept_deadline", "handle_deadline", "reward_deadline", "feedback_due", "feedback_at",
                  "submitted_at", "rewards"]


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VerifySerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=Tip.Result.choices)
    note = serializers.CharField()
    feedback = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_BOUNDS["feedback"])


class TransferSerializer(serializers.Serializer):
    unit = serializers.CharField(max_length=120, help_text="移交单位（平台外单位名称）")
    reason = serializers.CharField(max_length=TEXT_BOUNDS["transfer_reason"], help_text="移交理由：为何不属于本单位职责")


class CloseSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_BOUNDS["feedback"],
                                 help_text="给举报人的反馈（空则沿用核查反馈）")
    no_reward_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500,
                                             help_text="未予奖励的理由：核查属实、符合奖励条件而未决定奖励即办结时必填（应奖尽奖）")


class FeedbackSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_BOUNDS["feedback"], help_text="向举报人反馈的办理结果（核查办结后10日内）")


class IdentitySerializer(serializers.Serializer):
    """举报人身份（仅 tips.reveal_identity 权限；每次查看均记入安全日志和业务事件）。"""

    name = serializers.CharField(allow_blank=True, allow_null=True)
    phone = serializers.CharField(allow_blank=True, allow_null=True)
    contact = serializers.CharField(allow_blank=True, allow_null=True)


class TipViewSet(ScopedReadOnlyViewSet):
    serializer_class = TipSerializer
    filterset_class = TipFilter  # the inbox page's FilterSet

    def base_queryset(self):
        return Tip.objects.select_related("assigned_org", "sector").prefetch_related("rewards")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Tip.objects.none()
        if not is_government(self.request.user):
            raise PermissionDenied("仅政府工作人员可以查看举报。")
        return super().get_queryset()

    def _act(self, request, serializer_cls, fn):
        tip = self.get_object()
        if self.action in workflow.TRANSITIONS:
            t = workflow.TRANSITIONS[self.action]
            sources, target = t.sources, t.target
            if tip.status == target and tip.status not in sources:
                already_done(TipSerializer(tip).data)
        ser = serializer_cls(data=request.data)
        ser.is_valid(raise_exception=True)
        tip = fn(tip, ser.validated_data)
        return Response(TipSerializer(tip).data)

    @extend_schema(request=NoteSerializer, responses=TipSerializer, summary="受理举报")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(request, NoteSerializer, lambda t, d: services.accept(request.user, t, note=d["note"]))

    @extend_schema(request=NoteSerializer, responses=TipSerializer, summary="开始核查")
    @action(detail=True, methods=["post"], url_path="start-verification")
    def start_verification(self, request, pk=None):
        return self._act(request, NoteSerializer, lambda t, d: services.start_verification(request.user, t, note=d["note"]))

    @extend_schema(request=VerifySerializer, responses=TipSerializer, summary="登记核查结果（须填核查情况 note）")
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._act(request, VerifySerializer, lambda t, d: services.verify(request.user, t, **d))

    @extend_schema(request=TransferSerializer, responses=TipSerializer, summary="移交其他单位（须填单位和理由）")
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        return self._act(request, TransferSerializer, lambda t, d: services.transfer(request.user, t, **d))

    @extend_schema(request=CloseSerializer, responses=TipSerializer, summary="办结并反馈")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._act(request, CloseSerializer, lambda t, d: services.close(request.user, t, feedback=d["note"],
                                                                              no_reward_reason=d["no_reward_reason"]))

    @extend_schema(request=FeedbackSerializer, responses=TipSerializer, summary="向举报人反馈办理结果（核查办结后）")
    @action(detail=True, methods=["post"])
    @settles(lambda tip, request: tip.feedback_at is not None
             and tip.feedback == str(request.data.get("text", "")).strip())
    def feedback(self, request, pk=None):
        return self._act(request, FeedbackSerializer, lambda t, d: handling.give_feedback(request.user, t, text=d["text"]))

    @extend_schema(request=None, responses=IdentitySerializer, summary="查看举报人身份（记录在案）")
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        tip = self.get_object()
        if not services.can_reveal(request.user):
            raise PermissionDenied("您无权查看举报人身份。")
        return Response(IdentitySerializer(services.reveal_identity(request.user, tip, request=request)).data)
