"""Registering many hazards at once (the ledger import): exactly what ``services.register_hazard``
(+ ``close_now`` for a hazard closed at once) writes for one — the hazard, its alert schedule,
its first source, one ``hazard.registered`` event (and one ``hazard.close_now``), the 重大隐患 alert to the
unit's principal and actual controller — for a batch,
inside the caller's transaction. A writer of ``hazards.services`` (listed in its SERVICE_MODULES).

``register_many(actor, entries)`` takes the entries in hand. ``register_stream(actor, chunks,
count, closed)`` takes them chunk by chunk as the caller builds them (an iterator): on PostgreSQL
the hazards go into one COPY as they come, so the server inserts them — heap, two dozen indexes —
on its own core while Python builds the next rows, instead of idling through the building and
then keeping Python waiting through the inserts; the schedule, source and event values of each
chunk are gathered meanwhile, column by column, and sent after the hazards as one statement per
table (``core.bulk.insert_columns``: one COPY each, the columns zipped into rows, no model instance
per row). Elsewhere the chunks are collected and written in batches.

An entry is (hazard from ``services.build_hazard``, source reference, evidence note or None); a
note closes the hazard at once (一般, 立即整改), refused by the ``close_now`` guard as on the page.
"""

from django.db import connection, transaction

from core.bulk import allocate_ids, copy_rows, insert, insert_columns
from core.events import EventColumns, EventOutsideTransaction, actor_fields
from core.services import ServiceError

from . import workflow
from .alerts import notify_major_registered_bulk, schedule_new
from .models import Hazard, HazardSource


def registered_event_data(hazard) -> dict:
    return {"grade": hazard.grade, "category": hazard.category, "channel": hazard.channel, "enterprise": hazard.enterprise_id,
            "sector": hazard.sector.code, "basis_item": hazard.basis_item_id}


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise EventOutsideTransaction("hazards are registered in bulk inside the caller's transaction")


def close_refusal(kind: str | None, grade: str, note: str) -> str | None:
    """Why an actor of ``kind`` may not register a hazard closed at once with ``note`` (the
    ``close_now`` guard), or None: the import checks it for each 已销号 row (dry run included)."""
    return workflow.refusal(workflow.REGISTERED, "close_now", kind,
                            workflow.Context(grade=grade, has_evidence=bool(note.strip())))


def _check_close(hazard, note: str) -> None:
    """The ``close_now`` guard for a hazard imported as closed (ServiceError on ``status``)."""
    reason = close_refusal(hazard._actor_kind, hazard.grade, note)
    if reason:
        raise ServiceError(reason, "status")


def _close(hazard) -> None:
    hazard.status = Hazard.Status.CLOSED
    hazard.closed_at = hazard.status_changed_at
    hazard.next_alert_on = None


def _org_of(actor):
    from accounts.permissions import actor_org

    return actor_org(actor)


class _Companions:
    """The rows written with each registered hazard besides itself — its alert schedule (when
    armed), its first source, its ``hazard.registered`` event (and ``hazard.close_now`` for one
    closed at once) — gathered column by column as the hazards are written and sent after them,
    one statement per table (``core.bulk.insert_columns``; ``core.events.EventColumns``)."""

    def __init__(self, actor, org):
        self.hazards: list = []
        self.org_id = org.pk if org is not None else None
        self.references: list[str] = []
        self.events = EventColumns(actor, actor_fields(actor))

    def add(self, chunk) -> None:
        add_event = self.events.add
        for hazard, ref, note in chunk:
            self.hazards.append(hazard)
            self.references.append(ref)
            # registered at the registration instant (as the hazard row says), then close_now
            add_event("hazard.registered", hazard, to_state=workflow.REGISTERED, data=registered_event_data(hazard),
                      at=hazard.first_reported_at)
            if note is not None:
                add_event("hazard.close_now", hazard, from_state=workflow.REGISTERED, to_state=workflow.CLOSED,
                          note=note, at=hazard.status_changed_at)

    def write(self) -> None:
        hazards = self.hazards
        schedule_new(hazards)
        insert_columns(HazardSource, {"hazard_id": [h.pk for h in hazards], "channel": [h.channel for h in hazards],
                                      "reported_at": [h.first_reported_at for h in hazards],
                                      "organisation_id": self.org_id, "reference": self.references, "note": ""},
                       len(hazards))
        self.events.write()
        # the 重大隐患 alert to the unit's principal and actual controller, as for one registered on the page
        notify_major_registered_bulk(hazards)


def register_many(actor, entries: list[tuple[Hazard, str, str | None]], *, batch_size: int = 1000) -> int:
    """Write ``entries`` (every ``close_now`` guard checked before anything is written). Returns
    how many were closed."""
    _require_transaction()
    for hazard, _, note in entries:
        if note is not None:
            _check_close(hazard, note)
    closed = sum(1 for _, _, note in entries if note is not None)
    if connection.vendor == "postgresql":
        register_stream(actor, [entries], len(entries), closed)
        return closed
    for hazard, _, note in entries:
        if note is not None:
            _close(hazard)
    org = _org_of(actor)
    for i in range(0, len(entries), batch_size):
        chunk = entries[i:i + batch_size]
        insert(Hazard, [h for h, _, _ in chunk])
        companions = _Companions(actor, org)
        companions.add(chunk)
        companions.write()
    return closed


def register_stream(actor, chunks, count: int, closed: int) -> list:
    """Write the entries of ``chunks`` (an iterable of entry lists: ``count`` entries in all, of
    which ``closed`` carry a note) as they come; returns them. An exception raised by the iterator
    — or a ``close_now`` guard's ServiceError — ends the writing with it; the caller's
    transaction is then rolled back.

    On PostgreSQL the hazards' ids are taken first (one query); the iterator then runs while the
    hazards' COPY holds the connection, so it may not query (``core.bulk.QueryDuringCopy``, raised
    before anything is sent): what it needs from the database is read before. Each chunk's
    schedule, source and event values are gathered while the server is still inserting hazards;
    they are sent once the hazards' COPY is done."""
    _require_transaction()
    if connection.vendor != "postgresql":
        entries = [entry for chunk in chunks for entry in chunk]
        register_many(actor, entries)
        return entries
    hazard_ids = _ids(Hazard, count)
    companions = _Companions(actor, _org_of(actor))
    entries: list = []
    with copy_rows(Hazard) as write:
        for chunk in chunks:
            for hazard, _, note in chunk:
                if note is not None:
                    _check_close(hazard, note)
                    _close(hazard)
                hazard.pk = hazard_ids()
                write(hazard)
            entries.extend(chunk)
            companions.add(chunk)
    if len(entries) != count or len(companions.events) != count + closed:
        raise ValueError(f"register_stream: {len(entries)} entries, {len(companions.events)} events; said {count}, "
                         f"{count + closed}")
    companions.write()
    return entries


def _ids(model, n: int):
    """A function giving the next of ``n`` ids taken for ``model`` (ValueError past the last)."""
    ids = iter(allocate_ids(model, n))

    def take() -> int:
        pk = next(ids, None)
        if pk is None:
            raise ValueError(f"register_stream: more {model._meta.label} rows than the {n} announced")
        return pk

    return take
