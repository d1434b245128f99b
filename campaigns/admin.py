"""Admin: campaigns and the board's rule sets are editable (audited); submissions and snapshots read-only."""

from django.contrib import admin

from core.admin import AuditedModelAdmin, ReadOnlyAdmin

from .models import BoardRuleSet, BoardSnapshot, Campaign, Phase, Submission


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(AuditedModelAdmin):
    list_display = ("name", "region", "start", "end", "first_report_date")
    inlines = [PhaseInline]
    filter_horizontal = ("units",)

    def save_model(self, request, obj, form, change):
        obj.set_region_codes(obj.region)
        super().save_model(request, obj, form, change)


@admin.register(BoardRuleSet)
class BoardRuleSetAdmin(AuditedModelAdmin):
    list_display = ("name", "is_active", "updated_at")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("unit", "campaign", "week", "version", "as_of", "submitted_by_name", "submitted_at")


@admin.register(BoardSnapshot)
class BoardSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("region", "week", "colour")
