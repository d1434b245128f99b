"""Importing an existing hazard ledger from xlsx (regulators bringing in their old ledgers).

The sheet is read by calamine (Rust, one pass; openpyxl's reader is kept as the tests' reference).
Every row is validated by ``services.build_hazard`` — the same checks as registering one hazard
on the page — and every problem is reported as ``{"row": 5, "column": "隐患等级", "reason": "…"}``.
A dry run, or a file with any bad row, writes nothing. Otherwise the hazards, their sources and
their events (registered, and close_now for 已销号 rows) are written inside one transaction, all or
nothing: on PostgreSQL streamed into COPY as they are built (``services.register_stream``),
elsewhere in batches (``services.register_many``); the search index's pending entries are merged
after the commit. Enterprise, sector, item and scope look-ups are read once per file."""

import datetime
import functools
import io
import logging
import re
import unicodedata
import zipfile

from django.db import connection, transaction
from django.utils import timezone
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG, FORMULA_TAG, INLINE_STRING, WorkSheetParser
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import SHEET_MAIN_NS
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

from accounts.models import Sector
from accounts.permissions import actor_org
from core.bulk import QueryDuringCopy, commit_without_waiting_for_disk, where_in
from core.intake import NO_DATA_ROWS, check_spreadsheet
from core.models import REGION_LEVELS
from core.services import NotPermitted, ServiceError
from core.text import clean_cell
from enterprises.models import Enterprise
from enterprises.validators import normalise_credit_code
from regions.models import Region

from . import import_records, services, tallies
from .acting import CROSS_CUTTING_SECTORS
from .models import Hazard
from .parsed_rows import read_rows
from .search import merge_pending

MAX_ROWS = 5000
UNREADABLE = "无法读取 Excel 文件，请使用 .xlsx 格式。"
REQUIRED = ["统一社会信用代码", "隐患描述", "隐患等级", "行业领域"]
COLUMNS = REQUIRED + ["隐患类别", "发现渠道", "发现日期", "整改期限", "判定依据条款编码", "判定理由", "状态", "整改责任人",
                      "责任人电话", "隐患部位", "整改情况"]
FIELD_COLUMN = {"enterprise": "统一社会信用代码", "description": "隐患描述", "grade": "隐患等级", "sector": "行业领域",
                "category": "隐患类别", "channel": "发现渠道", "found_on": "发现日期", "deadline": "整改期限",
                "basis_item": "判定依据条款编码",
                "basis_reason": "判定理由", "evidence_note": "整改情况", "location": "隐患部位",
                "responsible_person": "整改责任人", "responsible_phone": "责任人电话", "status": "状态", None: "—"}
GRADES = {label: value for value, label in Hazard.Grade.choices} | {"重大隐患": "major", "一般隐患": "general"}
CHANNELS = {label: value for value, label in Hazard.Channel.choices}
#: 隐患类别 by its name (the ledger export writes the names, 未注明 included); an empty cell is 未注明 —
#: an old ledger without the column is not given a class nobody chose
CATEGORIES = {label: value for value, label in Hazard.Category.choices}
CATEGORY_REASON = "应为“人的不安全行为”“物的不安全状态”“管理缺陷”之一（不清楚可留空，记为“未注明”）。"
STATUSES = {"已登记": "registered", "": "registered", "已销号": "closed"}
log = logging.getLogger("qingling.hazards")


def _text(value) -> str:
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        value = value.date()  # a date-formatted cell: a date, whichever reader read it
    return str(value).strip()


def _credit_code(value) -> str:
    """A credit code as typed: full-width characters folded (ＮＦＫＣ), inner spaces dropped,
    upper-cased — as the enterprise import normalises it."""
    return _normal_code(_text(value))


@functools.lru_cache(maxsize=1 << 14)
def _normal_code(text: str) -> str:  # a file names a few hundred units thousands of times
    return normalise_credit_code(unicodedata.normalize("NFKC", text))


