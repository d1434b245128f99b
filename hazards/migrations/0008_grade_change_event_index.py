"""A partial index on core_event for hazards.asof.major_rows_sql (issue 15, B1): the events that can
make a hazard not 重大 today count as 重大 at an earlier instant — grade-carrying events other than
the registration whose grade is not 重大. Created here (raw SQL: a JSON predicate, one form per
database) because it serves the hazards' as-of figures only; in practice it holds no rows."""

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
