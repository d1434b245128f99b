from django.contrib import admin

from core.admin import AuditedModelAdmin

from .models import Engagement, Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedModelAdmin):
    list_display = ("name", "credit_code", "region", "status", "high_risk")
    list_filter = ("status", "high_risk")
    search_fields = ("name", "credit_code")
    autocomplete_fields = ["region", "organisation"]


@admin.register(Engagement)
class EngagementAdmin(AuditedModelAdmin):
    list_display = ("agency", "enterprise", "engaged_by", "start", "end")