#: the spellings of a date typed as text: year first, always four digits, month and day of one or two
#: digits — 2026-05-01, 2026-5-1, 2026/5/1, 2026.5.1 (one separator throughout), 2026年5月1日 — and
#: 20260501. Anything else (5/1/2026, 1/5/2026, 26-5-1: which is the day?) is refused, naming these.
_DATE_TEXT = re.compile(r"(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))")
DATE_REASON = "日期格式应为 YYYY-MM-DD（也可写作 2026-5-1、2026/5/1、2026.5.1、2026年5月1日 或 20260501）。"
#: Excel's built-in East Asian date formats (numFmtId 27–36, 50–58: 2026年5月1日, 5月1日 …, the
#: default of a date typed in a Chinese Excel) carry no format code in the file; calamine reads them as
#: dates, openpyxl (which knows only the Western built-ins) as bare serial numbers — ``open_workbook``
#: adds them to openpyxl's date styles so that both readers give the import the same date.
CJK_DATE_FORMAT_IDS = frozenset(range(27, 37)) | frozenset(range(50, 59))


def _date(value, column, errors, row):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    day = _date_text(_text(value))
    if day is None:
        errors.append({"row": row, "column": column, "reason": DATE_REASON})
    return day


@functools.lru_cache(maxsize=1 << 12)
def _date_text(text: str) -> datetime.date | None:
    """The date a text spells (``_DATE_TEXT``), else None; a ledger repeats a few hundred dates."""
    if not text.isascii():  # full-width digits and separators (２０２６／５／１) as typed by an input method
        text = unicodedata.normalize("NFKC", text)
    match = _DATE_TEXT.fullmatch(text)
    if match is not None:
        year, _, *parts = match.groups()
        month, day = (int(p) for p in parts if p is not None)
        try:
            return datetime.date(int(year), month, day)
        except ValueError:
            pass
    return None


_T = f"{{{SHEET_MAIN_NS}}}t"
_R = f"{{{SHEET_MAIN_NS}}}r"


class _Parser(WorkSheetParser):
    """openpyxl's sheet parser with a direct reading of inline strings (``<c t="inlineStr"><is>``,
    what openpyxl's write-only mode and many generators write): the text of ``is/t`` followed by
    the text of each run ``is/r/t`` — what ``Text.from_tree(is).content`` returns, without building
    its descriptor objects for every cell. Every other cell goes through openpyxl unchanged."""

    def parse_cell(self, element):
        if element.get("t") != "inlineStr" or (not self.data_only and element.find(FORMULA_TAG) is not None):
            return super().parse_cell(element)
        coordinate = element.get("r")
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        style_id = element.get("s", 0)
        if style_id:
            style_id = int(style_id)
        value, data_type = None, "inlineStr"
        child = element.find(INLINE_STRING)
        if child is not None:
            data_type = "s"
            plain = child.find(_T)
            parts = [plain.text] if plain is not None and plain.text is not None else []
            for run in child.iterfind(_R):
                t = run.find(_T)
                if t is not None and t.text is not None:
                    parts.append(t.text)
            value = "".join(parts)
        return {"row": row, "column": column, "value": value, "data_type": data_type, "style_id": style_id}


