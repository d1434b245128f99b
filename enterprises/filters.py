"""The enterprise FilterSet shared by the list page, its export and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.models import Sector
from core.listfilters import RecordIdFilter, RegionCodeFilter, StableOrderingFilter, YesNoFilter

from .models import Engagement, Enterprise, ImportJob


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
    region = RegionCodeFilter()
    sector = SectorCodeFilter(method="filter_sector")
    high_risk = YesNoFilter(label="高危行业企业")
    status = django_filters.ChoiceFilter(label="状态", choices=Enterprise.Status.choices)
    sort = StableOrderingFilter(
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

    def filter_sector(self, queryset, name, value):
        if value is None:
            return queryset
        through = Enterprise.sectors.through
        return queryset.filter(Exists(through.objects.filter(enterprise_id=OuterRef("pk"),
                                                             sector_id__in=sorted(value.with_descendants()))))


class ImportJobFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=ImportJob.Status.choices, empty_label="全部状态")
    dry_run = YesNoFilter(label="试运行")

    class Meta:
        model = ImportJob
        fields = ["status", "dry_run"]


class EngagementFilter(django_filters.FilterSet):
    """第三方服务委托: the list page, its export and ``/api/v1/engagements/``."""

    q = django_filters.CharFilter(label="机构或单位名称", method="filter_q")
    enterprise = RecordIdFilter(label="生产经营单位编号", field_name="enterprise_id", noun="生产经营单位")
    state = django_filters.ChoiceFilter(label="状态", choices=Engagement.State.choices, method="filter_state",
                                        empty_label="全部状态")
    engaged_by = django_filters.ChoiceFilter(label="委托方", choices=Engagement.EngagedBy.choices, empty_label="全部委托方")

    class Meta:
        model = Engagement
        fields = ["q", "enterprise", "state", "engaged_by"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(agency__name__icontains=value) | Q(enterprise__name__icontains=value))

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == Engagement.State.IN_FORCE:
            return queryset.in_force(today)
        cancelled = queryset.cancelled().values("pk")  # ended before their start: 已结束, never 尚未开始
        if value == Engagement.State.NOT_STARTED:
            return queryset.filter(start__gt=today).exclude(pk__in=cancelled)
        if value == Engagement.State.ENDED:
            return queryset.filter(Q(end__lt=today) | Q(pk__in=cancelled))
        return queryset
