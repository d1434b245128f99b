"""Outbox delivery in batches: sent messages are marked sent, a failing adapter marks them failed."""

from django.core import mail
from django.db import transaction

from core.models import OutboxMessage
from core.notifications import notify_bulk
from core.sms import BaseSmsBackend


class BrokenSms(BaseSmsBackend):
    def send(self, phone, text):
        raise ConnectionError("gateway down")


def alerts(n, channels):
    return [{"kind": "t", "dedupe_key": f"k{i}", "title": "提醒", "body": "内容", "channels": channels,
             "name": "张三", "phone": f"1380000{i:04d}", "email": f"u{i}@example.invalid"} for i in range(n)]


def test_bulk_alerts_are_delivered_once_in_batches(transactional_db, settings):
    with transaction.atomic():
        assert notify_bulk(alerts(3, ("email", "sms"))) == 6
    assert OutboxMessage.objects.filter(status="sent").count() == 6
    assert len(mail.outbox) == 3
    with transaction.atomic():
        assert notify_bulk(alerts(3, ("email", "sms"))) == 0  # same keys: nothing new, nothing re-sent
    assert len(mail.outbox) == 3


def test_a_failing_sms_gateway_marks_messages_failed(transactional_db, settings):
    settings.SMS_BACKEND = "core.tests.test_delivery.BrokenSms"
    with transaction.atomic():
        notify_bulk(alerts(2, ("sms",)))
    failed = OutboxMessage.objects.filter(status="failed")
    assert failed.count() == 2 and "gateway down" in failed.first().error


def test_a_key_won_by_a_concurrent_run_is_skipped_not_raised(db):
    from core.models import OutboxMessage
    from core.notifications import _insert_new

    def row(key):
        return OutboxMessage(channel="sms", address="13800000000", subject="提醒", kind="t", dedupe_key=key)

    OutboxMessage.objects.create(channel="sms", address="13800000000", subject="提醒", kind="t", dedupe_key="race:1")
    with transaction.atomic():
        _insert_new(OutboxMessage, [row("race:1"), row("race:2")])
    assert sorted(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == ["race:1", "race:2"]
