from django.contrib import admin

from core.admin import AuditedModelAdmin, ReadOnlyAdmin

from .models import Engagement, Enterprise
from .services import derive, follow_region


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedModelAdmin):
    list_display = ("name", "credit_code", "region", "status", "high_risk")
    list_filter = ("status", "high_risk")
    search_fields = ("name", "credit_code")
    autocomplete_fields = ["region", "organisation"]
    # high_risk: derived from the sectors unless 人工认定高危 says otherwise; status: 停产整顿 and 复产
    # are enforcement decisions, 关闭 is enterprises.services.close_enterprise (never a form field)
    readonly_fields = ("high_risk", "status")

    def save_model(self, request, obj, form, change):
        """What the enterprise services derive, derived here too (region codes, 高危, the name's
        search tokens), from the sectors chosen in the form (saved right after this)."""
        sectors = form.cleaned_data.get("sectors")
        derive(obj, list(sectors) if sectors is not None else list(obj.sectors.all()) if obj.pk else [])
        super().save_model(request, obj, form, change)
        if change and "region" in form.changed_data:
            follow_region(request.user, obj)  # its open hazards and login organisation go with it


@admin.register(Engagement)
class EngagementAdmin(ReadOnlyAdmin):
    """Read-only: engagements are made and ended on the enterprise's page or the API
    (services.engage_agency / end_engagement: who may, the dates, overlaps, an event) and never deleted."""

    list_display = ("agency", "enterprise", "engaged_by", "start", "end", "end_reason")
    list_filter = ("engaged_by",)
