"""Scoped querysets of the campaigns app (region codes on every row)."""

from core.querysets import ScopedQuerySet


class CampaignQuerySet(ScopedQuerySet):
    def covering(self, region, day):
        """Campaigns whose region is ``region`` or one of its ancestors and that run on ``day``."""
        codes = [*region.ancestor_codes(), region.code]
        return self.filter(region__code__in=codes, start__lte=day, end__gte=day)

    def visible_to(self, user):
        """A campaign of an ancestor region is visible to the units below it."""
        from accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.nothing or not scope.region_code:
            return self.none()
        return self.filter(region__code__in=[*scope.ancestor_codes, scope.region_code]) | super().visible_to(user)


class ActivityQuerySet(ScopedQuerySet):
    pass


class SubmissionQuerySet(ScopedQuerySet):
    pass


class BoardSnapshotQuerySet(ScopedQuerySet):
    pass
