"""Django's PostgreSQL backend with a health check that costs no round trip when nothing is wrong.

With ``CONN_HEALTH_CHECKS`` (config/settings.py: persistent connections, so a database restart must
not fail the next request of every worker) Django sends ``SELECT 1`` before the first query of every
request: a round trip to the server on each page and API call — 3 % of a gunicorn worker's time in
benchmark B4, measured with py-spy on the province database (docs/scaling.md).

A connection the server has closed — a restart, ``pg_terminate_backend``, ``idle_session_timeout``,
a pooler dropping an idle client — leaves its socket readable: the server's last message and the end
of the stream are waiting on it. An idle, healthy connection has nothing to read (PostgreSQL sends
nothing unasked, short of a notification or a reloaded reported setting). So the check looks first,
without waiting: the connection is kept when psycopg knows it open and idle and its socket has
nothing to read; in every other case Django's own check runs (``SELECT 1``, closing the connection
when it fails) — a socket with something to read may still be healthy. What neither check catches
is a server that vanished without closing the connection (a cut network): ``SELECT 1`` would wait
for the same TCP timeout the request's own query waits for."""

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


def quiet(connection) -> bool:
    """True when the psycopg ``connection`` is open, idle outside a transaction, and its socket has
    nothing to read (checked without waiting)."""
    if connection.closed or connection.broken or connection.info.transaction_status != TransactionStatus.IDLE:
        return False
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
    return not poller.poll(0)


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (self.connection is not None and self.health_check_enabled and not self.health_check_done
                and not self.pool and quiet(self.connection)):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
