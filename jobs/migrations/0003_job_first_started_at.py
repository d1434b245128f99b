"""``Job.first_started_at``: when a job first started (its pages show it as 开始时间), while
``started_at`` stays the start of the latest attempt or share (the queue's timeout reads it).
Jobs that have started already get their ``started_at``: the best this row knows (for a job
already in its second share, the start of that share)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    Job.objects.filter(first_started_at__isnull=True, started_at__isnull=False).update(
        first_started_at=models.F("started_at"))


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_ledger_exports_are_list_exports")]
    operations = [
        migrations.AddField(
            model_name="job",
            name="first_started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="首次开始时间"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
