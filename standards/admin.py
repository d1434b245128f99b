from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Item, KeyInspectionList, Standard


@admin.register(Standard)
class StandardAdmin(ReadOnlyAdmin):
    """Read-only: revisions go through standards.services.revise_standard (new version rows)."""

    list_display = ("code", "version", "is_current", "short_title", "status", "verified")
    list_filter = ("status", "is_current", "verified")
    search_fields = ("code", "title")


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ("code", "standard", "summary_zh", "verified", "counts")
    list_filter = ("verified", "counts")
    search_fields = ("code", "summary_zh")


@admin.register(KeyInspectionList)
class KeyInspectionListAdmin(ReadOnlyAdmin):
    list_display = ("sector", "title", "version", "is_current")
