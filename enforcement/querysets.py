"""Scoped querysets of enforcement records.

Rows hang on an enterprise: government users see what they can see of the enterprise (its
sectors) in the row's place — the place it happened in for cases, their decisions, measures and
typical cases (``PlacedQuerySet``: the enterprise's place when the case was filed), the
enterprise's current place for the credit list and bans; enterprise users see their own
enterprise's rows; third-party agencies see nothing here. Rows without an enterprise (accountability, notices to
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


class PlacedQuerySet(EnterpriseScopedQuerySet):
    """Enforcement records that keep the place they happened in (their own RegionCodes: a case
    where it was filed, a measure or typical case where it was taken): region scope on those,
    sectors and enterprise users through the enterprise."""

    place_path = ""


class CaseQuerySet(PlacedQuerySet):
    def open(self):
        return self.exclude(stage="closed")


class DecisionQuerySet(EnterpriseScopedQuerySet):
    enterprise_path = "case__enterprise"
    place_path = "case"  # a decision is where its case was filed

    def penalties(self):
        return self.filter(kind="penalty", status="effective")

    def suspensions_in_force(self):
        """责令停产停业整顿 decisions in force: effective and not lifted by an effective 复产复查决定 — the one
        query of it (a case's: ``services.suspension_in_force``; the case list's filter and home card);
        ``compulsion.in_force`` asks the same of a decision in hand, its 复产 prefetched."""
        return self.filter(kind="suspension", status="effective").exclude(lifted_by__status="effective")


class OwnRegionQuerySet(ScopedQuerySet):
    """Rows with their own region codes and no enterprise (government-only records)."""

    def visible_to(self, user):
        from accounts.scope import scope_for

        if scope_for(user).enterprise_ids is not None:
            return self.none()
        return super().visible_to(user)
