"""A form renderer for the list pages' filter forms: Django's own, except that the plain
``<select>`` and ``<input>`` widgets are written in Python instead of through a template per
option (the ledger's filter form has 15 widgets and ~70 options; rendering them through the
widget templates cost as much as the 50 rows of the table).

The HTML is exactly what Django's templates write (``core/tests/test_formrender.py`` compares the
two for every registered list's filter form, bound and unbound). Anything else — another widget
template, an app overriding Django's widget templates, a label or attribute that is not plain text
(numbers and dates would be localised by a template) — goes to the template as before.
"""

from __future__ import annotations

from pathlib import Path

from django.forms.renderers import get_default_renderer
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
INPUTS = {f"{WIDGETS}{n}.html" for n in ("input", "text", "number", "email", "url", "search", "tel", "date", "time",
                                           "datetime", "hidden", "color")}
SELECT = f"{WIDGETS}select.html"
OPTION = f"{WIDGETS}select_option.html"
DJANGO_FORMS_DIR = str(Path(__import__("django.forms", fromlist=["x"]).__file__).parent / "templates")


class NotPlain(Exception):
    """A value a template would localise or call: let the template render it."""


def _text(value) -> str:
    """``{{ value }}``: plain text only (str or lazy str), escaped unless marked safe."""
    if isinstance(value, (str, Promise)):
        return conditional_escape(value)
    raise NotPlain


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``."""
    if callable(value):
        raise NotPlain
    text = str(value) if isinstance(value, tuple) else "%s" % (value,)  # noqa: UP031 - Django's own conversion, kept identical
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_text(name)}")
        if value is not True:
            out.append(f'="{_formatted(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def _select(widget: dict) -> str:
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                raise NotPlain
            out.append(f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                       f'{_text(option["label"])}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class ListFormRenderer:
    """Delegates to the project's form renderer; plain inputs and selects are written directly."""

    def __init__(self):
        self.base = get_default_renderer()
        self._django_own: dict[str, bool] = {}

    def __getattr__(self, name):  # form_template_name, get_template, … of the project's renderer
        return getattr(self.base, name)

    def _is_djangos(self, template_name: str) -> bool:
        """Whether ``template_name`` resolves to Django's own widget template (not an override)."""
        known = self._django_own.get(template_name)
        if known is None:
            try:
                origin = self.base.get_template(template_name).origin.name
            except Exception:  # noqa: BLE001 — any doubt: use the template
                origin = ""
            known = self._django_own[template_name] = str(origin).startswith(DJANGO_FORMS_DIR)
        return known

    def render(self, template_name, context, request=None):
        fast = _select if template_name == SELECT else _input if template_name in INPUTS else None
        if fast is not None and "widget" in context and self._is_djangos(template_name):
            if template_name == SELECT and not self._is_djangos(OPTION):
                return self.base.render(template_name, context, request=request)
            try:
                return mark_safe(fast(context["widget"]))
            except NotPlain:
                pass
        return self.base.render(template_name, context, request=request)


_renderer: ListFormRenderer | None = None


def list_form_renderer() -> ListFormRenderer:
    global _renderer
    if _renderer is None:
        _renderer = ListFormRenderer()
    return _renderer
