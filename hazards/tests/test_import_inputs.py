"""Ledger files as people really fill them in: headers with a space or a line break before their
note, date cells in text columns, credit codes typed with spaces or full-width characters, rows
holding only invisible characters, over-long cells — and a small file whose one cell far below
makes a reader allocate the whole rectangle. Each is read the same by both readers and either
imported as the user meant or refused with the row, the column and the reason."""

import datetime
import io
import time
import unicodedata
import zipfile

import pytest
from openpyxl import Workbook

from core.services import ServiceError
from hazards import importing, parsed_rows
from hazards.importing import import_hazards, iter_rows
from hazards.models import Hazard

pytestmark = pytest.mark.django_db
HEADER = ["统一社会信用代码", "隐患描述", "隐患等级", "行业领域", "发现日期", "整改期限", "状态", "整改责任人", "责任人电话", "整改情况"]


def _book(header, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _row(world, **cells):
    base = {"统一社会信用代码": world.ent_commerce.credit_code, "隐患描述": "灭火器过期", "隐患等级": "一般",
            "行业领域": "commerce", "发现日期": "2026-01-05", "状态": "已登记"}
    base.update(cells)
    return [base.get(h) for h in HEADER]


def _both(data):
    return [list(iter_rows(data, reader=r)) for r in ("calamine", "openpyxl")]


def test_a_header_with_a_space_or_a_line_break_before_its_note_is_the_column(world):
    header = [h if h not in ("整改期限", "状态") else {"整改期限": "整改期限 (YYYY-MM-DD)", "状态": "状态\n（已登记/已销号）"}[h]
              for h in HEADER]
    data = _book(header, [_row(world, 整改期限="2026-02-01", 状态="已销号")])
    result = import_hazards(world.user("commerce"), data, dry_run=False)
    assert result["committed"], result["errors"]
    hazard = Hazard.objects.get()
    assert (hazard.status, hazard.deadline) == ("closed", datetime.date(2026, 2, 1))


def test_credit_codes_typed_with_spaces_or_full_width_find_their_unit_and_an_empty_one_is_required(world):
    code = world.ent_commerce.credit_code
    spaced = f"{code[:6]} {code[6:]}".lower()
    wide = unicodedata.normalize("NFKC", code).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHJKLMNPQRTUWXY"})
    assert unicodedata.normalize("NFKC", wide) == code and wide != code
    data = _book(HEADER, [_row(world, 统一社会信用代码=spaced), _row(world, 统一社会信用代码=wide),
                          _row(world, 统一社会信用代码="")])
    result = import_hazards(world.user("commerce"), data, dry_run=True)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(4, "统一社会信用代码")]
    assert "必填" in result["errors"][0]["reason"]


def test_a_row_of_only_invisible_characters_is_not_a_row(world):
    data = _book(HEADER, [_row(world), ["\u200b", "\ufeff", None, "\u200b"], _row(world, 隐患描述="消防通道堵塞")])
    calamine, openpyxl = _both(data)
    assert [r["_row"] for r in calamine] == [r["_row"] for r in openpyxl] == [2, 4]
    assert import_hazards(world.user("commerce"), data, dry_run=True)["errors"] == []


def test_a_date_cell_in_a_text_column_reads_the_same_in_both_readers(world):
    data = _book(HEADER, [_row(world, 状态="已销号", 整改情况=datetime.datetime(2026, 1, 10))])
    calamine, openpyxl = _both(data)
    assert importing._text(calamine[0]["整改情况"]) == importing._text(openpyxl[0]["整改情况"]) == "2026-01-10"


def test_an_over_long_responsible_person_or_phone_is_refused_with_its_row_not_cut(world):
    data = _book(HEADER, [_row(world, 责任人电话="13700000001、13800000002"), _row(world, 整改责任人="张" * 61)])
    result = import_hazards(world.user("commerce"), data, dry_run=False)
    assert not result["committed"] and Hazard.objects.count() == 0
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "责任人电话"), (3, "整改责任人")], result["errors"]


def test_a_small_file_with_one_cell_far_below_is_refused_before_any_reader_builds_its_rectangle(world):
    data = _book(HEADER, [_row(world)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", b'<row r="1048576"><c r="AN1048576" t="inlineStr">'
                                                           b'<is><t> </t></is></c></row></sheetData>')
            dst.writestr(item, content)
    assert len(out.getvalue()) < 10_000
    start = time.monotonic()
    with pytest.raises(ServiceError) as refused:
        parsed_rows.forget()
        importing.read_rows(out.getvalue())
    assert time.monotonic() - start < 2
    assert "1048576" in refused.value.message and "空行" in refused.value.message


def failed_formula(data: bytes, cell: str) -> bytes:
    """The workbook ``data`` with ``cell`` of its first sheet replaced by a formula that failed (#N/A)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                start = content.index(b'<c r="%s"' % cell.encode())
                end = content.index(b"</c>", start) + 4
                content = content[:start] + b'<c r="%s" t="e"><f>VLOOKUP(A2,B:C,2,0)</f><v>#N/A</v></c>' % cell.encode() + content[end:]
            dst.writestr(item, content)
    return out.getvalue()


def test_a_formula_that_failed_is_reported_with_its_row_and_column_not_read_as_empty(world):
    data = failed_formula(_book(HEADER, [_row(world, 整改期限="2026-02-01"), _row(world)]), "F2")
    calamine, openpyxl = _both(data)
    assert calamine == openpyxl
    result = import_hazards(world.user("commerce"), data, dry_run=True)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "整改期限")]
    assert "#N/A" in result["errors"][0]["reason"]
