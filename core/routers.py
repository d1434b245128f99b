"""Send read-only statistics to a replica when one is configured.

Code that wants the replica asks for it explicitly — ``qs.using(read_db())`` or
``for_reading(qs)`` — as the statistics, the exports and the board do; the router keeps every
write and every ordinary read on the primary so a lagging replica never shows a user stale
data right after they changed it. Objects loaded from the replica follow their foreign keys
there too (Django falls back to the instance's database when the router has no opinion).

The replica is the ``replica`` alias (``DATABASE_REPLICA_URL``; in tests ``TEST: {"MIRROR":
"default"}``). Without it everything reads from ``default``.
"""

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"


def read_db() -> str:
    """The alias statistics, exports and the board read from: the replica if configured."""
    return REPLICA if REPLICA in connections.settings else DEFAULT_DB_ALIAS


def for_reading(queryset):
    """``queryset`` evaluated on the read database (the replica when there is one)."""
    return queryset.using(read_db())


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return None  # the primary, or the database the related instance came from

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
