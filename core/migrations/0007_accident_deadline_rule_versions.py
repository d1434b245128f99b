"""accidents.DeadlineRule becomes a registered rule table ("accident-deadlines",
core.ruletables.TABLES): version 1 of every existing row is its value today, effective from
2007-06-01 (生产安全事故报告和调查处理条例, 国务院令第493号, in force that day). Same pattern as
core/0006_rule_versions_initial."""

import datetime

from django.db import migrations

KEY, FIELDS, SINCE = "accident-deadlines", ("amount", "basis"), datetime.date(2007, 6, 1)


def _dump(obj, fields):
    out = {}
    for name in fields:
        f = obj._meta.get_field(name)
        v = f.value_from_object(obj)
        out[name] = v if (v is None or f.get_internal_type() == "JSONField") else f.value_to_string(obj)
    return out


def forwards(apps, schema_editor):
    from django.utils import timezone

    RuleVersion = apps.get_model("core", "RuleVersion")
    DeadlineRule = apps.get_model("accidents", "DeadlineRule")
    now = timezone.now()
    done = set(RuleVersion.objects.filter(table=KEY).values_list("row_id", flat=True))
    RuleVersion.objects.bulk_create([
        RuleVersion(table=KEY, row_id=obj.pk, version=1, effective_from=SINCE, values=_dump(obj, FIELDS), note="初始版本",
                    applied_at=now)
        for obj in DeadlineRule.objects.order_by("pk") if obj.pk not in done])


def backwards(apps, schema_editor):
    apps.get_model("core", "RuleVersion").objects.filter(table=KEY, version=1, note="初始版本").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0006_rule_versions_initial"),
        ("accidents", "0002_rule_data"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
