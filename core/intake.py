"""Spreadsheet intake limits, checked BEFORE any parser touches an upload.

One function, ``check_spreadsheet(data_or_file, name)``, is called where an upload is received
(the import forms' ``clean_file`` via ``validate_spreadsheet``; the parse functions call it again
so that jobs and commands are covered too). It reads only the zip central directory and streams
the worksheet XML once with a byte scanner (no XML parser, no shared-string table), so a bomb is
refused in milliseconds with bounded memory. ``zipfile`` never inflates an entry past the size
its directory declares (a lying entry fails its CRC), so the declared sizes are a safe bound.

Limits live in ``settings.SPREADSHEET_LIMITS`` (documented in docs/security.md):

    max_bytes            size of the uploaded file
    max_entries          zip entries (parts) in an xlsx
    max_uncompressed     total uncompressed size of all parts
    max_entry            uncompressed size of any one part (styles, workbook …)
    max_ratio            total uncompressed / compressed size
    max_shared_strings   uncompressed size of xl/sharedStrings.xml
    max_rows, max_columns, max_cells   per worksheet (rows also for CSV)

Every refusal is a ``core.services.ServiceError`` on field ``file`` with a Chinese reason.
"""

import collections
import hashlib
import io
import re
import threading
import zipfile

from django.conf import settings

from .services import ServiceError

DEFAULTS = {
    "max_bytes": 10 * 1024 * 1024,
    "max_entries": 200,
    "max_uncompressed": 100 * 1024 * 1024,
    "max_entry": 80 * 1024 * 1024,
    "max_ratio": 100,
    "max_shared_strings": 20 * 1024 * 1024,
    "max_rows": 60000,
    "max_columns": 200,
    "max_cells": 2_000_000,
}
MB = 1024 * 1024
# Byte patterns counted with bytes.count (C speed, no match objects): plain and prefixed tags.
ROW_TAGS = (b"<row ", b"<row>")
CELL_TAGS = (b"<c ", b"<c>")
PREFIXED_ROW_TAGS = (b":row ", b":row>")
PREFIXED_CELL_TAGS = (b":c ", b":c>")
WIDE_REF = re.compile(rb' r="([A-Z]{2,3})\d')  # only columns beyond Z need a look
# a row's number: readers that build the sheet's rectangle (calamine) allocate up to the last one,
# however few rows lie in between (one cell at row 1,048,576 of a 5 KB file: gigabytes)
ROW_NUMBER = re.compile(rb'<(?:[A-Za-z]+:)?row\b[^>]*?\sr="(\d{1,7})"')
CHUNK = 1 << 20
#: the reason every import gives for a file of a header alone (no data row)
NO_DATA_ROWS = "文件中没有数据行（只有表头），未导入任何内容。"
OVERLAP = 16


def limits() -> dict:
    return {**DEFAULTS, **getattr(settings, "SPREADSHEET_LIMITS", {})}


def _refuse(message: str):
    raise ServiceError(message, "file")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _read_all(data_or_file) -> bytes:
    if isinstance(data_or_file, (bytes, bytearray)):
        return bytes(data_or_file)
    lim = limits()
    size = getattr(data_or_file, "size", None)
    if size is not None and size > lim["max_bytes"]:
        _too_big(size, lim)
    if hasattr(data_or_file, "seek"):
        data_or_file.seek(0)
    data = data_or_file.read(lim["max_bytes"] + 1)
    if hasattr(data_or_file, "seek"):
        data_or_file.seek(0)
    return data


def _too_big(size, lim):
    _refuse(f"文件过大（{size / MB:.1f} MB），上限为 {lim['max_bytes'] / MB:.0f} MB，请拆分后导入。")


def _count(buf: bytes, patterns) -> int:
    return sum(buf.count(p) for p in patterns)


