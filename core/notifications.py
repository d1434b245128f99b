"""Notifications: in-app inbox, e-mail and SMS, each message stored in the outbox first.

``notify`` is idempotent per ``dedupe_key``: calling it twice for the same alert sends once.
Call it inside the service's transaction; the actual e-mail/SMS delivery runs on commit.
"""

import logging

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification, OutboxMessage
from .sms import get_sms_backend

log = logging.getLogger("qingling.notify")


def _deliver(message_id: int) -> None:
    msg = OutboxMessage.objects.get(pk=message_id)
    if msg.status != OutboxMessage.Status.PENDING:
        return
    try:
        if msg.channel == OutboxMessage.Channel.EMAIL:
            send_mail(msg.subject, msg.body, None, [msg.address])
        elif msg.channel == OutboxMessage.Channel.SMS:
            get_sms_backend().send(msg.address, f"{msg.subject}：{msg.body}")
        OutboxMessage.objects.filter(pk=msg.pk, status=OutboxMessage.Status.PENDING).update(
            status=OutboxMessage.Status.SENT, sent_at=timezone.now()
        )
    except Exception as exc:  # delivery failures are recorded, never raised into the request
        log.exception("delivery of outbox message %s failed", msg.pk)
        OutboxMessage.objects.filter(pk=msg.pk).update(status=OutboxMessage.Status.FAILED, error=str(exc)[:2000])


def notify(*, kind: str, dedupe_key: str, title: str, body: str = "", url: str = "", obj=None,
           user=None, name: str = "", email: str = "", phone: str = "", channels=("inapp", "email", "sms")) -> bool:
    """Send one alert to one recipient over the given channels. Returns False if it was
    already sent (same dedupe_key), True if this call created it."""
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = obj.pk if obj is not None else None
    created_any = False
    with transaction.atomic():
        for channel in channels:
            key = f"{dedupe_key}:{channel}"[:200]
            if channel == "inapp":
                if user is None:
                    continue
                try:
                    with transaction.atomic():
                        Notification.objects.create(
                            recipient=user, kind=kind, title=title, body=body, url=url,
                            object_type=object_type, object_id=object_id, dedupe_key=key,
                        )
                except IntegrityError:
                    continue
                created_any = True
                continue
            address = email if channel == "email" else phone
            if user is not None and not address:
                address = (user.email if channel == "email" else getattr(getattr(user, "membership", None), "phone", "")) or ""
            status = OutboxMessage.Status.PENDING if address else OutboxMessage.Status.SKIPPED
            try:
                with transaction.atomic():
                    msg = OutboxMessage.objects.create(
                        channel=channel, recipient_user=user, recipient_name=name or (user.get_full_name() if user else ""),
                        address=address, subject=title, body=body, kind=kind, object_type=object_type,
                        object_id=object_id, dedupe_key=key, status=status,
                    )
            except IntegrityError:
                continue
            created_any = True
            if status == OutboxMessage.Status.PENDING:
                transaction.on_commit(lambda pk=msg.pk: _deliver(pk))
    return created_any


# ---------------------------------------------------------------- bulk (periodic jobs)

