"""The replica router: writes and ordinary reads stay on the primary; read_db() picks the replica."""

from django.test import override_settings

from core.routers import ReplicaRouter, read_db


def test_without_replica_everything_is_default(settings):
    assert "replica" not in settings.DATABASES
    assert read_db() == "default"


def test_router_keeps_writes_and_reads_on_primary():
    router = ReplicaRouter()
    assert router.db_for_write(object) == "default"
    assert router.db_for_read(object) is None
    assert router.allow_migrate("replica", "hazards") is False
    assert router.allow_migrate("default", "hazards") is True


def test_read_db_uses_the_replica_when_configured(settings):
    databases = {**settings.DATABASES, "replica": {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}}}
    with override_settings(DATABASES=databases):
        assert read_db() == "replica"
