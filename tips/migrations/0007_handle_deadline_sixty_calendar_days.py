"""A new version of the DeadlineRule row "handle" (rule table "deadlines", core.ruletables): the
handling period is **60 calendar days** from acceptance (RULES.md §1, 2012 rules: "自受理之日起60日内
办结"; the same rules' 30-day extension and 10-day feedback are calendar days too). Version 1 counted
it as 42 working days, which put the deadline 64–68 calendar days after acceptance.

The version is in force from EFFECTIVE (the day of the correction); a tip keeps the handling
deadline computed when it was accepted (``Tip.handle_deadline`` is stored at acceptance, under the
version in force that day), so tips accepted before EFFECTIVE keep their 42-working-day deadline.
Idempotent (``core.testing.restore_migration_data`` runs it again after a flush)."""

import datetime

from django.db import migrations

KEY = "deadlines"
SINCE = datetime.date(2018, 1, 4)  # version 1 of the table (core.ruletables.TABLES["deadlines"].since)
EFFECTIVE = datetime.date(2026, 12, 3)
OLD = {"working_days": "42", "calendar_days": "False", "basis": "自受理起60日内办结"}
NEW = {"working_days": "60", "calendar_days": "True",
       "basis": "自受理之日起60日内办结，按自然日计算（P：2012年举报处理规定）"}
NOTE = "办理期限改按自然日计算：60日（原按42个工作日折算）"


def forwards(apps, schema_editor):
    from django.utils import timezone

    DeadlineRule = apps.get_model("tips", "DeadlineRule")
    RuleVersion = apps.get_model("core", "RuleVersion")
    row, created = DeadlineRule.objects.get_or_create(stage="handle", defaults={
        "working_days": int(OLD["working_days"]), "calendar_days": False, "basis": OLD["basis"]})
    versions = RuleVersion.objects.filter(table=KEY, row_id=row.pk)
    if versions.filter(effective_from=EFFECTIVE).exists():
        return
    now = timezone.now()
    if not versions.exists():  # version 1: the row as it was before the correction
        RuleVersion.objects.create(table=KEY, row_id=row.pk, version=1, effective_from=SINCE, note="初始版本",
                                   values={"working_days": str(row.working_days), "calendar_days": str(row.calendar_days),
                                           "basis": row.basis}, applied_at=now)
    number = max(versions.values_list("version", flat=True)) + 1
    today = timezone.localdate()
    in_force_now = EFFECTIVE <= today
    later = versions.filter(effective_from__gt=EFFECTIVE, effective_from__lte=today).exists()  # a later one in force
    RuleVersion.objects.create(table=KEY, row_id=row.pk, version=number, effective_from=EFFECTIVE, values=NEW, note=NOTE,
                               applied_at=now if in_force_now and not later else None)
    if in_force_now and not later:  # the live row holds the version in force today
        DeadlineRule.objects.filter(pk=row.pk).update(working_days=60, calendar_days=True, basis=NEW["basis"])


def backwards(apps, schema_editor):
    DeadlineRule = apps.get_model("tips", "DeadlineRule")
    RuleVersion = apps.get_model("core", "RuleVersion")
    row = DeadlineRule.objects.filter(stage="handle").first()
    if row is None:
        return
    RuleVersion.objects.filter(table=KEY, row_id=row.pk, effective_from=EFFECTIVE, note=NOTE).delete()
    DeadlineRule.objects.filter(pk=row.pk, working_days=60, calendar_days=True).update(
        working_days=int(OLD["working_days"]), calendar_days=False, basis=OLD["basis"])


class Migration(migrations.Migration):

    dependencies = [
        ("tips", "0006_reward_policy_versions"),
        ("core", "0006_rule_versions_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