def _chunks(items, size=500):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def notify_bulk(alerts: list[dict]) -> int:
    """Many alerts at once, for periodic jobs: the same rows and dedupe keys as ``notify`` but
    inserted in batches. Each alert is a dict with kind, dedupe_key, title, body, url, obj_type,
    obj_id, channels and either ``user`` = (pk, name, email, phone) or name/phone/email.
    Existing keys are skipped (exactly once); returns the number of new messages."""
    notes, outbox = [], []
    for a in alerts:
        user = a.get("user")
        for channel in a["channels"]:
            key = f"{a['dedupe_key']}:{channel}"[:200]
            if channel == "inapp":
                if user is not None:
                    notes.append(Notification(recipient_id=user[0], kind=a["kind"], title=a["title"], body=a.get("body", ""),
                                              url=a.get("url", ""), object_type=a.get("obj_type", ""),
                                              object_id=a.get("obj_id"), dedupe_key=key))
                continue
            if user is not None:
                address = user[2] if channel == "email" else user[3]
                name = user[1]
            else:
                address = a.get("email" if channel == "email" else "phone") or ""
                name = a.get("name", "")
            outbox.append(OutboxMessage(
                channel=channel, recipient_user_id=user[0] if user else None, recipient_name=name, address=address,
                subject=a["title"], body=a.get("body", ""), kind=a["kind"], object_type=a.get("obj_type", ""),
                object_id=a.get("obj_id"), dedupe_key=key,
                status=OutboxMessage.Status.PENDING if address else OutboxMessage.Status.SKIPPED))
    created = 0
    new_outbox_keys = []
    with transaction.atomic():
        for model, rows in ((Notification, notes), (OutboxMessage, outbox)):
            for chunk in _chunks(rows):
                keys = [r.dedupe_key for r in chunk]
                existing = set(model.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
                fresh = [r for r in chunk if r.dedupe_key not in existing]
                _insert_new(model, fresh)
                created += len(fresh)
                if model is OutboxMessage:
                    new_outbox_keys += [r.dedupe_key for r in fresh if r.status == OutboxMessage.Status.PENDING]
        if new_outbox_keys:
            transaction.on_commit(lambda keys=tuple(new_outbox_keys): _deliver_keys(keys))
    return created


def _insert_new(model, rows) -> None:
    """Insert rows whose keys were not there a moment ago: COPY on PostgreSQL (core.bulk); if a
    concurrent run inserted one of the keys meanwhile, redo the batch skipping conflicts."""
    from core.bulk import insert

    if not rows:
        return
    try:
        with transaction.atomic():
            insert(model, rows)
    except IntegrityError:
        for r in rows:
            r.pk = None
            r._state.adding = True
        model.objects.bulk_create(rows, ignore_conflicts=True)


def _deliver_keys(keys) -> None:
    """Deliver pending outbox messages in batches: e-mails over one connection, SMS through the
    adapter, statuses updated in bulk (a failed message is marked with its error, never raised)."""
    from django.core.mail import EmailMessage, get_connection

    sms_backend = get_sms_backend()
    for chunk in _chunks(list(keys)):
        messages = list(OutboxMessage.objects.filter(dedupe_key__in=chunk, status=OutboxMessage.Status.PENDING))
        sent, failed = [], []
        emails = [m for m in messages if m.channel == OutboxMessage.Channel.EMAIL]
        if emails:
            try:
                get_connection(fail_silently=False).send_messages(
                    [EmailMessage(m.subject, m.body, None, [m.address]) for m in emails])
                sent += [m.pk for m in emails]
            except Exception as exc:  # the whole batch failed at the mail server: record it
                log.exception("e-mail batch delivery failed")
                failed += [(m.pk, str(exc)) for m in emails]
        for m in messages:
            if m.channel != OutboxMessage.Channel.SMS:
                continue
            try:
                sms_backend.send(m.address, f"{m.subject}：{m.body}")
                sent.append(m.pk)
            except Exception as exc:
                log.exception("SMS delivery of outbox message %s failed", m.pk)
                failed.append((m.pk, str(exc)))
        if sent:
            OutboxMessage.objects.filter(pk__in=sent, status=OutboxMessage.Status.PENDING).update(
                status=OutboxMessage.Status.SENT, sent_at=timezone.now())
        for pk, error in failed:
            OutboxMessage.objects.filter(pk=pk).update(status=OutboxMessage.Status.FAILED, error=error[:2000])


def mark_read(user, pk: int) -> bool:
    """Mark one of ``user``'s own in-app notifications read (idempotent). True if it changed."""
    if user is None or not user.is_authenticated:
        return False
    return bool(Notification.objects.filter(recipient=user, pk=pk, read_at__isnull=True).update(read_at=timezone.now()))
