"""Scoped querysets of enforcement records.

Rows hang on an enterprise (``region_prefix="enterprise__"``): government users see what they
can see of the enterprise (region × sectors); enterprise users see their own enterprise's rows;
third-party agencies see nothing here. Rows without an enterprise (accountability, notices to
townships and departments) carry their own region codes.
"""

from core.querysets import ScopedQuerySet, ThroughEnterpriseQuerySet


class EnterpriseScopedQuerySet(ThroughEnterpriseQuerySet):
    """Scoped through the enterprise; third-party agencies see no enforcement records."""

    def visible_to(self, user):
        from accounts.scope import scope_for

        if scope_for(user).kind == "agency":
            return self.none()
        return super().visible_to(user)


class CaseQuerySet(EnterpriseScopedQuerySet):
    def open(self):
        return self.exclude(stage="closed")


class DecisionQuerySet(EnterpriseScopedQuerySet):
    enterprise_path = "case__enterprise"

    def penalties(self):
        return self.filter(kind="penalty", status="effective")


class OwnRegionQuerySet(ScopedQuerySet):
    """Rows with their own region codes and no enterprise (government-only records)."""

    def visible_to(self, user):
        from accounts.scope import scope_for

        if scope_for(user).enterprise_ids is not None:
            return self.none()
        return super().visible_to(user)
