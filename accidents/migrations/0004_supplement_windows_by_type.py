"""The 补报 windows by accident type (生产安全事故报告和调查处理条例, 国务院令第493号, art. 13 ¶2:
道路交通事故、火灾事故自发生之日起7日内), registered as the versioned rule table
"accident-supplement-windows" (core.ruletables.TABLES): version 1 of each row effective
2007-06-01, the day the regulation came into force (same pattern as core/0007). Every other type
keeps the general 30 days (``DeadlineRule`` ``supplement_days``, art. 13 ¶2 first sentence)."""

import datetime

from django.db import migrations

KEY, FIELDS, SINCE = "accident-supplement-windows", ("days", "basis"), datetime.date(2007, 6, 1)
BASIS = "《生产安全事故报告和调查处理条例》第十三条第二款：道路交通事故、火灾事故自发生之日起7日内伤亡人数发生变化的应当及时补报"
WINDOWS = [("road_traffic", 7), ("fire", 7)]


def forwards(apps, schema_editor):
    from django.utils import timezone

    SupplementWindow = apps.get_model("accidents", "SupplementWindow")
    RuleVersion = apps.get_model("core", "RuleVersion")
    now = timezone.now()
    for accident_type, days in WINDOWS:
        row, _ = SupplementWindow.objects.get_or_create(accident_type=accident_type, defaults={"days": days, "basis": BASIS})
        if not RuleVersion.objects.filter(table=KEY, row_id=row.pk).exists():
            RuleVersion.objects.create(table=KEY, row_id=row.pk, version=1, effective_from=SINCE, note="初始版本",
                                       values={"days": str(row.days), "basis": row.basis}, applied_at=now)


def backwards(apps, schema_editor):
    apps.get_model("core", "RuleVersion").objects.filter(table=KEY).delete()
    apps.get_model("accidents", "SupplementWindow").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [("accidents", "0003_accident_type"), ("core", "0007_accident_deadline_rule_versions")]

    operations = [migrations.RunPython(forwards, backwards)]
