"""Send read-only statistics to a replica when one is configured.

Code that wants the replica asks for it explicitly with ``.using(read_db())``; the router
keeps every write and every ordinary read on the primary so a lagging replica never
shows a user stale data right after they changed it.
"""

from django.conf import settings


def read_db() -> str:
    return "replica" if "replica" in settings.DATABASES else "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
