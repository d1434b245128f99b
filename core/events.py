"""Writing domain events. Services call ``record`` inside their transaction."""

from django.db import transaction
from django.utils import timezone

from .bulk import insert_columns, make
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


class EventColumns:
    """Many events of one actor gathered column by column (``add``, one call per event, in the order
    they happened) and written at once (``write``: ``core.bulk.insert_columns``, ids in that order)
    — the bulk form of ``build`` for paths writing thousands (the ledger import): each event holds
    what ``build`` with the same arguments would, without an ``Event`` instance per event. Inside
    the transaction of the change, like every event."""

    _PER_EVENT = ("created_at", "verb", "object_type", "object_id", "object_repr", "from_state", "to_state", "note",
                  "data")

    def __init__(self, actor, actor_info: dict | None = None):
        info = actor_info if actor_info is not None else actor_fields(actor)
        who, org = info["actor"], info["actor_org"]
        self.shared = {"actor_id": who.pk if who is not None else None, "actor_name": info["actor_name"],
                       "actor_org_id": org.pk if org is not None else None, "actor_role": info["actor_role"],
                       "request_id": current_request_id()}
        self.columns = {name: [] for name in self._PER_EVENT}
        c = self.columns
        self._appenders = tuple(c[name].append for name in self._PER_EVENT)

    def __len__(self) -> int:
        return len(self.columns["verb"])

    def add(self, verb: str, obj, *, from_state: str = "", to_state: str = "", note: str = "", data: dict | None = None,
            at=None) -> None:
        created_at, verb_, type_, id_, repr_, from_, to_, note_, data_ = self._appenders
        created_at(at if at is not None else timezone.now())
        verb_(verb)
        type_(object_type_of(obj))
        id_(obj.pk)
        repr_(str(obj)[:200])
        from_(from_state or "")
        to_(to_state or "")
        note_(note or "")
        data_(data or {})

    def write(self) -> None:
        if not transaction.get_connection().in_atomic_block:
            raise EventOutsideTransaction("events are written inside the service's transaction")
        insert_columns(Event, {**self.shared, **self.columns}, len(self))


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
