"""core.bulk.insert writes exactly what the ORM's bulk_create writes (the oracle), with ids."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from core.bulk import insert
from core.models import Event

pytestmark = pytest.mark.django_db


def _events(tag: str, user):
    at = timezone.make_aware(datetime.datetime(2026, 3, 4, 23, 30, 5, 123456), datetime.UTC)
    return [Event(created_at=at + datetime.timedelta(seconds=i), actor=user if i % 2 else None, actor_name=f"张三{i}",
                  verb=f"{tag}.done", object_type="hazards.hazard", object_id=10 ** 12 + i, object_repr="隐患 “引号” \\ 反斜杠",
                  note="第一行\n第二行" if i % 3 else "", data={"n": i, "文字": "是", "list": [1, None, True], "none": None},
                  to_state="closed" if i % 2 else "")
            for i in range(7)]


def _rows(tag):
    return sorted((tuple(v for k, v in r.items() if k not in ("id", "verb")) for r in Event.objects.filter(verb=f"{tag}.done").values()),
                  key=repr)


def test_insert_writes_what_bulk_create_writes_and_sets_every_id(world):
    user = world.user("commerce")
    with transaction.atomic():
        mine = _events("insert", user)
        insert(Event, mine)
        Event.objects.bulk_create(_events("orm", user))
    assert all(e.pk for e in mine) and len({e.pk for e in mine}) == len(mine)
    for e in mine:
        assert Event.objects.get(pk=e.pk).object_id == e.object_id
    assert _rows("insert") == _rows("orm") and len(_rows("orm")) == 7


def test_ids_after_deleted_rows_are_never_reused(world):
    with transaction.atomic():
        first = _events("first", None)
        insert(Event, first)
    top = max(e.pk for e in first)
    with transaction.atomic():
        second = _events("second", None)
        insert(Event, second)
    assert min(e.pk for e in second) > top


def _fields(obj) -> dict:
    return {k: v for k, v in obj.__dict__.items() if k != "_state"}


def test_make_builds_what_the_model_constructor_builds(world):
    """core.bulk.make against Model(**kwargs) (the oracle): the same field values (defaults
    filled, a callable default called per object), an unsaved state, and the related objects
    given served from the cache without a query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.bulk import make
    from hazards.models import HazardSource

    user = world.user("commerce")
    at = timezone.make_aware(datetime.datetime(2026, 3, 4, 8, 0), datetime.UTC)
    made = make(Event, {"created_at": at, "actor_id": user.pk, "actor_name": "张三", "verb": "x.done",
                        "object_type": "hazards.hazard", "object_id": 5}, {"actor": user})
    oracle = Event(created_at=at, actor=user, actor_name="张三", verb="x.done", object_type="hazards.hazard", object_id=5)
    assert _fields(made) == _fields(oracle)
    assert made._state.adding and made._state.db is None and made.pk is None
    other = make(Event, {"verb": "y", "object_type": "t", "object_id": 1})
    assert other.data == {} and other.data is not made.data and other.created_at is not None  # fresh defaults
    with CaptureQueriesContext(connection) as queries:
        assert made.actor == user
    assert len(queries) == 0
    source = make(HazardSource, {"channel": "inspection", "reference": "r"})
    assert _fields(source) == _fields(HazardSource(channel="inspection", reference="r", reported_at=source.reported_at))


def test_insert_keeps_a_primary_key_the_caller_gives_as_in_a_one_to_one_side_table(world):
    """AlertSchedule's primary key is its hazard: insert writes the given keys (no sequence) and
    the rows read back are those bulk_create would write."""
    from hazards.models import AlertSchedule
    from hazards.tests.conftest import make_general

    hazards = [make_general(world), make_general(world, description="安全出口锁闭")]
    AlertSchedule.objects.filter(hazard__in=hazards).delete()
    day = datetime.date(2026, 5, 6)
    with transaction.atomic():
        rows = [AlertSchedule(hazard_id=h.pk, next_alert_on=day + datetime.timedelta(days=i)) for i, h in enumerate(hazards)]
        insert(AlertSchedule, rows)
    assert [r.pk for r in rows] == [h.pk for h in hazards]
    assert list(AlertSchedule.objects.filter(hazard__in=hazards).order_by("hazard_id").values_list("hazard_id", "next_alert_on")) == \
        [(hazards[0].pk, day), (hazards[1].pk, day + datetime.timedelta(days=1))]


@pytest.mark.parametrize("n", [1, 999, 1000, 1001, 2500])
def test_where_in_finds_every_row_once_however_many_values_it_splits_into_chunks(world, n):
    """where_in splits long value lists (SQLite's parameter limit; PostgreSQL's planner, PG_CHUNK):
    the rows of all its querysets are exactly those the plain ``__in`` filter finds, none twice."""
    from core.bulk import PG_CHUNK, where_in

    base = 10 ** 12 + 5000
    Event.objects.bulk_create([Event(created_at=timezone.now(), actor_name="导入", verb="where_in.row", object_type="x",
                                     object_id=base + i) for i in range(n + 3)])
    wanted = [base + i for i in range(n)] + [base, 7]  # a repeat and an id no row has
    found = [pk for qs in where_in(Event.objects.filter(verb="where_in.row"), "object_id", wanted)
             for pk in qs.values_list("object_id", flat=True)]
    assert sorted(found) == [base + i for i in range(n)]  # the oracle: range(n), each once
    assert PG_CHUNK <= 1000


