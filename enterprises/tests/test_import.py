"""Import: function, csv/xlsx reading, page flow (dry run → run), template, command."""

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from core.models import Event
from core.services import NotPermitted
from enterprises.importing import COLUMNS, import_enterprises
from enterprises.models import Enterprise, ImportJob
from enterprises.spreadsheets import read_rows
from enterprises.validators import make_credit_code

HEADERS = [h for _, h, _ in COLUMNS]


def row(world, i, **kw):
    base = {"单位名称": f"导入测试{i}有限公司", "统一社会信用代码": make_credit_code(f"91120105ME{i:07d}").lower(),
            "乡镇（街道）代码": world.townships[0].code, "行业领域": "commerce、轻工", "经度": "117.2", "纬度": "39.15",
            "规模": "规上", "从业人员数": "30", "经营状态": "正常经营", "使用燃气": "是"}
    base.update(kw)
    return base


def xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append([r.get(h) for h in HEADERS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_dry_run_reports_and_writes_nothing_then_real_run_is_idempotent(world):
    rows = [row(world, 1), row(world, 2, 行业领域="火星采矿"), row(world, 3, 单位名称=""), row(world, 4, 经度="abc"),
            row(world, 5, **{"乡镇（街道）代码": "120102001"}), row(world, 6, 使用燃气="也许"), row(world, 7, 规模="巨大")]
    actor = world.user("commerce")
    n = (Enterprise.objects.count(), Event.objects.count())
    dry = import_enterprises(actor, rows, dry_run=True)
    assert (Enterprise.objects.count(), Event.objects.count()) == n
    assert {(e["row"], e["column"]) for e in dry.errors} == {
        (3, "行业领域"), (4, "单位名称"), (5, "经度"), (6, "乡镇（街道）代码"), (7, "使用燃气"), (8, "规模")}
    assert dry.created == 1
    real = import_enterprises(actor, rows, dry_run=False)
    ent = Enterprise.objects.get(name="导入测试1有限公司")
    assert ent.credit_code == make_credit_code("91120105ME0000001") and ent.uses_gas and ent.scale == "above"
    assert {s.code for s in ent.sectors.all()} == {"commerce", "light_industry"}
    assert real.created == 1 and Event.objects.count() == n[1] + 1
    again = import_enterprises(actor, rows, dry_run=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1) and Event.objects.count() == n[1] + 1
    # the file corrected (row 3's sector) and imported again: only that row is written, row 2 is unchanged
    rows[1] = row(world, 2)
    fixed = import_enterprises(actor, rows, dry_run=False)
    assert (fixed.created, fixed.updated, fixed.unchanged) == (1, 0, 1) and Event.objects.count() == n[1] + 2
    assert Enterprise.objects.filter(name="导入测试2有限公司").exists()
    # dropping 轻工 is outside the commerce bureau's competence (test_status_law.py): the 应急管理局 does it
    changed = import_enterprises(world.user("emergency"), [row(world, 1, 从业人员数="31", 行业领域="commerce")], dry_run=False)
    assert changed.updated == 1
    ent.refresh_from_db()
    assert ent.employees == 31 and [s.code for s in ent.sectors.all()] == ["commerce"]
    ev = Event.objects.filter(verb="enterprise.updated", object_id=ent.pk).get()
    assert set(ev.data["changes"]) == {"employees", "sectors"}


def test_scope_is_enforced_per_row(world):
    rows = [row(world, 1, 行业领域="construction"), {**row(world, 2), "统一社会信用代码": world.ent_construction.credit_code}]
    result = import_enterprises(world.user("commerce"), rows, dry_run=True)
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "行业领域"), (3, "统一社会信用代码")]
    with pytest.raises(NotPermitted):
        import_enterprises(world.user("enterprise"), rows, dry_run=True)


def test_missing_required_column():
    result = import_enterprises(None, [{"单位名称": "x"}], dry_run=True)
    assert {e["column"] for e in result.errors} == {"统一社会信用代码", "乡镇（街道）代码", "行业领域"}


