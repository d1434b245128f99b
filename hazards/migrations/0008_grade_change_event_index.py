"""A partial index on core_event for hazards.asof.major_rows_sql (issue 15, B1): the hazards' grade
changes (``hazard.regraded`` events), the only hazards whose grade at an earlier instant can differ
from today's. Created here (raw SQL, a partial index) because it serves the hazards' as-of figures
only; it holds a handful of rows."""

from django.db import migrations

def create(apps, schema_editor):
    from hazards.asof import GRADE_CHANGE_INDEX, grade_change_predicate

    vendor = schema_editor.connection.vendor
    predicate = grade_change_predicate(vendor, alias=None)
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {GRADE_CHANGE_INDEX} ON core_event (object_id) WHERE {predicate}")


def drop(apps, schema_editor):
    from hazards.asof import GRADE_CHANGE_INDEX

    schema_editor.execute(f"DROP INDEX IF EXISTS {GRADE_CHANGE_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0007_accident_deadline_rule_versions"),
        ("hazards", "0007_merge_tally_and_ledger_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
