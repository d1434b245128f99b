"""Dates of two standards the catalogue left empty (STANDARDS.md §2, §3):

* 房屋市政工程生产安全重大事故隐患判定标准（2024版）, 建质规〔2024〕5号 — "Dated 2024-12-13" (the
  date it was issued, 印发 = 发布); in force from that day: its art. 18 repeals the 2022 version, which
  the catalogue already records as repealed on 2024-12-13 (migration 0003) — the same source
  STANDARDS.md cites gives publication and effect 2024-12-13.
* 城镇燃气经营安全重大隐患判定标准, 建城规〔2023〕4号 — "Dated and effective 2023-09-21": published
  2023-09-21 (its effective date was already there).

Only empty fields of the catalogue's own row (version 1) are filled, so a value entered since is
kept; the source note is replaced only while it is still the catalogue's old text. The same values
are in standards/data/catalogue.json for fresh loads."""

import datetime

from django.db import migrations

DATES = {
    "HOUSING-2024": {"published": datetime.date(2024, 12, 13), "effective": datetime.date(2024, 12, 13)},
    "GAS-2023": {"published": datetime.date(2023, 9, 21)},
}
NOTES = {
    "HOUSING-2024": (
        "STANDARDS.md §2（全部V）：18条，53项判定=51个编号项+第十六、十七条。成文日期2024-12-13记入adopted；"
        "发布、施行日期资料未载。第十八条废止2022版。条标题为我方概括。",
        "STANDARDS.md §2（全部V）：18条，53项判定=51个编号项+第十六、十七条。成文（印发）日期2024-12-13，"
        "记入adopted和published；施行日期按2024-12-13记（第十八条同时废止2022版，2022版废止日期亦为2024-12-13）。"
        "条标题为我方概括。",
    ),
    "GAS-2023": (
        "STANDARDS.md §3（全部V）：11条，22项判定（含第十条兜底、第八条单句）；DOMAIN.md §1、§2.7 [S18]。"
        "DOMAIN.md 记转载日期2023-09-08且文号未见，以 STANDARDS.md 的文号和成文/施行日期2023-09-21为准（日期差异待核）。"
        "条标题为我方概括。",
        "STANDARDS.md §3（全部V）：11条，22项判定（含第十条兜底、第八条单句）；DOMAIN.md §1、§2.7 [S18]。"
        "DOMAIN.md 记转载日期2023-09-08且文号未见，以 STANDARDS.md 的文号和成文（发布）/施行日期2023-09-21为准"
        "（日期差异待核）。条标题为我方概括。",
    ),
}


def forward(apps, schema_editor):
    Standard = apps.get_model("standards", "Standard")
    for code, dates in DATES.items():
        rows = Standard.objects.filter(code=code, version=1)
        for field, value in dates.items():
            rows.filter(**{f"{field}__isnull": True}).update(**{field: value})
        old, new = NOTES[code]
        rows.filter(source_note=old).update(source_note=new)


def backward(apps, schema_editor):
    Standard = apps.get_model("standards", "Standard")
    for code, dates in DATES.items():
        rows = Standard.objects.filter(code=code, version=1)
        for field, value in dates.items():
            rows.filter(**{field: value}).update(**{field: None})
        old, new = NOTES[code]
        rows.filter(source_note=new).update(source_note=old)


class Migration(migrations.Migration):
    dependencies = [("standards", "0003_catalogue_flags_true_to_domain")]
    operations = [migrations.RunPython(forward, backward)]
