"""Notifications: in-app inbox, e-mail and SMS, each message stored in the outbox first.

``notify`` is idempotent per ``dedupe_key``: calling it twice for the same alert sends once.
Call it inside the service's transaction; the actual e-mail/SMS delivery runs on commit.
"""

import logging

from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Notification, OutboxMessage
from .sms import SmsRejected, get_sms_backend

log = logging.getLogger("qingling.notify")


def permanent_failure(exc: BaseException) -> bool:
    """Whether a delivery error means this message can never be sent (the recipient or the
    message is refused: mark it failed), as opposed to a temporary one (server or gateway down,
    4xx: leave it pending for the delivery job's next attempt)."""
    import smtplib

    if isinstance(exc, SmsRejected | smtplib.SMTPRecipientsRefused | ValueError | UnicodeError):
        return True
    return isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600


def _deliver(message_id: int) -> None:
    """Deliver one message right after its transaction committed (``notify``). The row is locked
    (SKIP LOCKED on PostgreSQL) while it is sent and marked, so a delivery job working at the same
    moment skips it instead of sending it a second time. A permanent refusal marks it failed; a
    temporary failure leaves it pending and queues the delivery job (which retries with back-off)."""
    temporary = False
    with transaction.atomic():
        msg = (OutboxMessage.objects.select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)
               .filter(pk=message_id, status=OutboxMessage.Status.PENDING).first())
        if msg is None or _held(msg.channel, msg.kind, sms_quiet_now()):
            return  # a reminder SMS at night stays pending: the delivery job sends it when the quiet hours end
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
            if permanent_failure(exc):
                OutboxMessage.objects.filter(pk=msg.pk).update(status=OutboxMessage.Status.FAILED, error=str(exc)[:2000])
            else:
                temporary = True
    if temporary:
        queue_delivery()


#: SMS of these kinds (prefixes) are reminders of the periodic passes — deadlines coming or passed,
#: digests — and wait for the end of the night (``QINGLING_SMS_QUIET_HOURS``); messages about
#: something that just happened (a major hazard registered, an acceptance refused, a job done) do not
DEFERRABLE_SMS_KINDS = ("hazard.due", "hazard.overdue", "hazard.digest", "tip.", "listing.", "accident.",
                        "obligations.")


def sms_quiet_now(now=None) -> bool:
    """Whether it is within the SMS quiet hours (``QINGLING_SMS_QUIET_HOURS``, local time, e.g.
    "22:00-07:00"; empty = none)."""
    import datetime

    from django.conf import settings

    window = getattr(settings, "QINGLING_SMS_QUIET_HOURS", "")
    if not window:
        return False
    try:
        start, end = (datetime.time.fromisoformat(part.strip()) for part in window.split("-"))
    except ValueError:  # a malformed setting must not stop delivery: no quiet hours, and say so
        log.error("QINGLING_SMS_QUIET_HOURS %r is not HH:MM-HH:MM; SMS are not held", window)
        return False
    t = timezone.localtime(now).time()
    return (start <= t or t < end) if start > end else (start <= t < end)


def _held(channel: str, kind: str, quiet: bool) -> bool:
    return quiet and channel == OutboxMessage.Channel.SMS and kind.startswith(DEFERRABLE_SMS_KINDS)


def email_body(body: str, url: str) -> str:
    """An e-mail's text: the alert, then the absolute link to what it is about when the site's
    address is configured (``QINGLING_SITE_URL``) and the alert has a page. SMS stay short."""
    from django.conf import settings

    site = getattr(settings, "QINGLING_SITE_URL", "")
    if not (site and url and url.startswith("/")):
        return body
    return f"{body}\n\n查看详情：{site}{url}" if body else f"查看详情：{site}{url}"


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
                        address=address, subject=title, body=email_body(body, url) if channel == "email" else body,
                        kind=kind, object_type=object_type,
                        object_id=object_id, dedupe_key=key, status=status,
                    )
            except IntegrityError:
                continue
            created_any = True
            if status == OutboxMessage.Status.PENDING:
                transaction.on_commit(lambda pk=msg.pk: _deliver(pk))
    return created_any


# ---------------------------------------------------------------- bulk (periodic jobs)

#: the columns notify_bulk writes (the others keep their defaults: read_at/sent_at NULL, error "")
_NOTE_COLS = ("created_at", "recipient_id", "kind", "title", "body", "url", "object_type", "object_id", "dedupe_key",
              "read_at")
_OUTBOX_COLS = ("created_at", "channel", "recipient_user_id", "recipient_name", "address", "subject", "body", "kind",
                "object_type", "object_id", "dedupe_key", "status", "sent_at", "error")
#: keys checked / rows inserted / messages delivered per statement
BULK_CHUNK = 5000


