"""Legal records refuse update and delete: at model level (every database) and by trigger
(PostgreSQL, raw SQL). Corrections are new rows; mutable lifecycle columns stay writable."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.events import record
from core.immutable import ImmutableRecord, maintenance
from core.models import Event


def _event(world):
    with transaction.atomic():
        record(world.user("committee"), "test.happened", world.ent_commerce, note="原始记录")
    return Event.objects.latest("id")


def _locked_record(world):
    from inspections import services
    from inspections.tests.factories import record as new_record

    rec = new_record(world)
    services.answer_remaining(world.user("emergency"), rec)
    return services.sign(world.user("emergency"), rec)


def _decision(world):
    from enforcement import services
    from enforcement.tests.helpers import article, entity, notified_case, order_to_correct

    case = notified_case(world)
    order_to_correct(world, case, 101, "(五)")  # 逾期未改正 presupposes the 责令限期改正
    return services.decide_penalty(world.user("commerce"), case, party=entity(case), article=article(101, "(五)逾期"),
                                   amount="150000", reason="未如实记录")


@pytest.mark.django_db
def test_events_refuse_update_and_delete(world):
    ev = _event(world)
    ev.note = "篡改"
    with pytest.raises(ImmutableRecord), transaction.atomic():  # a savepoint per refused write
        ev.save()
    with pytest.raises(ImmutableRecord), transaction.atomic():  # a savepoint per refused write
        Event.objects.filter(pk=ev.pk).update(note="篡改")
    with pytest.raises(ImmutableRecord), transaction.atomic():  # a savepoint per refused write
        ev.delete()
    with pytest.raises(ImmutableRecord), transaction.atomic():  # a savepoint per refused write
        Event.objects.filter(pk=ev.pk).delete()
    assert Event.objects.get(pk=ev.pk).note == "原始记录"
    Event.objects.filter(pk=ev.pk).update(actor=None)  # a deleted user's SET_NULL stays possible


@pytest.mark.django_db
def test_locked_record_and_addenda(world):
    from inspections import services
    from inspections.models import Record

    rec = _locked_record(world)
    assert rec.status == "locked"
    with pytest.raises(ImmutableRecord), transaction.atomic():  # a savepoint per refused write
        Record.objects.filter(pk=rec.pk).update(inspected_on=datetime.date(2020, 1, 1))
    rec.inspected_on = datetime.date(2020, 1, 1)
    with pytest.raises(ImmutableRecord), transaction.atomic():  # a savepoint per refused write
        rec.save()
    with pytest.raises(ImmutableRecord), transaction.atomic():  # a savepoint per refused write
        Record.objects.get(pk=rec.pk).delete()
    add = services.add_addendum(world.user("emergency"), Record.objects.get(pk=rec.pk), text="补正：检查时间为上午")
    add.text = "改写"
    with pytest.raises(ImmutableRecord), transaction.atomic():  # a savepoint per refused write
        add.save()
    with pytest.raises(ImmutableRecord), transaction.atomic():  # a savepoint per refused write
        rec.addenda.all().delete()


@pytest.mark.django_db
def test_decision_content_frozen_lifecycle_columns_writable(world):
    from enforcement.models import Decision

    d = _decision(world)
    with pytest.raises(ImmutableRecord), transaction.atomic():  # a savepoint per refused write
        Decision.objects.filter(pk=d.pk).update(amount=1)
    d.amount = 1
    with pytest.raises(ImmutableRecord), transaction.atomic():  # a savepoint per refused write
        d.save()
    with pytest.raises(ImmutableRecord), transaction.atomic():  # a savepoint per refused write
        Decision.objects.filter(pk=d.pk).delete()
    Decision.objects.filter(pk=d.pk).update(corrected_on=timezone.localdate())  # a lifecycle fact, not content
    assert Decision.objects.get(pk=d.pk).amount == 150000


@pytest.mark.django_db
def test_maintenance_lifts_the_guard(world):
    ev = _event(world)
    with maintenance():
        Event.objects.filter(pk=ev.pk).delete()
    assert not Event.objects.filter(pk=ev.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_triggers_refuse_raw_sql(world):
    ev = _event(world)
    rec = _locked_record(world)
    d = _decision(world)
    for sql, args in [
        ("UPDATE core_event SET note = 'x' WHERE id = %s", [ev.pk]),
        ("DELETE FROM core_event WHERE id = %s", [ev.pk]),
        ("UPDATE inspections_record SET inspected_on = '2020-01-01' WHERE id = %s", [rec.pk]),
        ("DELETE FROM inspections_record WHERE id = %s", [rec.pk]),
        ("UPDATE enforcement_decision SET amount = 1 WHERE id = %s", [d.pk]),
        ("DELETE FROM enforcement_decision WHERE id = %s", [d.pk]),
    ]:
        with pytest.raises(IntegrityError, match="legal records"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, args)
    with transaction.atomic(), connection.cursor() as cur:  # allowed columns
        cur.execute("UPDATE enforcement_decision SET status = 'revoked' WHERE id = %s", [d.pk])
        cur.execute("UPDATE core_event SET actor_id = NULL WHERE id = %s", [ev.pk])
