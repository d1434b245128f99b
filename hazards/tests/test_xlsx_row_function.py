"""The xlsx writer's generated row function (``xlsx_stream.row_function``) writes every row exactly
as its cells' own writers do one by one — ``text_cell`` for text columns, ``date_cell`` for date
columns, the column's function for the others (``None`` is no cell) — whichever path the row
takes: the one-expression path for plain rows or the cell-by-cell one. The cell writers are the
specification (each is checked against what openpyxl reads back in test_export_stream.py); here
rows are drawn from the characters that decide between the paths."""

import datetime

from django.utils.safestring import SafeString
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hazards import xlsx_stream

KINDS = [xlsx_stream.TEXT, xlsx_stream.DATE, xlsx_stream.TEXT, xlsx_stream.auto_cell, xlsx_stream.TEXT]
# the separator the row check joins on (NUL), what text_cell escapes or removes, formula starts and
# blanks (at either end or inside), Excel's _xHHHH_ escape, surrogates, plain Chinese and ASCII
ALPHABET = ["\x00", "\x01", "\x1f", "\x7f", "\ufffe", "&", "<", ">", "\r", "\n", "\t", " ", "\u3000", "=", "+", "-", "@",
            "＝", "＋", "－", "＠", "_", "x", "0", "D", "\ud800", "隐", "患", "a", '"', "'"]
text = st.one_of(st.none(), st.just(""), st.text(alphabet=ALPHABET, max_size=8),
                 st.text(alphabet=ALPHABET, max_size=4).map(SafeString),  # a str subclass is text
                 st.integers(-5, 5), st.just(False), st.floats(allow_nan=True))
date = st.one_of(st.none(), st.dates(min_value=datetime.date(1900, 3, 1)), st.text(alphabet=ALPHABET, max_size=3),
                 st.datetimes(min_value=datetime.datetime(1900, 3, 1)), st.integers(0, 3))
other = st.one_of(st.none(), st.integers(), st.text(alphabet=ALPHABET, max_size=5), st.dates(min_value=datetime.date(1900, 3, 1)))
ROW = st.tuples(text, date, text, other, text)


def _cell_by_cell(r: str, row: tuple) -> str:
    cells = []
    for i, (kind, value) in enumerate(zip(KINDS, row, strict=True)):
        ref = f'<c r="{xlsx_stream.column_letter(i)}'
        if kind == xlsx_stream.TEXT:
            cells.append(xlsx_stream.text_cell(ref, r, value))
        elif kind == xlsx_stream.DATE:
            cells.append(xlsx_stream.date_cell(ref, r, value))
        else:
            cells.append("" if value is None else kind(ref, r, value))
    return f'<row r="{r}">' + "".join(cells) + "</row>"


@settings(max_examples=1500, deadline=None)
@given(ROW)
@example(("隐患", datetime.date(2026, 1, 31), "张三", 7, "仓库"))  # the plain row: the one-expression path
@example(("a\x00b", None, "", None, "c"))  # a NUL inside a cell: one separator too many
@example(("\x00", None, None, None, None))
@example((" 前空格", None, "后空格 ", None, "=1+1"))
@example(("_x000D_", None, "a&b", None, "x\ry"))
@example(("字面量_x0041_", None, None, None, None))  # Excel's escape syntax alone
@example((SafeString("<b>加粗</b>"), None, SafeString("x"), None, None))  # once an endless recursion
@example((5, None, 0, None, False))  # not text in a text column: numbers are numbers, 0 and False no cell
@example(("", datetime.datetime(2026, 5, 1, 23, 30), "x", None, "y"))
@example(("长" * 32768, None, "x", None, None))  # over Excel's cell limit: cut by text_cell
def test_a_generated_row_is_written_exactly_as_its_cells_are_one_by_one(row):
    make_row = xlsx_stream.row_function(KINDS)
    assert make_row("12", row) == _cell_by_cell("12", row)


def test_the_usual_row_takes_the_one_expression_path():
    """The plain row is written without asking the text cells' writer (the point of the generated
    function); a row with one formula start asks it (and only that path may)."""
    from unittest import mock

    import pytest

    with mock.patch.object(xlsx_stream, "text_cell", side_effect=RuntimeError("cell by cell")):
        make_row = xlsx_stream.row_function(KINDS)
        plain = ("消防通道被占用", datetime.date(2026, 1, 31), "仓库 二层", 3, "张三")
        # 46053: Excel's serial number of 2026-01-31 (1900 date system; 2025-01-01 is 45658)
        assert make_row("2", plain) == (
            '<row r="2"><c r="A2" t="inlineStr"><is><t>消防通道被占用</t></is></c><c r="B2" s="2"><v>46053</v></c>'
            '<c r="C2" t="inlineStr"><is><t>仓库 二层</t></is></c><c r="D2"><v>3</v></c>'
            '<c r="E2" t="inlineStr"><is><t>张三</t></is></c></row>')
        with pytest.raises(RuntimeError, match="cell by cell"):
            make_row("3", ("=HYPERLINK()", None, None, None, None))
