"""Accident scope: like every enterprise-bound record — region codes of the accident's township,
its enterprise (enterprise users see their own accidents) and its sector (industry departments
see their sectors). Child rows are scoped through their accident."""

from core.querysets import ScopedQuerySet


class AccidentQuerySet(ScopedQuerySet):
    enterprise_field = "enterprise"
    sector_field = "sector"

    def open_investigations(self):
        from .workflow import INVESTIGATING, REPORTED

        return self.filter(status__in=(REPORTED, INVESTIGATING))

    def overdue(self, today=None):
        """Investigations still open past their report deadline (``Accident.investigation_overdue``)."""
        from django.utils import timezone

        return self.open_investigations().filter(investigation_due__lt=today or timezone.localdate())

    def not_overdue(self, today=None):
        return self.exclude(pk__in=self.overdue(today).values("pk"))


class ThroughAccidentQuerySet(ScopedQuerySet):
    region_prefix = "accident__"
    enterprise_field = "accident__enterprise"
    sector_field = "accident__sector"


class LessonCheckQuerySet(ScopedQuerySet):
    """A 举一反三 check is seen by government users of its region (and sectors); enterprises see
    only their own target rows (``LessonTargetQuerySet``)."""

    sector_field = "accident__sector"


class LessonTargetQuerySet(ScopedQuerySet):
    region_prefix = "enterprise__"
    enterprise_field = "enterprise"
    sector_field = "lesson__accident__sector"
