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


#: Put before a CSV text cell of digits that Excel would turn into a number and change (``csv_digits``):
#: Excel opening a CSV reads ``0123`` as 123, ``13800000000`` as a number and an 18-digit credit code as
#: 9.11201E+17 with its last digits lost; a leading tab makes it keep the cell as text. Not ``="0123"``
#: (a formula: our exports never write one) nor a leading "'" (in a CSV Excel shows it as part of the value).
CSV_TEXT_MARK = "\t"


def csv_digits(text: str) -> bool:
    """Whether a text cell is ASCII digits only that Excel would change: a leading zero, or 11 digits
    or more (phone numbers, all-digit credit codes and other ID-like codes)."""
    return text.isascii() and text.isdigit() and (len(text) >= 11 or (len(text) >= 2 and text[0] == "0"))


def unquote_csv(value):
    """A CSV cell as it was before our exports quoted it: the "'" put in front of a value starting
    like a formula and the tab put in front of a long or zero-led number (``hazards.exports``) are
    removed, so that an exported file imports unchanged."""
    if isinstance(value, str) and value[:1] in ("'", CSV_TEXT_MARK):
        rest = value[1:]
        if value[0] == "'" and rest.startswith(FORMULA_TRIGGERS) or value[0] == CSV_TEXT_MARK and csv_digits(rest):
            return rest
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
