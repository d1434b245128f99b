"""The FilterSet of the personal inbox (站内消息)."""

import django_filters

from core.listfilters import SearchFilter, YesNoFilter

from .models import Notification


class NotificationFilter(django_filters.FilterSet):
    unread = YesNoFilter(label="未读", field_name="read_at", lookup_expr="isnull")
    q = SearchFilter(label="关键词", fields=("title", "body"))

    class Meta:
        model = Notification
        fields = ["unread", "q"]
