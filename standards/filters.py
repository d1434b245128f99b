"""FilterSets of the catalogue pages and API."""

import django_filters
from django.db.models import Q

from enterprises.filters import SectorCodeFilter

from .models import Item, Standard, Verified


def _sector_ids(sector) -> set[int]:
    ids = sector.with_descendants()
    node = sector.parent
    while node is not None:  # a 冶金 search also finds the 工贸 standard
        ids.add(node.pk)
        node = node.parent
    return ids


class StandardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="filter_q")
    sector = SectorCodeFilter(method="filter_sector")
    status = django_filters.ChoiceFilter(label="状态", choices=Standard.Status.choices)
    code = django_filters.CharFilter(label="编号", lookup_expr="iexact")
    verified = django_filters.ChoiceFilter(label="核实状态", choices=Verified.choices)
    all_versions = django_filters.BooleanFilter(label="含历史版本", method="filter_versions")

    class Meta:
        model = Standard
        fields = ["q", "sector", "status", "code", "verified"]

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("all_versions"):
            queryset = queryset.filter(is_current=True)
        return super().filter_queryset(queryset)

    def filter_versions(self, queryset, name, value):
        return queryset

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(short_title__icontains=value) |
                               Q(doc_number__icontains=value) | Q(code__icontains=value) |
                               Q(items__summary_zh__icontains=value) | Q(items__summary_en__icontains=value)).distinct()

    def filter_sector(self, queryset, name, value):
        return queryset.filter(sectors__in=_sector_ids(value)).distinct() if value else queryset


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="搜索", method="filter_q")
    search = django_filters.CharFilter(label="搜索", method="filter_q")
    standard = django_filters.CharFilter(label="标准编号", field_name="standard__code", lookup_expr="iexact")
    sector = SectorCodeFilter(method="filter_sector")
    verified = django_filters.ChoiceFilter(label="核实状态", choices=Verified.choices)
    counts = django_filters.BooleanFilter(label="计入条目数")
    current = django_filters.BooleanFilter(label="当前版本", field_name="standard__is_current")
    status = django_filters.ChoiceFilter(label="标准状态", field_name="standard__status", choices=Standard.Status.choices)

    class Meta:
        model = Item
        fields = ["standard", "sector", "verified", "counts"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(summary_zh__icontains=value) | Q(summary_en__icontains=value) | Q(code__icontains=value))

    def filter_sector(self, queryset, name, value):
        if not value:
            return queryset
        ids = Standard.objects.filter(sectors__in=_sector_ids(value)).values("pk")
        return queryset.filter(standard_id__in=ids)
