"""Scoping for every obligations row: through its enterprise (region codes, sectors, id)."""

from django.db.models import Exists, OuterRef, Q

from core.querysets import ScopedQuerySet


class EnterpriseRowQuerySet(ScopedQuerySet):
    """Rows with an ``enterprise`` FK. The sector filter runs an Exists on the enterprise's
    sector M2M table (a join through ``enterprise__sectors`` would duplicate rows)."""

    enterprise_field = "enterprise"
    region_prefix = "enterprise__"
    sector_field = "enterprise__sectors"

    def sector_q(self, sector_ids) -> Q:
        from enterprises.models import Enterprise

        through = Enterprise.sectors.through
        return Q(Exists(through.objects.filter(enterprise_id=OuterRef("enterprise_id"), sector_id__in=sorted(sector_ids))))


class RuleQuerySet(ScopedQuerySet):
    """Reference data (rules, rate tables): readable by every logged-in user with a scope."""

    def visible_to(self, user):
        from accounts.scope import scope_for

        return self.none() if scope_for(user).nothing else self
