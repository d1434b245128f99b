"""Drop the hazards table's single-column indexes (and PostgreSQL's LIKE twins) on grade, channel,
status, county_code and township_code: every query filters these with equality and a composite index
leads with each of them (hazard_dispatch_idx, hazard_status_deadline_idx, the county_* and township
indexes). Each index costs every insert and every non-HOT update (issue 15: the table had 37).

Only the indexes are dropped (raw SQL, same names on both backends): an AlterField would make SQLite
rebuild the table, which loses its tally triggers (hazards.tallies)."""

from django.db import migrations, models

COLUMNS = {
    "grade": "64e840f7",
    "channel": "2fd6df54",
    "status": "1f65c8f5",
    "county_code": "16c55449",
    "township_code": "9a7bc6c7",
}
DROPPED = [
    name for col, h in COLUMNS.items() for name in (f"hazards_hazard_{col}_{h}", f"hazards_hazard_{col}_{h}_like")
]


def drop(apps, schema_editor):
    for name in DROPPED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def restore(apps, schema_editor):
    """Back to 0009: the same indexes under the same names (the LIKE twins on PostgreSQL only)."""
    for col, h in COLUMNS.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS hazards_hazard_{col}_{h} ON hazards_hazard ({col})")
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS hazards_hazard_{col}_{h}_like "
                f"ON hazards_hazard ({col} varchar_pattern_ops)"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0009_major_county_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop, restore)],
            state_operations=[
                migrations.AlterField(
                    model_name="hazard",
                    name="channel",
                    field=models.CharField(
                        choices=[
                            ("self_check", "企业自查"),
                            ("enterprise_third_party", "企业委托第三方"),
                            ("inspection", "部门检查"),
                            ("supervision", "督导检查"),
                            ("tip", "举报核实"),
                            ("government_third_party", "政府购买服务第三方"),
                            ("accident", "事故举一反三"),
                        ],
                        max_length=24,
                        verbose_name="发现渠道",
                    ),
                ),
                migrations.AlterField(
                    model_name="hazard",
                    name="county_code",
                    field=models.CharField(blank=True, max_length=6, verbose_name="县级代码"),
                ),
                migrations.AlterField(
                    model_name="hazard",
                    name="grade",
                    field=models.CharField(
                        choices=[("general", "一般"), ("major", "重大")], max_length=8, verbose_name="隐患等级"
                    ),
                ),
                migrations.AlterField(
                    model_name="hazard",
                    name="status",
                    field=models.CharField(
                        choices=[
                            ("registered", "已登记"),
                            ("rectifying", "整改中"),
                            ("pending_acceptance", "待验收"),
                            ("closed", "已销号"),
                            ("merged", "已合并"),
                            ("void", "已作废"),
                        ],
                        default="registered",
                        max_length=20,
                        verbose_name="状态",
                    ),
                ),
                migrations.AlterField(
                    model_name="hazard",
                    name="township_code",
                    field=models.CharField(blank=True, max_length=9, verbose_name="乡级代码"),
                ),
            ],
        ),
    ]
