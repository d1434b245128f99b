"""Django admin with a change log of every edit made there (outside the services)."""

from django.contrib import admin
from django.forms.models import model_to_dict

from .models import REGION_LEVELS, ChangeLog, Event, Notification, OutboxMessage, RegionCodes, SecurityLog
from .request_context import current_request_id


def _snapshot(obj) -> dict:
    data = model_to_dict(obj)
    return {k: (v if isinstance(v, (str, int, float, bool, type(None))) else str(v)) for k, v in data.items()}


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes a ChangeLog row (pre/post JSON, user, request id) for every admin save/delete.

    A row placed in the region tree (``RegionCodes``) keeps its level codes — what scoping filters
    on — derived from its ``region`` as every service writes them: shown read-only, copied from
    the region chosen on save."""

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if issubclass(self.model, RegionCodes):
            fields += tuple(f"{level}_code" for level in REGION_LEVELS if f"{level}_code" not in fields)
        return fields

    def save_model(self, request, obj, form, change):
        pre = None
        if change and obj.pk:
            old = type(obj).objects.filter(pk=obj.pk).first()
            pre = _snapshot(old) if old else None
        if isinstance(obj, RegionCodes) and hasattr(obj, "region_id"):
            if obj.region_id is not None:
                obj.set_region_codes(obj.region)
            else:
                for level in REGION_LEVELS:
                    setattr(obj, f"{level}_code", "")
        self.save_row(request, obj, form, change)
        ChangeLog.objects.create(
            user=request.user, user_name=request.user.get_username(),
            action=ChangeLog.Action.UPDATE if change else ChangeLog.Action.CREATE,
            object_type=obj._meta.label_lower, object_id=str(obj.pk), object_repr=str(obj)[:200],
            pre=pre, post=_snapshot(obj), request_id=current_request_id(),
        )

    def save_row(self, request, obj, form, change, *, update_fields=None):
        """The row's own save (``ModelAdmin.save_model``), between the change log's pre and post
        snapshots, inside the admin's transaction. A subclass whose field has a writer calls it here
        first (a sector's 高危行业: ``accounts.services.set_sector_high_risk``), so the log still
        holds the whole edit, and saves only ``update_fields`` when some fields are not the row's to
        write (the flag that service wrote, a versioned rule revised on the rules page)."""
        if update_fields is None:
            super().save_model(request, obj, form, change)
        else:
            obj.save(update_fields=update_fields)

    def delete_model(self, request, obj):
        ChangeLog.objects.create(
            user=request.user, user_name=request.user.get_username(), action=ChangeLog.Action.DELETE,
            object_type=obj._meta.label_lower, object_id=str(obj.pk), object_repr=str(obj)[:200],
            pre=_snapshot(obj), post=None, request_id=current_request_id(),
        )
        super().delete_model(request, obj)


class VersionedRuleAdmin(AuditedModelAdmin):
    """A versioned rule table's rows (``core.ruletables.TABLES``): never deleted — their versions
    (``RuleVersion``, by row id) and every figure or deadline computed for a past date read them —
    and their versioned fields read-only here: a change is a revision with an effective date on the
    rules page (``rules/<table>/<id>/``: a version, a ``rule.revised`` event). Edited here, the live
    row — the version in force today — changed in place, and with it every figure computed for a
    date since that version began. A row added here (e.g. the board's first rule set: the rules
    page adds rows only to tables that allow it) is in force from today: its version 1 is written
    with it (``ruletables.note_live_change``), so no earlier date sees it."""

    def _table(self):
        from .ruletables import TABLES

        return next(t for t in TABLES.values() if t.model == self.model._meta.label)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields  # a new row: its first version is what is entered here
        return (*fields, *(f for f in self._table().fields if f not in fields), "revise_on_rules_page")

    def save_model(self, request, obj, form, change):
        from .ruletables import note_live_change

        super().save_model(request, obj, form, change)
        if not change:
            note_live_change(request.user, self._table().key, [obj])

    @admin.display(description="修订（带施行日期）")
    def revise_on_rules_page(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        if obj is None or obj.pk is None:
            return "—"
        url = reverse("ruletable_edit", args=[self._table().key, obj.pk])
        return format_html('<a href="{}">在规则表页面修订</a>（新版本自施行日期起适用，此前的计算不受影响）', url)

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceDataAdmin(AuditedModelAdmin):
    """Reference data other records point at — sectors, department types, regions, 493号令's grade
    thresholds and investigation authorities: corrected here (with a change log), never deleted.
    Deleting a sector silently took it off enterprises, standards and plans (changing who sees
    them); deleting a region deleted its leniency policies (a versioned rule table)."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to superusers, never added, edited or deleted here: trails (append-only) and records
    whose every change must go through a service (e.g. memberships: the account page)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_name", "verb", "object_type", "object_id", "from_state", "to_state")
    list_filter = ("verb", "object_type")
    search_fields = ("object_repr", "actor_name", "request_id")


@admin.register(ChangeLog)
class ChangeLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user_name", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")


@admin.register(SecurityLog)
class SecurityLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "username", "ip")
    list_filter = ("kind",)
    search_fields = ("username",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "read_at")


@admin.register(OutboxMessage)
class OutboxAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "channel", "recipient_name", "address", "subject", "status")
    list_filter = ("channel", "status", "kind")
