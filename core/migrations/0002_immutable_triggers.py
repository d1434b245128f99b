"""PostgreSQL triggers refusing update/delete of legal records (core.immutable.SPECS); no-op elsewhere."""

from django.db import migrations


def forwards(apps, schema_editor):
    from core.immutable import install_triggers

    install_triggers(schema_editor)


def backwards(apps, schema_editor):
    from core.immutable import drop_triggers

    drop_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("inspections", "0001_initial"),
        ("enforcement", "0002_catalogue"),
        ("campaigns", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
