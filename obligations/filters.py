"""The FilterSet of the /obligations/ enterprise list (page and export)."""

import django_filters
from django.utils import timezone

from core.listfilters import SearchFilter, YesNoFilter
from enterprises.models import Enterprise

from .summary import obligation_summaries


class ObligationEnterpriseFilter(django_filters.FilterSet):
    q = SearchFilter(label="单位名称或信用代码", fields=("name", "credit_code"))
    overdue = YesNoFilter(label="有逾期事项", method="filter_overdue")

    class Meta:
        model = Enterprise
        fields = ["q", "overdue"]

    def filter_overdue(self, queryset, name, value):
        """Whether an enterprise has an overdue obligation depends on the rule tables, so it is
        computed for all filtered enterprises at once (one query per record kind, no cap) and
        applied as a database filter on their ids."""
        if value is None:
            return queryset
        summaries = obligation_summaries(queryset, timezone.localdate())
        ids = [pk for pk, s in summaries.items() if s["overdue"]]
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)
