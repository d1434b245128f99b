"""The risk-point FilterSet shared by the list page (four column views), its xlsx and the API."""

import django_filters

from core.listfilters import RecordIdFilter

from .exports import LIST_VIEWS
from .models import Level, RiskPoint

MAJOR_LARGE = "major_large"


class RiskPointFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label="风险等级", method="filter_level", empty_label="全部等级",
                                        choices=[*Level.choices, (MAJOR_LARGE, "重大和较大风险")])
    enterprise = RecordIdFilter(label="单位编号", field_name="enterprise_id", noun="单位")
    view = django_filters.ChoiceFilter(label="清单", method="filter_view", empty_label=None,
                                       choices=[(k, v[0]) for k, v in LIST_VIEWS.items()])

    class Meta:
        model = RiskPoint
        fields = ["level", "enterprise"]

    def filter_level(self, queryset, name, value):
        if value == MAJOR_LARGE:
            return queryset.filter(level__in=[Level.MAJOR, Level.LARGE])
        return queryset.filter(level=value) if value else queryset

    def filter_view(self, queryset, name, value):
        return queryset  # chooses the columns (RiskPointList.get_columns), not the rows
