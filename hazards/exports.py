"""Streaming exports: any queryset + a list of columns → xlsx (constant memory) or CSV.

``write_xlsx(rows, columns, path)`` / ``write_csv(rows, columns, path)`` take an iterable of
objects and ``Column``s; memory does not grow with the number of rows (xlsxwriter's
``constant_memory`` mode flushes each row to disk; the queryset is read with ``iterator``).
User text is written as text, never as a formula, with characters that XML 1.0 forbids removed
(``clean_cell``). A column may declare its ``kind`` (text, date, datetime) so that each cell is
written without testing its type; ``auto`` (the default) tests it.

The hazard ledger (``export_ledger``) does not build model objects: it streams plain tuples from
one ``values_list`` query (the enterprise's name and credit code and the basis item's code come
from the same joined query) and turns codes into labels (status, grade, channel, sector) with
dicts prepared once per export — the same cells as the objects' ``get_*_display`` would give."""

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

AUTO, TEXT, DATE, DATETIME = "auto", "text", "date", "datetime"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable  # obj -> str | int | float | date | None
    width: int = 14
    kind: str = AUTO  # TEXT: str or None; DATE: date or None; DATETIME: datetime or None


def clean_cell(value):
    """A value safe to put in a cell: control characters removed from text, dates as dates."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    return value


def _datetime_text(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.isoformat(" ")


def _csv_cell(value) -> str:
    value = clean_cell(value)
    if isinstance(value, datetime.datetime):
        return _datetime_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_text(value) -> str:
    if value is None:
        return ""
    if value.__class__ is not str:
        return _csv_cell(value)
    value = _ILLEGAL.sub("", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_date(value) -> str:
    return "" if value is None else _csv_cell(value)


_CSV_CELL = {AUTO: _csv_cell, TEXT: _csv_text, DATE: _csv_date, DATETIME: _csv_date}


def _xlsx_writers(ws, kinds, date_fmt, quoted):
    """One function per column (row, col, value) that writes a value of that column's kind."""
    write_string, write_datetime = ws.write_string, ws.write_datetime
    combine, midnight = datetime.datetime.combine, datetime.time()

    def auto(r, c, value):
        value = clean_cell(value)
        if isinstance(value, datetime.datetime):
            write_string(r, c, _datetime_text(value))
        elif isinstance(value, datetime.date):
            write_datetime(r, c, combine(value, midnight), date_fmt)
        elif isinstance(value, bool):
            ws.write_boolean(r, c, value)
        elif isinstance(value, int | float):
            ws.write_number(r, c, value)
        else:
            text = str(value)
            if text.startswith(_FORMULA_START):
                write_string(r, c, text, quoted)
            else:
                write_string(r, c, text)

    def text(r, c, value):
        if value is None:
            write_string(r, c, "")
        elif value.__class__ is not str:
            auto(r, c, value)
        else:
            value = _ILLEGAL.sub("", value)
            if value.startswith(_FORMULA_START):
                write_string(r, c, value, quoted)
            else:
                write_string(r, c, value)

    def date(r, c, value):
        if value is None:
            write_string(r, c, "")
        elif value.__class__ is datetime.date:
            write_datetime(r, c, combine(value, midnight), date_fmt)
        else:
            auto(r, c, value)

    def datetime_(r, c, value):
        if value is None:
            write_string(r, c, "")
        else:
            auto(r, c, value)

    by_kind = {AUTO: auto, TEXT: text, DATE: date, DATETIME: datetime_}
    return [by_kind[k] for k in kinds]


