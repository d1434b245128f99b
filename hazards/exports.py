"""Streaming exports: any queryset + a list of columns → xlsx (constant memory) or CSV.

``write_xlsx(rows, columns, path)`` / ``write_csv(rows, columns, path)`` take an iterable of
objects and ``Column``s; memory does not grow with the number of rows (``hazards.xlsx_stream``
writes each row straight into the zip stream; the queryset is read with ``iterator``).
User text is written as text, never as a formula, with characters that XML 1.0 forbids removed
(``clean_cell``). A column may declare its ``kind`` (text, date, datetime) so that each cell is
written without testing its type; ``auto`` (the default) tests it.

The hazard ledger (``export_ledger``) does not build model objects: it streams plain tuples from
one ``values_list`` query (the enterprise's name and credit code and the basis item's code come
from the same joined query) and turns codes into labels (status, grade, channel, sector) with
dicts prepared once per export — the same cells as the objects' ``get_*_display`` would give."""

import csv
import datetime
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from core.xlsx import CSV_TEXT_MARK, FORMULA_TRIGGERS, csv_digits

from . import xlsx_stream

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# A CSV cell starting with one of these is read as a formula by spreadsheet programs (the
# full-width forms too: an input method types them, and Excel treats ＝ as =); such a cell is
# written with a leading "'", which the enterprise import removes again (``unquote_csv``). A text
# cell of digits that Excel would turn into a number and change (0123, a phone number, an all-digit
# credit code: ``core.xlsx.csv_digits``) is written after a tab, which keeps it text; the import
# removes that too.
_FORMULA_START = FORMULA_TRIGGERS

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


def _local_minute(value: datetime.datetime, tz=None) -> datetime.datetime:
    """Naive local time to the minute, as the pages show it: an aware value in ``tz`` (the
    current time zone, Asia/Shanghai), a naive one taken as local time already."""
    if value.tzinfo is not None and value.utcoffset() is not None:
        value = value.astimezone(tz or timezone.get_current_timezone()).replace(tzinfo=None)
    return value.replace(second=0, microsecond=0)


def _datetime_text(value: datetime.datetime, tz=None) -> str:
    """Local time to the minute (``2026-05-01 23:30``)."""
    return _local_minute(value, tz).isoformat(" ", "minutes")


def _csv_cell(value) -> str:
    value = clean_cell(value)
    if isinstance(value, datetime.datetime):
        return _datetime_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return _csv_str(value)
    text = str(value)  # a number stays a number
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_str(text: str) -> str:
    """Cleaned text as a CSV cell: quoted if it starts like a formula, marked if Excel would make a number of it."""
    if text.startswith(_FORMULA_START):
        return "'" + text
    return CSV_TEXT_MARK + text if csv_digits(text) else text


def _csv_text(value) -> str:
    if value is None:
        return ""
    if value.__class__ is not str:
        return _csv_cell(value)
    return _csv_str(_ILLEGAL.sub("", value))


def _csv_date(value) -> str:
    return "" if value is None else _csv_cell(value)


_CSV_CELL = {AUTO: _csv_cell, TEXT: _csv_text, DATE: _csv_date, DATETIME: _csv_date}


def _xlsx_auto(ref: str, row: str, value) -> str:
    if isinstance(value, datetime.datetime):
        value = _local_minute(value)
    return xlsx_stream.auto_cell(ref, row, value)


def _xlsx_datetime(tz):
    """A date-time cell (``yyyy-mm-dd hh:mm``, local time to the minute) that Excel sorts and
    filters as a date-time."""
    def cell(ref: str, row: str, value) -> str:
        if value is None:
            return ""
        return xlsx_stream.auto_cell(ref, row, _local_minute(value, tz) if isinstance(value, datetime.datetime) else value)
    return cell


_XLSX_CELL = {AUTO: _xlsx_auto, TEXT: xlsx_stream.TEXT, DATE: xlsx_stream.DATE}


def write_xlsx_tuples(rows: Iterable[tuple], columns: list[Column], path, *, sheet: str = "Sheet1", progress=None,
                      every: int = 2000) -> int:
    """Write rows given as tuples of cell values (one per column, ``Column.value`` unused) to an
    xlsx file at ``path`` in constant memory (``hazards.xlsx_stream``); returns the row count."""
    tz = timezone.get_current_timezone()
    cells = [_xlsx_datetime(tz) if c.kind == DATETIME else _XLSX_CELL[c.kind] for c in columns]
    return xlsx_stream.write_rows(path, [c.header for c in columns], [c.width for c in columns], cells, rows,
                                  sheet=sheet, progress=progress, every=every)


