from django.db import migrations


def load(apps, schema_editor):
    from risks.reference import ensure_defaults

    ensure_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
