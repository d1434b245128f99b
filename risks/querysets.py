"""Scoping for every obligations row: through its enterprise (region codes, sectors, id)."""

from core.querysets import ScopedQuerySet, ThroughEnterpriseQuerySet


class EnterpriseRowQuerySet(ThroughEnterpriseQuerySet):
    """Rows with an ``enterprise`` FK, scoped through the enterprise."""


class RuleQuerySet(ScopedQuerySet):
    """Reference data (rules, rate tables): readable by every logged-in user with a scope."""

    def visible_to(self, user):
        from accounts.scope import scope_for

        return self.none() if scope_for(user).nothing else self
