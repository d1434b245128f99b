"""Listing querysets: a listing is visible to whoever can see its hazard."""

import datetime

from django.utils import timezone

from core.querysets import ScopedQuerySet

from . import workflow


class ListingQuerySet(ScopedQuerySet):
    region_prefix = "hazard__"
    enterprise_field = "hazard__enterprise"
    sector_field = "hazard__sector"

    def active(self):
        return self.filter(status__in=workflow.ACTIVE_STATES)

    def supervised(self):
        """Approved and not yet delisted (挂牌督办中 or 申请摘牌)."""
        return self.filter(status__in=workflow.SUPERVISED_STATES)

    def overdue(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.supervised().filter(deadline__lt=today)

    def not_overdue(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.exclude(status__in=workflow.SUPERVISED_STATES, deadline__lt=today)


class ProgressReportQuerySet(ScopedQuerySet):
    region_prefix = "listing__hazard__"
    enterprise_field = "listing__hazard__enterprise"
    sector_field = "listing__hazard__sector"