def _columns(events: list) -> dict:
    """The events' values column by column (one shared value where every event has the same)."""
    from core.bulk import _template

    _, _, _, attnames = _template(Event)
    columns = {name: [e.__dict__[name] for e in events] for name in attnames if name != "id"}
    return {name: (values[0] if len(set(map(repr, values))) == 1 else values) for name, values in columns.items()}


def test_insert_columns_writes_what_bulk_create_writes_ids_in_the_rows_order(world):
    from core.bulk import insert_columns

    user = world.user("commerce")
    with transaction.atomic():
        insert_columns(Event, _columns(_events("columns", user)), 7)
        Event.objects.bulk_create(_events("orm", user))
    assert _rows("columns") == _rows("orm") and len(_rows("orm")) == 7
    written = list(Event.objects.filter(verb="columns.done").order_by("pk").values_list("object_id", flat=True))
    assert written == [10 ** 12 + i for i in range(7)]  # ids ascend in the order the rows were given


def test_insert_columns_refuses_a_missing_or_unknown_column_and_a_column_of_another_length(world):
    from core.bulk import insert_columns

    columns = _columns(_events("columns", None))
    with transaction.atomic():
        for bad, n in (({k: v for k, v in columns.items() if k != "note"}, 7), (columns | {"colour": "red"}, 7),
                       (columns, 6)):
            with pytest.raises(ValueError):
                insert_columns(Event, bad, n)
    assert not Event.objects.filter(verb="columns.done").exists()


def test_event_columns_write_what_build_builds_for_each_event(world):
    """core.events.EventColumns (the bulk form of build) against build with the same arguments."""
    from core.events import EventColumns, build
    from core.request_context import request_id_var

    user, obj = world.user("commerce"), world.ent_commerce
    at = timezone.make_aware(datetime.datetime(2026, 5, 6, 7, 8, 9), datetime.UTC)
    calls = [("hazard.registered", {"to_state": "registered", "data": {"grade": "general", "n": None}, "at": at}),
             ("hazard.close_now", {"from_state": "registered", "to_state": "closed", "note": "已整改\n“引号”", "at": at}),
             ("hazard.noted", {})]
    token = request_id_var.set("req-42")
    try:
        with transaction.atomic():
            columns = EventColumns(user)
            for verb, kwargs in calls:
                columns.add(verb, obj, **kwargs)
            columns.write()
            expected = [build(user, verb, obj, **kwargs) for verb, kwargs in calls]
    finally:
        request_id_var.reset(token)
    written = list(Event.objects.filter(object_type="enterprises.enterprise", object_id=obj.pk,
                                        verb__in=[verb for verb, _ in calls]).order_by("pk"))
    assert [e.verb for e in written] == [verb for verb, _ in calls]
    for got, want in zip(written, expected, strict=True):
        for field in Event._meta.concrete_fields:
            if field.attname == "id":
                continue
            if field.attname == "created_at" and want.verb == "hazard.noted":  # both "now", a moment apart
                assert abs(got.created_at - want.created_at) < datetime.timedelta(seconds=5)
                continue
            assert getattr(got, field.attname) == getattr(want, field.attname), field.attname
    assert written[0].request_id == "req-42" and written[0].actor_org_id is not None


def test_insert_columns_numbers_rows_after_deleted_ones_and_never_reuses_an_id(world):
    """The ids insert_columns takes when it numbers the rows itself (SQLite: after the table's
    AUTOINCREMENT sequence; PostgreSQL: its sequence) are above every id ever used, deleted rows'
    included, and ascend in the rows' order."""
    from core.bulk import insert_columns

    with transaction.atomic():
        insert_columns(Event, _columns(_events("first", None)), 7)
    first = list(Event.objects.filter(verb="first.done").order_by("pk").values_list("pk", flat=True))
    from core.immutable import maintenance

    with maintenance():  # the newest rows gone (a restore's wipe): their ids stay used
        Event.objects.filter(pk__in=first[-3:]).delete()
    with transaction.atomic():
        insert_columns(Event, _columns(_events("second", None)), 7)
    second = list(Event.objects.filter(verb="second.done").order_by("pk").values_list("pk", "object_id"))
    assert min(pk for pk, _ in second) > max(first)
    assert [object_id for _, object_id in second] == [10 ** 12 + i for i in range(7)]


def test_insert_columns_writes_a_primary_key_the_caller_gives_as_bulk_create_does(world):
    """AlertSchedule (its primary key is its hazard) given column by column, in and outside a
    transaction: the rows read back are those bulk_create writes."""
    from core.bulk import insert_columns
    from hazards.models import AlertSchedule
    from hazards.tests.conftest import make_general

    hazards = [make_general(world, description=f"安全出口锁闭{i}") for i in range(4)]
    AlertSchedule.objects.filter(hazard__in=hazards).delete()
    day = datetime.date(2026, 5, 6)
    with transaction.atomic():
        insert_columns(AlertSchedule, {"hazard_id": [h.pk for h in hazards[:2]], "next_alert_on": [day, day]}, 2)
    insert_columns(AlertSchedule, {"hazard_id": [h.pk for h in hazards[2:3]], "next_alert_on": day}, 1)
    AlertSchedule.objects.bulk_create([AlertSchedule(hazard_id=hazards[3].pk, next_alert_on=day)])
    assert list(AlertSchedule.objects.filter(hazard__in=hazards).order_by("hazard_id").values_list("hazard_id", "next_alert_on")) \
        == [(h.pk, day) for h in hazards]
