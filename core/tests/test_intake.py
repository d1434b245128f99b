"""Spreadsheet bombs are refused before parsing: a Chinese 4xx within 2 s and < 100 MB extra
memory, at every import point. The bombs are built here; the limits are the documented defaults."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.intake import DEFAULTS, check_spreadsheet
from core.services import ServiceError
from core.testing import client_as

MB = 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


def _skeleton(z: zipfile.ZipFile, skip=()):
    """The parts of a minimal valid workbook, taken from a real openpyxl file."""
    wb = Workbook()
    wb.active.append(["统一社会信用代码", "隐患描述"])
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as src:
        for name in src.namelist():
            if name not in skip:
                z.writestr(name, src.read(name))


def _xlsx(parts: dict, *, stream: dict | None = None) -> bytes:
    """A workbook whose sheet1 (and optionally other parts) are replaced; ``stream`` maps a part
    name to (head, repeated unit, count, tail) written through the compressor chunk by chunk."""
    buf = io.BytesIO()
    replaced = set(parts) | set(stream or {})
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        _skeleton(z, skip=replaced)
        for name, data in parts.items():
            z.writestr(name, data)
        for name, (head, unit, count, tail) in (stream or {}).items():
            with z.open(name, "w", force_zip64=True) as fh:
                fh.write(head)
                block = unit * 10000
                for _ in range(count // 10000):
                    fh.write(block)
                fh.write(tail)
    return buf.getvalue()


def bomb_uncompressed():  # ~150 MB of XML in a few hundred KB
    return _xlsx({}, stream={"xl/worksheets/sheet1.xml": (SHEET_HEAD, b'<row r="1"><c r="A1"/></row>', 7_500_000, SHEET_TAIL)})


def bomb_shared_strings():  # a huge shared-string table (the 2.79 GB case)
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    return _xlsx({}, stream={"xl/sharedStrings.xml": (sst, b"<si><t>AAAAAAAAAAAAAAAAAAAA</t></si>", 900_000, b"</sst>")})


def bomb_entries():
    return _xlsx({f"xl/media/pad{i}.bin": b"x" for i in range(DEFAULTS["max_entries"] + 10)})


def bomb_rows():
    rows = b"".join(b'<row r="%d"/>' % i for i in range(1, DEFAULTS["max_rows"] + 20))
    return _xlsx({"xl/worksheets/sheet1.xml": SHEET_HEAD + rows + SHEET_TAIL})


def bomb_columns():
    return _xlsx({"xl/worksheets/sheet1.xml": SHEET_HEAD + b'<row r="1"><c r="XFD1" t="n"><v>1</v></c></row>' + SHEET_TAIL})


def bomb_cells():
    cells = b'<c t="n"><v>1</v></c>' * 150
    rows = b"".join(b'<row r="%d">' % i + cells + b"</row>" for i in range(1, 14000))
    return _xlsx({"xl/worksheets/sheet1.xml": SHEET_HEAD + rows + SHEET_TAIL})


def bomb_lying_header():
    """An entry whose directory claims 1 KB but which inflates to 60 MB."""
    data = bytearray(_xlsx({}, stream={"xl/worksheets/sheet1.xml": (SHEET_HEAD, b"<row/>", 10_000_000, SHEET_TAIL)}))
    # patch the uncompressed size in the local header and central directory of sheet1 (zip64 extra)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    real = info.file_size.to_bytes(8, "little")
    return bytes(data).replace(real, (1024).to_bytes(8, "little"))


def bomb_oversize():
    return b"PK\x03\x04" + b"\0" * (DEFAULTS["max_bytes"] + 1)


# name → (builder, words of the expected refusal, limits relaxed so that this very limit is hit)
BOMBS = {
    "uncompressed": (bomb_uncompressed, "解压后过大"),
    "shared_strings": (bomb_shared_strings, "压缩比异常"),
    "entries": (bomb_entries, "部件"),
    "rows": (bomb_rows, "行"),
    "columns": (bomb_columns, "列"),
    "cells": (bomb_cells, "单元格过多", {"max_ratio": 10_000}),
    "lying_header": (bomb_lying_header, "Excel 文件"),
    "oversize": (bomb_oversize, "文件过大"),
}


@pytest.fixture(scope="module")
def bombs():
    return {name: spec[0]() for name, spec in BOMBS.items()}


def _measured(fn):
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = fn()
    finally:
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, elapsed, peak


@pytest.mark.parametrize("name", list(BOMBS))
def test_each_bomb_is_refused_fast_with_bounded_memory(bombs, name, settings):
    data = bombs[name]
    if len(BOMBS[name]) > 2:
        settings.SPREADSHEET_LIMITS = BOMBS[name][2]
    assert len(data) < 11 * MB

    def run():
        with pytest.raises(ServiceError) as exc:
            check_spreadsheet(data, "bomb.xlsx")
        return exc.value

    start = time.perf_counter()
    exc = run()
    elapsed = time.perf_counter() - start
    assert exc.field == "file" and BOMBS[name][1] in exc.message
    assert elapsed < 2.0, f"{name}: {elapsed:.2f} s"
    _, _, peak = _measured(run)
    assert peak - len(data) < 100 * MB, f"{name}: {peak / MB:.0f} MB"


def test_specific_limits(settings):
    """Each limit on its own (the others relaxed), so every message is reachable."""
    settings.SPREADSHEET_LIMITS = {"max_ratio": 10_000, "max_uncompressed": 500 * MB, "max_entry": 500 * MB}
    with pytest.raises(ServiceError, match="共享字符串表过大"):
        check_spreadsheet(bomb_shared_strings(), "x.xlsx")
    settings.SPREADSHEET_LIMITS = {"max_ratio": 10_000, "max_uncompressed": 500 * MB, "max_entry": 10 * MB}
    with pytest.raises(ServiceError, match="部件 xl/sharedStrings.xml 过大"):
        check_spreadsheet(bomb_shared_strings(), "x.xlsx")


def test_an_ordinary_workbook_and_csv_pass():
    wb = Workbook()
    for i in range(500):
        wb.active.append([f"9112010{i:011d}", "灭火器过期", "一般隐患", "商贸"])
    buf = io.BytesIO()
    wb.save(buf)
    assert check_spreadsheet(buf.getvalue(), "ok.xlsx") == buf.getvalue()
    assert check_spreadsheet(b"a,b\n1,2\n", "ok.csv")
    with pytest.raises(ServiceError, match="行"):
        check_spreadsheet(b"a\n" * (DEFAULTS["max_rows"] + 5), "big.csv")


def test_a_file_that_passed_is_not_scanned_again_under_the_same_limits(settings, monkeypatch):
    """The page's form, the dry run's parse and the real run's form check one upload: the verdict
    (a function of the bytes, their kind and the limits) is remembered when it passes, never when
    it refuses, and other limits check again."""
    from core import intake

    scans = []
    real = intake._scan_sheet
    monkeypatch.setattr(intake, "_scan_sheet", lambda *a: scans.append(a[1]) or real(*a))
    wb = Workbook()
    wb.active.append(["统一社会信用代码", "隐患描述", "第一次"])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    for _ in range(3):
        assert check_spreadsheet(data, "ok.xlsx") == data
    assert len(scans) == 1
    settings.SPREADSHEET_LIMITS = {"max_cells": 2}
    for _ in range(2):
        with pytest.raises(ServiceError, match="单元格过多"):
            check_spreadsheet(data, "ok.xlsx")
    assert len(scans) == 3


IMPORT_POINTS = [
    ("emergency", "/hazards/import/", {"dry_run": "on"}),
    ("committee", "/enterprises/import/", {"dry_run": "on"}),
]


@pytest.mark.parametrize("persona,url,extra", IMPORT_POINTS)
@pytest.mark.parametrize("name", ["uncompressed", "shared_strings", "rows", "oversize"])
def test_every_import_point_answers_4xx_in_chinese(client, world, bombs, persona, url, extra, name):
    client_as(client, world, persona)
    assert client.get(url).status_code == 200  # warm up (URLconf, templates) before timing

    def post():
        return client.post(url, {"file": SimpleUploadedFile("bomb.xlsx", bombs[name], content_type=XLSX), **extra})

    start = time.perf_counter()
    response = post()
    elapsed = time.perf_counter() - start
    assert 400 <= response.status_code < 500
    assert BOMBS[name][1] in response.content.decode()
    assert elapsed < 2.0, f"{elapsed:.2f} s"
    response, _, peak = _measured(post)
    assert 400 <= response.status_code < 500 and peak < 100 * MB + 2 * len(bombs[name])


def test_review_import_point(client, world, bombs):
    from inspections.forms import ReviewImportForm

    form = ReviewImportForm({"title": "复查"}, {"file": SimpleUploadedFile("b.xlsx", bombs["rows"])})
    assert not form.is_valid() and "行" in form.errors["file"][0]


def test_parse_functions_check_too(bombs):
    """The parse step (which may run in a job) refuses on its own as well."""
    from enterprises.spreadsheets import read_rows
    from hazards.importing import read_rows as hazard_rows
    from inspections.review import parse_hazard_ids

    for parse in (lambda d: read_rows(d, "x.xlsx"), hazard_rows, parse_hazard_ids):
        with pytest.raises(ServiceError, match="解压后过大"):
            parse(bombs["uncompressed"])
