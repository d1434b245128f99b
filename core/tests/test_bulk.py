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
