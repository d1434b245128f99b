"""FilterSets of the campaigns lists (the activity log)."""

import django_filters
from django import forms

from core.lists import SearchFilter

from .models import Activity


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=Activity.Kind.choices, empty_label="全部类型")
    date_from = django_filters.DateFilter(label="日期自", field_name="date", lookup_expr="gte",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label="日期至", field_name="date", lookup_expr="lte",
                                        widget=forms.DateInput(attrs={"type": "date"}))
    q = SearchFilter(label="参加人员或内容", fields=("participants", "summary"))

    class Meta:
        model = Activity
        fields = ["kind", "date_from", "date_to", "q"]
