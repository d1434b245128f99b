# The tally trigger skips a deferred transaction's rows in its WHEN clause (hazards.tallies):
# re-create it where it is installed.

from django.db import migrations


def reinstall(apps, schema_editor):
    from hazards import tallies

    conn = schema_editor.connection
    if conn.vendor == "postgresql" and tallies.installed(conn):
        tallies.install(conn)


class Migration(migrations.Migration):

    dependencies = [
        ("hazards", "0018_lean_indexes"),
    ]

    operations = [migrations.RunPython(reinstall, reinstall)]
