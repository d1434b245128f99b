"""Scoping of inspection rows.

* Enterprise-linked rows (records, spot-checks, conflicts) are visible to whoever can see the
  enterprise: region codes and sectors come from the enterprise.
* Department-owned rows (plans, draws, visits, review batches) are visible to the owning unit
  and to committee offices of its region and above (region codes copied from the owner).
"""

from django.db.models import Q

from core.querysets import ScopedQuerySet, ThroughEnterpriseQuerySet


class EnterpriseLinkedQuerySet(ThroughEnterpriseQuerySet):
    """Records, spot-checks, conflicts: scoped through their enterprise."""


class RecordChildQuerySet(ThroughEnterpriseQuerySet):
    """Checklist lines, signatures, addenda: scoped through their record's enterprise."""

    enterprise_path = "record__enterprise"


class DepartmentOwnedQuerySet(ScopedQuerySet):
    #: the FK to the owning organisation
    owner_fields = ("department", "organisation")

    def _owner_field(self) -> str:
        names = {f.name for f in self.model._meta.get_fields()}
        return next(f for f in self.owner_fields if f in names)

    def visible_to(self, user):
        from accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.nothing or scope.enterprise_ids is not None or not scope.is_government:
            return self.none()
        own = Q(**{f"{self._owner_field()}_id": scope.organisation_id})
        if scope.kind == "committee":
            return self.filter(own | Q(**{f"{scope.level}_code": scope.region_code}))
        return self.filter(own)
