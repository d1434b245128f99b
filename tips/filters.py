"""The tip-inbox FilterSet shared by the inbox page, its export and the API."""

import django_filters

from core.listfilters import OverdueFilter, SearchFilter, YesNoFilter

from . import workflow
from .models import Tip


class TipFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=Tip.Status.choices, empty_label="全部状态")
    channel = django_filters.ChoiceFilter(label="渠道", choices=Tip.Channel.choices, empty_label="全部渠道")
    open = YesNoFilter(label="在办", method="filter_open")
    overdue = OverdueFilter(label="超期")
    extension = YesNoFilter(label="待本单位审批延期", method="filter_extension")
    review = YesNoFilter(label="待本单位复查", method="filter_review")
    q = SearchFilter(label="关键词", fields=("enterprise_name", "content"))

    class Meta:
        model = Tip
        fields = ["status", "channel", "open", "overdue", "extension", "review", "q"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status__in=workflow.OPEN_STATES) if value else queryset.exclude(status__in=workflow.OPEN_STATES)

    def filter_extension(self, queryset, name, value):
        """The next level's queue: handling extensions that wait for the user's unit to approve."""
        return self._queue(queryset, value, queryset.extension_pending_for)

    def filter_review(self, queryset, name, value):
        """The next level's other queue: reporters' 复查 requests that wait for the user's unit."""
        return self._queue(queryset, value, queryset.review_pending_for)

    def _queue(self, queryset, value, pending_for):
        if value is None:
            return queryset
        m = getattr(getattr(self.request, "user", None), "membership", None)
        pending = pending_for(m.organisation_id if m else None)
        return queryset.filter(pk__in=pending.values("pk")) if value else queryset.exclude(pk__in=pending.values("pk"))
