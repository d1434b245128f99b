"""The list pages' filter forms render exactly the HTML of Django's own widget templates
(core.formrender writes plain selects and inputs in Python): every registered list's filter form,
unbound, bound to values, and bound to garbage, widget by widget against the template renderer."""

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.http import QueryDict
from django.urls import get_resolver
from django.utils.safestring import mark_safe

from core.formrender import list_form_renderer
from core.lists import REGISTRY, style_form

_ = get_resolver().url_patterns  # importing the URLconf fills REGISTRY


def _pairs(form):
    template = get_default_renderer()
    fast = list_form_renderer()
    for bound in form:
        widget = bound.field.widget
        attrs = bound.build_widget_attrs({"id": bound.auto_id} if bound.auto_id else {})
        value = bound.value()
        yield (bound.name,
               widget.render(bound.html_name, value, attrs=attrs, renderer=template),
               widget.render(bound.html_name, value, attrs=attrs, renderer=fast))


def _query(filterset, garbage: bool) -> QueryDict:
    """Values for every filter of ``filterset`` (an instance: reading ``field`` on the class's
    base_filters would build and keep that field, with a queryset of no request, for every later
    filterset of the class)."""
    data = QueryDict(mutable=True)
    for name, flt in filterset.filters.items():
        field = flt.field
        choices = [c for c in getattr(field, "choices", []) if c and c[0] not in ("", None)]
        if garbage:
            data[name] = '<b>"x"&y'
        elif choices:
            value = choices[-1][0]
            data[name] = str(getattr(value, "value", value))
        else:
            data[name] = "2026-01-0" + "1" if isinstance(field.widget, forms.DateInput) else "12"
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_a_list_filter_form_renders_exactly_as_djangos_templates(world, rf, name):
    view = REGISTRY[name]
    if view.filterset_class is None:
        pytest.skip("no filter form")
    user = world.user("committee")
    request = rf.get("/")
    request.user = user
    for how in ("unbound", "bound", "garbage"):
        data = QueryDict() if how == "unbound" else _query(view.filterset_class(request=request), how == "garbage")
        filterset = view.filterset_class(data, request=request)
        form = style_form(filterset.form)
        assert isinstance(form.renderer, type(list_form_renderer()))
        for field, expected, got in _pairs(form):
            assert got == expected, (how, field)


def test_odd_values_fall_back_to_the_template_or_match_it():
    widget = forms.Select(choices=[(1, 1000), ("a", mark_safe("<b>粗</b>")), ("g", [("x", "X"), ("y", 'Y"')])],
                          attrs={"class": "a&b", "data-on": True, "data-off": False, "data-n": 0})
    text = forms.NumberInput(attrs={"step": 0.5})
    for w, value in ((widget, "x"), (widget, 1), (text, 12345.5), (text, None), (forms.DateInput(), "2026-12-01")):
        assert w.render("f", value, renderer=list_form_renderer()) == w.render("f", value, renderer=get_default_renderer())
