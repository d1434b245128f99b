"""Admin: campaigns, submissions and snapshots are read-only here; the board's rule sets are a rule
table (audited; docs/rules.md says how an edit outside the rule-table pages acts on its versions).

A campaign is created and edited on its pages (``/campaigns/new/``, ``/campaigns/<id>/edit/``,
superusers too) by ``services.create_campaign`` / ``update_campaign``: the checks of its dates,
phases and units, its event and the board backfill job. An edit saved here had none of them, and a
campaign is never deleted (its submissions and the events name it)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from core.admin import ReadOnlyAdmin, VersionedRuleAdmin

from .models import BoardRuleSet, BoardSnapshot, Campaign, Phase, Submission


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("name", "region", "start", "end", "first_report_date", "edit_page")
    inlines = [PhaseInline]
    readonly_fields = ("edit_page",)

    @admin.display(description="修改")
    def edit_page(self, obj):
        return format_html('<a href="{}">在专项行动页面修改</a>', reverse("campaigns:campaign_edit", args=[obj.pk]))


@admin.register(BoardRuleSet)
class BoardRuleSetAdmin(VersionedRuleAdmin):  # "board-rules"
    list_display = ("name", "is_active", "updated_at")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("unit", "campaign", "week", "version", "as_of", "submitted_by_name", "submitted_at")


@admin.register(BoardSnapshot)
class BoardSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("region", "week", "colour")
