"""Legal records are immutable: events, signed inspection records and their addenda, penalty
decisions and submitted dispatch versions refuse update and delete.

One specification (``SPECS``) drives both layers:

* model level (``install()`` from ``core.apps``): ``pre_save``/``pre_delete`` receivers (also on
  cascades) and the models' querysets (``update``/``delete``) raise ``ImmutableRecord``;
* PostgreSQL (migration ``core.0002_immutable_triggers``): a ``BEFORE UPDATE OR DELETE`` trigger per
  table calling ``qingling_refuse_change()``, so raw SQL and other clients are refused too.

A spec names the columns that may still change (``mutable``, e.g. a decision's revocation status),
the foreign keys that may become NULL (``nullable``: ``on_delete=SET_NULL`` of a deleted user), and
an optional condition (``frozen_when``) before which the row is still a draft. Corrections are new
rows (an addendum, a new dispatch version, a revoking decision, a new event).

``maintenance()`` lifts the guard for the current thread and transaction (restore of a backup,
wiping generated benchmark data); on PostgreSQL it sets ``qingling.maintenance`` locally.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models
from django.db.models.signals import pre_delete, pre_save


class ImmutableRecord(Exception):
    """A legal record was about to be changed or deleted (a programming error, never user input)."""


@dataclass(frozen=True)
class Spec:
    mutable: tuple[str, ...] = ()
    nullable: tuple[str, ...] = ()
    frozen_when: tuple[str, str] | None = None  # (column, value): immutable only once it holds


SPECS = {
    "core.Event": Spec(nullable=("actor_id", "actor_org_id")),
    "inspections.Addendum": Spec(),
    "inspections.Record": Spec(frozen_when=("status", "locked")),
    "enforcement.Decision": Spec(mutable=("status", "corrected_on"), nullable=("decided_by_id",)),
    "campaigns.Submission": Spec(nullable=("submitted_by_id",)),
}

_state = threading.local()


@contextmanager
def maintenance():
    """Allow changes to legal records in this block (restore, benchmark wipes) — never in services."""
    from django.db import transaction

    previous = getattr(_state, "on", False)
    _state.on = True
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SET LOCAL qingling.maintenance = 'on'")
            yield
    finally:
        _state.on = previous


def _allowed() -> bool:
    return getattr(_state, "on", False)


def _frozen(spec: Spec, obj) -> bool:
    if spec.frozen_when is None:
        return True
    column, value = spec.frozen_when
    return getattr(obj, column) == value


def _changed_columns(spec: Spec, old, new) -> list[str]:
    changed = []
    for field in new._meta.concrete_fields:
        col = field.attname
        if col in spec.mutable:
            continue
        before, after = getattr(old, col), getattr(new, col)
        if before != after and not (col in spec.nullable and after is None):
            changed.append(col)
    return changed


def _guard_save(sender, instance, raw=False, **kwargs):
    spec = SPECS.get(sender._meta.label)
    if spec is None or raw or instance._state.adding or _allowed() or instance.pk is None:
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    if old is None or not _frozen(spec, old):
        return
    changed = _changed_columns(spec, old, instance)
    if changed:
        raise ImmutableRecord(f"{sender._meta.label} #{instance.pk} is a legal record: {', '.join(changed)} cannot change")


def _guard_delete(sender, instance, **kwargs):
    spec = SPECS.get(sender._meta.label)
    if spec is None or _allowed() or not _frozen(spec, instance):
        return
    raise ImmutableRecord(f"{sender._meta.label} #{instance.pk} is a legal record and cannot be deleted")


def _may_set(spec: Spec, key: str, value) -> bool:
    column = key if key in spec.mutable or key in spec.nullable else f"{key}_id"
    return column in spec.mutable or (column in spec.nullable and value is None)


def _guarded_queryset(base, label: str):
    spec = SPECS[label]

    class Guarded(base):
        def _frozen_rows(self):
            if spec.frozen_when is None:
                return self
            column, value = spec.frozen_when
            return self.filter(**{column: value})

        def update(self, **kwargs):
            if not _allowed():
                bad = [k for k, v in kwargs.items() if not _may_set(spec, k, v)]
                if bad and self._frozen_rows().exists():
                    raise ImmutableRecord(f"{label} is a legal record: {', '.join(bad)} cannot change")
            return super().update(**kwargs)

        def delete(self):
            if not _allowed() and self._frozen_rows().exists():
                raise ImmutableRecord(f"{label} rows are legal records and cannot be deleted")
            return super().delete()

    Guarded.__name__ = Guarded.__qualname__ = f"Immutable{base.__name__}"
    return Guarded


_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    for label in SPECS:
        model = apps.get_model(label)
        pre_save.connect(_guard_save, sender=model, dispatch_uid=f"immutable-save-{label}")
        pre_delete.connect(_guard_delete, sender=model, dispatch_uid=f"immutable-delete-{label}")
        manager_cls = type(model._default_manager)
        if manager_cls is models.Manager:  # a shared class: give this model its own
            raise RuntimeError(f"{label} needs its own manager (QuerySet.as_manager()) to be guarded")
        manager_cls._queryset_class = _guarded_queryset(manager_cls._queryset_class, label)


# ---------------------------------------------------------------- PostgreSQL triggers

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION qingling_refuse_change() RETURNS trigger AS $$
DECLARE o jsonb; n jsonb; a text; col text;
BEGIN
  IF coalesce(current_setting('qingling.maintenance', true), '') = 'on' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'qingling: rows of % are legal records and cannot be deleted', TG_TABLE_NAME
      USING ERRCODE = 'restrict_violation';
  END IF;
  o := to_jsonb(OLD); n := to_jsonb(NEW);
  FOREACH a IN ARRAY coalesce(TG_ARGV, '{}'::text[]) LOOP
    IF left(a, 8) = 'mutable:' THEN
      col := substr(a, 9); o := o - col; n := n - col;
    ELSIF left(a, 5) = 'null:' THEN
      col := substr(a, 6);
      IF n -> col = 'null'::jsonb THEN o := o - col; n := n - col; END IF;
    END IF;
  END LOOP;
  IF o IS DISTINCT FROM n THEN
    RAISE EXCEPTION 'qingling: rows of % are legal records and cannot be changed', TG_TABLE_NAME
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def trigger_sql(label: str, spec: Spec) -> tuple[str, str]:
    """(create, drop) SQL of the trigger of one model."""
    table = apps.get_model(label)._meta.db_table
    name = f"qingling_immutable_{table}"
    args = ", ".join([f"'mutable:{c}'" for c in spec.mutable] + [f"'null:{c}'" for c in spec.nullable])
    when = ""
    if spec.frozen_when:
        column, value = spec.frozen_when
        when = f" WHEN (OLD.{column} = '{value}')"
    create = (f"DROP TRIGGER IF EXISTS {name} ON {table}; CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
              f"FOR EACH ROW{when} EXECUTE FUNCTION qingling_refuse_change({args});")
    return create, f"DROP TRIGGER IF EXISTS {name} ON {table};"


def install_triggers(schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor is not None else connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cur:
        cur.execute(FUNCTION_SQL)
        for label, spec in SPECS.items():
            cur.execute(trigger_sql(label, spec)[0])


def drop_triggers(schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor is not None else connection
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cur:
        for label, spec in SPECS.items():
            cur.execute(trigger_sql(label, spec)[1])
        cur.execute("DROP FUNCTION IF EXISTS qingling_refuse_change();")
