"""The 10-day feedback to the reporter runs from 办结 = the end of the handling = verification
(RULES.md §1; docs/tips.md "Closing of the case"), no longer from the tip's ``closed`` state (which
follows the paid reward). New tips get ``feedback_due`` in ``tips.services.verify``.

Existing data: a tip already closed keeps its stored ``feedback_due`` (computed from its closing
day). A tip verified (or with its reward decided) but not closed has no ``feedback_due`` yet — the
old code set it only at closing; it gets the date the rule gives: DeadlineRule "feedback" days after
its verification day, counted as the version in force that day says (``tips.deadlines.due``; the
app function is used so the count is exactly the one of new tips). Such a date may already be past:
the feedback alert then says 已逾期, which is what the rule says. ``feedback_at`` is not invented.
Idempotent (only tips without a deadline are touched)."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from django.utils import timezone

    Tip = apps.get_model("tips", "Tip")
    pending = Tip.objects.filter(status__in=("verified", "reward_decided"), verified_at__isnull=False,
                                 feedback_due__isnull=True).only("pk", "verified_at")
    if not pending.exists():  # a fresh database: the app's code below is not even imported
        return
    from tips import deadlines

    for tip in pending:
        due = deadlines.due("feedback", timezone.localtime(tip.verified_at).date())
        Tip.objects.filter(pk=tip.pk, feedback_due__isnull=True).update(feedback_due=due)


class Migration(migrations.Migration):

    dependencies = [
        ('tips', '0009_reward_stage_label'),
        ('core', '0006_rule_versions_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='deadlinerule',
            name='stage',
            field=models.CharField(choices=[('accept', '受理'), ('handle', '办理（自受理起）'), ('reward', '奖励决定（自核查处理结束起）'), ('delisting', '挂牌督办摘牌验收（自申请起）'), ('extension', '办理延长（最多）'), ('feedback', '向举报人反馈（自核查办结起）'), ('review_request', '申请复查（自反馈起）'), ('review', '复查办结（自申请起）')], max_length=16, unique=True, verbose_name='环节'),
        ),
        # backwards: the dates stay (they are what the rule gives); nothing to undo
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
