"""The event trail: written in the service's transaction, rolled back with it."""

import pytest
from django.db import transaction

from core.events import EventOutsideTransaction, record
from core.models import Event


def test_record_writes_one_event_inside_a_transaction(world):
    """(The refusal outside a transaction is test_event_outside_transaction_is_an_error.)"""
    with transaction.atomic():
        record(None, "test.verb", world.ent_commerce)
    assert Event.objects.filter(verb="test.verb").count() == 1


@pytest.mark.django_db(transaction=True)
def test_event_outside_transaction_is_an_error(tworld):
    with pytest.raises(EventOutsideTransaction):
        record(None, "test.verb", tworld.ent_commerce)


@pytest.mark.django_db(transaction=True)
def test_event_rolls_back_with_the_change(tworld):
    from enterprises import services

    before = Event.objects.count()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            services.update_contacts(None, tworld.ent_commerce, principal_phone="13800000000")
            raise RuntimeError("boom")
    assert Event.objects.count() == before
    tworld.ent_commerce.refresh_from_db()
    assert tworld.ent_commerce.principal_phone != "13800000000"


def test_event_carries_actor_organisation_role_and_request_id(client, world):
    from core.request_context import request_id_var
    from enterprises import services

    token = request_id_var.set("req-123456")
    try:
        services.update_contacts(world.user("emergency"), world.ent_commerce, principal_phone="13800000000")
    finally:
        request_id_var.reset(token)
    event = Event.objects.get(verb="enterprise.contacts_updated")
    assert event.actor_org == world.org("emergency")
    assert event.actor_role == "officer"
    assert event.data["changes"]["principal_phone"][1] == "13800000000"
    assert event.request_id == "req-123456"


def test_request_id_header_is_echoed(client, world):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abcdef123456")
    assert response["X-Request-ID"] == "abcdef123456"
    assert len(client.get("/healthz")["X-Request-ID"]) == 32


def test_admin_edits_are_in_the_change_log(client, world):
    from core.models import ChangeLog

    client.force_login(world.user("admin"))
    sector = world.ent_commerce.sectors.first()
    response = client.post(f"/admin/accounts/sector/{sector.pk}/change/", {
        "code": sector.code, "name": "商贸服务业", "high_risk": "", "drill_months": 12, "sort_order": 120, "is_active": "on"})
    assert response.status_code == 302, response.content[:500]
    log = ChangeLog.objects.get(object_type="accounts.sector")
    assert log.pre["name"] == "商贸服务和仓储物流" and log.post["name"] == "商贸服务业"


def test_notify_is_idempotent_per_key(world):
    from core.models import Notification, OutboxMessage
    from core.notifications import notify

    user = world.user("enterprise")
    with transaction.atomic():
        assert notify(kind="t", dedupe_key="k1", title="标题", user=user, phone="13800000001")
        assert not notify(kind="t", dedupe_key="k1", title="标题", user=user, phone="13800000001")
    assert Notification.objects.filter(recipient=user).count() == 1
    statuses = dict(OutboxMessage.objects.filter(dedupe_key__startswith="k1").values_list("channel", "status"))
    assert statuses == {"email": "skipped", "sms": "pending"}  # no e-mail address; SMS sent on commit
