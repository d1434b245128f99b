from django.db import migrations


def load(apps, schema_editor):
    from obligations.reference import ensure_defaults

    ensure_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("obligations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
