# PostgreSQL: the five tally tables keep 30 % of each page free (fillfactor 70), so that a count's
# update — every hazard write moves one or two keys of each tally, an import a thousand — fits on
# its row's page and is a HOT update: no new entry in each of the table's indexes (up to nine).
# Measured on the province bench: the import's grouped upserts of 5,000 rows 0.105 → 0.05 s
# (issue 15, B3). Pages written from now on take it; existing full pages hand their rows over as
# they are updated (``VACUUM FULL`` of the tables repacks them at once: docs/operations.md).

from django.db import migrations

TABLES = ("hazards_hazardtally", "hazards_hazardweektally", "hazards_hazardcountytally", "hazards_hazardcitytally",
          "hazards_hazardcityweektally")
FILLFACTOR = 70


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {FILLFACTOR})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [
        ("hazards", "0020_token_index_arrays"),
    ]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
