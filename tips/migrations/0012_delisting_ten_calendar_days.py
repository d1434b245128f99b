"""A new version of the DeadlineRule row "delisting" (rule table "deadlines", core.ruletables): the
摘牌 acceptance after the request is due within **10 calendar days** (自然日), as the texts say.

Sources re-read (audit finding D7): RULES.md §2 "Acceptance — within **10 days** after the deadline
or the request, the issuing body organises on-site acceptance … approves 核销" (V, 湖北 2011);
DOMAIN.md §3.2 "department reviews on site **within 10 days**; pass → 核销" (16号令, V in a
provincial rule). Neither says 工作日; where a text of the same tables means working days it says
so (青岛 "3+X": "within 3 working days", "within 10 working days"). A period in 日 without such a
clause counts calendar days (行政处罚法 art. 85 and 行政许可法 art. 82 name their working-day periods
explicitly). The seed documents 000–004 name 挂牌督办 but give no period. Version 1 counted 10
working days (our default, tagged R), which put the due day 14–18 calendar days after the request.

The version is in force from EFFECTIVE (the day of the correction); a request made before keeps its
10-working-day due day (``supervision.extensions.delisting_due`` reads the version in force on the
request day). A row a jurisdiction has already revised (other than the shipped 10 working days) is
left alone — the value stays configurable on /rules/deadlines/. Idempotent
(``core.testing.restore_migration_data`` runs it again after a flush)."""

import datetime

from django.db import migrations

KEY = "deadlines"
SINCE = datetime.date(2018, 1, 4)  # version 1 of the table (core.ruletables.TABLES["deadlines"].since)
EFFECTIVE = datetime.date(2026, 12, 3)
OLD_BASIS = "挂牌督办摘牌申请10个工作日内组织验收（湖北2011为10日，V；按工作日为本平台默认）"
NEW = {"working_days": "10", "calendar_days": "True",
       "basis": "挂牌督办摘牌申请后10日内组织验收、核销，按自然日计算（V：湖北2011“10日”；省级规定“10日内”现场审查，DOMAIN.md §3.2）"}
NOTE = "摘牌验收期限改按自然日计算：10日（原按10个工作日）"


def forwards(apps, schema_editor):
    from django.utils import timezone

    DeadlineRule = apps.get_model("tips", "DeadlineRule")
    RuleVersion = apps.get_model("core", "RuleVersion")
    row, _ = DeadlineRule.objects.get_or_create(stage="delisting", defaults={
        "working_days": 10, "calendar_days": False, "basis": OLD_BASIS})
    versions = RuleVersion.objects.filter(table=KEY, row_id=row.pk)
    if versions.filter(effective_from=EFFECTIVE, note=NOTE).exists():
        return
    if (row.working_days, row.calendar_days) != (10, False) or versions.filter(effective_from__gt=SINCE).exists():
        return  # revised locally: the jurisdiction's value stands
    now = timezone.now()
    if not versions.exists():  # version 1: the row as it was before the correction
        RuleVersion.objects.create(table=KEY, row_id=row.pk, version=1, effective_from=SINCE, note="初始版本",
                                   values={"working_days": str(row.working_days), "calendar_days": str(row.calendar_days),
                                           "basis": row.basis}, applied_at=now)
    number = max(versions.values_list("version", flat=True)) + 1
    in_force_now = EFFECTIVE <= timezone.localdate()
    RuleVersion.objects.create(table=KEY, row_id=row.pk, version=number, effective_from=EFFECTIVE, values=NEW, note=NOTE,
                               applied_at=now if in_force_now else None)
    if in_force_now:  # the live row holds the version in force today
        DeadlineRule.objects.filter(pk=row.pk).update(working_days=10, calendar_days=True, basis=NEW["basis"])


def backwards(apps, schema_editor):
    DeadlineRule = apps.get_model("tips", "DeadlineRule")
    RuleVersion = apps.get_model("core", "RuleVersion")
    row = DeadlineRule.objects.filter(stage="delisting").first()
    if row is None:
        return
    RuleVersion.objects.filter(table=KEY, row_id=row.pk, effective_from=EFFECTIVE, note=NOTE).delete()
    DeadlineRule.objects.filter(pk=row.pk, working_days=10, calendar_days=True, basis=NEW["basis"]).update(
        calendar_days=False, basis=OLD_BASIS)


class Migration(migrations.Migration):

    dependencies = [
        ("tips", "0011_tip_no_ip_digest"),
        ("core", "0006_rule_versions_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
