"""Ledger import from xlsx: dry run reports every bad row, nothing written; atomic commit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.testing import client_as
from hazards.importing import COLUMNS, import_hazards
from hazards.models import Hazard

pytestmark = pytest.mark.django_db


def xlsx(rows, header=COLUMNS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append([r.get(c) for c in header])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def good_rows(world, n=3):
    code = world.ent_commerce.credit_code
    rows = [{"统一社会信用代码": code, "隐患描述": f"灭火器过期{i}", "隐患等级": "一般", "行业领域": "商贸服务和仓储物流",
             "发现渠道": "部门检查", "发现日期": "2026-01-05", "整改期限": "2026-02-05", "状态": "已登记"} for i in range(n)]
    rows.append({"统一社会信用代码": code, "隐患描述": "安全出口锁闭", "隐患等级": "重大", "行业领域": "commerce",
                 "发现日期": "2026-01-05", "整改期限": "2026-03-05", "判定理由": "可能导致群死群伤", "整改责任人": "张三"})
    rows.append({"统一社会信用代码": code, "隐患描述": "配电箱未上锁", "隐患等级": "一般", "行业领域": "商贸服务和仓储物流",
                 "发现日期": "2026-01-05", "状态": "已销号", "整改情况": "已上锁"})
    return rows


def test_dry_run_then_commit(world):
    data = xlsx(good_rows(world))
    result = import_hazards(world.user("commerce"), data, dry_run=True)
    assert result["errors"] == [] and result["created"] == 5 and not result["committed"]
    assert not Hazard.objects.exists()
    result = import_hazards(world.user("commerce"), data, dry_run=False)
    assert result["committed"] and Hazard.objects.count() == 5
    assert Hazard.objects.filter(status="closed").count() == 1 and Hazard.objects.filter(grade="major").count() == 1


def test_every_bad_row_is_reported_and_nothing_written(world):
    rows = good_rows(world, 1)
    rows += [
        {"统一社会信用代码": "X" * 18, "隐患描述": "x", "隐患等级": "一般", "行业领域": "商贸服务和仓储物流"},
        {"统一社会信用代码": world.ent_commerce.credit_code, "隐患描述": "x", "隐患等级": "很大", "行业领域": "火星"},
        {"统一社会信用代码": world.ent_commerce.credit_code, "隐患描述": "x", "隐患等级": "重大", "行业领域": "商贸服务和仓储物流",
         "整改期限": "2026-13-40"},
        {"统一社会信用代码": world.ent_commerce.credit_code, "隐患描述": "x", "隐患等级": "重大", "行业领域": "商贸服务和仓储物流",
         "整改期限": "2030-05-01"},
        {"统一社会信用代码": world.ent_construction.credit_code, "隐患描述": "x", "隐患等级": "一般", "行业领域": "建筑施工"},
    ]
    result = import_hazards(world.user("commerce"), xlsx(rows), dry_run=False)
    got = {(e["row"], e["column"]) for e in result["errors"]}
    assert {(5, "统一社会信用代码"), (6, "隐患等级"), (6, "行业领域"), (7, "整改期限"), (8, "判定依据条款编码"),
            (9, "统一社会信用代码")} <= got, result["errors"]
    assert not result["committed"] and not Hazard.objects.exists()


def test_import_page(client, world):
    client_as(client, world, "commerce")
    page = client.get("/hazards/import/").content.decode()
    assert "统一社会信用代码" in page
    response = client.post("/hazards/import/", {"file": SimpleUploadedFile("a.xlsx", b"not a zip"), "dry_run": "on"})
    assert response.status_code == 400 and "无法读取" in response.content.decode()
    response = client.post("/hazards/import/", {"file": SimpleUploadedFile("a.xlsx", xlsx(good_rows(world)))}, follow=True)
    assert response.status_code == 200 and "已导入 5 条" in response.content.decode()
    assert response.redirect_chain[0][0].startswith("/jobs/")
    response = client.post("/hazards/import/", {"file": SimpleUploadedFile("a.xlsx", xlsx([], header=["名称"]))})
    assert response.status_code == 400 and "表头缺少列" in response.content.decode()


def test_import_is_reasonably_fast(world, django_assert_max_num_queries):
    rows = good_rows(world, 60)
    with django_assert_max_num_queries(60 * 16):
        result = import_hazards(world.user("commerce"), xlsx(rows), dry_run=True)
    assert result["errors"] == []


def test_the_import_reader_reads_every_cell_as_openpyxl_does():
    """hazards.importing.open_workbook (one parse, inline strings read directly) against stock
    openpyxl load_workbook(read_only=True) on files with and without a dimension, shared and
    inline strings (with rich-text runs), numbers, dates, booleans and gaps."""
    import datetime
    import zipfile

    from openpyxl import load_workbook

    from hazards.importing import open_workbook

    values = [["文本", 12, 3.5, datetime.datetime(2026, 1, 5), True, None, "  空格 ", "=1+1"],
              [None, "第二行", 0, -7.25, datetime.date(2025, 12, 31), False, "", "末列"]]
    normal = Workbook()
    for row in values:
        normal.active.append(row)
    streamed = Workbook(write_only=True)
    ws = streamed.create_sheet("台账")
    for row in values:
        ws.append(row)
    files = []
    for wb in (normal, streamed):
        buf = io.BytesIO()
        wb.save(buf)
        files.append(buf.getvalue())
    # a rich-text inline string (two runs) and a plain one, as other generators write them
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(files[1])) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                extra = ('<row r="90"><c r="B90" t="inlineStr"><is><r><t>甲</t></r><r><rPr><b/></rPr>'
                         '<t xml:space="preserve"> 乙</t></r></is></c><c r="D90" t="inlineStr"><is><t>丙</t></is></c></row>')
                data = data.replace(b"</sheetData>", extra.encode() + b"</sheetData>", 1)
            dst.writestr(item, data)
    files.append(out.getvalue())
    for data in files:
        ours = [tuple(r) for r in open_workbook(data).worksheets[0].iter_rows(values_only=True)]
        stock = [tuple(r) for r in load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
                 .iter_rows(values_only=True)]
        assert ours == stock and len(ours) >= 2
    assert ("甲 乙" in ours[-1]) and ("丙" in ours[-1])
