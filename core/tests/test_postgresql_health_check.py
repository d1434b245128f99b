"""The per-request health check of PostgreSQL connections (``core.postgresql``): no round trip for
an open, quiet connection; a connection the server closed is closed and replaced before the
request's first query; a socket with something to read on it gets Django's ``SELECT 1``."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's health check")


def engine_for(**env) -> str:
    """The default database's ENGINE as config/settings.py builds it for ``env`` (a fresh
    interpreter: settings are read once a process)."""
    code = "import json; from django.conf import settings; print(json.dumps(settings.DATABASES['default']['ENGINE']))"
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_POOL")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", "QINGLING_DEV": "1", **env})
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_postgresql_database_is_served_by_the_project_backend_and_sqlite_by_django_s():
    assert engine_for(DATABASE_URL="postgres://u:p@127.0.0.1:5432/none") == "core.postgresql"
    assert engine_for(DATABASE_URL="sqlite:////tmp/none.sqlite3") == "django.db.backends.sqlite3"


@pytest.fixture
def own_connection():
    """A connection of its own, outside the test's transaction, as a web worker holds one between
    requests (health checks on, the check not yet done for the next request)."""
    conn = connection.copy()
    conn.ensure_connection()
    conn.health_check_enabled, conn.health_check_done = True, False
    round_trips = []
    usable = conn.is_usable
    conn.is_usable = lambda: round_trips.append(1) or usable()
    conn.round_trips = round_trips
    yield conn
    conn.close()


def server_pid(conn) -> int:
    with conn.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        return cur.fetchone()[0]


def other_session(sql: str, *params) -> None:
    peer = connection.copy()
    try:
        with peer.cursor() as cur:
            cur.execute(sql, params)
    finally:
        peer.close()


def wait_readable(conn, seconds: float = 5.0) -> None:
    """Until the server's message has reached the socket (it is sent asynchronously)."""
    import select

    poller = select.poll()
    poller.register(conn.connection.fileno(), select.POLLIN)
    assert poller.poll(int(seconds * 1000)), "nothing arrived on the connection"


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_open_quiet_connection_passes_the_health_check_without_a_round_trip(own_connection):
    server_pid(own_connection)
    own_connection.health_check_done = False  # the next request
    raw = own_connection.connection
    own_connection.close_if_health_check_failed()
    assert own_connection.round_trips == []
    assert own_connection.connection is raw and own_connection.health_check_done


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_closed_is_replaced_before_the_request_s_first_query(own_connection):
    pid = server_pid(own_connection)
    own_connection.health_check_done = False
    other_session("SELECT pg_terminate_backend(%s)", pid)
    wait_readable(own_connection)
    own_connection.close_if_health_check_failed()
    assert own_connection.connection is None  # closed by the check, not by a failing query
    assert server_pid(own_connection) != pid  # the request's query runs on a new connection


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_socket_with_something_to_read_gets_select_1_and_a_healthy_connection_is_kept(own_connection):
    with own_connection.cursor() as cur:
        cur.execute("LISTEN qingling_health_check_test")
    own_connection.health_check_done = False
    other_session("SELECT pg_notify('qingling_health_check_test', 'x')")
    wait_readable(own_connection)
    raw = own_connection.connection
    own_connection.close_if_health_check_failed()
    assert own_connection.round_trips == [1]
    assert own_connection.connection is raw


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_connection_inside_a_transaction_gets_the_round_trip(own_connection):
    own_connection.set_autocommit(False)
    server_pid(own_connection)
    own_connection.health_check_done = False
    own_connection.close_if_health_check_failed()
    assert own_connection.round_trips == [1]
    own_connection.rollback()
    own_connection.set_autocommit(True)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_request_after_the_server_dropped_the_connection_gets_its_answer():
    """Django's request cycle with the default connection: between two requests (``request_started``
    runs ``close_old_connections``) the worker's persistent connection is killed; the next request's
    query is answered on a new connection instead of failing."""
    from django.db import close_old_connections

    from regions.models import Region

    Region.objects.exists()
    assert connection.health_check_enabled and connection.connection is not None
    pid = server_pid(connection)
    other_session("SELECT pg_terminate_backend(%s)", pid)
    wait_readable(connection)
    close_old_connections()  # what the next request starts with
    Region.objects.exists()
    assert server_pid(connection) != pid
