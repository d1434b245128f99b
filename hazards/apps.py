from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_tally_triggers(sender, using="default", **kwargs):
    """A later migration that rebuilds ``hazards_hazard`` (SQLite remakes the table for most
    column changes) drops its triggers: put them back and recount (hazards.tallies)."""
    from django.db import connections

    from . import tallies

    conn = connections[using]
    tables = set(conn.introspection.table_names())
    if not {tallies.HAZARDS, tallies.MAIN, tallies.WEEK} <= tables or tallies.installed(conn):
        return
    tallies.install(conn)
    if conn.alias == "default":
        tallies.rebuild()


class HazardsConfig(AppConfig):
    name = "hazards"
    verbose_name = "隐患台账"

    def ready(self):
        post_migrate.connect(_ensure_tally_triggers, sender=self, dispatch_uid="hazards_tally_triggers")
