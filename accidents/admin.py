"""Administrators edit the rule tables (with a change log); accident rows are read-only here —
they change only through the services."""

from django.contrib import admin

from core.admin import AuditedModelAdmin, ReadOnlyAdmin

from .models import Accident, DeadlineRule, GradeThreshold, InvestigationAuthority, SupplementWindow


@admin.register(GradeThreshold)
class GradeThresholdAdmin(AuditedModelAdmin):
    list_display = ["grade", "min_deaths", "min_injuries", "min_loss", "basis"]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(AuditedModelAdmin):
    list_display = ["code", "amount", "basis"]


@admin.register(SupplementWindow)
class SupplementWindowAdmin(AuditedModelAdmin):
    list_display = ["accident_type", "days", "basis"]


@admin.register(InvestigationAuthority)
class InvestigationAuthorityAdmin(AuditedModelAdmin):
    list_display = ["grade", "level", "basis"]


@admin.register(Accident)
class AccidentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "accident_type", "grade", "status", "occurred_at", "deaths", "injuries", "loss"]
