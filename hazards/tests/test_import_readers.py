"""The hazard import reads xlsx with calamine; openpyxl (the reader it replaced) is the oracle.

Cells that differ between the two libraries' Python values — a date-formatted Excel serial
(openpyxl: ``datetime``, calamine: ``date``), a whole number (``int`` / ``float``), an empty cell
(``None`` / ``""``) — must reach the import as the same text and the same date, empty rows and
row numbers must be the same, and a merged header must give the same columns. Bytes that are not a
readable workbook must give a Chinese reason on the ``file`` field (form 400, job message), never a
500 — calamine raises its own exceptions, not openpyxl's.
"""

import datetime
import io
import zipfile
from functools import partial

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.services import ServiceError
from core.testing import client_as
from hazards import importing, parsed_rows
from hazards.models import Hazard

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "隐患描述", "隐患等级", "行业领域", "发现渠道", "发现日期", "整改期限", "状态（已登记/已销号）",
          "整改责任人", "责任人电话", "隐患部位"]


def _bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def tricky_workbook(code: str, *, write_only: bool = False) -> bytes:
    """Rows as old ledgers hold them: dates typed as Excel dates (serials with a date format) and
    as text in three spellings, a serial with a date-time, numbers formatted as text, a phone
    number stored as a number, a float that is whole, blank rows inside, spaces around text, a
    boolean and a stray cell right of the header, and the header's 隐患描述 merged over two cells."""
    wb = Workbook()
    ws = wb.active
    ws.title = "隐患台账"
    ws.append(HEADER[:2] + [None] + HEADER[2:])  # 隐患描述 spans B1:C1
    ws.merge_cells("B1:C1")
    rows = [
        [code, "灭火器过期", None, "一般", "商贸服务和仓储物流", "部门检查", datetime.date(2026, 1, 5),
         datetime.datetime(2026, 2, 5, 0, 0), "已登记", "张三", 13700000001, "仓库"],
        [],
        [code, "  安全出口锁闭  ", "注", "一般", "commerce", None, "2026/01/06", "2026.02.06", "", "李四", "013700000002", 7],
        [None, None, None, None, None, None, None, None],
        [code, "配电箱未上锁", None, "一般", "商贸服务和仓储物流", "部门检查", datetime.datetime(2026, 1, 7, 15, 30),
         46100, "已登记", 12.0, 1.5, True],
        [code, "线路私拉乱接", None, "一般", "商贸服务和仓储物流", "部门检查", "2026-1-8", "下月", "已登记", None, None, None],
    ]
    for row in rows:
        ws.append(row)
    ws["H6"].number_format = "yyyy-mm-dd"  # a bare serial shown as a date: both read it as 2026-03-19
    ws["L4"].number_format = "@"  # text-formatted cells
    ws["K4"].number_format = "@"
    ws["N2"] = "备注"  # a cell right of the header (no column of ours)
    return _bytes(wb)


def _as_import_reads(row: dict) -> dict:
    """What the import makes of a cell: its text (``_text``) and, for the date columns, the date
    or the error ``_date`` reports."""
    out = {}
    for key, value in row.items():
        if key in ("发现日期", "整改期限"):
            errors = []
            out[key] = (importing._date(value, key, errors, 0), [e["reason"] for e in errors])
        else:
            out[key] = importing._text(value)
    return out


def test_calamine_gives_the_import_the_same_rows_as_openpyxl(world):
    data = tricky_workbook(world.ent_commerce.credit_code)
    ours = list(importing.iter_rows(data))
    oracle = list(importing.iter_rows(data, reader="openpyxl"))
    assert [r["_row"] for r in oracle] == [2, 4, 6, 7]  # blank rows 3 and 5 skipped, numbering kept
    assert [r["_row"] for r in ours] == [2, 4, 6, 7]
    assert [_as_import_reads(r) for r in ours] == [_as_import_reads(r) for r in oracle]
    # the values themselves, read by hand from the workbook above
    first, second, third = (_as_import_reads(r) for r in ours[:3])
    assert first["发现日期"] == (datetime.date(2026, 1, 5), []) and first["整改期限"] == (datetime.date(2026, 2, 5), [])
    assert first["责任人电话"] == "13700000001" and second["责任人电话"] == "013700000002"
    assert second["隐患描述"] == "安全出口锁闭" and second["发现日期"] == (datetime.date(2026, 1, 6), [])
    assert second["隐患部位"] == "7" and third["整改责任人"] == "12" and third["责任人电话"] == "1.5"
    assert third["整改期限"] == (datetime.date(2026, 3, 19), [])  # serial 46100 = 2026-03-19 (1900 date system)
    assert third["发现日期"] == (datetime.date(2026, 1, 7), [])
    assert _as_import_reads(ours[3])["整改期限"] == (None, [importing.DATE_REASON])


