"""The enterprise FilterSet shared by the list page, its export and the API."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.models import Sector

from .models import Enterprise

LEVEL_BY_LENGTH = {2: "province", 4: "city", 6: "county", 9: "township"}


@extend_schema_field(OpenApiTypes.STR)
class SectorCodeFilter(django_filters.ModelChoiceFilter):
    """A sector given by its code (?sector=commerce); unknown codes are a 400 / form error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "行业领域")
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("queryset", Sector.objects.filter(is_active=True))
        super().__init__(*args, **kwargs)


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称或信用代码", method="filter_q")
    region = django_filters.CharFilter(label="区划代码（县/乡镇）", method="filter_region", validators=[
        RegexValidator(r"^(\d{2}|\d{4}|\d{6}|\d{9})$", "区划代码应为2、4、6或9位数字。")])
    sector = SectorCodeFilter(method="filter_sector")
    high_risk = django_filters.BooleanFilter(label="高危行业企业", widget=forms.Select(
        choices=[("", "全部"), ("true", "是"), ("false", "否")]))
    status = django_filters.ChoiceFilter(label="状态", choices=Enterprise.Status.choices)
    sort = django_filters.OrderingFilter(
        label="排序",
        fields=(("name", "name"), ("credit_code", "credit_code"), ("employees", "employees"),
                ("township_code", "region"), ("created_at", "created")),
        field_labels={"name": "名称", "credit_code": "信用代码", "employees": "从业人员数", "township_code": "乡镇（街道）",
                      "created_at": "登记时间"},
    )

    class Meta:
        model = Enterprise
        fields = ["q", "region", "sector", "high_risk", "status"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))

    def filter_region(self, queryset, name, value):
        value = value.strip()
        level = LEVEL_BY_LENGTH.get(len(value))
        if not value.isdigit() or level is None:  # pragma: no cover - the validator refuses it first
            return queryset.none()
        return queryset.filter(**{f"{level}_code": value})

    def filter_sector(self, queryset, name, value):
        if value is None:
            return queryset
        through = Enterprise.sectors.through
        return queryset.filter(Exists(through.objects.filter(enterprise_id=OuterRef("pk"),
                                                             sector_id__in=sorted(value.with_descendants()))))
