"""Shared form helpers: Bootstrap classes on the pages' forms (``StyledForm``; the list filters have their
small variant, ``core.lists.style_form``); the data a page's form is bound to (``posted``) and the
status of a page that shows its forms again (``form_status``), imported by the views from ``core.views``."""

import copy

from django import forms
from django.forms.boundfield import BoundField

#: the blank entry of every select box a user sees: "请选择", never Django's "---------" (a box whose
#: answer must be chosen refuses the blank: ``chosen_field``; an optional one says （可选） in its label)
CHOOSE = "请选择"


def install_choose_label() -> None:
    """Make ``CHOOSE`` the blank entry of model choice boxes (``ModelChoiceField``'s ``empty_label``)
    and of model fields with choices in model forms (``BLANK_CHOICE_DASH``), where a form does not
    say otherwise. Installed with ``core.text.install`` (core's app config), before any form is
    built; idempotent."""
    from django.db.models import fields

    fields.BLANK_CHOICE_DASH[:] = [("", CHOOSE)]  # the list the model fields' get_choices default to
    init = forms.ModelChoiceField.__init__
    if getattr(init, "chooses", False):
        return

    def chooses(self, queryset, *, empty_label=CHOOSE, **kwargs):
        init(self, queryset, empty_label=empty_label, **kwargs)

    chooses.chooses = True
    forms.ModelChoiceField.__init__ = chooses


def widget_class(widget) -> str | None:
    """The Bootstrap class of a widget (the one rule of the project's forms): a check box or each
    option of a list of check boxes or radio buttons ``form-check-input``; a select box (single,
    multiple, a picker, 是/否/未知) ``form-select``; a hidden input none; any other input or text area
    ``form-control`` (a file input too: Bootstrap 5 styles it so)."""
    if isinstance(widget, forms.HiddenInput):
        return None
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):  # RadioSelect: CheckboxSelectMultiple too
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


#: the template of a list of check boxes or radio buttons on the pages
CHECK_LIST = "core/widgets/check_list.html"


class StyledBoundField(BoundField):
    """A field as a page renders it: its widget gets the class ``widget_class`` names, unless the
    field sets one itself (a small select: ``form-select form-select-sm``). Applied when rendered, so
    a field a form adds or changes in its ``__init__`` is styled the same."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        if isinstance(widget, forms.RadioSelect) and widget.template_name != CHECK_LIST:
            # a list of check boxes or radio buttons: each option a Bootstrap .form-check (the class on its
            # input only — Django's template would also put it on the list's wrapper, a 1em box)
            widget = copy.copy(widget)
            widget.template_name = CHECK_LIST
        return super().as_widget(widget, attrs, only_initial)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = widget_class(widget)
        if css and "class" not in widget.attrs and "class" not in attrs:
            attrs["class"] = css
        return attrs


class Styled:
    """The one way a page's form gets its Bootstrap classes (``StyledBoundField``): mixed into
    ``StyledForm`` and ``StyledModelForm``; every form of the pages derives from one of them
    (core/tests/test_form_styling.py). The list filters have their small variant
    (``core.lists.style_form``, the same ``widget_class``); the admin keeps its own look."""

    bound_field_class = StyledBoundField


class StyledForm(Styled, forms.Form):
    """A form whose widgets carry the Bootstrap classes."""


class StyledModelForm(Styled, forms.ModelForm):
    """A model form whose widgets carry the Bootstrap classes."""


def chosen_field(field_class=forms.ChoiceField, *, label: str, choices, **kwargs):
    """A box whose answer must be chosen, never taken from the first entry the browser shows selected: a
    decision (审批结论, 核查结果, 复查结论, the 公安机关's outcome — 批准, 属实, 整改到位, 立案 went on record from a
    click on 提交) or a classification with no sensible default (a safety cost's 适用行业, a visit's or an
    activity's 类型 — each counted in its own row of the weekly table, a party's 身份 — its fine's range). It
    starts on "请选择" and refuses none chosen with "请选择…。" (core/tests/test_decisions_chosen.py;
    core/tests/test_choice_boxes.py walks every box). ``choices`` may be callable (read when a form is built)."""
    if callable(choices):
        listed = choices

        def choices():
            return [("", CHOOSE)] + list(listed())
    else:
        choices = [("", CHOOSE)] + list(choices)
    return field_class(label=label, choices=choices, error_messages={"required": f"请选择{label}。"}, **kwargs)


def posted(request):
    """The data a page's form is bound to: the POST's, even an empty one (an empty POST is a bound form
    whose required fields are refused — 400 naming them — never the blank form again with 200, as
    ``request.POST or None`` made it); None for a GET (the blank form)."""
    return request.POST if request.method == "POST" else None


def posted_text(request, name: str) -> str:
    """A text field of a POST read without a form (a note beside a button), cleaned and bounded as
    every form's and serializer's text is (``core.text``): no NUL, which PostgreSQL refuses (a 500),
    no control characters, which break the exports; longer than ``TEXT_MAX`` is the ``ServiceError``
    the view already shows on its form (400, nothing written)."""
    from .services import ServiceError
    from .text import TEXT_MAX, clean_text, too_long

    value = clean_text(request.POST.get(name, ""))
    if len(value) > TEXT_MAX:
        raise ServiceError(too_long(TEXT_MAX, value), name)
    return value


def form_status(*forms, refusal=None) -> int:
    """The status of an HTML page that shows its forms again (the one way to decide it; PRODUCT.md:
    bad input gets a 4xx with the field and the reason in Chinese, shown on the form):

    * ``refusal``, a service's refusal (``ServiceError``) shown on the page: 403 when it refuses
      permission (``permission_denied``), 409 when the record changed meanwhile (``conflict``,
      ``StaleState``), else 400;
    * else 400 when any bound form or formset given has errors (its own validation, or a service's
      refusal put on it by ``service_error_to_form``);
    * else 200 (a GET, or a form that is not bound).

    A page that refuses for another reason answers that status itself (``PermissionDenied``,
    ``Http404``, a 429 of a rate limit). ``core/tests/test_form_status.py`` posts an empty form to
    every form page and scans the views for statuses written by hand."""
    if refusal is not None:
        return {"permission_denied": 403, "conflict": 409}.get(getattr(refusal, "code", None), 400)
    return 400 if any(f is not None and f.is_bound and not f.is_valid() for f in forms) else 200
