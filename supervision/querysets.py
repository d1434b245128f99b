"""Listing querysets: a listing is visible to whoever can see its hazard."""

import datetime

from django.db.models import Q
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
        """Supervised, its deadline passed and its hazard still open (PRODUCT.md: overdue is the
        deadline passed while open): once the hazard is accepted and 销号, what is left is 摘牌."""
        return self.filter(overdue_q(today))

    def not_overdue(self, today: datetime.date | None = None):
        return self.exclude(overdue_q(today))


def overdue_q(today) -> Q:
    from hazards.workflow import OPEN_STATES

    return Q(status__in=workflow.SUPERVISED_STATES, deadline__lt=today or timezone.localdate(),
             hazard__status__in=OPEN_STATES)


class ProgressReportQuerySet(ScopedQuerySet):
    region_prefix = "listing__hazard__"
    enterprise_field = "listing__hazard__enterprise"
    sector_field = "listing__hazard__sector"
