"""Outbox delivery in batches, by its own job (outbox.deliver) queued when notify_bulk's transaction
commits: sent messages are marked sent, a failing adapter marks them failed, a failing mail server
makes the job retry without sending anything twice."""

import datetime

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone

from core.models import OutboxMessage
from core.notifications import notify_bulk
from core.sms import BaseSmsBackend, ConsoleSmsBackend


class BrokenSms(BaseSmsBackend):
    def send(self, phone, text):
        raise ConnectionError("gateway down")


def alerts(n, channels):
    return [{"kind": "t", "dedupe_key": f"k{i}", "title": "提醒", "body": "内容", "channels": channels,
             "name": "张三", "phone": f"1380000{i:04d}", "email": f"u{i}@example.invalid"} for i in range(n)]


class FlakyMail(EmailBackend):
    """The mail server refuses the second batch it is given, once."""
    calls = 0

    def send_messages(self, messages):
        FlakyMail.calls += 1
        if FlakyMail.calls == 2:
            raise ConnectionError("mail server down")
        return super().send_messages(messages)


def test_bulk_alerts_are_delivered_once_in_batches(transactional_db, settings):
    settings.QINGLING_JOBS_INLINE = True  # the delivery job runs where it is queued
    with transaction.atomic():
        assert notify_bulk(alerts(3, ("email", "sms"))) == 6
    assert OutboxMessage.objects.filter(status="sent").count() == 6
    assert len(mail.outbox) == 3
    with transaction.atomic():
        assert notify_bulk(alerts(3, ("email", "sms"))) == 0  # same keys: nothing new, nothing re-sent
    assert len(mail.outbox) == 3


def test_a_gateway_that_is_down_leaves_the_sms_pending_until_the_last_attempt_records_it(transactional_db, settings):
    from jobs.models import Job
    from jobs.runner import run

    settings.SMS_BACKEND = "core.tests.test_delivery.BrokenSms"
    settings.QINGLING_JOBS_INLINE = False
    with transaction.atomic():
        notify_bulk(alerts(2, ("sms",)))
    job = Job.objects.get(kind="outbox.deliver")
    for attempt in range(1, job.max_attempts):
        assert run(job.pk) == "retry"
        assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}, attempt  # not lost
        Job.objects.filter(pk=job.pk).update(retry_at=timezone.now() - datetime.timedelta(seconds=1))
    assert run(job.pk) == "done"  # the last attempt: the error is recorded on each message
    failed = OutboxMessage.objects.filter(status="failed")
    assert failed.count() == 2 and "gateway down" in failed.first().error


def test_a_gateway_back_after_an_outage_sends_what_was_held_back(transactional_db, settings):
    from core.notifications import deliver_pending

    settings.SMS_BACKEND = "core.tests.test_delivery.BrokenSms"
    settings.QINGLING_JOBS_INLINE = False
    with transaction.atomic():
        notify_bulk(alerts(2, ("sms",)))
    try:
        deliver_pending(final=False)
    except ConnectionError:
        pass
    settings.SMS_BACKEND = "core.sms.ConsoleSmsBackend"
    ConsoleSmsBackend.sent.clear()
    assert deliver_pending(final=False) == {"sent": 2, "failed": 0}
    assert sorted(p for p, _ in ConsoleSmsBackend.sent) == ["13800000000", "13800000001"]


class Refusing(EmailBackend):
    """An SMTP server that refuses one address for good (550) and delivers the others."""

    def send_messages(self, messages):
        import smtplib

        for m in messages:
            if m.to[0] == "u1@example.invalid":
                raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"no such user")})
        return super().send_messages(messages)


def test_an_address_refused_for_good_fails_alone_and_no_one_gets_a_message_twice(transactional_db, settings):
    from core.notifications import deliver_pending

    settings.EMAIL_BACKEND = "core.tests.test_delivery.Refusing"
    settings.QINGLING_JOBS_INLINE = False
    with transaction.atomic():
        notify_bulk(alerts(3, ("email",)))
    assert deliver_pending(final=False) == {"sent": 2, "failed": 1}
    assert sorted(m.to[0] for m in mail.outbox) == ["u0@example.invalid", "u2@example.invalid"]
    assert OutboxMessage.objects.get(address="u1@example.invalid").status == "failed"
    assert deliver_pending(final=False) == {"sent": 0, "failed": 0} and len(mail.outbox) == 2


