"""Django admin for enterprises and engagements (superusers).

An enterprise added or edited here goes through ``enterprises.services`` as on its pages —
``register_enterprise`` (``enterprise.created``) and ``edit_enterprise`` (``enterprise.updated``,
old → new; a move takes its open hazards and login unit along) — and never deleted here: 关闭 is
``close_enterprise`` on its page, and its records (hazards, inspections, cases, accidents) name it."""

from django import forms
from django.contrib import admin
from django.db import transaction

from core.admin import ReadOnlyAdmin
from core.models import REGION_LEVELS
from core.services import ServiceError

from . import services
from .models import Engagement, Enterprise


class _Trial(Exception):
    """Raised inside the trial run of a service to roll it back."""


def _save(actor, ent: Enterprise | None, data: dict) -> Enterprise:
    """The admin form's data written by the services (a new enterprise when ``ent`` is None)."""
    profile = {f: data[f] for f in services.PROFILE_FIELDS if f in data}
    if ent is None:
        return services.register_enterprise(actor, credit_code=data.get("credit_code") or "", region=data.get("region"),
                                            sectors=list(data.get("sectors") or []), **profile)
    return services.edit_enterprise(actor, ent, region=data.get("region"), sectors=list(data.get("sectors") or []),
                                    **profile)


class EnterpriseForm(forms.ModelForm):
    actor = None

    class Meta:
        model = Enterprise
        fields = "__all__"

    def clean(self):
        """The services' refusals under their fields before anything is written: the same call in
        a transaction rolled back (its events with it)."""
        cleaned = super().clean()
        if self.errors:
            return cleaned
        current = Enterprise.objects.get(pk=self.instance.pk) if self.instance.pk else None
        try:
            with transaction.atomic():
                _save(self.actor, current, cleaned)
                raise _Trial
        except _Trial:
            pass
        except ServiceError as exc:
            from core.views import service_error_to_form  # not at autodiscover (accounts/admin.py says why)

            service_error_to_form(self, exc)
        return cleaned


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    form = EnterpriseForm
    list_display = ("name", "credit_code", "region", "status", "high_risk")
    list_filter = ("status", "high_risk")
    search_fields = ("name", "credit_code")
    autocomplete_fields = ["region"]

    def get_form(self, request, obj=None, **kwargs):
        return type("EnterpriseForm", (super().get_form(request, obj, **kwargs),), {"actor": request.user})

    def get_readonly_fields(self, request, obj=None):
        # high_risk: derived from the sectors unless 人工认定高危 says otherwise; status: 停产整顿 and 复产
        # are enforcement decisions, 关闭 is close_enterprise (never a form field); the login unit is
        # opened with the first account; the credit code is the enterprise's identity once registered
        fields = ("high_risk", "status", "organisation", *(f"{level}_code" for level in REGION_LEVELS))
        return fields + (("credit_code",) if obj is not None else ())

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        ent = _save(request.user, Enterprise.objects.get(pk=obj.pk) if change else None, form.cleaned_data)
        for field in Enterprise._meta.concrete_fields:
            setattr(obj, field.attname, getattr(ent, field.attname))
        obj._state.adding, obj._state.db = False, ent._state.db

    def save_related(self, request, form, formsets, change):
        """The sectors were saved by the service (``save_model``), not ``save_m2m``."""


@admin.register(Engagement)
class EngagementAdmin(ReadOnlyAdmin):
    """Read-only: engagements are made and ended on the enterprise's page or the API
    (services.engage_agency / end_engagement: who may, the dates, overlaps, an event) and never deleted."""

    list_display = ("agency", "enterprise", "engaged_by", "start", "end", "end_reason")
    list_filter = ("engaged_by",)