class _Sheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, opened without a second pass over the data: when a sheet has no
    ``<dimension>`` (files written by openpyxl's write-only mode and other generators), openpyxl's
    size check reads the whole sheet looking for it, because it waits for the *end* of
    ``sheetData``. The dimension, when present, comes before ``sheetData`` starts, so stopping at
    its start gives the same answer after reading only the sheet's head."""

    def _get_size(self):
        from openpyxl.xml.functions import iterparse  # defusedxml when installed (it is), as openpyxl parses

        src = self._get_source()
        try:
            for _event, element in iterparse(src, events=("start",)):
                if element.tag == DIMENSION_TAG:
                    boundaries = SheetDimension.from_tree(element).boundaries
                    if boundaries is not None:
                        self._min_column, self._min_row, self._max_column, self._max_row = boundaries
                    return
                if element.tag == DATA_TAG:
                    return
        finally:
            src.close()

    def _cells_by_row(self, min_col, min_row, max_col, max_row, values_only=False):
        """ReadOnlyWorksheet._cells_by_row with ``_Parser`` (openpyxl 3.1)."""
        filler = None if values_only else EMPTY_CELL
        max_col = max_col or self.max_column
        max_row = max_row or self.max_row
        empty_row = (filler,) * (max_col + 1 - min_col) if max_col is not None else []
        counter = min_row
        idx = 1
        with self._get_source() as src:
            parser = _Parser(src, self._shared_strings, data_only=self.parent.data_only, epoch=self.parent.epoch,
                             date_formats=self.parent._date_formats, timedelta_formats=self.parent._timedelta_formats)
            for idx, row in parser.parse():
                if max_row is not None and idx > max_row:
                    break
                for _ in range(counter, idx):  # rows missing from the file
                    counter += 1
                    yield empty_row
                if counter <= idx:
                    yield self._get_row(row, min_col, max_col, values_only)
                    counter += 1
        if max_row is not None and max_row < idx:
            for _ in range(counter, max_row + 1):
                yield empty_row


class _Reader(ExcelReader):
    """``load_workbook(read_only=True)`` with ``_Sheet`` worksheets (chart sheets skipped)."""

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            ws = _Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)


def open_workbook(data: bytes):
    """The workbook read-only (values as stored, formulas' cached results); streaming rows. Cells
    styled with a built-in East Asian date format are read as dates (``CJK_DATE_FORMAT_IDS``)."""
    reader = _Reader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read()
    wb = reader.wb
    wb._date_formats = set(wb._date_formats) | {
        i for i, style in enumerate(wb._cell_styles) if style.numFmtId in CJK_DATE_FORMAT_IDS}
    return wb


def _header(values) -> list[str]:
    """A header row as the import reads it: each cell's text without any white space (``状态\n（…）``,
    ``整改期限 (YYYY-MM-DD)``), up to a bracket (``行业领域（名称）``)."""
    return ["".join(_text(v).split()).replace("(", "（").replace(")", "）").split("（")[0] for v in values]


def _is_ledger(first_row) -> bool:
    return first_row is not None and all(c in _header(first_row) for c in REQUIRED)


def _openpyxl_values(data: bytes):
    """(rows as value tuples, number of worksheets) through openpyxl (read-only) — of the first
    worksheet whose first row is the ledger's header, else of the first worksheet: the reference
    the calamine reader is tested against, and the bench's floor."""
    try:
        wb = open_workbook(data)
        sheets = wb.worksheets
        for ws in sheets:
            if _is_ledger(next(ws.iter_rows(max_row=1, values_only=True), None)):
                return ws.iter_rows(values_only=True), len(sheets)
        return sheets[0].iter_rows(values_only=True), len(sheets)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError):
        raise ServiceError(UNREADABLE, "file") from None


def _calamine_values(data: bytes) -> tuple[list, int]:
    """(rows, number of worksheets): the rows of the first worksheet whose first row is the
    ledger's header (a workbook may open with a 填写说明 sheet), else of the first worksheet (chart
    sheets skipped, as openpyxl's ``worksheets``) as value lists, parsed by calamine (Rust) in one
    pass each: from row 1 (empty rows included, so row numbers
    are the sheet's), an empty cell as ``""``, every number a float, a date-formatted cell a
    ``date``/``datetime`` — what ``_text`` and ``_date`` read the same as openpyxl's values
    (tests/test_import_readers.py compares both). The whole sheet is held in memory: bounded by
    ``check_spreadsheet``'s limits and ``MAX_ROWS``."""
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        indexes = [i for i, m in enumerate(wb.sheets_metadata) if m.typ == SheetTypeEnum.WorkSheet]
        if not indexes:
            raise ServiceError(UNREADABLE, "file")
        first = None
        for index in indexes:
            rows = wb.get_sheet_by_index(index).to_python(skip_empty_area=False)
            if _is_ledger(rows[0] if rows else None):
                return rows, len(indexes)
            first = rows if first is None else first
        return first, len(indexes)
    except CalamineError:  # not a workbook, corrupt zip or XML, encrypted (PasswordError), …
        raise ServiceError(UNREADABLE, "file") from None
    except (OSError, ValueError, KeyError, IndexError, OverflowError):
        raise ServiceError(UNREADABLE, "file") from None


