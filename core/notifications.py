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
