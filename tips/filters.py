"""The tip-inbox FilterSet shared by the inbox page, its export and the API."""

import django_filters

from core.lists import OverdueFilter, SearchFilter

from .models import Tip


class TipFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=Tip.Status.choices, empty_label="全部状态")
    channel = django_filters.ChoiceFilter(label="渠道", choices=Tip.Channel.choices, empty_label="全部渠道")
    overdue = OverdueFilter(label="超期")
    q = SearchFilter(label="关键词", fields=("enterprise_name", "content"))

    class Meta:
        model = Tip
        fields = ["status", "channel", "overdue", "q"]
