"""/api/v1/enterprises/: scoped CRUD. Reads come from ``visible_to``; every write goes through the
services (bad input → 400 {field: [reason]}; refused → 403; out of scope → 404). DELETE closes the
enterprise (status "closed", ``services.close_enterprise``: an approver, a ``reason`` in the body or
the query string, no open hazards — else 400/403/409 with the Chinese reason) — the registry never
loses rows other records point at. ``status`` is read here and never changed by a PATCH: 停产整顿 and
复产 are enforcement decisions, 关闭 is DELETE."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.models import Sector
from core.api import CodeRelatedField, ScopedViewSetMixin, VisibleRecordField
from core.api_http import settles
from regions.models import Region

from . import permissions as perms
from . import services
from .filters import EnterpriseFilter
from .models import EMPLOYEES_REFUSAL, Enterprise, SafetyManager
from .validators import credit_code_error, normalise_credit_code


class SafetyManagerSerializer(serializers.ModelSerializer):
    class Meta:
        model = SafetyManager
        fields = ["name", "phone", "full_time", "certificate_no"]


class EnterpriseSerializer(serializers.ModelSerializer):
    # out of scope (another district, another street) or of nothing: 404; in scope but no township: the service's 400
    region = VisibleRecordField(Region, "乡镇（街道）", to_field="code")
    region_name = serializers.CharField(source="region.name", read_only=True)
    sectors = CodeRelatedField(many=True, queryset=Sector.objects.filter(is_active=True))
    credit_code = serializers.CharField(max_length=40)
    safety_managers = SafetyManagerSerializer(many=True, required=False)

    class Meta:
        model = Enterprise
        fields = ["id", "name", "credit_code", "region", "region_name", "county_code", "township_code", "address",
                  "longitude", "latitude", "sectors", "high_risk", "high_risk_override", "high_risk_reason", "scale",
                  "employees", "legal_representative", "principal_name", "principal_phone", "controller_name",
                  "controller_phone", "status", "standardisation_grade", "uses_hazchem", "fire_key_unit", "uses_gas",
                  "has_special_equipment", "safety_managers", "created_at", "updated_at"]
        read_only_fields = ["county_code", "township_code", "high_risk", "created_at", "updated_at"]
        extra_kwargs = {"employees": {"min_value": 0, "max_value": Enterprise.MAX_EMPLOYEES, "error_messages": {
            "min_value": EMPLOYEES_REFUSAL, "max_value": EMPLOYEES_REFUSAL}}}

    def validate_credit_code(self, value):
        if self.instance is not None:
            if normalise_credit_code(value) != self.instance.credit_code:
                raise serializers.ValidationError("统一社会信用代码登记后不可修改。")
            return self.instance.credit_code
        code = normalise_credit_code(value)
        error = credit_code_error(code)
        if error:
            raise serializers.ValidationError(error)
        return code

    def validate_sectors(self, value):
        if not value:
            raise serializers.ValidationError("至少选择一个行业领域。")
        return value


class EnterpriseReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, error_messages={"required": "须填写理由。", "blank": "须填写理由。"})


CONTACT_KEYS = {"principal_phone", "controller_phone", "safety_managers"}


class EnterpriseViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                        mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter

    def base_queryset(self):
        return Enterprise.objects.select_related("region").prefetch_related("sectors", "safety_managers")

    def create(self, request, *args, **kwargs):
        if not perms.can_register(request.user):
            raise PermissionDenied("只有具有经办权限的政府部门人员可以登记生产经营单位。")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        managers = data.pop("safety_managers", None)
        serializer.instance = services.register_enterprise(self.request.user, safety_managers=managers, **data)

    def update(self, request, *args, **kwargs):
        ent = self.get_object()
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(ent, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user = request.user
        if perms.can_edit_profile(user, ent):
            self.require_if_match(ent)
            managers = data.pop("safety_managers", None)
            data.pop("credit_code", None)
            new_status = data.pop("status", None)
            services.edit_enterprise(user, ent, status=new_status, safety_managers=managers, **data)
        elif perms.can_edit_contacts(user, ent):
            sent = set(request.data.keys()) if hasattr(request.data, "keys") else set()
            if sent - CONTACT_KEYS:
                raise PermissionDenied("企业只能修改主要负责人、实际控制人电话和安全管理人员。")
            self.require_if_match(ent)
            services.update_contacts(user, ent, **{k: v for k, v in data.items() if k in CONTACT_KEYS})
        else:
            raise PermissionDenied(perms.REGISTRARS_ONLY)
        ent = self.base_queryset().get(pk=ent.pk)
        return Response(self.get_serializer(ent).data)

    @extend_schema(parameters=[OpenApiParameter("reason", str, description="关闭（注销）理由（必填；也可放在请求体 reason 中）")],
                   description="关闭（注销）：须有审批权限（负责人、管理员），且该单位没有未销号的隐患。")
    def destroy(self, request, *args, **kwargs):
        ent = self.get_object()
        if not perms.can_edit_profile(request.user, ent):
            raise PermissionDenied(perms.REGISTRARS_ONLY)
        body = request.data if hasattr(request.data, "get") else {}
        reason = body.get("reason") or request.query_params.get("reason") or ""
        services.close_enterprise(request.user, ent, reason=str(reason))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=EnterpriseReopenSerializer, responses={200: EnterpriseSerializer},
                   summary="恢复正常经营：关闭（注销）的单位恢复为正常经营；须有审批权限并填写理由")
    @action(detail=True, methods=["post"])
    @settles(lambda ent, request: ent.status == Enterprise.Status.OPERATING)
    def reopen(self, request, pk=None):
        """Only a closed unit: a suspended one is 409 (it resumes through 复产复查, an enforcement decision)."""
        ent = self.get_object()
        if not perms.can_edit_profile(request.user, ent):
            raise PermissionDenied(perms.REGISTRARS_ONLY)
        body = EnterpriseReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.reopen_enterprise(request.user, ent, reason=body.validated_data["reason"])
        return Response(self.detail_data(self.base_queryset().get(pk=ent.pk)))
