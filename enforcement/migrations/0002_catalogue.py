from django.db import migrations


def load(apps, schema_editor):
    from enforcement.catalogue import load as load_catalogue

    load_catalogue(apps.get_model("enforcement", "PenaltyArticle"))


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
