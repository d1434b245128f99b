from django.db import migrations


def load(apps, schema_editor):
    from standards.loader import load_standards

    load_standards(apps)


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial"), ("accounts", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
