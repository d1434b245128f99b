"""``{% cardrow columns %}{% include row_template %}{% endcardrow %}``: a list row that can also be a card.

Below Bootstrap's ``md`` breakpoint ``qingling.css`` shows every list row as a card; a card needs
each cell's column label, and the row templates (one per list, in each app) only write ``<td>``s.
This tag labels the row's own cells after rendering, in column order, so no row template has to
repeat its headers:

* ``data-label="…"`` — the column's Chinese header, shown as "label：value" on a card;
* ``data-card="title"`` — the card's title: the first cell that holds a link (the row's number or
  name), otherwise the first cell;
* ``data-empty`` — a cell with nothing to show (no "label：" line with an empty value).

Cells of a table nested inside a cell are left alone. A row with a single cell gets no label (the
cell is the card).
"""

import re

from django import template
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

TAG = re.compile(r"<(/?)(table|td)\b([^>]*)>", re.IGNORECASE)
LINK = re.compile(r"<a\b[^>]*\bhref=", re.IGNORECASE)
CONTROL = re.compile(r"<(form|input|button|select|textarea|img)\b", re.IGNORECASE)
# a start or end tag, quoted attribute values may hold ">"
MARKUP = re.compile(r"""</?[a-zA-Z][^>"']*(?:"[^"]*"[^>"']*|'[^']*'[^>"']*)*>""")


def _is_empty(content: str) -> bool:
    """``strip_tags(content).strip() == ""`` without an HTML parser per cell (the common cases):
    no markup at all, or text left once the tags are removed; anything unusual (comments, a
    stray "<") is left to Django's ``strip_tags``."""
    if "<" not in content:
        return not content.strip()
    text = MARKUP.sub("", content)
    if "<" not in text:
        return not text.strip()
    return not strip_tags(content).strip()


def _cells(html: str) -> list[tuple[int, int, int]]:
    """(start of the <td …> tag, its end, start of its </td>) of each top-level cell."""
    cells: list[list[int]] = []
    depth = 0
    for match in TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name == "table":
            depth += -1 if closing else 1
            continue
        if depth > 0:
            continue
        if not closing:
            cells.append([match.start(), match.end(), len(html)])
        elif cells and cells[-1][2] == len(html):
            cells[-1][2] = match.start()
    return [tuple(c) for c in cells]


def label_cells(html: str, labels) -> str:
    """The row ``html`` with its top-level cells labelled (see the module docstring)."""
    cells = _cells(html)
    if not cells:
        return html
    contents = [html[end:close] for _, end, close in cells]
    title = next((i for i, c in enumerate(contents) if LINK.search(c)), 0)
    labels = [str(getattr(c, "label", c) or "") for c in labels]
    out, pos = [], 0
    for i, (_start, end, _close) in enumerate(cells):
        attrs = ""
        if len(cells) > 1:
            if i == title:
                attrs += ' data-card="title"'
            elif i < len(labels) and labels[i]:
                attrs += f' data-label="{escape(labels[i])}"'
        if _is_empty(contents[i]) and not CONTROL.search(contents[i]):
            attrs += " data-empty"
        tag_end = end - 1  # the ">" of "<td …>"
        if html[tag_end - 1] == "/":
            tag_end -= 1
        out.append(html[pos:tag_end])
        out.append(attrs)
        pos = tag_end
    out.append(html[pos:])
    return "".join(out)


class CardRowNode(template.Node):
    def __init__(self, columns, nodelist):
        self.columns = columns
        self.nodelist = nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        return mark_safe(label_cells(html, self.columns.resolve(context) or ()))


@register.tag
def cardrow(parser, token):
    """``{% cardrow columns %}…{% endcardrow %}`` — see the module docstring."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("cardrow takes one argument: the list's columns")
    nodelist = parser.parse(("endcardrow",))
    parser.delete_first_token()
    return CardRowNode(parser.compile_filter(bits[1]), nodelist)
