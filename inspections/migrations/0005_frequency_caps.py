"""涉企检查频次上限 (inspections.FrequencyCap), registered as the versioned rule table
"inspection-frequency-caps" (core.ruletables.TABLES): the 山西 2025 numbers by class and 安全生产标准化
grade (DOMAIN.md §7: hazchem/metallurgy 2/4/8/12, others 1/2/4/6 for 一级/二级/三级/未达标), tagged P,
version 1 of each row effective 2000-01-01 (the table's default date: a draw reads the rows in force
on its day, and no draw predates the table) — same pattern as accidents/0004."""

import datetime

from django.db import migrations, models

KEY, SINCE = "inspection-frequency-caps", datetime.date(2000, 1, 1)
BASIS = "山西省2025年涉企行政检查频次上限（高危行业：危险化学品、冶金等；按安全生产标准化等级）；国办发〔2024〕54号要求设定检查频次上限，各地按本省规定修订"
CAPS = [(True, "1", 2), (True, "2", 4), (True, "3", 8), (True, "none", 12),
        (False, "1", 1), (False, "2", 2), (False, "3", 4), (False, "none", 6)]


def forwards(apps, schema_editor):
    from django.utils import timezone

    FrequencyCap = apps.get_model("inspections", "FrequencyCap")
    RuleVersion = apps.get_model("core", "RuleVersion")
    now = timezone.now()
    for high_risk, grade, cap in CAPS:
        row, _ = FrequencyCap.objects.get_or_create(high_risk=high_risk, grade=grade,
                                                    defaults={"max_per_year": cap, "tag": "P", "basis": BASIS})
        if not RuleVersion.objects.filter(table=KEY, row_id=row.pk).exists():
            RuleVersion.objects.create(table=KEY, row_id=row.pk, version=1, effective_from=SINCE, note="初始版本",
                                       values={"max_per_year": str(row.max_per_year), "tag": row.tag, "basis": row.basis},
                                       applied_at=now)


def backwards(apps, schema_editor):
    apps.get_model("core", "RuleVersion").objects.filter(table=KEY).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0004_finding_existing_hazard'),
        ('core', '0010_securitylog_account_kinds'),
    ]

    operations = [
        migrations.CreateModel(
            name='FrequencyCap',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('high_risk', models.BooleanField(verbose_name='高危行业企业')),
                ('grade', models.CharField(choices=[('1', '一级'), ('2', '二级'), ('3', '三级'), ('none', '未达标')], max_length=4, verbose_name='标准化等级')),
                ('max_per_year', models.PositiveSmallIntegerField(verbose_name='年度检查上限（次）')),
                ('tag', models.CharField(choices=[('V', 'V 已核对原文'), ('P', 'P 部分核对'), ('R', 'R 本平台默认'), ('seed', '调度通知')], default='P', max_length=4, verbose_name='来源')),
                ('basis', models.CharField(max_length=200, verbose_name='依据')),
            ],
            options={
                'verbose_name': '涉企检查频次上限',
                'verbose_name_plural': '涉企检查频次上限',
                'ordering': ['-high_risk', 'grade'],
                'constraints': [models.UniqueConstraint(fields=('high_risk', 'grade'), name='inspection_frequency_cap_unique')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
