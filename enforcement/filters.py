"""FilterSets of the enforcement lists (page, export and API share them)."""

import django_filters
from django import forms
from django.utils import timezone

from core.listfilters import HeldFilter, SearchFilter, YesNoFilter

from .models import Accountability, Case, CreditListing, Decision, SuspensionCompulsion, TypicalCase


class CaseFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(label="阶段", choices=Case.Stage.choices, empty_label="全部阶段")
    # a 责令停产停业整顿 in force (effective, no effective 复产复查决定 lifted it): the units the department must
    # check before it lets them resume; 强制措施 in force enforcing it (停止供电 etc., 安全生产法 第七十条)
    suspended = HeldFilter(label="停产停业整顿中", ids=lambda: Decision.objects.suspensions_in_force().values("case_id"))
    compulsion = HeldFilter(label="强制措施未解除", ids=lambda: SuspensionCompulsion.objects.held())
    q = SearchFilter(label="案由或单位名称", fields=("title", "enterprise__name"))

    class Meta:
        model = Case
        fields = ["stage", "suspended", "compulsion", "q"]


class CreditListingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=CreditListing.Status.choices, empty_label="全部状态")
    term = django_filters.ChoiceFilter(label="期限", choices=(("in_force", "在期"), ("ended", "已届满")),
                                       empty_label="全部期限", method="filter_term")
    q = SearchFilter(label="单位名称", fields=("enterprise__name",))

    class Meta:
        model = CreditListing
        fields = ["status", "term", "q"]

    def filter_term(self, queryset, name, value):
        """在期: the last day (``ends_on``) is today or later; 已届满: it has passed (Beijing day)."""
        today = timezone.localdate()
        return queryset.filter(ends_on__gte=today) if value == "in_force" else queryset.filter(ends_on__lt=today)


class TypicalCaseFilter(django_filters.FilterSet):
    dangerous_ops = YesNoFilter(label="危险作业罪案例")
    q = SearchFilter(label="关键词", fields=("title", "summary", "enterprise__name"))

    class Meta:
        model = TypicalCase
        fields = ["dangerous_ops", "q"]


class AccountabilityFilter(django_filters.FilterSet):
    q = SearchFilter(label="被问责人或事由", fields=("person_name", "measure", "reason"))
    date_from = django_filters.DateFilter(label="日期自", field_name="date", lookup_expr="gte",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label="日期至", field_name="date", lookup_expr="lte",
                                        widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Accountability
        fields = ["q", "date_from", "date_to"]
