"""A minimal streaming xlsx writer: rows of plain values → a worksheet (more than Excel's 1,048,576
rows continue on further sheets), written straight into a zip stream, in constant memory and with
little Python work per cell.

Why not xlsxwriter: its ``constant_memory`` mode pays several Python calls per cell (cell
object, type dispatch, XML writer), which made exporting 10⁶ ledger rows take ~6 minutes; this
writer builds each row as one string and lets ``zipfile``/``zlib`` do the rest (B7 in
docs/performance.md).

What it writes (ECMA-376, what Excel, LibreOffice, WPS and openpyxl read):

* text as inline strings (``t="inlineStr"``, no shared-string table, so memory stays flat),
  with XML-illegal characters removed, ``& < >`` escaped, CR as ``&#13;`` (a raw CR would be
  read back as LF), text that itself looks like Excel's ``_xHHHH_`` escape escaped as
  ``_x005F_xHHHH_`` (ECMA-376 ST_Xstring; Excel and LibreOffice decode it, openpyxl does not), leading/trailing blanks kept (``xml:space="preserve"``) and
  text cut at Excel's 32,767 characters per cell;
* text that a spreadsheet would read as a formula (``= + - @``, tab, CR and their full-width
  forms, ``core.xlsx.FORMULA_TRIGGERS``) gets the ``quotePrefix`` style: it stays text when the
  cell is edited (OWASP spreadsheet-export advice), the value is unchanged;
* dates as serial numbers with a ``yyyy-mm-dd`` style; numbers as numbers; booleans as booleans;
* empty values (``None`` or ``""``) as no cell at all;
* one bold style for the header row, column widths, the first row frozen.

The worksheet part is written with ``force_zip64`` (no size limit) and the workbook is
compressed with zlib level 1 (fast; the xml compresses ~10× anyway).
"""

import datetime
import decimal
import math
import re
import zipfile
from collections.abc import Callable, Iterable
from xml.sax.saxutils import escape as _xml_escape

from core.xlsx import EXCEL_MAX_CELL, FORMULA_TRIGGERS

# Characters XML 1.0 forbids (removed), plus what needs escaping or the slow path: & < > CR,
# "_x" (Excel's escape syntax), blanks at the ends are checked separately.
_NOT_XML = r"\x01-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff"  # and NUL, kept apart: the row check joins on it
_ILLEGAL = re.compile(rf"[\x00{_NOT_XML}]")
_NEEDS_WORK = re.compile(rf"[&<>\r\x00{_NOT_XML}]|_x")
_EXCEL_ESCAPE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")
_BLANKS = frozenset(" \t\n\r\u3000")
_EPOCH = datetime.date(1899, 12, 30).toordinal()  # Excel's day 0 in the 1900 date system (from 1900-03-01 on)

# style indexes in styles.xml (cellXfs)
S_HEADER, S_DATE, S_QUOTED, S_DATETIME = 1, 2, 3, 4


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _text_xml(value: str) -> tuple[str, bool]:
    """(escaped text for <t>, whether it looks like a formula) — the slow path."""
    value = _ILLEGAL.sub("", value)[:EXCEL_MAX_CELL]
    quoted = value.startswith(FORMULA_TRIGGERS)
    value = _xml_escape(value)
    if "_x" in value:
        value = _EXCEL_ESCAPE.sub(r"_x005F\1", value)
    return value.replace("\r", "&#13;"), quoted  # a character reference: XML parsers keep it a CR


def text_cell(ref: str, row: str, value) -> str:
    """The <c> element of a text cell at column prefix ``ref`` (``<c r="B``) and row ``row``."""
    if not value:
        return ""
    if value.__class__ is not str and not isinstance(value, str):  # a str subclass (SafeString) is text
        return auto_cell(ref, row, value)
    if len(value) > EXCEL_MAX_CELL or _NEEDS_WORK.search(value) is not None:
        value, quoted = _text_xml(value)
        if not value:
            return ""
    else:
        quoted = value.startswith(FORMULA_TRIGGERS)
    space = ' xml:space="preserve"' if value[0] in _BLANKS or value[-1] in _BLANKS else ""
    if quoted:
        return f'{ref}{row}" s="3" t="inlineStr"><is><t{space}>{value}</t></is></c>'
    return f'{ref}{row}" t="inlineStr"><is><t{space}>{value}</t></is></c>'


def date_cell(ref: str, row: str, value) -> str:
    if value is None:
        return ""
    if value.__class__ is datetime.date:
        return f'{ref}{row}" s="2"><v>{value.toordinal() - _EPOCH}</v></c>'
    return auto_cell(ref, row, value)


