"""A sector's 应急演练周期 (``Sector.drill_months``) becomes the registered rule table "sector-drills"
(core.ruletables.TABLES): version 1 of every existing sector is its value today, effective from
2019-09-01 (生产安全事故应急预案管理办法 as amended 2019-07-11 by 应急管理部令第2号, in force that day;
art. 33 sets the periods). From now on the period is revised on the rules page with an effective
date. The field also gets its bounds: at least yearly (art. 33), at most monthly. Same pattern as
core/0006_rule_versions_initial and core/0007. Reversible: backwards deletes those versions 1."""

import datetime

import django.core.validators
from django.db import migrations, models

KEY, FIELDS, SINCE = "sector-drills", ("drill_months",), datetime.date(2019, 9, 1)


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
    Sector = apps.get_model("accounts", "Sector")
    now = timezone.now()
    done = set(RuleVersion.objects.filter(table=KEY).values_list("row_id", flat=True))
    RuleVersion.objects.bulk_create([
        RuleVersion(table=KEY, row_id=obj.pk, version=1, effective_from=SINCE, values=_dump(obj, FIELDS), note="初始版本",
                    applied_at=now)
        for obj in Sector.objects.order_by("pk") if obj.pk not in done])


def backwards(apps, schema_editor):
    apps.get_model("core", "RuleVersion").objects.filter(table=KEY, version=1, note="初始版本").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_membership_must_change_password"),
        ("core", "0005_rule_versions"),
        # the values as 应急预案管理办法 art. 33 and seed 002 item 18 set them (half-yearly)
        ("obligations", "0003_frequencies_and_per_ton_rates"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sector",
            name="drill_months",
            field=models.PositiveSmallIntegerField(default=12, validators=[django.core.validators.MinValueValidator(1),
                                                                           django.core.validators.MaxValueValidator(12)],
                                                   verbose_name="应急演练周期（月）"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
