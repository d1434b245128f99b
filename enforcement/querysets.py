"""Scoped querysets of enforcement records.

Rows hang on an enterprise (``region_prefix="enterprise__"``): government users see what they
can see of the enterprise (region × sectors); enterprise users see their own enterprise's rows;
third-party agencies see nothing here. Rows without an enterprise (accountability, notices to
townships and departments) carry their own region codes.
"""

from django.db.models import Exists, OuterRef, Q

from core.querysets import ScopedQuerySet


class EnterpriseScopedQuerySet(ScopedQuerySet):
    region_prefix = "enterprise__"
    enterprise_field = "enterprise"
    sector_field = "enterprise__sectors"
    enterprise_path = "enterprise_id"

    def visible_to(self, user):
        from accounts.scope import scope_for

        if scope_for(user).kind == "agency":
            return self.none()
        return super().visible_to(user)

    def sector_q(self, sector_ids) -> Q:
        from enterprises.models import Enterprise

        through = Enterprise.sectors.through
        return Q(Exists(through.objects.filter(enterprise_id=OuterRef(self.enterprise_path),
                                               sector_id__in=sorted(sector_ids))))


class CaseQuerySet(EnterpriseScopedQuerySet):
    def open(self):
        return self.exclude(stage="closed")


class DecisionQuerySet(EnterpriseScopedQuerySet):
    region_prefix = "case__enterprise__"
    enterprise_field = "case__enterprise"
    enterprise_path = "case__enterprise_id"

    def penalties(self):
        return self.filter(kind="penalty", status="effective")


class OwnRegionQuerySet(ScopedQuerySet):
    """Rows with their own region codes and no enterprise (government-only records)."""

    def visible_to(self, user):
        from accounts.scope import scope_for

        if scope_for(user).enterprise_ids is not None:
            return self.none()
        return super().visible_to(user)
