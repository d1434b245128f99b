"""FilterSets of the inspection lists (records on the index page, spot checks)."""

import django_filters
from django import forms

from core.listfilters import SearchFilter

from .models import Record, SpotCheck

DATE = forms.DateInput(attrs={"type": "date"})


class RecordFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="检查类型", choices=Record.Kind.choices, empty_label="全部类型")
    status = django_filters.ChoiceFilter(label="状态", choices=Record.Status.choices, empty_label="全部状态")
    q = SearchFilter(label="被检查单位", fields=("enterprise__name", "location"))
    inspected_from = django_filters.DateFilter(label="检查日期自", field_name="inspected_on", lookup_expr="gte", widget=DATE)
    inspected_to = django_filters.DateFilter(label="检查日期至", field_name="inspected_on", lookup_expr="lte", widget=DATE)

    class Meta:
        model = Record
        fields = ["kind", "status", "q", "inspected_from", "inspected_to"]


class SpotCheckFilter(django_filters.FilterSet):
    q = SearchFilter(label="被抽查单位", fields=("enterprise__name",))
    checked_from = django_filters.DateFilter(label="抽查日期自", field_name="checked_on", lookup_expr="gte", widget=DATE)
    checked_to = django_filters.DateFilter(label="抽查日期至", field_name="checked_on", lookup_expr="lte", widget=DATE)

    class Meta:
        model = SpotCheck
        fields = ["q", "checked_from", "checked_to"]
