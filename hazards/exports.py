"""Streaming exports: any queryset + a list of columns → xlsx (constant memory) or CSV.

``write_xlsx(rows, columns, path)`` / ``write_csv(rows, columns, path)`` take an iterable of
objects and ``Column``s; memory does not grow with the number of rows (xlsxwriter's
``constant_memory`` mode flushes each row to disk; the queryset is read with ``iterator``).
User text is written as text, never as a formula, with characters that XML 1.0 forbids removed
(``clean_cell``). ``ledger_columns()`` is the hazard ledger's layout; the shared list layer can
call ``export_queryset`` with its own filtered queryset and columns."""

import csv
import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import xlsxwriter
from django.utils import timezone

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# A CSV cell starting with one of these is read as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable  # obj -> str | int | float | date | None
    width: int = 14


def clean_cell(value):
    """A value safe to put in a cell: control characters removed from text, dates as dates."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    return value


def _csv_cell(value) -> str:
    value = clean_cell(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_xlsx(rows: Iterable, columns: list[Column], path, *, sheet: str = "Sheet1", progress=None,
               every: int = 2000) -> int:
    """Write rows to an xlsx file at ``path`` in constant memory; returns the row count."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False})
    ws = wb.add_worksheet(sheet)
    bold = wb.add_format({"bold": True})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    quoted = wb.add_format({"quote_prefix": True})  # text that looks like a formula stays text when edited (OWASP)
    for c, col in enumerate(columns):
        ws.set_column(c, c, col.width)
        ws.write_string(0, c, col.header, bold)
    count = 0
    for count, obj in enumerate(rows, start=1):
        for c, col in enumerate(columns):
            value = clean_cell(col.value(obj))
            if isinstance(value, datetime.datetime):
                ws.write_string(count, c, timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
                                if timezone.is_aware(value) else value.isoformat(" "))
            elif isinstance(value, datetime.date):
                ws.write_datetime(count, c, datetime.datetime.combine(value, datetime.time()), date_fmt)
            elif isinstance(value, bool):
                ws.write_boolean(count, c, value)
            elif isinstance(value, int | float):
                ws.write_number(count, c, value)
            else:
                text = str(value)
                if text.startswith(_FORMULA_START):
                    ws.write_string(count, c, text, quoted)
                else:
                    ws.write_string(count, c, text)
        if progress and count % every == 0:
            progress(count)
    wb.close()
    return count


def write_csv(rows: Iterable, columns: list[Column], path, *, progress=None, every: int = 2000) -> int:
    """UTF-8 CSV with a BOM (so Excel opens Chinese text correctly); returns the row count."""
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow([c.header for c in columns])
        for count, obj in enumerate(rows, start=1):
            out.writerow([_csv_cell(c.value(obj)) for c in columns])
            if progress and count % every == 0:
                progress(count)
    return count


def export_queryset(queryset, columns: list[Column], path, fmt: str = "xlsx", *, sheet: str = "Sheet1",
                    progress=None, chunk_size: int = 2000) -> int:
    rows = queryset.iterator(chunk_size=chunk_size)
    if fmt == "csv":
        return write_csv(rows, columns, path, progress=progress)
    return write_xlsx(rows, columns, path, sheet=sheet, progress=progress)


def ledger_columns(today: datetime.date | None = None) -> list[Column]:
    today = today or timezone.localdate()
    return [
        Column("隐患编号", lambda h: h.number, 20),
        Column("生产经营单位", lambda h: h.enterprise.name, 28),
        Column("统一社会信用代码", lambda h: h.enterprise.credit_code, 20),
        Column("行业领域", lambda h: h.sector.name),
        Column("隐患等级", lambda h: h.get_grade_display(), 10),
        Column("隐患描述", lambda h: h.description, 40),
        Column("隐患部位", lambda h: h.location),
        Column("发现渠道", lambda h: h.get_channel_display()),
        Column("发现日期", lambda h: h.found_on, 12),
        Column("整改期限", lambda h: h.deadline, 12),
        Column("原定整改期限", lambda h: h.original_deadline, 12),
        Column("状态", lambda h: h.get_status_display(), 10),
        Column("是否逾期", lambda h: "是" if h.is_overdue(today) else "否", 8),
        Column("整改责任人", lambda h: h.responsible_person),
        Column("判定依据条款编码", lambda h: h.basis_item.code if h.basis_item_id else ""),
        Column("判定理由", lambda h: h.basis_reason, 30),
        Column("县级代码", lambda h: h.county_code),
        Column("乡级代码", lambda h: h.township_code),
        Column("销号时间", lambda h: h.closed_at, 16),
    ]


HEADERS = [c.header for c in ledger_columns(datetime.date(2000, 1, 1))]


def ledger_queryset_for_export(queryset):
    return queryset.select_related("enterprise", "sector", "basis_item")


def ledger_workbook(queryset) -> tuple[bytes, int]:
    """The filtered ledger as xlsx bytes, written by the same streaming writer as the export job
    (used by the API's synchronous export; the page's export runs as a job)."""
    import os
    import tempfile

    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        count = export_queryset(ledger_queryset_for_export(queryset), ledger_columns(), path, "xlsx", sheet="隐患台账")
        with open(path, "rb") as f:
            return f.read(), count
    finally:
        os.unlink(path)
