# Ledger text search (hazards.search) over enterprise names: n-gram tokens per enterprise, GIN
# index on PostgreSQL (the same expression as the hazards' hazard_search_gin).

from django.db import migrations, models

INDEX = "enterprise_name_tokens_gin"


def backfill(apps, schema_editor):
    from hazards.search import tokens

    Enterprise = apps.get_model("enterprises", "Enterprise")
    batch = []
    for pk, name in Enterprise.objects.values_list("pk", "name").iterator(chunk_size=5000):
        batch.append(Enterprise(pk=pk, name_tokens=tokens(name)))
        if len(batch) >= 5000:
            Enterprise.objects.bulk_update(batch, ["name_tokens"])
            batch = []
    if batch:
        Enterprise.objects.bulk_update(batch, ["name_tokens"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON enterprises_enterprise "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(name_tokens, '')))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0002_importjob'),
    ]

    operations = [
        migrations.AddField(
            model_name='enterprise',
            name='name_tokens',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='名称检索词'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
