"""Reward policies for reporting a concealed / falsely reported accident: per verified death by
accident grade, capped at 30万元 (RULES.md §1, 《安全生产领域举报奖励办法》 2018)."""

from decimal import Decimal

from django.db import migrations, models

BASIS = "《安全生产领域举报奖励办法》：举报瞒报、谎报事故，按查实的死亡人数每人{0}万元（{1}），最高30万元"
ROWS = [("concealed_general", "瞒报谎报一般事故查实", 3, "一般事故"),
        ("concealed_larger", "瞒报谎报较大事故查实", 4, "较大事故"),
        ("concealed_major", "瞒报谎报重大事故查实", 5, "重大事故"),
        ("concealed_especially", "瞒报谎报特别重大事故查实", 6, "特别重大事故")]


def load(apps, schema_editor):
    RewardPolicy = apps.get_model("tips", "RewardPolicy")
    for code, name, wan, grade in ROWS:
        RewardPolicy.objects.get_or_create(code=code, defaults=dict(
            name=name, kind="death", fixed_amount=Decimal(wan * 10000), max_amount=Decimal("300000"),
            internal_topup_percent=Decimal("0"), basis=BASIS.format(wan, grade)))


class Migration(migrations.Migration):
    dependencies = [("tips", "0003_deadline_rule_delisting_stage")]
    operations = [
        migrations.AlterField(
            model_name="rewardpolicy", name="kind",
            field=models.CharField(choices=[("percent", "按罚款比例"), ("fixed", "固定金额"),
                                            ("death", "按查实死亡人数（瞒报谎报事故）")],
                                   max_length=8, verbose_name="计算方式")),
        migrations.AlterField(
            model_name="rewardpolicy", name="fixed_amount",
            field=models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name="固定金额/每名死亡人员金额（元）")),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
