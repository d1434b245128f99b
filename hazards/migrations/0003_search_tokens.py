# Ledger full-text search (hazards.search): n-gram tokens per hazard, GIN index on PostgreSQL.

from django.db import migrations, models

INDEX = "hazard_search_gin"


def backfill(apps, schema_editor):
    from hazards.search import tokens

    Hazard = apps.get_model("hazards", "Hazard")
    batch = []
    for pk, description, location in Hazard.objects.values_list("pk", "description", "location").iterator(chunk_size=5000):
        batch.append(Hazard(pk=pk, search_tokens=tokens(description, location)))
        if len(batch) >= 5000:
            Hazard.objects.bulk_update(batch, ["search_tokens"])
            batch = []
    if batch:
        Hazard.objects.bulk_update(batch, ["search_tokens"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON hazards_hazard "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_tokens, '')))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('hazards', '0002_alert_schedule'),
    ]

    operations = [
        migrations.AddField(
            model_name='hazard',
            name='search_tokens',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='检索词'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
