"""Template filters shared by every app: Chinese labels for codes, confirmation attributes."""

from django import template

from core import idnumber, labels

register = template.Library()


@register.filter
def verb_label(verb):
    """``{{ event.verb|verb_label }}`` → the Chinese name of the action."""
    return labels.verb_label(verb)


@register.filter
def state_label(state, verb=None):
    """``{{ event.to_state|state_label:event.verb }}`` → the Chinese name of the state."""
    return labels.state_label(state, verb)


@register.filter
def key_label(key):
    """``{{ key|key_label }}`` → the Chinese name of an evidence/figure key or a channel code."""
    return labels.key_label(key)


@register.filter
def channel_for(code, user):
    """``{{ hazard.channel|channel_for:user }}`` → the Chinese name of a hazard's channel as ``user``
    may see it (outside government a tip's 举报核实 reads 部门检查: hazards.disclosure)."""
    from hazards.disclosure import shown_label

    return shown_label(code, user)


@register.filter
def accident_source_for(accident, user):
    """``{{ accident|accident_source_for:user }}`` → its 报告来源 as ``user`` may see it (hazards.disclosure)."""
    from hazards.disclosure import accident_source_label

    return accident_source_label(accident, user)


@register.filter
def evidence_value(value):
    """A recorded evidence value for reading: a list of row ids is shown as its count."""
    if isinstance(value, (list, tuple)):
        return f"{len(value)} 项"
    if value is None:
        return "—"
    return value


# Internal references ("app.model:pk") a hazard source or a case origin may carry: what to call them, where they live.
REFERENCES = {
    "inspections.record": ("检查记录", "/inspections/records/{pk}/"),
    "tips.tip": ("举报", "/tips/{pk}/"),
    "accidents.lessontarget": ("举一反三检查", None),
    "hazards.hazard": ("隐患", "/hazards/{pk}/"),
    "demo": ("演示数据", None),
}


@register.filter
def reference_link(reference):
    """``inspections.record:5`` → a link 检查记录 to the record; unknown references are not shown raw."""
    from django.utils.html import format_html

    kind, _sep, pk = str(reference or "").partition(":")
    if kind not in REFERENCES:
        return ""
    label, url = REFERENCES[kind]
    if url and pk.isdigit():
        return format_html('<a href="{}">{}</a>', url.format(pk=pk), label)
    return label


@register.filter
def row_number(code):
    """A table row's code as its printed number: "3.3_amount" → "3.3" (the suffix is a key, not a number)."""
    return str(code or "").split("_", 1)[0]


@register.filter
def confirm_text(key):
    """``{{ "hazard."|add:action|confirm_text }}`` → the confirmation for an irreversible action, or ""."""
    return labels.confirmation(key)


@register.simple_tag(takes_context=True)
def page_query(context, number, param="page"):
    """The current query string with only the pager's parameter ``param`` set to ``number`` (every
    filter and the other pagers of the page kept) — ``{% querystring %}`` with the key as a value,
    so that one pager template serves a page holding two lists."""
    from django.template.defaulttags import querystring

    return querystring(context, **{param: number})


@register.filter
def id_masked(value):
    """``{{ party.id_number|id_masked }}`` → the 公民身份号码 with its birth date hidden (core.idnumber)."""
    return idnumber.masked(value)