def test_a_write_only_workbook_reads_the_same_with_both_readers(world):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(HEADER)
    ws.append([world.ent_commerce.credit_code, "灭火器过期", "一般", "商贸服务和仓储物流", "部门检查", "2026-01-05",
               "2026-02-05", "已登记", "张三", 13700000001, "仓库"])
    ws.append([])
    ws.append([world.ent_commerce.credit_code, "消防通道堵塞", "一般", "commerce"])
    data = _bytes(wb)
    ours, oracle = list(importing.iter_rows(data)), list(importing.iter_rows(data, reader="openpyxl"))
    assert [r["_row"] for r in ours] == [r["_row"] for r in oracle] == [2, 4]
    assert [_as_import_reads(r) for r in ours] == [_as_import_reads(r) for r in oracle]


def test_a_dry_run_reports_the_same_with_either_reader(world, monkeypatch):
    data = tricky_workbook(world.ent_commerce.credit_code)
    ours = importing.import_hazards(world.user("commerce"), data, dry_run=True)
    monkeypatch.setattr(importing, "iter_rows", partial(importing.iter_rows, reader="openpyxl"))
    oracle = importing.import_hazards(world.user("commerce"), data, dry_run=True)
    assert ours == oracle
    # rows 2, 4, 6 are good; row 7's 2026-1-8 (not zero-padded) is a date, 下月 is not; nothing written
    assert ours["created"] == 3, ours["errors"]
    assert ours["errors"] == [{"row": 7, "column": "整改期限", "reason": importing.DATE_REASON}]
    assert not Hazard.objects.exists()


def test_a_header_below_an_empty_first_row_is_refused_by_both_readers():
    wb = Workbook()
    wb.active.append([None])
    wb.active.append(HEADER)
    data = _bytes(wb)
    for reader in ("calamine", "openpyxl"):
        with pytest.raises(ServiceError) as exc:
            list(importing.iter_rows(data, reader=reader))
        assert exc.value.field == "file" and "表头缺少列" in exc.value.message


def _valid() -> bytes:
    wb = Workbook()
    wb.active.append(HEADER)
    wb.active.append(["91110000000000001X", "灭火器过期", "一般", "商贸服务和仓储物流"])
    return _bytes(wb)


def _rewrite(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = change(item.filename, src.read(item.filename))
            if content is not None:
                dst.writestr(item, content)
    return out.getvalue()


def _chart_first() -> bytes:
    """A chart sheet before the worksheet: both readers take the first *worksheet*."""
    from openpyxl.chart import BarChart, Reference

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["91110000000000001X", "灭火器过期", "一般", "商贸服务和仓储物流"])
    chart = wb.create_chartsheet("图", 0)
    bar = BarChart()
    bar.add_data(Reference(ws, min_col=1, min_row=1, max_row=2))
    chart.add_chart(bar)
    return _bytes(wb)


