"""Every control of every form a page shows carries its Bootstrap class — a check box
``form-check-input``, a select box ``form-select``, any other input or text area ``form-control`` —
and the forms get it one way: ``core.forms.StyledForm`` / ``StyledModelForm`` (their bound fields add
the class when rendered). Before, eight hand-written variants disagreed: the rule tables' revision
fields and rows, the spot-check questions added in ``__init__`` and the list of 作业人员 check boxes
rendered bare or as text boxes, the assessment's selects as text boxes.

The oracle is the rendered HTML read by tag and type, not the widget classes the code looks at."""

from html.parser import HTMLParser

import pytest
from django import forms

from core import demo
from core.forms import Styled, StyledForm
from core.pickers import PickerSelect
from tests.test_form_pages_refuse_empty_posts import pattern_key, walk_pages

from .test_text_bounds import _project_forms

#: input types that are not a control to style (buttons, hidden values)
NOT_CONTROLS = {"hidden", "submit", "button", "reset", "image"}


def expected_class(tag: str, attrs: dict) -> str | None:
    """The Bootstrap class a control must carry, read from its tag and type (None: not a control)."""
    if tag == "select":
        return "form-select"
    if tag == "textarea":
        return "form-control"
    kind = (attrs.get("type") or "text").lower()
    if kind in NOT_CONTROLS:
        return None
    if kind in ("checkbox", "radio"):
        return "form-check-input"
    return "form-control"


class Controls(HTMLParser):
    """The controls inside the forms of a page: (tag, name, type, classes)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str, set]] = []
        self._in_form = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_form += 1
        elif tag in ("input", "select", "textarea") and self._in_form:
            self.found.append((tag, a.get("name") or "", (a.get("type") or "").lower(), set((a.get("class") or "").split()), a))

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form -= 1


def unstyled(html: str) -> list[str]:
    """The controls of the page's forms missing the class their tag and type call for."""
    page = Controls()
    page.feed(html)
    out = []
    for tag, name, kind, classes, attrs in page.found:
        want = expected_class(tag, attrs)
        if want and want not in classes:
            out.append(f"<{tag} name={name!r} type={kind!r} class={' '.join(sorted(classes))!r}> wants {want}")
    return out


class EveryWidget(StyledForm):
    text = forms.CharField(max_length=10)
    area = forms.CharField(max_length=10, widget=forms.Textarea)
    number = forms.IntegerField()
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    upload = forms.FileField()
    flag = forms.BooleanField(required=False)
    one = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")])
    many = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙")])
    ticks = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.CheckboxSelectMultiple)
    radio = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect)
    unknown = forms.NullBooleanField()
    picker = forms.IntegerField(widget=PickerSelect("enterprises"))
    secret = forms.CharField(max_length=10, widget=forms.PasswordInput)
    kept = forms.ChoiceField(choices=[("a", "甲")], widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    carried = forms.CharField(max_length=10, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["added_later"] = forms.BooleanField(required=False)  # as the spot-check questions are


def test_each_kind_of_control_is_rendered_with_its_bootstrap_class():
    html = EveryWidget().as_div()
    page = Controls()
    page.feed(f"<form>{html}</form>")
    by_name = {}
    for tag, name, kind, classes, _ in page.found:
        by_name.setdefault(name, []).append((tag, kind, classes))
    assert {n for n in by_name} >= {"text", "area", "number", "day", "upload", "flag", "one", "many", "ticks", "radio",
                                    "unknown", "picker", "secret", "kept", "carried", "added_later"}
    assert unstyled(f"<form>{html}</form>") == []
    assert len(by_name["ticks"]) == 2 and len(by_name["radio"]) == 2  # each option is a check box / radio button
    # a list of them: each option a .form-check with its label, the list itself no control (a 1em box squeezed
    # the inspectors' names into a column a character wide)
    for name in ("ticks", "radio"):
        assert f'<div id="id_{name}">' in html
        assert html.count(f'<label class="form-check-label" for="id_{name}_') == 2
    assert by_name["kept"][0][2] == {"form-select", "form-select-sm"}  # a class the field sets stays
    assert by_name["carried"][0][2] == set()  # a hidden value gets none


def test_the_oracle_sees_a_control_without_its_class():
    bare = forms.Form()
    bare.fields["x"] = forms.BooleanField()
    bare.fields["y"] = forms.ChoiceField(choices=[("a", "甲")])
    assert len(unstyled(f"<form>{bare.as_div()}</form>")) == 2


def test_every_form_of_the_pages_is_a_styled_form():
    classes = list(_project_forms())
    assert len(classes) > 100, "the walk found too few forms to prove anything"
    # the admin's forms keep the admin's look
    plain = sorted(f"{cls.__module__}.{cls.__name__}" for cls in classes
                   if not cls.__module__.endswith(".admin") and not issubclass(cls, Styled))
    assert plain == []


PERSONAS = ["committee", "emergency_lead", "commerce", "township", "enterprise", "agency", "admin", "anon"]
MIN_PAGES = 60  # pages with a form the walk opens (it finds more): a walk that silently found nothing fails


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.django_db
def test_every_control_of_every_form_a_persona_is_shown_carries_its_class(client, world):
    """The walk of tests/test_form_pages_refuse_empty_posts.py (home page, every parameterless page,
    the links of each page, one page per URL pattern), looking at every form's controls — the lists'
    filters, the action forms, the forms written in the templates."""
    demo.load_apps(world.ctx)
    failures, with_forms = [], set()
    for persona, url, response, _ in walk_pages(client, world, PERSONAS):
        body = response.content.decode()
        if "<form" in body:
            with_forms.add(pattern_key(url.split("?")[0]))
        failures += [f"{persona} {url}: {problem}" for problem in unstyled(body)]
    assert sorted(set(failures)) == [], "\n".join(sorted(set(failures)))
    assert len(with_forms) >= MIN_PAGES, len(with_forms)
