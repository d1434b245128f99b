"""Ledger exports became list exports (kind ``lists.export``, one kind for every list): jobs of
the old kind that have not finished are renamed, so the worker still runs them. Finished jobs keep
their kind (history)."""

from django.db import migrations

UNFINISHED = ("pending", "running", "retrying")


def rename(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    for job in Job.objects.filter(kind="hazards.export", status__in=UNFINISHED):
        job.kind = "lists.export"
        job.params = {**(job.params or {}), "list": "hazards.ledger"}
        job.save(update_fields=["kind", "params"])


def back(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    for job in Job.objects.filter(kind="lists.export", status__in=UNFINISHED, params__list="hazards.ledger"):
        job.kind = "hazards.export"
        job.save(update_fields=["kind"])


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_job")]
    operations = [migrations.RunPython(rename, back, elidable=True)]
