"""The deadline-alert schedule moves from a column of hazards_hazard to a narrow side table
(hazards.models.AlertSchedule): the daily pass updates it for every due hazard, and an UPDATE of a
hazard row maintains every index of that wide table. The scheduled dates are copied over (and
back when reversed)."""

import django.db.models.deletion
from django.db import migrations, models

TO_SIDE_TABLE = ("INSERT INTO hazards_alertschedule (hazard_id, next_alert_on) "
                 "SELECT id, next_alert_on FROM hazards_hazard WHERE next_alert_on IS NOT NULL")
# reverse: runs after the column is back (operations are reversed in order)
TO_COLUMN = ("UPDATE hazards_hazard SET next_alert_on = (SELECT s.next_alert_on FROM hazards_alertschedule s "
             "WHERE s.hazard_id = hazards_hazard.id) "
             "WHERE id IN (SELECT hazard_id FROM hazards_alertschedule WHERE next_alert_on IS NOT NULL)")


class Migration(migrations.Migration):

    dependencies = [
        ('hazards', '0013_tally_overdue_bucket_county_city_tallies'),
    ]

    operations = [
        migrations.CreateModel(
            name='AlertSchedule',
            fields=[
                ('hazard', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='alert_schedule', serialize=False, to='hazards.hazard')),
                ('next_alert_on', models.DateField(blank=True, null=True, verbose_name='下次期限提醒日期')),
            ],
            options={
                'verbose_name': '隐患期限提醒计划',
                'verbose_name_plural': '隐患期限提醒计划',
            },
        ),
        migrations.RunSQL(TO_SIDE_TABLE, TO_COLUMN),
        migrations.RemoveIndex(
            model_name='hazard',
            name='hazard_next_alert_idx',
        ),
        migrations.RemoveField(
            model_name='hazard',
            name='next_alert_on',
        ),
        migrations.AddIndex(
            model_name='alertschedule',
            index=models.Index(condition=models.Q(('next_alert_on__isnull', False)), fields=['next_alert_on'], name='alert_schedule_due_idx'),
        ),
    ]
