from django import forms
from django.contrib import admin

from core.admin import ReferenceDataAdmin

from .models import Region
from .tree import placement_error


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self.errors:
            parent = data.get("parent")
            error = placement_error(data.get("code") or "", data.get("level") or "",
                                    parent.code if parent else None, parent.level if parent else None)
            if error:
                self.add_error(*error)
        return data


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    """Regions are corrected here by name only. A region's code, level and parent are where it lies,
    and every row placed in the tree (``core.models.RegionCodes``: enterprises, hazards, units …)
    carries its level codes, which scoping filters on: moving a region here left those rows under
    the old county or city — seen by its officials, hidden from the new ones. A 区划调整 gives the
    region a new code (a new region, added here or by ``load_regions``) and the rows move with the
    services that move them (e.g. an enterprise's 所在区划)."""

    form = RegionForm
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ["parent"]

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        fixed = ("path",) if obj is None else ("code", "level", "parent", "path")
        return fields + tuple(f for f in fixed if f not in fields)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.path = f"{obj.parent.path}/{obj.code}" if obj.parent_id else obj.code
        super().save_model(request, obj, form, change)
