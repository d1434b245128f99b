"""Tip scope: the handling unit, committee offices whose region covers the tip's township, and the
next-level unit a handling extension was asked of (``Tip.extension_approver``, which must see what
it approves) or a 复查 goes to (``Tip.review_org``, which must see what it reviews). Enterprise users, agencies and other departments never see tips."""

import datetime

from django.db.models import Q
from django.utils import timezone

from core.querysets import ScopedQuerySet

from . import workflow

# The deadline that runs in each state (the tip's "current deadline"); states not named have none.
DEADLINE_FIELD_BY_STATE = {
    workflow.SUBMITTED: "accept_deadline",
    workflow.ACCEPTED: "handle_deadline",
    workflow.VERIFYING: "handle_deadline",
    workflow.VERIFIED: "reward_deadline",
}


class TipQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.nothing or not scope.is_government or scope.organisation_id is None:
            return self.none()
        q = (Q(assigned_org_id=scope.organisation_id) | Q(extension_approver_id=scope.organisation_id)
             | Q(review_org_id=scope.organisation_id))
        if scope.kind == "committee":
            q |= Q(**{f"{scope.level}_code": scope.region_code})
        return self.filter(q)

    def extension_pending_for(self, organisation_id):
        """Tips whose handling extension waits for ``organisation_id``'s approval (its queue)."""
        return self.filter(extension_approver_id=organisation_id, extension_requested_at__isnull=False,
                           extension_decided_at__isnull=True)

    def review_pending_for(self, organisation_id):
        """Tips whose reporter asked for 复查 and ``organisation_id`` (the next level, ``review_org``)
        has not decided it yet (its queue)."""
        return self.filter(review_org_id=organisation_id, review_requested_at__isnull=False,
                           review_decided_at__isnull=True)

    def open(self):
        return self.filter(status__in=workflow.OPEN_STATES)

    def _overdue_q(self, today: datetime.date | None) -> Q:
        today = today or timezone.localdate()
        q = Q(pk__in=[])
        for state, field in DEADLINE_FIELD_BY_STATE.items():
            q |= Q(status=state, **{f"{field}__lt": today})
        return q

    def overdue(self, today: datetime.date | None = None):
        """Tips whose current deadline (see DEADLINE_FIELD_BY_STATE) has passed — in the database."""
        return self.filter(self._overdue_q(today))

    def not_overdue(self, today: datetime.date | None = None):
        return self.exclude(self._overdue_q(today))
