"""The hazard FilterSet shared by the ledger page, its xlsx export and the API."""

import datetime

import django_filters
from django import forms
from django.apps import apps
from django.db import connection
from django.utils import timezone

from core.listfilters import (
    HeldFilter,
    OverdueFilter,
    RecordIdFilter,
    RegionCodeFilter,
    SearchTermFilter,
    StableOrderingFilter,
    YesNoFilter,
)
from enterprises.filters import SectorCodeFilter

from . import workflow
from .disclosure import channel_choices, filter_channel
from .models import CompulsoryMeasure, Hazard, SiteOrder


def listing_model():
    """The supervision app's ``Listing`` (挂牌督办) if that app is installed and has it, else None."""
    if not apps.is_installed("supervision"):
        return None
    try:
        return apps.get_model("supervision", "Listing")
    except LookupError:
        return None


#: 整改情况 — the figures of the board and the cockpit (campaigns.board) link here with these values
#: the daily digest's horizon: open hazards overdue or due within this many days
DUE_DAYS = 7
PROGRESS = (("counted", "全部（不含已合并、作废）"), ("open", "未整改"), ("overdue", "逾期未整改"),
            ("due", f"逾期或{DUE_DAYS}日内到期"), ("closed", "已整改销号"))


#: 隐患类别 as a filter: the three classes and 未注明, whose stored value ("") a query string cannot carry
#: (an empty value means "any"), so it is asked for as ``unstated``
UNSTATED = "unstated"
CATEGORY_CHOICES = [(UNSTATED if not value else value, label) for value, label in Hazard.Category.choices]


class HazardFilter(django_filters.FilterSet):
    q = SearchTermFilter(label="描述或单位", max_length=100, method="filter_q")
    region = RegionCodeFilter()
    sector = SectorCodeFilter(method="filter_sector")
    enterprise = RecordIdFilter(label="单位编号", field_name="enterprise_id", noun="单位")
    grade = django_filters.ChoiceFilter(label="隐患等级", choices=Hazard.Grade.choices)
    category = django_filters.ChoiceFilter(label="隐患类别", choices=CATEGORY_CHOICES, method="filter_category")
    status = django_filters.ChoiceFilter(label="状态", choices=Hazard.Status.choices)
    channel = django_filters.ChoiceFilter(label="发现渠道", choices=Hazard.Channel.choices, method="filter_channel")
    open = YesNoFilter(label="未销号", method="filter_open")
    overdue = OverdueFilter(label="逾期未改")
    # only listings in force (approved, not delisted) — a declined or delisted one is not 挂牌督办
    listed = HeldFilter(label="挂牌督办", ids=lambda: listing_model().objects.supervised().values("hazard_id"))
    # 现场处理措施 in force (ordered, not lifted: 安全生产法 第六十五条第一款第（三）项); 强制措施 in force (停止供电
    # etc., 第七十条: to be lifted as soon as the unit complies — the lists a department keeps an eye on)
    site_order = HeldFilter(label="现场处理措施未解除", ids=lambda: SiteOrder.objects.held())
    compulsion = HeldFilter(label="强制措施未解除", ids=lambda: CompulsoryMeasure.objects.held())
    progress = django_filters.ChoiceFilter(label="整改情况", choices=PROGRESS, method="filter_progress")
    item = django_filters.CharFilter(label="判定依据条款编码", field_name="basis_item__code")
    found_from = django_filters.DateFilter(label="发现日期自", field_name="found_on", lookup_expr="gte",
                                           widget=forms.DateInput(attrs={"type": "date"}))
    found_to = django_filters.DateFilter(label="发现日期至", field_name="found_on", lookup_expr="lte",
                                         widget=forms.DateInput(attrs={"type": "date"}))
    sort = StableOrderingFilter(
        label="排序",
        fields=(("first_reported_at", "reported"), ("found_on", "found"), ("deadline", "deadline"),
                ("grade", "grade"), ("status", "status"), ("enterprise__name", "enterprise")),
        field_labels={"first_reported_at": "报告时间", "found_on": "发现日期", "deadline": "整改期限",
                      "grade": "等级", "status": "状态", "enterprise__name": "单位"},
    )

    class Meta:
        model = Hazard
        fields = ["q", "region", "sector", "enterprise", "grade", "category", "status", "channel", "open", "overdue", "listed", "site_order", "compulsion",
                  "progress", "item",
                  "found_from", "found_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if listing_model() is None:
            self.filters.pop("listed", None)
        # for a user's request, outside government no 举报核实 (hazards.disclosure: nothing passed to
        # the reported party); without a request (internal callers, e.g. the cockpit) the stored channel
        if self.request is not None:
            channel = self.filters["channel"]
            channel.extra["choices"] = channel_choices(getattr(self.request, "user", None))
            channel.__dict__.pop("_field", None)  # a form field built earlier (and deep-copied) had every choice

    def filter_channel(self, queryset, name, value):
        if self.request is None:
            return queryset.filter(channel=value) if value else queryset
        return filter_channel(queryset, value, getattr(self.request, "user", None))

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.open() if value else queryset.exclude(pk__in=queryset.open().values("pk"))

    #: the enterprises whose name holds ``q`` (hazards.search.enterprise_ids), once a text search
    #: on PostgreSQL has run: the ledger's pager tests rows with the same list (substring_test)
    text_names = None

    def filter_q(self, queryset, name, value):
        # n-gram index on PostgreSQL, same results as a substring test
        from .search import enterprise_ids, query_tokens, text_filter

        value = (value or "").strip()
        if not value:
            return queryset
        if connection.vendor == "postgresql" and query_tokens(value):
            self.text_names = enterprise_ids(value)
        return text_filter(queryset, value, self.text_names)

    def filter_sector(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(sector_id__in=sorted(value.with_descendants()))

    def filter_progress(self, queryset, name, value):
        if value == "counted":
            return queryset.counted()
        if value == "open":
            return queryset.open()
        if value == "overdue":
            return queryset.overdue()
        if value == "due":  # what the daily digest lists (hazards.alerts.send_daily_digests)
            horizon = timezone.localdate() + datetime.timedelta(days=DUE_DAYS)
            return queryset.open().filter(deadline__isnull=False, deadline__lte=horizon)
        if value == "closed":
            return queryset.filter(status=workflow.CLOSED)
        return queryset

    def filter_category(self, queryset, name, value):
        return queryset.filter(category="" if value == UNSTATED else value)


