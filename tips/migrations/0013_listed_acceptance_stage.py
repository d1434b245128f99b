"""The DeadlineRule stage "listed_accept" (audit finding D3): after the enterprise of a listed
hazard submits its 整改完成 (request for acceptance / 销号), the on-site acceptance is due within
**10 calendar days** — RULES.md §2 "Acceptance — within 10 days after the deadline or the request,
the issuing body organises on-site acceptance" (V, 湖北 2011); DOMAIN.md §3.2 "department reviews on
site within 10 days; pass → 核销" (V in a provincial rule). 日 without 工作日: calendar days (see
tips/0012). The seed documents 000–004 give no period. Data, revisable on /rules/deadlines/;
idempotent (``core.testing.restore_migration_data`` runs it again after a flush)."""

from django.db import migrations, models

BASIS = ("挂牌督办隐患提交整改完成、申请验收后10日内组织现场验收，按自然日计算"
         "（V：湖北2011“10日”；省级规定“10日内”现场审查，DOMAIN.md §3.2）")


def load(apps, schema_editor):
    DeadlineRule = apps.get_model("tips", "DeadlineRule")
    DeadlineRule.objects.get_or_create(stage="listed_accept", defaults={"working_days": 10, "calendar_days": True,
                                                                        "basis": BASIS})


def unload(apps, schema_editor):
    apps.get_model("tips", "DeadlineRule").objects.filter(stage="listed_accept").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('tips', '0012_delisting_ten_calendar_days'),
    ]

    operations = [
        migrations.AlterField(
            model_name='deadlinerule',
            name='stage',
            field=models.CharField(choices=[('accept', '受理'), ('handle', '办理（自受理起）'), ('reward', '奖励决定（自核查处理结束起）'), ('delisting', '挂牌督办摘牌验收（自申请起）'), ('listed_accept', '挂牌督办隐患现场验收（自提交整改完成起）'), ('extension', '办理延长（最多）'), ('feedback', '向举报人反馈（自核查办结起）'), ('review_request', '申请复查（自反馈起）'), ('review', '复查办结（自申请起）')], max_length=16, unique=True, verbose_name='环节'),
        ),
        migrations.RunPython(load, unload),
    ]
