"""Tip scope: the handling unit, and committee offices whose region covers the tip's township.
Enterprise users, agencies and other departments never see tips."""

from django.db.models import Q

from core.querysets import ScopedQuerySet


class TipQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.nothing or not scope.is_government or scope.organisation_id is None:
            return self.none()
        q = Q(assigned_org_id=scope.organisation_id)
        if scope.kind == "committee":
            q |= Q(**{f"{scope.level}_code": scope.region_code})
        return self.filter(q)

    def open(self):
        from .workflow import OPEN_STATES

        return self.filter(status__in=OPEN_STATES)