# Anything in a row's text that the fast path must not pass on: XML-illegal/control characters
# (removed) or a cell starting like a formula (quoted). Cells are joined by "\n" after a leading
# "\n", so a cell start is "\n" + its first character (a line break inside a cell followed by
# "=" is a false alarm: that row merely takes the slow path).
_CSV_SLOW = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]|\n[" + re.escape("".join(FORMULA_TRIGGERS)) + "]")
# A cell that may be a zero-led or long number (``csv_digits``: written after a tab) — an all-digit
# credit code, a phone number. Such a row stays on the fast path; only its text cells are checked
# one by one (``_csv_marked``; a false alarm, "多行\n0123", is checked and left as it is).
_CSV_DIGITS = re.compile(r"\n(?:0[0-9]+|[0-9]{11,})(?=\n|\Z)")


def _csv_marked(value):
    """A text cell the fast path passes on (clean, no formula start): after a tab if Excel would
    change it (``csv_digits``), else as it is."""
    return CSV_TEXT_MARK + value if value is not None and csv_digits(value) else value


def _csv_row_function(kinds: list[str]):
    """A function: a row tuple → the row the csv module writes. The usual row (text columns hold
    str or None, date columns date or None, nothing to clean or quote anywhere) is passed on
    almost as is — the csv module writes None as "" and a date as its ISO text, exactly what
    ``_csv_text``/``_csv_date`` give — after one regex search over the row's text (and a second
    for long or zero-led numbers: a row with one has only its text cells checked for the tab mark);
    any other row goes cell by cell through ``_CSV_CELL``. Generated (as ``collections.namedtuple`` is) so
    that the usual row costs no Python call per cell."""
    tz = timezone.get_current_timezone()
    env = {"_str": str, "_date": datetime.date, "_dt": datetime.datetime, "_slow": _CSV_SLOW.search,
           "_digits": _CSV_DIGITS.search, "_m": _csv_marked, "_dtt": lambda value: _datetime_text(value, tz)}
    names = [f"v{i}" for i in range(len(kinds))]
    guards, fast, marked, slow, probe = [], [], [], [], []
    for i, (v, kind) in enumerate(zip(names, kinds, strict=True)):
        env[f"_c{i}"] = _CSV_CELL[kind]
        slow.append(f"_c{i}({v})")
        if kind == TEXT:
            guards.append(f"({v} is None or {v}.__class__ is _str)")
            probe.append(f"{{{v}}}")
            fast.append(v)
            marked.append(f"_m({v})")
        elif kind == DATE:
            guards.append(f"({v} is None or {v}.__class__ is _date)")
            fast.append(v)
            marked.append(v)
        elif kind == DATETIME:
            guards.append(f"({v} is None or {v}.__class__ is _dt)")
            fast.append(f"(None if {v} is None else _dtt({v}))")
            marked.append(fast[-1])
        else:
            fast.append(f"_c{i}({v})")
            marked.append(fast[-1])
    probe_text = "\\n" + "\\n".join(probe)
    condition = " and ".join([*guards, f'_slow(text := f"{probe_text}") is None'])
    one = "," if len(names) == 1 else ""
    source = "\n".join([
        "def _row(row):",
        f"    {', '.join(names)}{one} = row",
        f"    if {condition}:",
        "        if _digits(text) is None:",
        f"            return ({', '.join(fast)}{one})",
        f"        return ({', '.join(marked)}{one})",
        f"    return ({', '.join(slow)}{one})",
    ])
    exec(source, env)  # noqa: S102 - source built above from constants only
    return env["_row"]


