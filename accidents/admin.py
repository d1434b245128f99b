"""Administrators edit the rule tables (with a change log; none is deleted: the versioned ones — time
limits, 补报 windows — and 493号令's thresholds and authorities); accident rows are read-only here — they change only through the services."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReferenceDataAdmin, VersionedRuleAdmin

from .models import Accident, DeadlineRule, GradeThreshold, InvestigationAuthority, SupplementWindow


@admin.register(GradeThreshold)
class GradeThresholdAdmin(ReferenceDataAdmin):
    list_display = ["grade", "min_deaths", "min_injuries", "min_loss", "basis"]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(VersionedRuleAdmin):  # "accident-deadlines"
    list_display = ["code", "amount", "basis"]


@admin.register(SupplementWindow)
class SupplementWindowAdmin(VersionedRuleAdmin):  # "accident-supplement-windows"
    list_display = ["accident_type", "days", "basis"]


@admin.register(InvestigationAuthority)
class InvestigationAuthorityAdmin(ReferenceDataAdmin):
    list_display = ["grade", "level", "basis"]


@admin.register(Accident)
class AccidentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "accident_type", "grade", "status", "occurred_at", "deaths", "injuries", "loss"]