def notify_bulk(alerts: list[dict], *, queue: bool = True) -> int:
    """Many alerts at once, for periodic jobs: the same rows and dedupe keys as ``notify`` but
    written set-based. Each alert is a dict with kind, dedupe_key, title, body, url, obj_type,
    obj_id, channels and either ``user`` = (pk, name, email, phone) or name/phone/email.
    The rows are plain tuples (no model instances); existing keys are looked up in bulk
    (``BULK_CHUNK`` keys a query) and skipped (exactly once); the new rows go in with COPY on
    PostgreSQL, one ``executemany`` elsewhere. Returns the number of new messages. The pending
    e-mails/SMS are not sent here: when the transaction commits, the delivery job is queued
    (``queue_delivery``: job kind ``outbox.deliver``, retried with back-off), so a pass writing
    300k messages does not wait for a mail server or an SMS gateway. ``queue=False``: the caller
    queues it itself once it is done (a pass streaming its due rows through an open cursor: the
    queue's broker may close stale database connections, which would close that cursor)."""
    now = timezone.now()
    pending, skipped = OutboxMessage.Status.PENDING, OutboxMessage.Status.SKIPPED
    notes, outbox = {}, {}
    for a in alerts:
        user = a.get("user")
        kind, title, body, url = a["kind"], a["title"], a.get("body", ""), a.get("url", "")
        obj_type, obj_id = a.get("obj_type", ""), a.get("obj_id")
        for channel in a["channels"]:
            key = f"{a['dedupe_key']}:{channel}"[:200]
            if channel == "inapp":
                if user is not None:
                    notes.setdefault(key, (now, user[0], kind, title, body, url, obj_type, obj_id, key, None))
                continue
            if user is not None:
                address = user[2] if channel == "email" else user[3]
                name = user[1]
            else:
                address = a.get("email" if channel == "email" else "phone") or ""
                name = a.get("name", "")
            text = email_body(body, url) if channel == "email" else body
            outbox.setdefault(key, (now, channel, user[0] if user else None, name, address or "", title, text, kind,
                                    obj_type, obj_id, key, pending if address else skipped, None, ""))
    created = 0
    queued = False
    with transaction.atomic():
        for model, columns, rows in ((Notification, _NOTE_COLS, notes), (OutboxMessage, _OUTBOX_COLS, outbox)):
            keys = list(rows)
            for i in range(0, len(keys), BULK_CHUNK):
                chunk = keys[i:i + BULK_CHUNK]
                existing = existing_keys(model, chunk)
                fresh = [rows[k] for k in chunk if k not in existing]
                _insert_rows(model, columns, fresh)
                created += len(fresh)
                queued = queued or (model is OutboxMessage and any(r[11] == pending for r in fresh))
        if queued and queue:
            transaction.on_commit(queue_delivery)
    return created


def sql_in(column: str, values) -> tuple[str, list]:
    """``column IN (…)`` as SQL and parameters for a long list of plain values: one array
    parameter on PostgreSQL (``= ANY(%s)``: no statement of thousands of placeholders to build and
    parse), one placeholder per value elsewhere."""
    values = list(values)
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def existing_keys(model, keys) -> set:
    """Which of ``keys`` are already stored (``model``: Notification or OutboxMessage), in
    queries of ``BULK_CHUNK`` keys bound as plain parameters (the ORM's ``__in`` would prepare
    each key through the field, which costs more than the query)."""
    found: set = set()
    keys = list(keys)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cur:
        for i in range(0, len(keys), BULK_CHUNK):
            chunk = keys[i:i + BULK_CHUNK]
            where, params = sql_in("dedupe_key", chunk)
            cur.execute(f"SELECT dedupe_key FROM {table} WHERE {where}", params)
            found.update(r[0] for r in cur.fetchall())
    return found