def auto_cell(ref: str, row: str, value) -> str:
    """Any value: tests its type."""
    if value is None:
        return ""
    if isinstance(value, str):
        return text_cell(ref, row, value)
    if isinstance(value, bool):
        return f'{ref}{row}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | decimal.Decimal):
        if isinstance(value, int) or math.isfinite(value):
            return f'{ref}{row}"><v>{value}</v></c>'
        return text_cell(ref, row, str(value))  # NaN, infinity: no number Excel can hold
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            raise ValueError("aware datetimes must be turned into text or naive local time before writing")
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        serial = value.toordinal() - _EPOCH + seconds / 86400
        return f'{ref}{row}" s="4"><v>{serial!r}</v></c>'
    if isinstance(value, datetime.date):
        return f'{ref}{row}" s="2"><v>{value.toordinal() - _EPOCH}</v></c>'
    return text_cell(ref, row, str(value))


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{sheets}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"""
_CONTENT_TYPE_SHEET = '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"""
_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Qingling</Application></Properties>"""
_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created></cp:coreProperties>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{sheets}<Relationship Id="rId{styles}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"""
_WORKBOOK_REL_SHEET = '<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>"""
_WORKBOOK_SHEET = '<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
# cellXfs: 0 default, 1 bold header, 2 date, 3 quote prefix (text kept as text), 4 date-time
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""
_SHEET_HEAD = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>"""

_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_FORMULA_FIRST = frozenset(t[0] for t in FORMULA_TRIGGERS)
assert all(len(t) == 1 for t in FORMULA_TRIGGERS)  # the fast path tests one character
TEXT, DATE = "text", "date"


# The fast path's checks of a row's text cells joined by NUL (which no clean cell holds: a cell with
# one has one NUL too many and takes the slow path): a character ``text_cell`` would escape or
# remove, Excel's escape syntax ("_x"), a formula start or a blank at a cell's start, a blank at its
# end. Four searches: one regex with all of them is slower than the four together.
_ROW_CHARS = re.compile(rf"[&<>\r{_NOT_XML}]")
_ROW_STARTS = re.compile("\x00[" + re.escape("".join(sorted(_FORMULA_FIRST | _BLANKS))) + "]")
_ROW_ENDS = re.compile("[" + re.escape("".join(sorted(_BLANKS))) + "]\x00")


def row_function(cells: list) -> Callable[[str, tuple], str]:
    """A function (row number as text, tuple of values) → the row's XML, for columns whose
    writer is ``TEXT``, ``DATE`` or a function of ``text_cell``'s shape (not called for ``None``: no cell).

    The function is generated (as ``collections.namedtuple`` and ``dataclasses`` do) so that the
    usual row costs no Python call per cell: when its text cells are all text (or empty) and
    plain — no character to escape or remove, no formula start, no blank at either end, not over
    Excel's limit: one join and four searches over the joined text tell — the whole row is one
    expression with the cells formatted inline (dates too). Any other row goes cell by cell
    through ``text_cell``/``date_cell``/the column's function, which decide exactly as the inline
    code would."""
    env = {"_chars": _ROW_CHARS.search, "_starts": _ROW_STARTS.search, "_ends": _ROW_ENDS.search, "_len": len,
           "_nul": "\x00".join, "_text": text_cell, "_datec": date_cell, "_date": datetime.date}
    names = ", ".join(f"v{i}" for i in range(len(cells))) + ("," if len(cells) == 1 else "")
    texts = [i for i, kind in enumerate(cells) if kind == TEXT]
    fast, slow = [], []
    for i, kind in enumerate(cells):
        ref, v = f'<c r="{column_letter(i)}', f"v{i}"
        if kind == TEXT:
            fast.append(f"""('' if not {v} else f'{ref}{{r}}" t="inlineStr"><is><t>{{{v}}}</t></is></c>')""")
            slow.append(f"_text('{ref}', r, {v})")
        elif kind == DATE:
            inline = f"""f'{ref}{{r}}" s="{S_DATE}"><v>{{{v}.toordinal() - {_EPOCH}}}</v></c>'"""
            fast.append(f"('' if {v} is None else {inline} if {v}.__class__ is _date else _datec('{ref}', r, {v}))")
            slow.append(f"_datec('{ref}', r, {v})")
        else:
            env[f"_f{i}"] = kind  # None is no cell: the function is not asked
            fast.append(f"('' if {v} is None else _f{i}('{ref}', r, {v}))")
            slow.append(fast[-1])
    lines = ["def _row(r, row):", f"    {names} = row"]
    if texts:  # str.join refuses anything but text: a non-text value in a text column takes the slow path
        joined = ", ".join(f"v{i} or ''" for i in texts)
        lines += ["    try:",
                  f"        p = _nul(('', {joined}, ''))",
                  "    except TypeError:",
                  "        p = None",
                  f"    if p is not None and _len(p) <= {EXCEL_MAX_CELL} and p.count('\\x00') == {len(texts) + 1} "
                  "and _chars(p) is None and '_x' not in p and _starts(p) is None and _ends(p) is None:",
                  f"        return ''.join((f'<row r=\"{{r}}\">', {', '.join(fast)}, '</row>'))"]
        lines.append(f"    return ''.join((f'<row r=\"{{r}}\">', {', '.join(slow)}, '</row>'))")
    else:
        lines.append(f"    return ''.join((f'<row r=\"{{r}}\">', {', '.join(fast)}, '</row>'))")
    exec("\n".join(lines), env)  # noqa: S102 - source built above from constants only
    return env["_row"]


# Excel's worksheet holds 1,048,576 rows (Microsoft, "Excel specifications and limits"); one is the
# header, so a sheet takes this many data rows and the next rows go on to a further sheet.
SHEET_ROWS = 1_048_576 - 1


def sheet_names(base: str, count: int) -> list[str]:
    """The sheets' names: ``base``, then ``base（2）``, ``base（3）`` … each within Excel's 31
    characters, without the characters Excel forbids in a sheet name."""
    base = _SHEET_NAME_BAD.sub("_", base) or "Sheet1"
    names = [base[:31]]
    for n in range(2, count + 1):
        suffix = f"（{n}）"
        names.append(base[:31 - len(suffix)] + suffix)
    return names


def write_rows(path, headers: list[str], widths: list[int], cells: list, rows: Iterable[tuple], *,
               sheet: str = "Sheet1", progress=None, every: int = 2000, batch: int = 1000,
               sheet_rows: int = SHEET_ROWS) -> int:
    """Write ``rows`` (tuples, one value per column) under a bold header row to an xlsx file at
    ``path``; ``cells[i]`` says how column i is written: ``TEXT``, ``DATE`` or a function like
    ``text_cell``/``date_cell``/``auto_cell`` (column prefix, row number text, value) → ``<c>``
    element or "" for no cell (a ``None`` value is no cell without asking it). More rows than a worksheet holds (``sheet_rows``) continue on
    further sheets, each with the header (``sheet_names``). Returns the number of data rows."""
    return write_sheets(path, [(sheet, headers, widths, cells, rows)], progress=progress, every=every, batch=batch,
                        sheet_rows=sheet_rows)


def write_sheets(path, sheets: list[tuple], *, progress=None, every: int = 2000, batch: int = 1000,
                 sheet_rows: int = SHEET_ROWS) -> int:
    """Several worksheets in one xlsx file, each ``(name, headers, widths, cells, rows)`` as in
    ``write_rows`` (a sheet with more rows than a worksheet holds continues on ``name（2）`` …);
    the rows of each sheet are read once, in order, in constant memory. Returns the number of
    data rows of all sheets."""
    count = 0
    parts: list[str] = []  # the name of each worksheet part written, in order
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, headers, widths, cells, rows in sheets:
            refs = [f'<c r="{column_letter(i)}' for i in range(len(headers))]
            make_row = row_function(cells)
            cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1))
            head = "".join(f'{ref}1" s="{S_HEADER}" t="inlineStr"><is><t>{_text_xml(h)[0]}</t></is></c>'
                           for ref, h in zip(refs, headers, strict=True))
            start = f'{_SHEET_HEAD}<cols>{cols}</cols><sheetData><row r="1">{head}</row>'.encode()
            rows = iter(rows)
            pending = next(rows, None)
            first = len(parts)
            while len(parts) == first or pending is not None:
                parts.append(name)
                with zf.open(f"xl/worksheets/sheet{len(parts)}.xml", "w", force_zip64=True) as out:
                    out.write(start)
                    buf = []
                    on_sheet = 0
                    while pending is not None and on_sheet < sheet_rows:
                        on_sheet += 1
                        count += 1
                        buf.append(make_row(str(on_sheet + 1), pending))
                        if on_sheet % batch == 0:
                            out.write("".join(buf).encode())
                            buf.clear()
                        if progress and count % every == 0:
                            progress(count)
                        pending = next(rows, None)
                    out.write("".join(buf).encode() + b"</sheetData></worksheet>")
        names = []
        for name in dict.fromkeys(parts):  # each sheet's parts get name, name（2）, …
            names += sheet_names(name, parts.count(name))
        names = [_xml_escape(n, {'"': "&quot;"}) for n in names]
        numbers = range(1, len(parts) + 1)
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets="".join(_CONTENT_TYPE_SHEET.format(n=n) for n in numbers)))
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("docProps/app.xml", _APP)
        zf.writestr("docProps/core.xml", _CORE.format(now=now))
        zf.writestr("xl/workbook.xml", _WORKBOOK.format(sheets="".join(
            _WORKBOOK_SHEET.format(name=name, n=n) for n, name in zip(numbers, names, strict=True))))
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(
            sheets="".join(_WORKBOOK_REL_SHEET.format(n=n) for n in numbers), styles=len(parts) + 1))
        zf.writestr("xl/styles.xml", _STYLES)
    return count
