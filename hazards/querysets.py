"""Hazard querysets: scope, openness and overdue (derived, never stored)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from core.querysets import ScopedQuerySet

from . import workflow


class HazardQuerySet(ScopedQuerySet):
    enterprise_field = "enterprise"
    sector_field = "sector"

    def counted(self):
        """Hazards that count in statistics: merged and voided ones count nowhere."""
        return self.exclude(status__in=workflow.FINAL_STATES)

    def open(self):
        return self.filter(status__in=workflow.OPEN_STATES)

    def major(self):
        return self.filter(grade=workflow.MAJOR)

    def overdue(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.open().filter(deadline__lt=today)

    def not_overdue(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.exclude(Q(status__in=workflow.OPEN_STATES) & Q(deadline__lt=today))

    def due_within(self, days: int, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.open().filter(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=days))

    def leniency_eligible(self):
        """Self-found, reported (双报告), under rectification with a plan — enforcement proposes 不予处罚."""
        return self.filter(
            channel__in=SELF_CHANNELS, reported_at__isnull=False, status__in=(workflow.RECTIFYING, workflow.PENDING_ACCEPTANCE),
            plan__isnull=False,
        )


SELF_CHANNELS = ("self_check", "enterprise_third_party")