BAD_FILES = {
    "not a zip": (lambda: b"\xd0\xcf\x11\xe0 an old .xls or anything else", "无法读取"),
    "a text file": (lambda: "统一社会信用代码,隐患描述\n".encode(), "无法读取"),
    "a truncated zip": (lambda: _valid()[:700], "无法读取"),
    "a zip without a workbook": (lambda: _rewrite(_valid(), lambda n, c: None if n == "xl/workbook.xml" else c), "无法读取"),
    "a broken sheet XML": (lambda: _rewrite(_valid(), lambda n, c: c[:len(c) // 2] if n == "xl/worksheets/sheet1.xml" else c),
                           "无法读取"),
    "a zip of something else": (lambda: _rewrite(_valid(), lambda n, c: c if n.startswith("xl/worksheets/") else None),
                                "无法读取"),
    "wrong columns": (lambda: _bytes(_one_row_workbook(["名称", "地址"])), "表头缺少列：统一社会信用代码、隐患描述、隐患等级、行业领域"),
    "an empty sheet": (lambda: _bytes(Workbook()), "文件为空"),
}


def _one_row_workbook(values):
    wb = Workbook()
    wb.active.append(values)
    return wb


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_unreadable_bytes_give_a_chinese_reason_on_the_file(case):
    data, reason = BAD_FILES[case][0](), BAD_FILES[case][1]
    with pytest.raises(ServiceError) as exc:
        list(importing.iter_rows(data))
    assert exc.value.field == "file" and reason in exc.value.message


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_the_import_page_answers_a_bad_file_with_400_and_the_reason(client, world, case):
    client_as(client, world, "commerce")
    data, reason = BAD_FILES[case][0](), BAD_FILES[case][1]
    response = client.post("/hazards/import/", {"file": SimpleUploadedFile("台账.xlsx", data), "dry_run": "on"})
    assert response.status_code == 400 and reason in response.content.decode()


def test_a_bad_file_that_reaches_the_job_fails_it_with_the_reason(world):
    """A job queued with a file that turns out unreadable (the page checks first; the API or a
    replaced file may not) ends failed with the Chinese reason, not stuck and not a traceback."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from jobs.runner import run
    from jobs.services import submit

    stored = default_storage.save("imports/hazards/test/broken.xlsx", ContentFile(BAD_FILES["a broken sheet XML"][0]()))
    job = submit(world.user("commerce"), "hazards.import", "隐患台账试运行：broken.xlsx", {"file": stored, "dry_run": True}, queue=False)
    run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "无法读取" in job.message


def test_the_first_worksheet_is_read_when_a_chart_sheet_comes_first(world):
    data = _chart_first()
    assert [r["_row"] for r in importing.iter_rows(data)] == [r["_row"] for r in importing.iter_rows(data, reader="openpyxl")] == [2]


def test_the_page_and_both_jobs_parse_a_file_once_and_the_real_run_checks_the_database_again(client, world, monkeypatch):
    """The rows of a file are remembered by its SHA-256 (a pure function of the bytes): the page's
    check, the dry run and the real run parse it once. What the rows are checked against is read
    again: an enterprise that lost its sector (so left the department's scope) after the dry run fails the real
    run, nothing written."""
    from jobs.models import Job

    parsed_rows.forget()
    calls = []
    real = importing._calamine_values
    monkeypatch.setattr(importing, "_calamine_values", lambda data: calls.append(1) or real(data))
    client_as(client, world, "commerce")
    wb = Workbook()
    wb.active.append(HEADER)
    for i in range(3):
        wb.active.append([world.ent_commerce.credit_code, f"灭火器过期{i}", "一般", "商贸服务和仓储物流", "部门检查", "2026-01-05"])
    data = _bytes(wb)
    response = client.post("/hazards/import/", {"file": SimpleUploadedFile("台账.xlsx", data), "dry_run": "on"})
    assert response.status_code == 302
    dry = Job.objects.order_by("-pk").first()
    assert dry.status == "done" and dry.summary["created"] == 3 and not Hazard.objects.exists()
    world.ent_commerce.sectors.clear()
    response = client.post("/hazards/import/", {"file": SimpleUploadedFile("台账.xlsx", data)})
    assert response.status_code == 302
    real_job = Job.objects.order_by("-pk").first()
    assert len(calls) == 1
    # without its sector the enterprise is out of the commerce department's scope: every row refused
    assert {(e["row"], e["column"]) for e in real_job.summary["errors"]} == {(2, "统一社会信用代码"), (3, "统一社会信用代码"),
                                                                            (4, "统一社会信用代码")}
    assert not Hazard.objects.exists()


def test_the_ledger_is_read_from_the_first_sheet_whose_header_it_is(world):
    """A workbook that opens with a 填写说明 sheet (or any sheet moved in front of the ledger) is
    read from the first worksheet whose first row holds the required columns — by both readers;
    when none does, the reason says every sheet was looked at."""
    code = world.ent_commerce.credit_code
    wb = Workbook()
    wb.active.title = "填写说明"
    wb.active.append(["第1行为表头，请勿修改列名。"])
    wb.active.append(["统一社会信用代码：18位。"])
    other = wb.create_sheet("汇总")
    other.append(["行业领域", "隐患数"])  # some of the ledger's words, not its header
    ledger = wb.create_sheet("隐患台账")
    ledger.append(HEADER)
    ledger.append([code, "灭火器过期", "一般", "商贸服务和仓储物流", "部门检查", "2026-01-05", "2026-02-05", "已登记"])
    ledger.append([code, "消防通道堵塞", "一般", "commerce"])
    data = _bytes(wb)
    ours, oracle = list(importing.iter_rows(data)), list(importing.iter_rows(data, reader="openpyxl"))
    assert [(r["_row"], r["隐患描述"]) for r in ours] == [(r["_row"], r["隐患描述"]) for r in oracle] == \
        [(2, "灭火器过期"), (3, "消防通道堵塞")]
    assert importing.import_hazards(world.user("commerce"), data, dry_run=True)["created"] == 2

    wb.remove(ledger)
    data = _bytes(wb)
    for reader in ("calamine", "openpyxl"):
        with pytest.raises(ServiceError) as exc:
            list(importing.iter_rows(data, reader=reader))
        assert exc.value.field == "file" and "2个工作表的第1行都不是台账表头" in exc.value.message
        assert "统一社会信用代码" in exc.value.message  # the first sheet's missing columns are named