def write_csv_tuples(rows: Iterable[tuple], columns: list[Column], path, *, progress=None, every: int = 2000) -> int:
    """UTF-8 CSV with a BOM (so Excel opens Chinese text correctly) from rows given as tuples;
    returns the row count."""
    make_row = _csv_row_function([col.kind for col in columns])
    count = 0
    rows = map(make_row, rows)
    with open(path, "w", encoding="utf-8-sig", newline="", buffering=1 << 20) as fh:
        out = csv.writer(fh)
        out.writerow([c.header for c in columns])
        while chunk := list(itertools.islice(rows, every)):
            out.writerows(chunk)
            count += len(chunk)
            if progress and len(chunk) == every:
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
    Column("隐患类别", None, 14, TEXT),
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
    Column("县（市、区）", None, 14, TEXT),
    Column("乡镇（街道）", None, 16, TEXT),
    Column("县级代码", None, 14, TEXT),
    Column("乡级代码", None, 14, TEXT),
    Column("销号时间", None, 16, DATETIME),
]
HEADERS = [c.header for c in LEDGER_COLUMNS]
_LEDGER_FIELDS = ("pk", "county_code", "enterprise__name", "enterprise__credit_code", "sector_id", "grade",
                  "category", "description", "location", "channel", "found_on", "deadline", "original_deadline", "status",
                  "responsible_person", "basis_item__code", "basis_reason", "township_code", "closed_at")


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def _raw_rows(values_qs, chunk_size: int):
    """The rows of a ``values_list`` queryset as the database driver returns them, read in chunks
    through Django's own chunked fetch (a server-side cursor on PostgreSQL, so memory stays flat),
    without ``apply_converters``' per-row Python work. The backend's converters still run for the
    cells that need them (SQLite: naive → aware datetimes); PostgreSQL's driver already returns
    dates and aware datetimes, so there nothing runs per cell."""
    from django.db import connections
    from django.db.models.sql.constants import MULTI

    compiler = values_qs.query.get_compiler(using=values_qs.db)
    batches = compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=chunk_size)
    converters = compiler.get_converters([s[0] for s in compiler.select[:compiler.col_count]]).items()
    if not converters:
        for batch in batches:
            yield from batch
        return
    connection, date = connections[values_qs.db], datetime.date
    for batch in batches:
        for row in batch:
            row = list(row)
            for pos, (funcs, expression) in converters:
                value = row[pos]
                if value is not None and value.__class__ is not date:  # dates are already dates
                    for func in funcs:
                        value = func(value, expression, connection)
                    row[pos] = value
            yield row


def _batches(rows, size: int):
    while batch := list(itertools.islice(rows, size)):
        yield batch


def ledger_rows(queryset, today: datetime.date | None = None, *, chunk_size: int = 5000, mask_tips: bool = False):
    """The ledger's cells, one tuple per hazard of ``queryset`` (in its order), streamed from one
    query without model objects; labels come from dicts prepared once, region names (county,
    township: the codes' names, beside the codes) from one query per ``chunk_size`` rows for the
    codes not seen before. ``mask_tips``: for a reader outside government, a tip's 举报核实 reads
    部门检查 (hazards.disclosure)."""
    from accounts.models import Sector
    from core.bulk import where_in
    from regions.models import Region

    from . import workflow
    from .models import Hazard

    today = today or timezone.localdate()
    grades, categories, channels, statuses = (_labels(Hazard.Grade.choices), _labels(Hazard.Category.choices),
                                              _labels(Hazard.Channel.choices), _labels(Hazard.Status.choices))
    if mask_tips:
        from .disclosure import SHOWN_AS, TIP

        channels[TIP] = channels[SHOWN_AS]
    sectors = dict(Sector.objects.values_list("pk", "name"))
    open_states = frozenset(workflow.OPEN_STATES)
    regions: dict = {None: "", "": ""}  # code → name; a code with no region (none loaded) has no name
    for batch in _batches(_raw_rows(queryset.values_list(*_LEDGER_FIELDS), chunk_size), chunk_size):
        unseen = ({row[1] for row in batch} | {row[17] for row in batch}) - regions.keys()
        if unseen:
            for qs in where_in(Region.objects.all(), "code", unseen):
                regions.update(qs.values_list("code", "name"))
            regions.update((code, "") for code in unseen - regions.keys())
        for (pk, county, name, credit, sector, grade, category, description, location, channel, found_on, deadline,
             original, status, person, basis, reason, township, closed_at) in batch:
            overdue = status in open_states and deadline is not None and deadline < today
            yield (f"YH{county or '000000'}-{pk or 0:07d}", name, credit, sectors.get(sector), grades.get(grade, grade),
                   categories.get(category, category), description, location, channels.get(channel, channel), found_on, deadline, original,
                   statuses.get(status, status), "是" if overdue else "否", person, basis or "", reason,
                   regions[county], regions[township], county, township, closed_at)


def export_ledger(queryset, path, fmt: str = "xlsx", *, sheet: str = "隐患台账", progress=None,
                  today: datetime.date | None = None, mask_tips: bool = False) -> int:
    """The filtered ledger to ``path`` as xlsx or CSV, streamed; returns the row count."""
    rows = ledger_rows(queryset, today, mask_tips=mask_tips)
    if fmt == "csv":
        return write_csv_tuples(rows, LEDGER_COLUMNS, path, progress=progress)
    return write_xlsx_tuples(rows, LEDGER_COLUMNS, path, sheet=sheet, progress=progress)


def ledger_workbook(queryset, *, mask_tips: bool = False) -> tuple[bytes, int]:
    """The filtered ledger as xlsx bytes, written by the same streaming writer as the export job
    (used by the API's synchronous export; the page's export runs as a job)."""
    import os
    import tempfile

    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        count = export_ledger(queryset, path, "xlsx", mask_tips=mask_tips)
        with open(path, "rb") as f:
            return f.read(), count
    finally:
        os.unlink(path)
