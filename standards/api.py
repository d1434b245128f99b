"""Read-only catalogue API: /api/v1/standards/, /api/v1/standard-items/, /api/v1/key-inspection-lists/."""

from rest_framework import serializers, viewsets

from .filters import ItemFilter, StandardFilter
from .models import Item, KeyInspectionItem, KeyInspectionList, Standard


class StandardSerializer(serializers.ModelSerializer):
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    supersedes = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Standard
        fields = ["id", "code", "version", "is_current", "title", "short_title", "issuer", "doc_number", "adopted",
                  "published", "effective", "repealed", "status", "supersedes", "sectors", "cross_cutting",
                  "verified", "items_pending", "expected_item_count", "source_note"]


class StandardItemSerializer(serializers.ModelSerializer):
    standard = serializers.SlugRelatedField(slug_field="code", read_only=True)
    standard_id = serializers.IntegerField(read_only=True)
    standard_version = serializers.IntegerField(source="standard.version", read_only=True)
    article = serializers.CharField(source="article.number", read_only=True)
    category = serializers.CharField(source="article.category", read_only=True)

    class Meta:
        model = Item
        fields = ["id", "code", "standard", "standard_id", "standard_version", "article", "category", "number",
                  "official_ref", "summary_zh", "summary_en", "verified", "counts"]


class KeyInspectionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyInspectionItem
        fields = ["code", "summary_zh", "summary_en"]


class KeyInspectionListSerializer(serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(slug_field="code", read_only=True)
    items = KeyInspectionItemSerializer(many=True, read_only=True)

    class Meta:
        model = KeyInspectionList
        fields = ["id", "sector", "title", "version", "is_current", "verified", "items"]


class StandardViewSet(viewsets.ReadOnlyModelViewSet):
    """Reference data, identical for every logged-in user. Current versions unless ?all_versions=true."""

    serializer_class = StandardSerializer
    filterset_class = StandardFilter

    def get_queryset(self):
        return Standard.objects.visible_to(self.request.user).select_related("supersedes").prefetch_related(
            "sectors").order_by("code", "-version")


class ItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StandardItemSerializer
    filterset_class = ItemFilter

    def get_queryset(self):
        return Item.objects.select_related("standard", "article").order_by("standard__code", "standard__version",
                                                                            "sort_order")


class KeyInspectionListViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = KeyInspectionListSerializer
    filterset_fields = ["is_current"]

    def get_queryset(self):
        return KeyInspectionList.objects.visible_to(self.request.user).select_related("sector").prefetch_related(
            "items").order_by("sector__sort_order", "-version")
