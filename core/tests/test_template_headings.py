"""A page's heading and its action buttons sit in one ``.page-head`` (core/static/core/qingling.css): on a phone
the title takes its own line and the buttons follow below it, whole. Built as a plain flex row instead, the row
squeezed the buttons on a 375 px phone until 编辑 stood one character per line and 返回台账 broke in two.
tests/e2e/test_phone_width.py checks the rendered pages (no button's label wraps); this finds a new template's
heading row without a browser."""

import re

from core.tests.test_template_tables import BASE, project_templates

FLEX_HEADING = re.compile(r'<div class="([^"]*\bd-flex\b[^"]*)">\s*<h1\b')


def flex_headings(text: str) -> list[int]:
    """Line numbers of the ``d-flex`` rows whose first child is the page's ``<h1>``."""
    return [text.count("\n", 0, m.start()) + 1 for m in FLEX_HEADING.finditer(text)]


def test_the_check_finds_a_heading_in_a_plain_flex_row():
    assert flex_headings('<div class="d-flex align-items-center mb-2">\n  <h1 class="h4 me-auto">隐患</h1>') == [1]
    assert flex_headings('<p>x</p>\n<div class="d-flex"><h1>执法案件</h1>') == [2]
    assert flex_headings('<div class="page-head mb-3">\n  <h1 class="h4">隐患台账</h1>') == []
    assert flex_headings('<div class="d-flex gap-2"><a class="btn">x</a></div>\n<h1>x</h1>') == []


def test_every_heading_row_is_a_page_head():
    rows = [f"{path.relative_to(BASE)}:{line}" for path in project_templates() for line in flex_headings(path.read_text())]
    assert not rows, 'write these heading rows as <div class="page-head"> (qingling.css):\n' + "\n".join(rows)


def test_page_head_rows_exist_and_the_stylesheet_defines_them():
    """The class the templates use is the one the stylesheet styles (a rename on one side only would leave the
    rows plain blocks: the buttons under the title on every screen)."""
    used = [path for path in project_templates() if 'class="page-head' in path.read_text()]
    assert len(used) >= 13
    css = (BASE / "core/static/core/qingling.css").read_text()
    assert re.search(r"\.page-head\s*\{[^}]*display:\s*flex;[^}]*flex-wrap:\s*wrap", css)
    assert re.search(r"\.page-head > h1\s*\{[^}]*flex-basis:\s*100%", css)
    assert re.search(r"main \.btn\s*\{[^}]*white-space:\s*nowrap", css)
