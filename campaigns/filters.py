"""FilterSets of the campaigns lists (the activity log)."""

import django_filters
from django import forms

from core.listfilters import RequestScopedFilterSet, SearchFilter

from .forms import recordable_kinds
from .models import Activity, Campaign, Submission
from .querysets import dispatch_units


class ActivityFilter(django_filters.FilterSet):
    # the kinds recorded on this page (督导检查 is an inspection visit, never an activity here)
    kind = django_filters.ChoiceFilter(label="类型", choices=recordable_kinds, empty_label="全部类型")
    date_from = django_filters.DateFilter(label="日期自", field_name="date", lookup_expr="gte",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label="日期至", field_name="date", lookup_expr="lte",
                                        widget=forms.DateInput(attrs={"type": "date"}))
    q = SearchFilter(label="参加人员或内容", fields=("participants", "summary"))

    class Meta:
        model = Activity
        fields = ["kind", "date_from", "date_to", "q"]


def _units(request):
    return dispatch_units(request.user if request else None).order_by("name")


def _campaigns(request):
    return Campaign.objects.visible_to(request.user if request else None)


class SubmissionFilter(RequestScopedFilterSet):
    """Its unit and campaign choices are the request user's (callable querysets)."""

    unit = django_filters.ModelChoiceFilter(label="单位", queryset=_units, empty_label="全部单位")
    campaign = django_filters.ModelChoiceFilter(label="专项行动", queryset=_campaigns, empty_label="全部专项行动")
    week = django_filters.DateFilter(label="报送周（周一）", widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Submission
        fields = ["unit", "campaign", "week"]
