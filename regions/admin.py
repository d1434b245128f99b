from django.contrib import admin

from core.admin import AuditedModelAdmin

from .models import Region


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
