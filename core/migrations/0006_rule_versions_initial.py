"""Version 1 of every row of the editable rule tables: its values today, effective from the
table's default date (core.ruletables.TABLES[...].since). Rows added later get their version 1
when first revised or added on the pages."""

import datetime

from django.db import migrations

# (key, app label, model, versioned fields, effective date of version 1) — frozen copy of core.ruletables.TABLES
TABLES = (
    ("deadlines", "tips", "DeadlineRule", ("working_days", "calendar_days", "basis"), datetime.date(2018, 1, 4)),
    ("holidays", "tips", "Holiday", ("date", "name", "is_workday"), datetime.date(2000, 1, 1)),
    ("obligations", "obligations", "ObligationRule", ("value", "tag", "note"), datetime.date(2021, 9, 1)),
    ("staffing", "obligations", "StaffingRule", ("institution_required", "full_time_min", "any_manager_min", "tag", "note"),
     datetime.date(2021, 9, 1)),
    ("cost-rates", "obligations", "CostRate", ("rate_percent", "unit_rate", "lower", "upper", "tag"), datetime.date(2022, 11, 21)),
    ("band-tables", "risks", "BandTable", ("name", "source", "is_default"), datetime.date(2000, 1, 1)),
    ("penalty-articles", "enforcement", "PenaltyArticle", ("entity_min", "entity_max", "person_min", "person_max", "party_roles"),
     datetime.date(2021, 9, 1)),
    ("leniency", "enforcement", "LeniencyPolicy", ("enabled", "note"), datetime.date(2021, 7, 15)),
    ("board-rules", "campaigns", "BoardRuleSet", ("rules", "is_active"), datetime.date(2000, 1, 1)),
)


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
    now = timezone.now()
    for key, app, model, fields, since in TABLES:
        Model = apps.get_model(app, model)
        done = set(RuleVersion.objects.filter(table=key).values_list("row_id", flat=True))
        RuleVersion.objects.bulk_create([
            RuleVersion(table=key, row_id=obj.pk, version=1, effective_from=since, values=_dump(obj, fields), note="初始版本",
                        applied_at=now)
            for obj in Model.objects.order_by("pk") if obj.pk not in done])


def backwards(apps, schema_editor):
    apps.get_model("core", "RuleVersion").objects.filter(version=1, note="初始版本").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_rule_versions"),
        ("tips", "0006_reward_policy_versions"),
        ("obligations", "0003_frequencies_and_per_ton_rates"),
        ("risks", "0002_defaults"),
        ("enforcement", "0003_penalty_roles_daily_fine_base"),
        ("campaigns", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
