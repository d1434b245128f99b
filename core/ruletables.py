"""Rule tables editable on pages by the committee office (or holders of the model's change
permission): each change goes through ``change_row`` / ``add_row`` and is one ``rule.changed``
event with the old and new values. RewardPolicy has its own versioned pages (tips.rule_views);
the tables here are edited in place (effective-dated versions for them are not done yet —
docs/rules.md)."""

from dataclasses import dataclass

from django.apps import apps
from django.db import transaction

from core.events import record
from core.services import NotPermitted


@dataclass(frozen=True)
class Table:
    key: str
    model: str  # "app.Model"
    fields: tuple
    can_add: bool = False

    @property
    def model_class(self):
        return apps.get_model(self.model)

    @property
    def label(self) -> str:
        return str(self.model_class._meta.verbose_name_plural)


TABLES = {t.key: t for t in (
    Table("deadlines", "tips.DeadlineRule", ("working_days", "calendar_days", "basis")),
    Table("holidays", "tips.Holiday", ("date", "name", "is_workday"), can_add=True),
    Table("obligations", "obligations.ObligationRule", ("value", "tag", "note")),
    Table("staffing", "obligations.StaffingRule", ("institution_required", "full_time_min", "any_manager_min", "tag", "note")),
    Table("cost-rates", "obligations.CostRate", ("rate_percent", "unit_rate", "lower", "upper", "tag")),
    Table("band-tables", "risks.BandTable", ("name", "source", "is_default")),
    Table("penalty-articles", "enforcement.PenaltyArticle", ("entity_min", "entity_max", "person_min", "person_max",
                                                             "party_roles")),
    Table("leniency", "enforcement.LeniencyPolicy", ("enabled", "note")),
)}


def can_edit(user, table: Table) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    meta = table.model_class._meta
    if user.is_superuser or user.has_perm(f"{meta.app_label}.change_{meta.model_name}"):
        return True
    m = getattr(user, "membership", None)
    return bool(m and m.can_write and m.organisation.kind == "committee")


def _values(obj, fields) -> dict:
    return {f: str(getattr(obj, f)) for f in fields}


def change_row(actor, table: Table, obj, data: dict):
    """Save the edited fields of one row and record the change (old → new) in the same transaction."""
    if not can_edit(actor, table):
        raise NotPermitted("只有安委会办公室或指定的管理员可以维护规则表。")
    before = _values(obj, table.fields)
    for f in table.fields:
        if f in data:
            setattr(obj, f, data[f])
    after = _values(obj, table.fields)
    changes = {f: [before[f], after[f]] for f in table.fields if before[f] != after[f]}
    with transaction.atomic():
        obj.save(update_fields=list(table.fields))
        record(actor, "rule.changed", obj, data={"table": table.model, "changes": changes})
    return obj


def add_row(actor, table: Table, data: dict):
    if not can_edit(actor, table) or not table.can_add:
        raise NotPermitted("只有安委会办公室或指定的管理员可以维护规则表。")
    with transaction.atomic():
        obj = table.model_class.objects.create(**{f: data[f] for f in table.fields if f in data})
        record(actor, "rule.added", obj, data={"table": table.model, "values": _values(obj, table.fields)})
    return obj