#: what Excel shows in a cell whose formula failed (an xlsx error cell, t="e")
EXCEL_ERRORS = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#GETTING_DATA", "#SPILL!",
                          "#CALC!"})


def _has_error_cells(data: bytes) -> bool:
    """Whether any worksheet of the file holds an error cell (``t="e"``): rare, checked on the raw XML."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(name) as stream:
                        tail = b""
                        while chunk := stream.read(1 << 20):
                            if b't="e"' in tail + chunk:
                                return True
                            tail = chunk[-8:]
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False  # the reader says what is wrong with the file
    return False


def iter_rows(data: bytes, reader: str = "calamine"):
    """Yield the data rows of the ledger's sheet (the first whose first row holds the required
    columns, else the first) as {header: value, "_row": number}: the header row, then every
    non-empty row (at least one: a header alone is refused, ``core.intake.NO_DATA_ROWS``; at most MAX_ROWS).
    ``reader`` "openpyxl" is the former streaming reader, kept as the reference for the tests."""
    check_spreadsheet(data, "ledger.xlsx")  # limits before parsing (also when run as a job)
    # calamine reads a formula's error value (#N/A) as an empty cell: such a file is read by openpyxl,
    # which keeps the error text, so that the row is refused with it (_validate) instead of imported
    # without the value
    formula_errors = _has_error_cells(data)
    values_of = _calamine_values if reader == "calamine" and not formula_errors else _openpyxl_values
    header, count = None, 0
    matrix, sheets = values_of(data)
    for number, values in enumerate(matrix, 1):
        if header is None:
            header = _header(values)
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                where = f"（{sheets}个工作表的第1行都不是台账表头）" if sheets > 1 else ""
                raise ServiceError(f"表头缺少列：{'、'.join(missing)}{where}。", "file")
            columns = [(i, h) for i, h in enumerate(header) if h]
            continue
        if not any(v is not None and v != "" and (not isinstance(v, str) or v.strip()) for v in values):
            continue
        width = len(values)
        row = {h: (_cell(values[i]) if i < width else None) for i, h in columns}
        if all(v is None or v == "" for v in row.values()):  # only invisible characters (U+200B, a BOM…)
            continue
        count += 1
        if count > MAX_ROWS:
            raise ServiceError(f"文件超过{MAX_ROWS}行，请拆分后导入。", "file")
        if formula_errors:  # the row's cells whose formula failed (refused in _validate)
            bad = [(h, v) for h, v in row.items() if v.__class__ is str and v in EXCEL_ERRORS]
            if bad:
                row["_errors"] = bad
        row["_row"] = number
        yield row
    if header is None:
        raise ServiceError("文件为空。", "file")
    if not count:
        raise ServiceError(NO_DATA_ROWS, "file")


def _cell(value):
    """A cell as the import reads it: text cleaned (``clean_cell``), an empty cell None."""
    return (clean_cell(value) if value else None) if value.__class__ is str else value


class _Abort(Exception):  # roll the import's transaction back (a dry run, or a bad row found after writing began)
    pass


def import_hazards(actor, file, dry_run: bool = True, chunk_size: int = 2000, progress=None, before_commit=None,
                   *, confirm_duplicate: bool = False, job=None, file_name: str = "") -> dict:
    """Import a ledger file (a path, bytes or an uploaded file). Returns
    ``{"total", "created", "closed", "errors": [...], "dry_run", "committed", "duplicate_of"}``.

    ``duplicate_of`` describes the latest committed import of a file with the same bytes in the
    actor's scope (``import_records``), else None: a dry run only warns; a real run is refused
    (one error on 文件, nothing written) unless ``confirm_duplicate``. A committed import is
    recorded (file hash, ``job``, ``file_name``) in its transaction.

    The sheet is read in one pass (calamine), the reference data the rows name — their
    enterprises with their scope and sectors, the standard items — is looked up once for the
    whole file, every row is validated (``services.check_hazard``, the checks of ``build_hazard``,
    and the ``close_now`` guard of a 已销号 row), and only if no row is bad (and it is not a dry
    run) are the hazards built and written in one transaction (``services.register_stream`` on
    PostgreSQL, ``register_many`` elsewhere): every bad row is reported, nothing is written unless
    every row is good.
    ``progress(done, total)`` is called as chunks are validated and written; ``before_commit(result)``
    inside the writing transaction, last (the job marks itself committed there)."""
    if hasattr(file, "read"):
        data = file.read()
    elif isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        with open(file, "rb") as fh:
            data = fh.read()
    sha256 = import_records.digest(data)
    rows = read_rows(data, sha256, keep=dry_run and job is not None)  # a dry run's job: kept for 正式导入's
    total = len(rows)
    if progress:
        progress(0, total)
    earlier = import_records.earlier_import(actor, sha256)
    duplicate = import_records.describe(earlier) if earlier is not None else None
    if duplicate is not None and not dry_run and not confirm_duplicate:
        return {"total": total, "created": 0, "closed": 0, "dry_run": False, "committed": False,
                "errors": [{"row": "—", "column": "文件", "reason": import_records.refusal(duplicate)}],
                "duplicate_of": duplicate}
    lookups = _lookups(actor, rows)
    # PostgreSQL: every row is checked, then (a good file) the hazards are built and sent into the COPY
    # as they are built (services.register_stream). Elsewhere they are built with the checks.
    stream = not dry_run and connection.vendor == "postgresql"
    try:
        return _run(actor, rows, lookups, sha256, dry_run, stream, chunk_size, progress, before_commit,
                    earlier, duplicate, confirm_duplicate, job, file_name)
    except QueryDuringCopy:  # something wanted the database mid-stream: nothing was written; again, unstreamed
        log.warning("ledger import of %s: the streamed write needed a query; written again without streaming", sha256)
        return _run(actor, rows, lookups, sha256, dry_run, False, chunk_size, progress, before_commit,
                    earlier, duplicate, confirm_duplicate, job, file_name)


def _run(actor, rows, lookups, sha256, dry_run, stream, chunk_size, progress, before_commit, earlier, duplicate,
         confirm_duplicate, job, file_name) -> dict:
    total = len(rows)
    errors: list[dict] = []
    created = closed = 0
    entries: list = []
    checked: list = []  # stream: the checked rows, built into hazards as they are written
    for start in range(0, total, chunk_size):
        chunk = _validate(actor, rows[start:start + chunk_size], *lookups, errors,
                          check_only=dry_run or stream or bool(errors))
        created += len(chunk)
        closed += sum(1 for _, _, note in chunk if note is not None)
        if not dry_run and not errors:
            (checked if stream else entries).extend(chunk)
        if progress:
            progress(min(start + chunk_size, total) // (1 if dry_run else 2), total)
    if dry_run or errors:
        return {"total": total, "created": created, "closed": closed, "errors": errors, "dry_run": dry_run,
                "committed": False, "duplicate_of": duplicate}

    def built():
        """The hazards built chunk by chunk as the COPY takes them, from the rows checked above."""
        for start in range(0, len(checked), chunk_size):
            chunk = _build(actor, checked[start:start + chunk_size], lookups[-1])
            yield chunk
            if progress:
                progress((total + start + len(chunk)) // 2, total)

    try:
        with transaction.atomic():
            latest = import_records.recheck(actor, sha256)  # another run of this file committed meanwhile?
            if latest is not None and not confirm_duplicate:
                duplicate = import_records.describe(latest)
                errors.append({"row": "—", "column": "文件", "reason": import_records.refusal(duplicate)})
                raise _Abort()
            earlier = latest or earlier
            commit_without_waiting_for_disk()  # the job's completion, next, waits for the disk (core.bulk)
            deferred = tallies.defer()  # counted once at the end: not per row, not locked for the whole import
            try:
                if stream:
                    entries = services.register_stream(actor, built(), created, closed)
                else:
                    services.register_many(actor, entries)
            except ServiceError as exc:
                errors.append({"row": "—", "column": FIELD_COLUMN.get(exc.field, exc.field or "—"), "reason": exc.message})
                raise _Abort() from None
            if progress and not stream:
                progress(total, total)
            if deferred:
                tallies.count_new([h.pk for h, _, _ in entries])
            import_records.record_import(actor, sha256, rows=total, created=created, job=job, file_name=file_name,
                                         repeated=earlier)
            if before_commit is not None:
                before_commit({"total": total, "created": created, "closed": closed, "errors": [], "dry_run": False,
                               "committed": True, "duplicate_of": duplicate})
    except _Abort:
        pass
    if not errors:  # every search reads the index's pending list: the rows' entries out of it (hazards.search)
        merge_pending()
    return {"total": total, "created": created, "closed": closed, "errors": errors, "dry_run": False,
            "committed": not errors, "duplicate_of": duplicate}


def _lookups(actor, rows) -> tuple:
    """What the rows name, read once per file: enterprises by credit code (with region and
    sectors, and ``build_hazard``'s scope and sector checks primed for them), sectors by name and
    code, current standard items by code; and the one registration instant of the import."""
    from standards.models import Item

    sectors, by_pk = {}, {}
    for s in Sector.objects.all():
        sectors[s.name] = sectors[s.code] = by_pk[s.pk] = s
    codes = {_credit_code(r.get("统一社会信用代码")) for r in rows} - {""}
    # only what the checks and the hazard rows read (scope codes, cross-cutting flags, region path)
    wanted = Enterprise.objects.order_by().only(
        "id", "credit_code", "name", "region_id", *(f"{level}_code" for level in REGION_LEVELS), *CROSS_CUTTING_SECTORS)
    enterprises = {e.credit_code: e for qs in where_in(wanted, "credit_code", codes) for e in qs}
    regions = {r.pk: r for qs in where_in(Region.objects.only("id", "code", "path", "level"), "id",  # once each,
                                          {e.region_id for e in enterprises.values()}) for r in qs}  # not per row
    for e in enterprises.values():
        e._state.fields_cache["region"] = regions[e.region_id]
    sectors_of: dict = {}  # the link table in one query, not a prefetch building a manager per enterprise
    for qs in where_in(Enterprise.sectors.through.objects.all(), "enterprise_id", [e.pk for e in enterprises.values()]):
        for ent_id, sector_id in qs.values_list("enterprise_id", "sector_id"):
            sectors_of.setdefault(ent_id, []).append(by_pk[sector_id])
    cache: dict = {}  # scope and sector checks per enterprise (services.prime_cache)
    services.prime_cache(actor, enterprises.values(), cache, sectors_of=sectors_of)
    item_codes = {_text(r.get("判定依据条款编码")) for r in rows} - {""}
    items = {i.code: i for qs in where_in(Item.objects.filter(standard__is_current=True), "code", item_codes) for i in qs}
    now = timezone.now()
    cache[("now",)] = (now, timezone.localdate(now))  # one registration instant for the whole file
    cache[("org",)] = actor_org(actor)  # read now: the hazards are built while the COPY holds the connection
    return enterprises, sectors, items, cache


def _pick(row, row_errors, column, table, reason, *, optional=False, key=lambda text: text):
    """The column's value looked up in ``table``; a miss is reported for this row."""
    text = _text(row.get(column))
    if optional and not text:
        return None
    value = table.get(key(text))
    if value is None:
        row_errors.append({"row": row["_row"], "column": column, "reason": reason})
    return value


def _validate(actor, rows, enterprises, sectors, items, cache, errors, check_only=False) -> list:
    """Check each row; bad ones go to ``errors``, good ones come back as register_many entries
    (``check_only``: the same checks, no hazard built — the entries hold what ``check_hazard`` checked, for ``_build``)."""
    entries = []
    for r in rows:
        n = r["_row"]
        if "_errors" in r:  # cells whose formula failed (iter_rows)
            errors.extend({"row": n, "column": column, "reason": f"公式的结果是错误值（{value}），请改为实际内容后再导入。"}
                          for column, value in r["_errors"])
            continue
        row_errors: list[dict] = []
        if _credit_code(r.get("统一社会信用代码")):
            ent = _pick(r, row_errors, "统一社会信用代码", enterprises, "未找到该单位（请先导入单位名录）。",
                        key=_normal_code)
        else:
            ent = None
            row_errors.append({"row": n, "column": "统一社会信用代码", "reason": "必填：请填写单位的统一社会信用代码。"})
        grade = _pick(r, row_errors, "隐患等级", GRADES, "应为“一般”或“重大”。")
        sector = _pick(r, row_errors, "行业领域", sectors, "未知的行业领域。")
        category = _pick(r, row_errors, "隐患类别", CATEGORIES, CATEGORY_REASON, optional=True)
        channel = _pick(r, row_errors, "发现渠道", CHANNELS, "未知的发现渠道。", optional=True)
        status = _pick(r, row_errors, "状态", STATUSES, "应为“已登记”或“已销号”。")
        item = _pick(r, row_errors, "判定依据条款编码", items, "未找到该条款编码。", optional=True)
        found_on = _date(r.get("发现日期"), "发现日期", row_errors, n)
        deadline = _date(r.get("整改期限"), "整改期限", row_errors, n)
        if status == "closed" and grade == "major":
            row_errors.append({"row": n, "column": "状态", "reason": "重大隐患须在平台内验收销号，不能以已销号状态导入。"})
        if row_errors:
            errors.extend(row_errors)
            continue
        try:
            # The same validation as registering one hazard on the page (services.build_hazard).
            fields = {"enterprise": ent, "sector": sector, "description": _text(r.get("隐患描述")), "grade": grade,
                      "category": category or Hazard.Category.UNSTATED, "channel": channel, "found_on": found_on,
                      "deadline": deadline, "basis_item": item,
                      "basis_reason": _text(r.get("判定理由")), "location": _text(r.get("隐患部位")),
                      "responsible_person": _text(r.get("整改责任人")),  # too long: refused with the row (build_hazard)
                      "responsible_phone": _text(r.get("责任人电话"))}
            checked = services.check_hazard(actor, **fields, cache=cache)
        except ServiceError as exc:
            column = "统一社会信用代码" if isinstance(exc, NotPermitted) else FIELD_COLUMN.get(exc.field, exc.field or "—")
            errors.append({"row": n, "column": column, "reason": exc.message})
            continue
        note = (_text(r.get("整改情况")) or "导入：原台账已销号") if status == "closed" else None
        if note is not None:  # closed at once on import: the close_now guard, as on the page
            refusal = services.close_refusal(checked["kind"], checked["grade"], note)
            if refusal:
                errors.append({"row": n, "column": "状态", "reason": refusal})
                continue
        entries.append((checked if check_only else services.make_checked(actor, checked, cache), f"import:row{n}", note))
    return entries


def _build(actor, checked, cache) -> list:
    """The hazards of rows ``_validate`` checked (``check_only``), built from what it checked."""
    return [(services.make_checked(actor, fields, cache), ref, note) for fields, ref, note in checked]
