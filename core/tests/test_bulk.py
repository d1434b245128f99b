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
