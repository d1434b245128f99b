"""Assessment scope: the organising committee office's region sees everything of its sets
(committee offices and comprehensive departments of that region); an assessed unit sees only its
own sheet. Enterprises, agencies and other regions see nothing."""

from django.db.models import Q

from core.querysets import ScopedQuerySet


def _reviewer_region_q(scope, prefix: str) -> Q | None:
    if scope.kind == "committee" or (scope.kind == "department" and scope.sector_ids is None):
        return Q(**{f"{prefix}{scope.level}_code": scope.region_code})
    return None


class IndicatorSetQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        from accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.nothing or not scope.is_government:
            return self.none()
        q = Q(assessments__unit_id=scope.organisation_id)
        region_q = _reviewer_region_q(scope, "")
        if region_q is not None:
            q |= region_q
        return self.filter(q).distinct()

    def overseen_by(self, user):
        """The sets whose every result ``user`` sees (the committee offices and comprehensive
        departments of the set's region; superusers) — not an assessed unit, which sees its own
        sheet only. They see the set's computation (its job's progress and outcome) too."""
        from accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        region_q = None if scope.nothing or not scope.is_government else _reviewer_region_q(scope, "")
        return self.none() if region_q is None else self.filter(region_q)


class AssessmentQuerySet(ScopedQuerySet):
    unit_path = "unit_id"
    set_prefix = "indicator_set__"

    def visible_to(self, user):
        from accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.nothing or not scope.is_government:
            return self.none()
        q = Q(**{self.unit_path: scope.organisation_id})
        region_q = _reviewer_region_q(scope, self.set_prefix)
        if region_q is not None:
            q |= region_q
        return self.filter(q)


class ThroughAssessmentQuerySet(AssessmentQuerySet):
    unit_path = "assessment__unit_id"
    set_prefix = "assessment__indicator_set__"
