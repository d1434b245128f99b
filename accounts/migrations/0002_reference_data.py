from django.db import migrations


def load(apps, schema_editor):
    from accounts.reference import load_reference_data

    load_reference_data(apps.get_model("accounts", "Sector"), apps.get_model("accounts", "DepartmentType"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