def _insert_rows(model, columns, rows) -> None:
    """Insert plain rows (tuples in ``columns`` order) whose keys were not there a moment ago:
    COPY on PostgreSQL, one ``executemany`` elsewhere. If a concurrent run inserted one of the
    keys meanwhile, the batch is redone skipping the conflicts (as ``_insert_new``)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    try:
        with transaction.atomic(), connection.cursor() as cur:
            if connection.vendor == "postgresql":
                with connection.wrap_database_errors, cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                adapted: dict = {}  # the batch shares one timestamp: adapt it once

                def adapt(v):
                    if v not in adapted:
                        adapted[v] = connection.ops.adapt_datetimefield_value(v)
                    return adapted[v]

                at = [i for i, c in enumerate(columns) if c in ("created_at", "read_at", "sent_at")]
                prepared = []
                for r in rows:
                    r = list(r)
                    for i in at:
                        if r[i] is not None:
                            r[i] = adapt(r[i])
                    prepared.append(r)
                cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})", prepared)
    except IntegrityError:
        model.objects.bulk_create([model(**dict(zip(columns, r, strict=True))) for r in rows], ignore_conflicts=True)


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


#: the job kind that sends the pending outbox (jobs.handlers registers it; jobs.schedules runs it periodically too)
DELIVERY_KIND = "outbox.deliver"
#: messages sent and marked per transaction by the delivery job
DELIVERY_CHUNK = 500


def queue_delivery() -> None:
    """Queue the delivery job unless one is already waiting to start (it will find these messages
    too: it sends every pending message). Called on commit by ``notify_bulk``."""
    from jobs import services
    from jobs.models import Job

    if Job.objects.filter(kind=DELIVERY_KIND, status=Job.Status.PENDING).exists():
        return
    services.submit(None, DELIVERY_KIND, "发送邮件和短信")


def deliver_pending(*, progress=None, final: bool = True, chunk: int | None = None) -> dict:
    """Send every pending outbox message (the delivery job's work), in id order, ``chunk`` at a time:
    each chunk is read with its rows locked (FOR UPDATE SKIP LOCKED on PostgreSQL: a concurrent job
    or ``notify``'s on-commit delivery skips them), sent one message at a time (e-mails over one
    connection, SMS through the adapter) and marked in ONE transaction. A chunk committed is never
    sent again; a job that dies mid-chunk leaves that chunk pending for its retry.

    A message refused for good (``permanent_failure``: a refused address, an invalid number) is
    marked failed with its error and the others go on. A temporary failure (the mail server or the
    SMS gateway down) stops the pass: what was sent is marked sent and committed, the rest stays
    pending, and the error is raised so the job is retried with back-off — unless ``final`` (its
    last attempt): then that message is marked failed with the error and the pass goes on.
    Returns {"sent": n, "failed": n}."""
    from django.core.mail import EmailMessage, get_connection

    sms_backend = get_sms_backend()
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    pending, email, sms = OutboxMessage.Status.PENDING, OutboxMessage.Channel.EMAIL, OutboxMessage.Channel.SMS
    lock = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    chunk = chunk or DELIVERY_CHUNK
    # within the SMS quiet hours the reminder SMS stay pending (not even read): sent by the first pass after
    held_sql, held_params, to_send = "", [], OutboxMessage.objects.filter(status=pending)
    if sms_quiet_now():
        held_sql = " AND NOT (channel = %s AND (" + " OR ".join(["kind LIKE %s"] * len(DEFERRABLE_SMS_KINDS)) + "))"
        held_params = [sms, *(f"{prefix}%" for prefix in DEFERRABLE_SMS_KINDS)]
        held = Q()
        for prefix in DEFERRABLE_SMS_KINDS:
            held |= Q(kind__startswith=prefix)
        to_send = to_send.exclude(Q(channel=sms) & held)
    total = to_send.count() if progress else 0  # the progress bar's 100 %: what this pass will send
    counts = {"sent": 0, "failed": 0}
    last = 0
    mail = None
    try:
        while True:
            temporary = None
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(f"SELECT id, channel, address, subject, body FROM {table} WHERE status = %s AND id > %s"
                            f"{held_sql} ORDER BY id LIMIT %s{lock}", [pending, last, *held_params, chunk])
                messages = cur.fetchall()
                if not messages:
                    break
                sent, failed = [], []
                for pk, channel, address, subject, body in messages:
                    try:
                        if channel == email:
                            if mail is None:
                                mail = get_connection(fail_silently=False)
                                mail.open()
                            mail.send_messages([EmailMessage(subject, body, None, [address])])
                        elif channel == sms:
                            sms_backend.send(address, f"{subject}：{body}")
                        else:
                            continue
                        sent.append(pk)
                    except Exception as exc:
                        log.exception("delivery of outbox message %s failed", pk)
                        if permanent_failure(exc) or final:
                            failed.append((pk, str(exc)))
                        else:
                            temporary = exc
                            break
                    last = pk
                if temporary is None:
                    last = messages[-1][0]
                if sent:
                    where, params = sql_in("id", sent)
                    cur.execute(f"UPDATE {table} SET status = %s, sent_at = %s WHERE {where} AND status = %s",
                                [OutboxMessage.Status.SENT, connection.ops.adapt_datetimefield_value(timezone.now()),
                                 *params, pending])
                for pk, error in failed:
                    OutboxMessage.objects.filter(pk=pk).update(status=OutboxMessage.Status.FAILED, error=error[:2000])
            counts["sent"] += len(sent)
            counts["failed"] += len(failed)
            if progress:
                done = counts["sent"] + counts["failed"]
                progress(done, max(total, done))
            if temporary is not None:
                raise temporary  # committed what was sent; the job is retried with back-off for the rest
    finally:
        if mail is not None:
            try:
                mail.close()
            except Exception:  # noqa: BLE001 - closing a broken connection
                pass
    return counts


def mark_read(user, pk: int) -> bool:
    """Mark one of ``user``'s own in-app notifications read (idempotent). True if it changed."""
    if user is None or not user.is_authenticated:
        return False
    return bool(Notification.objects.filter(recipient=user, pk=pk, read_at__isnull=True).update(read_at=timezone.now()))
