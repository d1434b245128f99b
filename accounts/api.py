from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from core.api import ScopedReadOnlyViewSet

from .filters import OrganisationFilter
from .models import Competence, Organisation, Sector
from .scope import scope_for


class SectorSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Sector
        fields = ["id", "code", "name", "parent", "high_risk", "drill_months"]


class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    """Sectors are public reference data for every logged-in user (no region or sector scope
    applies to the list of sectors itself), hence no visible_to here."""

    serializer_class = SectorSerializer
    queryset = Sector.objects.filter(is_active=True).select_related("parent")
    lookup_field = "code"
    pagination_class = None


class CompetenceSerializer(serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Competence
        fields = ["sector", "region", "role"]


class OrganisationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department_type = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    competences = CompetenceSerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "kind", "name", "region", "department_type", "competences", "is_active"]


class OrganisationViewSet(ScopedReadOnlyViewSet):
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter  # the organisation list page's FilterSet

    def base_queryset(self):
        return (Organisation.objects.select_related("region", "department_type")
                .prefetch_related("competences__sector", "competences__region").order_by("id"))


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    organisation = OrganisationSerializer(allow_null=True)
    role = serializers.CharField(allow_blank=True)
    scope = serializers.DictField()


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """The current user, its organisation, role and scope."""
    user = request.user
    m = getattr(user, "membership", None)
    scope = scope_for(user)
    return Response(MeSerializer({
        "username": user.get_username(),
        "name": user.get_full_name(),
        "organisation": m.organisation if m else None,
        "role": m.role if m else ("superuser" if user.is_superuser else ""),
        "scope": {
            "everything": scope.everything,
            "region": scope.region_code,
            "level": scope.level,
            "sectors": sorted(Sector.objects.filter(pk__in=scope.sector_ids).values_list("code", flat=True))
            if scope.sector_ids is not None else None,
            "enterprises": sorted(scope.enterprise_ids) if scope.enterprise_ids is not None else None,
        },
    }).data)
