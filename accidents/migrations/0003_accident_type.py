"""The 事故类别 of an accident (GB 6441-1986 and 道路交通事故) and the 补报 window keyed on it.

* ``Accident.accident_type``: existing reports get 未填写 (""). Their type cannot be derived honestly
  from anything stored — the sector says what the enterprise does, not what happened (a road
  transport company's workshop injury is not a road traffic accident) — so none is guessed. Their
  stored ``supplement_until`` (the date the old sector-keyed rule gave at the time of the report)
  stays until someone records the type (``services.classify_accident``), which recomputes it.
* ``SupplementWindow`` was keyed on a sector (道路运输, 消防); it is rebuilt keyed on the accident
  type. The old sector rows are dropped with the old table (they were the data migration 0002's
  two rows; a row an administrator added for another sector has no meaning under art. 13 either).
  The new rows and their version 1 are loaded by 0004."""

from django.db import migrations, models

ALL_TYPES = [
    ('', '未填写'),
    ('object_strike', '物体打击'),
    ('vehicle', '车辆伤害'),
    ('machinery', '机械伤害'),
    ('lifting', '起重伤害'),
    ('electric_shock', '触电'),
    ('drowning', '淹溺'),
    ('scald', '灼烫'),
    ('fire', '火灾'),
    ('fall', '高处坠落'),
    ('collapse', '坍塌'),
    ('roof_fall', '冒顶片帮'),
    ('water_inrush', '透水'),
    ('blasting', '放炮'),
    ('explosives', '火药爆炸'),
    ('gas_explosion', '瓦斯爆炸'),
    ('boiler_explosion', '锅炉爆炸'),
    ('vessel_explosion', '容器爆炸'),
    ('other_explosion', '其它爆炸'),
    ('poisoning', '中毒和窒息'),
    ('other', '其它伤害'),
    ('road_traffic', '道路交通事故'),
]
REPORTABLE_TYPES = ALL_TYPES[1:]  # every type but 未填写


class Migration(migrations.Migration):

    dependencies = [("accidents", "0002_rule_data")]

    operations = [
        migrations.AddField(
            model_name="accident",
            name="accident_type",
            field=models.CharField(blank=True, choices=ALL_TYPES, db_index=True, default="", max_length=20,
                                   verbose_name="事故类别"),
        ),
        migrations.DeleteModel(name="SupplementWindow"),
        migrations.CreateModel(
            name="SupplementWindow",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("accident_type", models.CharField(choices=REPORTABLE_TYPES, max_length=20, unique=True,
                                                   verbose_name="事故类别")),
                ("days", models.PositiveIntegerField(verbose_name="补报期限（日）")),
                ("basis", models.CharField(max_length=200, verbose_name="依据")),
            ],
            options={
                "verbose_name": "特殊补报期限（按事故类别）",
                "verbose_name_plural": "特殊补报期限（按事故类别）",
                "ordering": ["accident_type"],
            },
        ),
    ]
