from django.contrib import admin

from core.admin import ReferenceDataAdmin

from .models import Region


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
