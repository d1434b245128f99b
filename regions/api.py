from rest_framework import serializers

from core.api import ScopedReadOnlyViewSet

from .models import Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "path"]


class RegionViewSet(ScopedReadOnlyViewSet):
    """Regions in the caller's subtree (and its ancestors). Filter with ?parent=<code> or ?level=."""

    serializer_class = RegionSerializer
    lookup_field = "code"
    filterset_fields = {"level": ["exact"], "name": ["exact", "contains"]}

    def base_queryset(self):
        return Region.objects.select_related("parent")

    def get_queryset(self):
        qs = super().get_queryset()
        parent = self.request.query_params.get("parent")
        if parent:
            qs = qs.filter(parent__code=parent)
        return qs.order_by("code")
