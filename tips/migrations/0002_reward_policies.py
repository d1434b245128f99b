"""Default reward policies (RULES.md §1) and deadlines (editable data)."""

from decimal import Decimal

from django.db import migrations


def load(apps, schema_editor):
    RewardPolicy = apps.get_model("tips", "RewardPolicy")
    DeadlineRule = apps.get_model("tips", "DeadlineRule")
    RewardPolicy.objects.get_or_create(code="major", defaults=dict(
        name="重大事故隐患或非法违法生产经营行为查实", kind="percent", percent=Decimal("15"),
        min_amount=Decimal("3000"), max_amount=Decimal("300000"), internal_topup_percent=Decimal("20"),
        basis="《安全生产领域举报奖励办法》第十二条：罚款金额的15%，最低3000元，最高30万元"))
    RewardPolicy.objects.get_or_create(code="ordinary", defaults=dict(
        name="一般事故隐患查实", kind="fixed", fixed_amount=Decimal("500"), internal_topup_percent=Decimal("20"),
        basis="地方标准（示例：深圳龙华 500 元）"))
    for stage, days, basis in [("accept", 5, "受理（地方实践）"), ("handle", 42, "自受理起60日内办结"),
                               ("reward", 15, "结案后15个工作日内作出奖励决定（荆州）")]:
        DeadlineRule.objects.get_or_create(stage=stage, defaults={"working_days": days, "basis": basis})


class Migration(migrations.Migration):
    dependencies = [("tips", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