def test_csv_in_gb18030_and_bad_files(world):
    text = ",".join(HEADERS[:4]) + "\n" + f"CSV测试公司,{make_credit_code('91120105MF0000001')},{world.townships[1].code},商贸服务和仓储物流\n"
    rows = read_rows(text.encode("gb18030"), "a.csv")
    assert rows[0]["_row"] == 2 and import_enterprises(None, rows, dry_run=False).created == 1
    from core.services import ServiceError

    for data, name in [(b"not a zip", "a.xlsx"), (b"x", "a.txt"), (b"", "a.csv")]:
        with pytest.raises(ServiceError) as exc:
            read_rows(data, name)
        assert exc.value.field == "file"


def test_page_flow_dry_run_then_run(client, world):
    client.force_login(world.user("emergency"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = xlsx([row(world, 1), row(world, 2, 统一社会信用代码="123")])
    response = client.post("/enterprises/import/", {"file": SimpleUploadedFile("e.xlsx", data), "dry_run": "on"})
    assert response.status_code == 302
    job = ImportJob.objects.latest("id")
    assert job.dry_run and job.status == "done" and job.created == 1
    html = client.get(f"/enterprises/import/{job.pk}/").content.decode()
    assert 'data-testid="import-error"' in html and "统一社会信用代码" in html and "18位" in html
    assert not Enterprise.objects.filter(name="导入测试1有限公司").exists()
    assert client.get(f"/enterprises/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode().startswith("<div")
    response = client.post(f"/enterprises/import/{job.pk}/run/")
    real = ImportJob.objects.latest("id")
    assert response.status_code == 302 and not real.dry_run and real.created == 1 and real.parent == job
    assert Enterprise.objects.filter(name="导入测试1有限公司").exists()
    again = client.post(f"/enterprises/import/{real.pk}/run/")  # the import's page again, saying why
    assert again.status_code == 409 and 'data-testid="form-errors">只能对已完成的试运行执行正式导入。' in again.content.decode()
    assert f'<h1 class="h4">导入任务：{real.file_name}</h1>' in again.content.decode()
    bad = client.post("/enterprises/import/", {"file": SimpleUploadedFile("e.pdf", b"%PDF")})
    assert bad.status_code == 400 and 'data-field="file"' in bad.content.decode()
    # an unreadable workbook is refused at intake (core.intake), before any job is created
    broken = client.post("/enterprises/import/", {"file": SimpleUploadedFile("e.xlsx", b"garbage"), "dry_run": "on"})
    assert broken.status_code == 400 and "Excel" in broken.content.decode()
    assert ImportJob.objects.latest("id") == real


def test_template_download_is_importable_once_its_example_row_names_a_real_unit(client, world):
    """The example row shows a valid row, cell by cell; uploaded as it came it is refused (not registered as a
    unit named “示例：…”), and with a real name it imports without an error."""
    client.force_login(world.user("committee"))
    response = client.get("/enterprises/import/template.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value.rstrip("*") for c in wb.active[1]] == HEADERS
    rows = read_rows(response.content, "t.xlsx")
    assert "第2行为示例行，导入前请删除或改为实际单位" in "".join(str(r[0].value) for r in wb["填写说明"].iter_rows())
    result = import_enterprises(world.user("committee"), rows, dry_run=True)
    assert result.errors == [{"row": 2, "column": "单位名称", "reason": "这是模板中的示例行，请删除或改为实际单位后再导入。"}]
    assert result.created == 0
    wb.active["A2"] = "天津市河北区示范商贸有限公司"
    buf = io.BytesIO()
    wb.save(buf)
    named = import_enterprises(world.user("committee"), read_rows(buf.getvalue(), "t.xlsx"), dry_run=True)
    assert named.errors == [] and named.created == 1


def test_the_template_with_its_other_sheets_moved_in_front_is_still_read_from_the_directory_sheet(client, world):
    client.force_login(world.user("committee"))
    wb = load_workbook(io.BytesIO(client.get("/enterprises/import/template.xlsx").content))
    wb.move_sheet("填写说明", offset=-2)
    wb.move_sheet("行业领域代码", offset=-1)
    assert wb.sheetnames[0] == "填写说明" and wb.sheetnames[-1] == "生产经营单位"
    buf = io.BytesIO()
    wb.save(buf)
    rows = read_rows(buf.getvalue(), "t.xlsx")
    assert [r["_row"] for r in rows] == [2] and rows[0]["单位名称*"].startswith("示例：")
    assert [e["reason"] for e in import_enterprises(world.user("committee"), rows, dry_run=True).errors] == [
        "这是模板中的示例行，请删除或改为实际单位后再导入。"]  # read from the directory sheet: only the name refused


def test_management_command(world, tmp_path, capsys):
    path = tmp_path / "e.xlsx"
    path.write_bytes(xlsx([row(world, 1), row(world, 2, 行业领域="")]))
    call_command("import_enterprises", str(path), "--dry-run", "--actor", "hb_yingji")
    out = capsys.readouterr().out
    assert "第3行 [行业领域]" in out and "would create 1" in out
    assert not Enterprise.objects.filter(name="导入测试1有限公司").exists()
    call_command("import_enterprises", str(path))
    assert Enterprise.objects.filter(name="导入测试1有限公司").exists()


def test_imported_and_renamed_enterprises_carry_the_search_tokens_of_their_names(world):
    """The ledger's text search matches enterprise names through Enterprise.name_tokens
    (hazards.search): an import that creates or renames an enterprise writes them."""
    from hazards.search import tokens

    actor = world.user("commerce")
    import_enterprises(actor, [row(world, 1), row(world, 2)], dry_run=False)
    import_enterprises(actor, [row(world, 2, 单位名称="改名后（LNG）物流公司")], dry_run=False)
    stored = dict(Enterprise.objects.filter(credit_code__startswith="91120105ME").values_list("name", "name_tokens"))
    assert stored == {"导入测试1有限公司": tokens("导入测试1有限公司"), "改名后（LNG）物流公司": tokens("改名后（LNG）物流公司")}


def test_more_row_errors_than_the_page_lists_are_all_in_the_linked_csv(client, world):
    """The page lists the first 1,000 row errors, says how many more there are and links the CSV
    of every one of them (the queue job's result); only the uploader can download it."""
    import csv

    from django.core.files.uploadedfile import SimpleUploadedFile

    from enterprises.views.imports import SHOWN_ERRORS

    client.force_login(world.user("emergency"))
    n = SHOWN_ERRORS + 3
    data = xlsx([row(world, i, 统一社会信用代码=f"BAD{i}") for i in range(n)])
    assert client.post("/enterprises/import/", {"file": SimpleUploadedFile("e.xlsx", data), "dry_run": "on"}).status_code == 302
    job = ImportJob.objects.latest("id")
    assert len(job.errors) >= n
    html = client.get(f"/enterprises/import/{job.pk}/").content.decode()
    assert html.count('data-testid="import-error"') == SHOWN_ERRORS
    assert f"另有 {len(job.errors) - SHOWN_ERRORS} 处错误未列出" in html
    link = html.split('data-testid="errors-download"')[0].rsplit('href="', 1)[1].split('"')[0]
    response = client.get(link)
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines[0] == ["行号", "列", "原因"] and len(lines) - 1 == len(job.errors)
    assert {int(r[0]) for r in lines[1:]} >= {i + 2 for i in range(n)}  # every bad data row (header is row 1)
    client.force_login(world.user("emergency2"))
    assert client.get(link).status_code == 404
    assert client.get(f"/enterprises/import/{job.pk}/").status_code == 404
    client.logout()
    assert client.get(link).status_code in (302, 404)
