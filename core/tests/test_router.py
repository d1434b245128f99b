"""The replica router with a real second database: reads asked for with ``.using(read_db())`` go
to the ``replica`` alias, writes and ordinary reads stay on ``default``.

The replica here is a separate SQLite file (on both SQLite and PostgreSQL runs of the suite)
holding a row the primary does not have, so the data itself shows which database answered.
"""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from core.routers import REPLICA, ReplicaRouter, for_reading, read_db
from regions.models import Region


@pytest.fixture
def replica(db, tmp_path):
    """A second database alias ``replica`` (its own SQLite file) with the regions table and one
    row only it has; removed afterwards."""
    assert REPLICA not in connections.settings
    connections.settings[REPLICA] = connections.configure_settings(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "replica.sqlite3")}})["default"]
    try:
        connections[REPLICA].connect()  # opened by the fixture: Django's test case allows the alias then
        with connections[REPLICA].schema_editor() as editor:
            editor.create_model(Region)
        Region.objects.using(REPLICA).bulk_create([Region(code="990000", name="只在副本", level="county", path="99/990000")])
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


def test_without_replica_everything_is_default():
    assert REPLICA not in connections.settings
    assert read_db() == "default"


def test_router_keeps_writes_and_ordinary_reads_on_primary():
    router = ReplicaRouter()
    assert router.db_for_write(Region) == "default"
    assert router.db_for_read(Region) is None
    assert router.allow_migrate(REPLICA, "regions") is False
    assert router.allow_migrate("default", "regions") is True


@pytest.mark.django_db
def test_reads_with_read_db_go_to_the_replica_and_writes_stay_on_default(replica):
    primary = connections["default"]
    assert read_db() == REPLICA
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(primary) as on_primary:
        names = list(Region.objects.using(read_db()).filter(code__startswith="99").values_list("name", flat=True))
        same = list(for_reading(Region.objects.filter(code="990000")))
    assert names == ["只在副本"] and len(same) == 1 and same[0]._state.db == REPLICA
    assert len(on_replica.captured_queries) == 2
    assert on_primary.captured_queries == []

    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(primary) as on_primary:
        written = Region.objects.create(code="990001", name="主库写入", level="county", path="99/990001")
        Region.objects.filter(pk=written.pk).update(name="主库更新")
        ordinary = Region.objects.filter(code__startswith="99").count()
    assert written._state.db == "default"
    assert on_replica.captured_queries == []
    assert any(q["sql"].upper().startswith("INSERT") for q in on_primary.captured_queries)
    assert ordinary == 1  # an ordinary read sees the primary, not the replica's extra row
    assert not Region.objects.using(REPLICA).filter(code="990001").exists()
