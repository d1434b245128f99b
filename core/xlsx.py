"""Safe xlsx writing: every value user text can reach goes through ``cell``/``row``/``put``.

* text is written as text: the cell's type is forced to string (openpyxl otherwise turns any
  value starting with ``=`` into a live formula) and marked ``quotePrefix`` so that Excel keeps it
  text when the cell is edited — the OWASP advice for spreadsheet export, without altering
  the value; values starting with another trigger (``+ - @`` tab, CR) are marked the same way;
* XML-illegal characters are removed (openpyxl raises on them) and text is cut to Excel's
  32,767 characters per cell.
"""

from openpyxl.cell import WriteOnlyCell

from .text import xml_safe

EXCEL_MAX_CELL = 32767
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def unquote_csv(value):
    """A CSV cell as it was before our exports quoted it: the "'" put in front of a value starting
    like a formula (``hazards.exports``) is removed, so that an exported file imports unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def safe_text(value: str) -> str:
    return xml_safe(value)[:EXCEL_MAX_CELL]


def _as_text(c, value: str):
    c.value = safe_text(value)
    c.data_type = "s"
    if value.startswith(FORMULA_TRIGGERS):
        c.quotePrefix = True
    return c


def cell(ws, value):
    """A cell for ``ws.append`` (write-only or normal sheets)."""
    c = WriteOnlyCell(ws)
    if isinstance(value, str):
        return _as_text(c, value)
    c.value = value
    return c


def row(ws, values) -> list:
    return [cell(ws, v) for v in values]


def put(ws, row_number: int, column: int, value):
    """``ws.cell(row, column, value)`` with the same protection; returns the cell."""
    c = ws.cell(row_number, column)
    if isinstance(value, str):
        return _as_text(c, value)
    c.value = value
    return c
