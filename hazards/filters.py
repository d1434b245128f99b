"""The hazard FilterSet shared by the ledger page, its xlsx export and the API."""

import django_filters
from django import forms
from django.apps import apps
from django.core.validators import RegexValidator
from django.utils import timezone

from accounts.models import Sector

from .models import Hazard

LEVEL_BY_LENGTH = {2: "province", 4: "city", 6: "county", 9: "township"}
YES_NO = [("", "全部"), ("true", "是"), ("false", "否")]


def listing_model():
    """The supervision app's ``Listing`` (挂牌督办) if that app is installed and has it, else None."""
    if not apps.is_installed("supervision"):
        return None
    try:
        return apps.get_model("supervision", "Listing")
    except LookupError:
        return None


class HazardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="描述或单位", method="filter_q")
    region = django_filters.CharFilter(label="区划代码（县/乡镇）", method="filter_region", validators=[
        RegexValidator(r"^(\d{2}|\d{4}|\d{6}|\d{9})$", "区划代码应为2、4、6或9位数字。")])
    sector = django_filters.ModelChoiceFilter(
        label="行业领域", queryset=Sector.objects.filter(is_active=True), to_field_name="code", method="filter_sector")
    enterprise = django_filters.NumberFilter(label="单位编号", field_name="enterprise_id")
    grade = django_filters.ChoiceFilter(label="隐患等级", choices=Hazard.Grade.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=Hazard.Status.choices)
    channel = django_filters.ChoiceFilter(label="发现渠道", choices=Hazard.Channel.choices)
    overdue = django_filters.BooleanFilter(label="逾期未改", method="filter_overdue",
                                           widget=forms.Select(choices=YES_NO))
    listed = django_filters.BooleanFilter(label="挂牌督办", method="filter_listed", widget=forms.Select(choices=YES_NO))
    item = django_filters.CharFilter(label="判定依据条款编码", field_name="basis_item__code")
    found_from = django_filters.DateFilter(label="发现日期自", field_name="found_on", lookup_expr="gte",
                                           widget=forms.DateInput(attrs={"type": "date"}))
    found_to = django_filters.DateFilter(label="发现日期至", field_name="found_on", lookup_expr="lte",
                                         widget=forms.DateInput(attrs={"type": "date"}))
    sort = django_filters.OrderingFilter(
        label="排序",
        fields=(("first_reported_at", "reported"), ("found_on", "found"), ("deadline", "deadline"),
                ("grade", "grade"), ("status", "status"), ("enterprise__name", "enterprise")),
        field_labels={"first_reported_at": "报告时间", "found_on": "发现日期", "deadline": "整改期限",
                      "grade": "等级", "status": "状态", "enterprise__name": "单位"},
    )

    class Meta:
        model = Hazard
        fields = ["q", "region", "sector", "enterprise", "grade", "status", "channel", "overdue", "listed", "item",
                  "found_from", "found_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if listing_model() is None:
            self.filters.pop("listed", None)

    def filter_q(self, queryset, name, value):
        from .search import text_filter  # n-gram index on PostgreSQL, same results as a substring test

        return text_filter(queryset, value)

    def filter_region(self, queryset, name, value):
        value = value.strip()
        level = LEVEL_BY_LENGTH.get(len(value))
        if not value.isdigit() or level is None:  # pragma: no cover - the validator refuses it first
            return queryset.none()
        return queryset.filter(**{f"{level}_code": value})

    def filter_sector(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(sector_id__in=sorted(value.with_descendants()))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.overdue(today) if value else queryset.not_overdue(today)

    def filter_listed(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(listings__isnull=False).distinct()
        return queryset.filter(listings__isnull=True)


