"""Writing domain events. Services call ``record`` inside their transaction."""

from django.db import transaction

from .bulk import make
from .models import Event
from .request_context import current_request_id


class EventOutsideTransaction(RuntimeError):
    pass


def actor_fields(actor) -> dict:
    """Actor, name copy, organisation and role of a user (or of nobody, for system jobs)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_name": "系统", "actor_org": None, "actor_role": "system"}
    membership = getattr(actor, "membership", None)
    return {
        "actor": actor,
        "actor_name": actor.get_full_name() or actor.get_username(),
        "actor_org": membership.organisation if membership else None,
        "actor_role": membership.role if membership else ("superuser" if actor.is_superuser else ""),
    }


def object_type_of(obj) -> str:
    return obj._meta.label_lower


def build(actor, verb: str, obj, *, from_state: str = "", to_state: str = "", note: str = "",
          data: dict | None = None, actor_info: dict | None = None, at=None) -> Event:
    """An unsaved event (bulk paths save many at once with ``core.bulk.insert`` inside the
    transaction of the change). ``actor_info`` lets a batch compute the actor's organisation and
    role once."""
    info = actor_info if actor_info is not None else actor_fields(actor)
    who, org = info["actor"], info["actor_org"]
    values = {"actor_id": who.pk if who is not None else None, "actor_name": info["actor_name"],
              "actor_org_id": org.pk if org is not None else None, "actor_role": info["actor_role"], "verb": verb,
              "object_type": object_type_of(obj), "object_id": obj.pk, "object_repr": str(obj)[:200],
              "from_state": from_state or "", "to_state": to_state or "", "note": note or "", "data": data or {},
              "request_id": current_request_id()}
    if at is not None:
        values["created_at"] = at
    # core.bulk.make: Event(actor=…, actor_org=…, …) without the per-object descriptor work
    return make(Event, values, {"actor": who, "actor_org": org})


def record(actor, verb: str, obj, *, from_state: str = "", to_state: str = "", note: str = "",
           data: dict | None = None, using: str = "default") -> Event:
    """Write one event about ``obj``. Must run inside ``transaction.atomic`` so the event
    commits (or rolls back) together with the change it describes."""
    if not transaction.get_connection(using).in_atomic_block:
        raise EventOutsideTransaction("events are written inside the service's transaction")
    event = build(actor, verb, obj, from_state=from_state, to_state=to_state, note=note, data=data)
    event.save(using=using)
    return event


def events_for(obj):
    return Event.objects.filter(object_type=object_type_of(obj), object_id=obj.pk).select_related("actor_org")