def test_a_key_won_by_a_concurrent_run_is_skipped_not_raised(db):
    from core.models import OutboxMessage
    from core.notifications import _insert_new

    def row(key):
        return OutboxMessage(channel="sms", address="13800000000", subject="提醒", kind="t", dedupe_key=key)

    OutboxMessage.objects.create(channel="sms", address="13800000000", subject="提醒", kind="t", dedupe_key="race:1")
    with transaction.atomic():
        _insert_new(OutboxMessage, [row("race:1"), row("race:2")])
    assert sorted(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == ["race:1", "race:2"]


def test_the_pass_only_queues_the_delivery_job_which_sends_each_message_once(transactional_db, settings):
    from jobs.models import Job

    settings.QINGLING_JOBS_INLINE = False  # a worker would run the job: nothing is sent by notify_bulk itself
    with transaction.atomic():
        notify_bulk(alerts(3, ("email", "sms")))
    with transaction.atomic():
        notify_bulk(alerts(5, ("email",)))  # two more e-mails: the job already waiting will send them too
    assert len(mail.outbox) == 0 and OutboxMessage.objects.filter(status="pending").count() == 8
    jobs = list(Job.objects.filter(kind="outbox.deliver"))
    assert [j.status for j in jobs] == ["pending"]


def test_a_mail_server_failure_is_retried_by_the_job_and_nothing_is_sent_twice(transactional_db, settings, monkeypatch):
    from jobs.models import Job
    from jobs.runner import run

    settings.QINGLING_JOBS_INLINE = False
    settings.EMAIL_BACKEND = "core.tests.test_delivery.FlakyMail"
    FlakyMail.calls = 0
    ConsoleSmsBackend.sent.clear()
    monkeypatch.setattr("core.notifications.DELIVERY_CHUNK", 2)  # e-mail 0 + SMS 0, then e-mail 1 + SMS 1, ...
    with transaction.atomic():
        notify_bulk(alerts(4, ("email", "sms")))
    job = Job.objects.get(kind="outbox.deliver")
    assert run(job.pk) == "retry"  # the second chunk met the mail server down
    job.refresh_from_db()
    assert job.status == "retrying"
    sent = OutboxMessage.objects.filter(status="sent")
    assert sorted(sent.values_list("address", flat=True)) == ["13800000000", "u0@example.invalid"]
    assert OutboxMessage.objects.filter(status="pending").count() == 6
    Job.objects.filter(pk=job.pk).update(retry_at=timezone.now() - datetime.timedelta(seconds=1))
    assert run(job.pk) == "done"
    assert OutboxMessage.objects.filter(status="sent").count() == 8
    # every address got exactly one message, counted at the (fake) mail server and SMS gateway
    assert sorted(m.to[0] for m in mail.outbox) == [f"u{i}@example.invalid" for i in range(4)]
    assert sorted(phone for phone, _ in ConsoleSmsBackend.sent) == [f"1380000{i:04d}" for i in range(4)]
    job.refresh_from_db()
    assert job.status == "done" and job.summary == {"sent": 6, "failed": 0}  # the first attempt's 2 were counted then


def test_the_last_attempt_records_a_mail_server_failure_on_the_message_it_hit(transactional_db, settings):
    from core.notifications import deliver_pending

    settings.EMAIL_BACKEND = "core.tests.test_delivery.FlakyMail"
    FlakyMail.calls = 1  # the next message meets the server down; the one after goes through
    settings.QINGLING_JOBS_INLINE = False
    with transaction.atomic():
        notify_bulk(alerts(2, ("email",)))
    assert deliver_pending(final=True) == {"sent": 1, "failed": 1}
    first, second = OutboxMessage.objects.order_by("pk")
    assert first.status == "failed" and "mail server down" in first.error and second.status == "sent"
    assert [m.to[0] for m in mail.outbox] == ["u1@example.invalid"]


def test_each_delivery_chunk_is_read_through_the_pending_index_whatever_the_statistics(db, settings):
    """After an import queues 300k messages the table's statistics can be stale (autoanalyze runs
    later): the chunk query must still be an index range over the pending rows, not a scan and sort
    of the whole outbox per chunk. The statement the job runs is captured and explained."""
    from django.db import connection

    from core.notifications import deliver_pending

    with transaction.atomic():
        notify_bulk(alerts(4, ("sms",)))
    seen = []

    def capture(execute, sql, params, many, context):
        if "FROM" in sql and "ORDER BY id LIMIT" in sql:
            seen.append((sql, list(params)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        deliver_pending(chunk=2)
    assert OutboxMessage.objects.filter(status="sent").count() == 4 and len(seen) == 3  # two chunks, then none left
    sql, params = seen[0]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # Four rows: a scan (or a bitmap of every id > 0, then a sort) wins here, not at 300k. With
            # those off, what is left are the ordered index paths — the primary key read in id order
            # with status as a filter (every row of the outbox), or the pending rows' own index.
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                cur.execute(f"SET LOCAL {setting} = off")
            cur.execute("EXPLAIN " + sql.replace(" FOR UPDATE SKIP LOCKED", ""), params)
        else:
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(r) for r in cur.fetchall())
    assert "outbox_pending_idx" in plan, plan


def test_emails_end_with_the_absolute_link_to_their_page_when_the_site_address_is_set(transactional_db, settings):
    """With QINGLING_SITE_URL set, an e-mail (single or bulk) ends with 查看详情 and the page's absolute
    address; the SMS and the in-app text stay as written; unset, no link (docs/operations.md)."""
    from core.notifications import notify

    settings.QINGLING_JOBS_INLINE = True
    settings.QINGLING_SITE_URL = "https://yinhuan.example.gov.cn"
    with transaction.atomic():
        notify(kind="t", dedupe_key="one", title="提醒", body="隐患即将到期", url="/hazards/7/", name="张三",
               email="a@example.invalid", phone="13800000001", channels=("email", "sms"))
        notify_bulk([{**alerts(1, ("email", "sms"))[0], "url": "/hazards/?progress=due"}])
    sent = {m.to[0]: m.body for m in mail.outbox}
    assert sent["a@example.invalid"] == "隐患即将到期\n\n查看详情：https://yinhuan.example.gov.cn/hazards/7/"
    assert sent["u0@example.invalid"] == "内容\n\n查看详情：https://yinhuan.example.gov.cn/hazards/?progress=due"
    assert set(OutboxMessage.objects.filter(channel="sms").values_list("body", flat=True)) == {"隐患即将到期", "内容"}
    settings.QINGLING_SITE_URL = ""
    with transaction.atomic():
        notify(kind="t", dedupe_key="two", title="提醒", body="隐患即将到期", url="/hazards/8/", email="b@example.invalid",
               channels=("email",))
    assert [m.body for m in mail.outbox if m.to == ["b@example.invalid"]] == ["隐患即将到期"]


def test_reminder_sms_wait_out_the_night_and_go_with_the_first_pass_after_it(transactional_db, settings):
    """QINGLING_SMS_QUIET_HOURS 22:00-07:00 (Asia/Shanghai): a deadline reminder's SMS made at 00:10
    stays pending (its e-mail goes), an SMS about something that just happened goes at once, and the
    delivery pass at 07:00 sends the held one — at 06:59 it still holds it."""
    from zoneinfo import ZoneInfo

    import time_machine

    from core.notifications import deliver_pending, notify

    tz = ZoneInfo("Asia/Shanghai")
    settings.QINGLING_JOBS_INLINE = True
    settings.QINGLING_SMS_QUIET_HOURS = "22:00-07:00"
    sent_sms = []

    class Recording(BaseSmsBackend):
        def send(self, phone, text):
            sent_sms.append((phone, text))

    settings.SMS_BACKEND = f"{__name__}.RecordingSms"
    globals()["RecordingSms"] = Recording
    with time_machine.travel(datetime.datetime(2026, 12, 3, 0, 10, tzinfo=tz), tick=False):
        with transaction.atomic():
            notify_bulk([{"kind": "hazard.due1", "dedupe_key": "d1", "title": "隐患明天到期", "body": "内容",
                          "channels": ("email", "sms"), "name": "张三", "phone": "13800000001", "email": "z@example.invalid"}])
            notify(kind="hazard.major_registered", dedupe_key="reg", title="新登记重大隐患", body="内容",
                   phone="13800000002", channels=("sms",))
        assert [p for p, _ in sent_sms] == ["13800000002"] and len(mail.outbox) == 1
        assert OutboxMessage.objects.get(dedupe_key="d1:sms").status == "pending"
    with time_machine.travel(datetime.datetime(2026, 12, 3, 6, 59, tzinfo=tz), tick=False):
        OutboxMessage.objects.create(channel="email", address="late@example.invalid", subject="提醒", body="内容",
                                     kind="hazard.due1", dedupe_key="late:email", status="pending")
        seen = []
        deliver_pending(progress=lambda done, total: seen.append((done, total)))
        assert OutboxMessage.objects.get(dedupe_key="d1:sms").status == "pending"
        assert seen == [(1, 1)]  # the e-mail went; the held SMS is not counted as work of this pass
    with time_machine.travel(datetime.datetime(2026, 12, 3, 7, 0, tzinfo=tz), tick=False):
        assert deliver_pending()["sent"] == 1
    assert [p for p, _ in sent_sms] == ["13800000002", "13800000001"]
    assert OutboxMessage.objects.get(dedupe_key="d1:sms").status == "sent"


def test_a_malformed_quiet_hours_setting_holds_nothing_and_breaks_nothing(settings):
    """QINGLING_SMS_QUIET_HOURS that is not HH:MM-HH:MM: no quiet hours (an error in the log), not a
    failure in every request that sends a message."""
    from zoneinfo import ZoneInfo

    from core.notifications import sms_quiet_now

    night = datetime.datetime(2026, 12, 3, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    for bad in ("22-7", "夜间", "22:00-07:00-08:00", "25:00-07:00"):
        settings.QINGLING_SMS_QUIET_HOURS = bad
        assert sms_quiet_now(night) is False
    settings.QINGLING_SMS_QUIET_HOURS = "22:00-07:00"
    assert sms_quiet_now(night) is True
