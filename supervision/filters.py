"""The 挂牌督办 FilterSet shared by the list page and the API."""

import django_filters

from core.listfilters import OverdueFilter, SearchFilter, YesNoFilter

from .models import Listing


class ListingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=Listing.Status.choices, empty_label="全部状态")
    level = django_filters.ChoiceFilter(label="层级", choices=Listing.Level.choices, empty_label="全部层级")
    supervised = YesNoFilter(label="督办中", method="filter_supervised")
    overdue = OverdueFilter(label="逾期")
    q = SearchFilter(label="关键词", fields=("hazard__enterprise__name", "hazard__description", "notice_number"))

    class Meta:
        model = Listing
        fields = ["status", "level", "supervised", "overdue", "q"]

    def filter_supervised(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.supervised() if value else queryset.exclude(pk__in=queryset.supervised().values("pk"))
