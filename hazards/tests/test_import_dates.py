"""Dates in the ledger import: the unambiguous spellings people type (2026/5/1, 2026年5月1日,
2026.5.1, 2026-5-1 — docs/hazards.md) are read as that date, by both readers (calamine, and
openpyxl — the oracle, and the reader of a file holding a failed formula); ambiguous ones
(5/1/2026: May or January?) are refused with a reason naming the accepted forms. A cell styled with
one of Excel's built-in East Asian date formats (numFmtId 31 = 2026年5月1日, what a Chinese Excel
gives a typed date) carries no format code in the file: both readers must read it as a date.

The expected dates are written literally here, not computed by the code under test."""

import datetime
import io
import re
import zipfile
from functools import partial

import pytest
from openpyxl import Workbook

from hazards import importing, parsed_rows
from hazards.importing import COLUMNS, import_hazards
from hazards.models import Hazard

pytestmark = pytest.mark.django_db

FOUND = datetime.date(2026, 5, 1)
DEADLINE = datetime.date(2026, 6, 9)
ACCEPTED = [("2026/5/1", "2026/6/9"), ("2026年5月1日", "2026年6月9日"), ("2026.5.1", "2026.6.9"), ("2026-5-1", "2026-6-9"),
            ("2026-05-01", "2026-06-09"), ("2026/05/01", "2026/06/09"), ("2026 年 5 月 1 日", "2026年06月09日"),
            ("２０２６／５／１", "２０２６年６月９日")]
AMBIGUOUS = ["5/1/2026", "1/5/2026", "26-5-1", "26/5/1", "2026-5/1", "2026/13/1", "2026年2月30日", "五月一日"]


def _row(world, found, deadline, **extra) -> dict:
    return {"统一社会信用代码": world.ent_commerce.credit_code, "隐患描述": f"灭火器过期 {found}", "隐患等级": "一般",
            "行业领域": "商贸服务和仓储物流", "发现渠道": "部门检查", "发现日期": found, "整改期限": deadline} | extra


def _book(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for r in rows:
        ws.append([r.get(c) for c in COLUMNS])
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if isinstance(c.value, str):
                c.number_format = "@"  # typed as text, as a user typing into a text column
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _both_readers(world, data, monkeypatch, dry_run=True):
    ours = import_hazards(world.user("commerce"), data, dry_run=True)
    with monkeypatch.context() as m:
        m.setattr(importing, "iter_rows", partial(importing.iter_rows, reader="openpyxl"))
        parsed_rows.forget()
        oracle = import_hazards(world.user("commerce"), data, dry_run=True)
    parsed_rows.forget()
    return ours, oracle


def test_every_unambiguous_spelling_is_read_as_its_date_by_both_readers_and_imported(world, monkeypatch):
    data = _book([_row(world, found, deadline) for found, deadline in ACCEPTED])
    ours, oracle = _both_readers(world, data, monkeypatch)
    assert ours["errors"] == [] and ours == oracle
    result = import_hazards(world.user("commerce"), data, dry_run=False)
    assert result["committed"] and result["created"] == len(ACCEPTED)
    assert set(Hazard.objects.values_list("found_on", "deadline")) == {(FOUND, DEADLINE)}


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_an_ambiguous_or_impossible_date_is_refused_naming_the_accepted_forms(world, monkeypatch, text):
    data = _book([_row(world, text, "2026-06-09")])
    ours, oracle = _both_readers(world, data, monkeypatch)
    assert ours == oracle
    assert [(e["row"], e["column"]) for e in ours["errors"]] == [(2, "发现日期")]
    reason = ours["errors"][0]["reason"]
    for form in ("YYYY-MM-DD", "2026/5/1", "2026.5.1", "2026年5月1日"):
        assert form in reason
    assert not import_hazards(world.user("commerce"), data, dry_run=False)["committed"]
    assert not Hazard.objects.exists()


def _with_builtin_format(data: bytes, number_format_id: int, *, error_cell: str | None = None) -> bytes:
    """The workbook with its custom date format replaced by the built-in ``number_format_id`` (an id
    with no format code in the file, as Excel writes it), and optionally one cell turned into a
    failed formula (#N/A: the import then reads the whole file with openpyxl)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/styles.xml":
                custom = re.search(rb'<numFmt numFmtId="(\d+)" formatCode="yyyy/m/d"/>', content)
                content = content.replace(b'numFmtId="%s"' % custom.group(1), b'numFmtId="%d"' % number_format_id)
                content = re.sub(rb"<numFmts.*?</numFmts>", b"", content, flags=re.S)
            if error_cell and item.filename == "xl/worksheets/sheet1.xml":
                start = content.index(b'<c r="%s"' % error_cell.encode())
                end = content.index(b"</c>", start) + 4
                content = (content[:start] + b'<c r="%s" t="e"><f>VLOOKUP(A2,B:C,2,0)</f><v>#N/A</v></c>' % error_cell.encode()
                           + content[end:])
            dst.writestr(item, content)
    return out.getvalue()


def _letter(column: str) -> str:
    """The column letter of ``column`` in the import's header (``COLUMNS``)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(COLUMNS.index(column) + 1)


def _serial_book(world, rows: int = 2) -> bytes:
    """Rows whose dates are Excel serials (46143 = 2026-05-01, 46182 = 2026-06-09) styled yyyy/m/d."""
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for i in range(rows):
        ws.append([_row(world, 46143, 46182, 隐患描述=f"配电箱未上锁{i}").get(c) for c in COLUMNS])
    for r in range(2, rows + 2):
        for col in (_letter("发现日期"), _letter("整改期限")):
            ws[f"{col}{r}"].number_format = "yyyy/m/d"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("number_format_id", [31, 57, 58, 27, 36, 50])
def test_a_cell_in_a_builtin_east_asian_date_format_is_a_date_for_both_readers(world, monkeypatch, number_format_id):
    data = _with_builtin_format(_serial_book(world), number_format_id)
    ours, oracle = _both_readers(world, data, monkeypatch)
    assert ours["errors"] == [] and ours == oracle
    assert import_hazards(world.user("commerce"), data, dry_run=False)["committed"]
    assert set(Hazard.objects.values_list("found_on", "deadline")) == {(FOUND, DEADLINE)}


def test_a_file_with_a_failed_formula_still_reads_its_east_asian_dates(world):
    # the #N/A sends the whole file through openpyxl: only the cell holding it is an error
    data = _with_builtin_format(_serial_book(world), 31, error_cell=f"{_letter('发现渠道')}2")
    result = import_hazards(world.user("commerce"), data, dry_run=True)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "发现渠道")], result["errors"]