def write_xlsx_tuples(rows: Iterable[tuple], columns: list[Column], path, *, sheet: str = "Sheet1", progress=None,
                      every: int = 2000) -> int:
    """Write rows given as tuples of cell values (one per column, ``Column.value`` unused) to an
    xlsx file at ``path`` in constant memory; returns the row count."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False})
    ws = wb.add_worksheet(sheet)
    bold = wb.add_format({"bold": True})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    quoted = wb.add_format({"quote_prefix": True})  # text that looks like a formula stays text when edited (OWASP)
    for c, col in enumerate(columns):
        ws.set_column(c, c, col.width)
        ws.write_string(0, c, col.header, bold)
    writers = list(enumerate(_xlsx_writers(ws, [col.kind for col in columns], date_fmt, quoted)))
    count = 0
    for count, row in enumerate(rows, start=1):
        for c, write in writers:
            write(count, c, row[c])
        if progress and count % every == 0:
            progress(count)
    wb.close()
    return count


def write_csv_tuples(rows: Iterable[tuple], columns: list[Column], path, *, progress=None, every: int = 2000) -> int:
    """UTF-8 CSV with a BOM (so Excel opens Chinese text correctly) from rows given as tuples;
    returns the row count."""
    cells = [_CSV_CELL[col.kind] for col in columns]
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow([c.header for c in columns])
        for count, row in enumerate(rows, start=1):
            out.writerow([cell(value) for cell, value in zip(cells, row, strict=True)])
            if progress and count % every == 0:
                progress(count)
    return count


def _as_tuples(rows: Iterable, columns: list[Column]):
    getters = [c.value for c in columns]
    for obj in rows:
        yield tuple(get(obj) for get in getters)


def write_xlsx(rows: Iterable, columns: list[Column], path, *, sheet: str = "Sheet1", progress=None,
               every: int = 2000) -> int:
    """Write objects to an xlsx file at ``path`` in constant memory (one cell per ``Column.value``);
    returns the row count."""
    return write_xlsx_tuples(_as_tuples(rows, columns), columns, path, sheet=sheet, progress=progress, every=every)


def write_csv(rows: Iterable, columns: list[Column], path, *, progress=None, every: int = 2000) -> int:
    """UTF-8 CSV with a BOM (so Excel opens Chinese text correctly); returns the row count."""
    return write_csv_tuples(_as_tuples(rows, columns), columns, path, progress=progress, every=every)


def export_queryset(queryset, columns: list[Column], path, fmt: str = "xlsx", *, sheet: str = "Sheet1",
                    progress=None, chunk_size: int = 2000) -> int:
    rows = queryset.iterator(chunk_size=chunk_size)
    if fmt == "csv":
        return write_csv(rows, columns, path, progress=progress)
    return write_xlsx(rows, columns, path, sheet=sheet, progress=progress)


# ---------------------------------------------------------------- the hazard ledger

LEDGER_COLUMNS = [
    Column("隐患编号", None, 20, TEXT),
    Column("生产经营单位", None, 28, TEXT),
    Column("统一社会信用代码", None, 20, TEXT),
    Column("行业领域", None, 14, TEXT),
    Column("隐患等级", None, 10, TEXT),
    Column("隐患描述", None, 40, TEXT),
    Column("隐患部位", None, 14, TEXT),
    Column("发现渠道", None, 14, TEXT),
    Column("发现日期", None, 12, DATE),
    Column("整改期限", None, 12, DATE),
    Column("原定整改期限", None, 12, DATE),
    Column("状态", None, 10, TEXT),
    Column("是否逾期", None, 8, TEXT),
    Column("整改责任人", None, 14, TEXT),
    Column("判定依据条款编码", None, 14, TEXT),
    Column("判定理由", None, 30, TEXT),
    Column("县级代码", None, 14, TEXT),
    Column("乡级代码", None, 14, TEXT),
    Column("销号时间", None, 16, DATETIME),
]
HEADERS = [c.header for c in LEDGER_COLUMNS]
_LEDGER_FIELDS = ("pk", "county_code", "enterprise__name", "enterprise__credit_code", "sector_id", "grade",
                  "description", "location", "channel", "found_on", "deadline", "original_deadline", "status",
                  "responsible_person", "basis_item__code", "basis_reason", "township_code", "closed_at")


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def ledger_rows(queryset, today: datetime.date | None = None, *, chunk_size: int = 2000):
    """The ledger's cells, one tuple per hazard of ``queryset`` (in its order), streamed from one
    query without model objects; labels come from dicts prepared once."""
    from accounts.models import Sector

    from . import workflow
    from .models import Hazard

    today = today or timezone.localdate()
    grades, channels, statuses = (_labels(Hazard.Grade.choices), _labels(Hazard.Channel.choices),
                                  _labels(Hazard.Status.choices))
    sectors = dict(Sector.objects.values_list("pk", "name"))
    open_states = frozenset(workflow.OPEN_STATES)
    rows = queryset.values_list(*_LEDGER_FIELDS).iterator(chunk_size=chunk_size)
    for (pk, county, name, credit, sector, grade, description, location, channel, found_on, deadline,
         original, status, person, basis, reason, township, closed_at) in rows:
        overdue = status in open_states and deadline is not None and deadline < today
        yield (f"YH{county or '000000'}-{pk or 0:07d}", name, credit, sectors.get(sector), grades.get(grade, grade),
               description, location, channels.get(channel, channel), found_on, deadline, original,
               statuses.get(status, status), "是" if overdue else "否", person, basis or "", reason, county,
               township, closed_at)


def export_ledger(queryset, path, fmt: str = "xlsx", *, sheet: str = "隐患台账", progress=None,
                  today: datetime.date | None = None) -> int:
    """The filtered ledger to ``path`` as xlsx or CSV, streamed; returns the row count."""
    rows = ledger_rows(queryset, today)
    if fmt == "csv":
        return write_csv_tuples(rows, LEDGER_COLUMNS, path, progress=progress)
    return write_xlsx_tuples(rows, LEDGER_COLUMNS, path, sheet=sheet, progress=progress)


def ledger_workbook(queryset) -> tuple[bytes, int]:
    """The filtered ledger as xlsx bytes, written by the same streaming writer as the export job
    (used by the API's synchronous export; the page's export runs as a job)."""
    import os
    import tempfile

    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        count = export_ledger(queryset, path, "xlsx")
        with open(path, "rb") as f:
            return f.read(), count
    finally:
        os.unlink(path)
