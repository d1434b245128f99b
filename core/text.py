"""Text at the boundary: one cleaning step for every text that enters the system.

``clean_text`` removes characters that XML 1.0 forbids (they make openpyxl and python-docx refuse
to write — one ``\\x0b`` pasted from Excel used to break the county's export), normalises line
breaks and exotic spaces, and strips the ends. It is applied

* to every Django form ``CharField`` (and subclasses: e-mail, URL, slug, regex …) and every DRF
  ``CharField`` — installed once by ``install()`` from ``core.apps.CoreConfig.ready`` so that no
  form or serializer can forget it; password fields are left untouched;
* to every text cell read from an imported spreadsheet (``clean_cell``);
* again, defensively, by every writer (``core.xlsx``, ``documents.render``) via ``xml_safe``.

Every such field is also bounded: one that declares no ``max_length`` gets ``TEXT_MAX`` (installed
with the cleaning; not a password, not a JSON value), so a form refuses a longer text on the field
("不能超过N字（现为M字）。", its box's ``maxlength`` stops the typing), the API answers 400 naming the
field ("不能超过N字。"), and the schema's ``maxLength`` tells a generated client. Fields of
longer texts declare their own bound; a service's stricter bound (``_text(..., max_length=…)``) still
applies after it.
"""

import re
import unicodedata

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]; DEL and C1 too.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# Line-breaking characters that Word/Excel paste: VT (Word manual break), FF, NEL, LS, PS.
LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Spaces that look like a space but are not one (NBSP, en/em spaces …); U+3000 (全角空格) is kept.
ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f]")
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
HSPACE_RUN = re.compile("[ \t]+")

#: The bound of a text written in a box (a reason, a note, an opinion, a measure) when its field
#: declares none — the hazard's description's (``hazards.models.TEXT_LIMITS``) and the accidents'
#: services' default. Longer documents (a standard's key list) declare their own.
TEXT_MAX = 5000
#: the refusal of a text longer than its bound on a page (the form's validator and ``core.forms.posted_text``)
TOO_LONG = "不能超过%(limit_value)d字（现为%(show_value)d字）。"


def too_long(limit: int, value: str) -> str:
    return TOO_LONG % {"limit_value": limit, "show_value": len(value)}


def xml_safe(value: str) -> str:
    """The text without XML-illegal characters (what a writer must do at least)."""
    return XML_ILLEGAL.sub("", value)


def json_safe(value):
    """``value`` (JSON-able: dicts, lists, text, numbers) with NUL characters removed from every
    text, keys included — what a JSON column takes on every database (PostgreSQL's jsonb refuses
    ``\\u0000``). For values that carry raw request input, such as query strings, into a log or a
    job's parameters."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {json_safe(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def _clean_already(value: str, multiline: bool) -> bool:
    """True when ``clean_text`` would return ``value`` unchanged — checked in C, for the bulk of
    imported cells. Every character the slow path removes or rewrites (controls, XML-illegal,
    line breaks, odd and zero-width spaces, U+3000 aside) is not ``isprintable()``; the only
    printable white space is the ASCII space, which matters at the ends (strip) and, on a single
    line, in runs."""
    return (value.isprintable() and value[0] != " " and value[-1] != " " and (multiline or "  " not in value)
            and unicodedata.is_normalized("NFC", value))


def clean_text(value: str, *, multiline: bool = True) -> str:
    """Normalised text: NFC, ``\\n`` line breaks, no control characters, no invisible or odd
    spaces, no trailing blanks per line, stripped. Single-line text has breaks folded into spaces."""
    if not value:
        return value
    if _clean_already(value, multiline):
        return value
    value = unicodedata.normalize("NFC", value)
    value = LINE_BREAKS.sub("\n", value)
    value = xml_safe(value)
    value = ZERO_WIDTH.sub("", ODD_SPACES.sub(" ", value))
    if multiline:
        value = "\n".join(line.rstrip() for line in value.split("\n"))
        value = re.sub(r"\n{3,}", "\n\n", value)
    else:
        value = HSPACE_RUN.sub(" ", value.replace("\n", " ").replace("\t", " "))
    return value.strip()


def clean_cell(value):
    """A value read from an imported spreadsheet/CSV: text cleaned, other types unchanged."""
    return clean_text(value) if isinstance(value, str) else value


def _is_secret(widget_or_style) -> bool:
    from django import forms

    if isinstance(widget_or_style, forms.PasswordInput):
        return True
    return isinstance(widget_or_style, dict) and widget_or_style.get("input_type") == "password"


_installed = False


def install() -> None:
    """Wrap ``to_python`` of Django's and DRF's CharField with ``clean_text``, and their constructors
    with the default bound ``TEXT_MAX`` (idempotent). Runs when Django reads ``core``'s app config,
    before any app's ``ready()`` imports a form or a serializer (the test walking every form and the
    API schema fails on a field built earlier)."""
    global _installed
    if _installed:
        return
    _installed = True
    from django import forms

    original = forms.CharField.to_python

    def to_python(self, value):
        value = original(self, value)
        if isinstance(value, str) and value and not _is_secret(self.widget):
            # multi-line text and search terms keep their inner spaces (a term pasted from a
            # description with two spaces must find it); other single-line text is squeezed
            value = clean_text(value, multiline=isinstance(self.widget, forms.Textarea) or getattr(self, "keeps_spaces", False))
        return value

    forms.CharField.to_python = to_python
    original_init = forms.CharField.__init__
    from django.core.validators import MaxLengthValidator

    class TextLengthValidator(MaxLengthValidator):
        message = TOO_LONG  # Django's says "该变量"

        def __call__(self, value):
            if isinstance(value, str):  # a CharField parsing text into another type (an id) bounds its own
                super().__call__(value)

    def init(self, *args, max_length=None, **kwargs):
        widget = kwargs.get("widget")
        if max_length is None and not isinstance(self, forms.JSONField) and not _is_secret(widget) and not (
                isinstance(widget, type) and issubclass(widget, forms.PasswordInput)):
            max_length = TEXT_MAX  # (a JSON value is data parsed whole, not a text written in a box)
        original_init(self, *args, max_length=max_length, **kwargs)
        self.validators = [TextLengthValidator(v.limit_value) if type(v) is MaxLengthValidator else v
                           for v in self.validators]

    forms.CharField.__init__ = init

    try:
        from rest_framework import serializers
    except ImportError:  # pragma: no cover - DRF is a requirement
        return
    drf_original = serializers.CharField.to_internal_value

    def to_internal_value(self, data):
        value = drf_original(self, data)
        if isinstance(value, str) and value and not _is_secret(getattr(self, "style", {})) \
                and "password" not in (self.field_name or ""):
            value = clean_text(value)
            if not value and not self.allow_blank:
                self.fail("blank")
        return value

    serializers.CharField.to_internal_value = to_internal_value
    drf_init = serializers.CharField.__init__

    def drf_field_init(self, **kwargs):
        default = kwargs.get("max_length") is None and not kwargs.get("read_only") \
            and not _is_secret(kwargs.get("style", {}))
        if default:
            kwargs["max_length"] = TEXT_MAX
        kwargs["error_messages"] = {"max_length": "不能超过{max_length}字。", **kwargs.get("error_messages", {})}
        drf_init(self, **kwargs)
        self.default_text_bound = default  # the schema says it of requests only (core.api_schema)

    serializers.CharField.__init__ = drf_field_init
