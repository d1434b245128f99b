"""Dates on pages, one way (docs/architecture.md, "Dates on pages"): ``{{ x|day }}`` writes 2026-12-16 and
``{{ x|moment }}`` 2026-12-16 09:30 (Asia/Shanghai), each in a ``<time>`` element the stylesheet keeps on
one line — on a phone a date inside a sentence or a narrow cell broke at its hyphen ("2026-12-" / "06")
or between day and time. A template library every template has (``builtins`` in the settings)."""

import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html

register = template.Library()


def _time(value, fmt: str):
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.date):  # a text already (a label, a "—"): written as it is
        return value
    text = date_filter(value, fmt)
    return format_html('<time datetime="{}">{}</time>', text, text)


@register.filter(expects_localtime=True)
def day(value):
    """2026-12-16; empty for no date (so ``|default:"—"`` still applies)."""
    return _time(value, "Y-m-d")


@register.filter(expects_localtime=True)
def moment(value):
    """2026-12-16 09:30 in local time; a date without a time is written as ``day``; empty for none."""
    return _time(value, "Y-m-d H:i" if isinstance(value, datetime.datetime) else "Y-m-d")