def _scan_sheet(stream, name: str, lim: dict) -> None:
    rows = cells = max_col = last_row = 0
    tail = b""
    label = name.rsplit("/", 1)[-1]
    row_tags, cell_tags = ROW_TAGS, CELL_TAGS
    while chunk := stream.read(CHUNK):
        if not tail and b":worksheet" in chunk[:4096]:  # namespace-prefixed markup (<x:row>)
            row_tags, cell_tags = PREFIXED_ROW_TAGS, PREFIXED_CELL_TAGS
        buf = tail + chunk
        # occurrences lying wholly in the carried-over tail were counted with the previous chunk
        rows += _count(buf, row_tags) - _count(tail, row_tags)
        cells += _count(buf, cell_tags) - _count(tail, cell_tags)
        wide = set(WIDE_REF.findall(buf))
        if wide:
            max_col = max(max_col, *(_column_number(w) for w in wide))
        # rows come in ascending order: the chunk's last row tags hold its largest number
        numbers = ROW_NUMBER.findall(buf, max(0, len(buf) - 65536)) or ROW_NUMBER.findall(buf)
        if numbers:
            last_row = max(last_row, *map(int, numbers))
        if rows > lim["max_rows"]:
            _refuse(f"工作表 {label} 超过 {lim['max_rows']} 行，请拆分后导入。")
        if max_col > lim["max_columns"]:
            _refuse(f"工作表 {label} 超过 {lim['max_columns']} 列。")
        if cells > lim["max_cells"]:
            _refuse(f"工作表 {label} 单元格过多（超过 {lim['max_cells']} 个）。")
        # the extent (to the last row, at least 26 columns wide) is what a reader allocates
        if last_row > lim["max_rows"] + 1 or last_row * max(max_col, 26) > lim["max_cells"]:
            _refuse(f"工作表 {label} 的数据区域过大（延伸到第 {last_row} 行"
                    f"{f'、第 {max_col} 列' if max_col > 26 else ''}）：请删除表格下方和右侧多余的空行、空列"
                    f"（或把数据复制到新工作表）后再导入。")
        tail = buf[-OVERLAP:]


def check_xlsx(data: bytes) -> None:
    lim = limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse("无法读取 Excel 文件，请使用 .xlsx 格式。")
    with archive:
        infos = archive.infolist()
        if len(infos) > lim["max_entries"]:
            _refuse(f"Excel 文件结构异常（包含 {len(infos)} 个部件，上限 {lim['max_entries']}）。")
        total = sum(i.file_size for i in infos)
        if total > lim["max_uncompressed"]:
            _refuse(f"Excel 文件解压后过大（{total / MB:.0f} MB，上限 {lim['max_uncompressed'] / MB:.0f} MB）。")
        if total > MB and total > lim["max_ratio"] * max(len(data), 1):
            _refuse(f"Excel 文件压缩比异常（{total / max(len(data), 1):.0f} 倍，上限 {lim['max_ratio']} 倍），拒绝处理。")
        for info in infos:
            if info.file_size > lim["max_entry"]:
                _refuse(f"Excel 文件中的部件 {info.filename} 过大（{info.file_size / MB:.0f} MB）。")
            if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > lim["max_shared_strings"]:
                _refuse(f"Excel 文件的共享字符串表过大（{info.file_size / MB:.0f} MB，上限 "
                        f"{lim['max_shared_strings'] / MB:.0f} MB）。")
        sheets = [i for i in infos if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
        if not sheets:
            _refuse("无法读取 Excel 文件：没有工作表。")
        try:
            for info in sheets:
                with archive.open(info) as stream:
                    _scan_sheet(stream, info.filename, lim)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            _refuse("Excel 文件已损坏，无法读取。")


def check_csv(data: bytes) -> None:
    lim = limits()
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines > lim["max_rows"] + 1:
        _refuse(f"文件超过 {lim['max_rows']} 行，请拆分后导入。")


#: the last files that passed ``check_spreadsheet`` — (SHA-256 of the bytes, kind, limits) — so the
#: same upload checked by the page's form, again by its dry run's parse and by the real run's form
#: is scanned once: the verdict is a function of exactly these (a refusal is not remembered)
_PASSED: "collections.OrderedDict[tuple, None]" = collections.OrderedDict()
_PASSED_KEEP = 8
_PASSED_LOCK = threading.Lock()


def check_spreadsheet(data_or_file, name: str = "") -> bytes:
    """Refuse (ServiceError on ``file``) a spreadsheet over the limits; return its bytes."""
    lim = limits()
    data = _read_all(data_or_file)
    if len(data) > lim["max_bytes"]:
        _too_big(len(data), lim)
    name = (name or getattr(data_or_file, "name", "") or "").lower()
    if name.endswith(".csv"):
        kind, check = "csv", check_csv
    elif data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        kind, check = "xlsx", check_xlsx
    else:
        return data
    key = (hashlib.sha256(data).digest(), kind, tuple(sorted(lim.items())))
    with _PASSED_LOCK:
        if key in _PASSED:
            _PASSED.move_to_end(key)
            return data
    check(data)
    with _PASSED_LOCK:
        _PASSED[key] = None
        while len(_PASSED) > _PASSED_KEEP:
            _PASSED.popitem(last=False)
    return data


def validate_spreadsheet(upload) -> None:
    """Form-field validator: ``forms.FileField(validators=[validate_spreadsheet])``."""
    from django.core.exceptions import ValidationError

    if upload is None:
        return
    try:
        check_spreadsheet(upload, getattr(upload, "name", ""))
    except ServiceError as exc:
        raise ValidationError(exc.message, code="spreadsheet_limits") from None
