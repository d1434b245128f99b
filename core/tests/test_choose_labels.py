"""No select box a user sees starts on Django's "---------": a form's box starts on "请选择" (a model
choice box and a model field's choices; a box whose answer must be chosen refuses it,
``core.forms.chosen_field``), a list's filter box on "全部" (every row) and its sort box on "默认排序".
On the hazard ledger six filter boxes and on a case page seven of its forms' boxes showed "---------".

The walks look at every form class and every FilterSet the project's modules define (the walk of
core/tests/test_text_bounds.py), built as the running project builds them."""

import itertools

import django_filters
import pytest
from django import forms

from core.testing import client_as

from .test_text_bounds import _project_forms, _project_modules

DASH = "---------"


def _choices(field):
    if isinstance(field, forms.ModelChoiceField):
        return [(None, field.empty_label)] if field.empty_label is not None else []
    choices = getattr(field, "choices", None)
    return [] if choices is None else list(itertools.islice(iter(choices), 1))  # the first entry (django-filter's lazy iterator)


def _blank_labels(form_fields):
    return {name: str(label) for name, field in form_fields.items() for value, label in _choices(field)
            if value in ("", None)}


def _project_filtersets():
    import inspect

    for module in _project_modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, django_filters.FilterSet) and cls._meta.model:
                yield cls


def test_no_box_of_any_form_starts_on_dashes_and_the_model_ones_start_on_a_choice():
    classes = list(_project_forms())
    assert len(classes) > 100, "the walk found too few forms to prove anything"
    dashed, labels = [], set()
    for cls in classes:
        for name, label in _blank_labels(cls.base_fields).items():
            labels.add(label)
            if label == DASH:
                dashed.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert dashed == []
    assert "请选择" in labels


@pytest.mark.django_db
def test_no_filter_box_of_any_list_starts_on_dashes():
    sets = list(_project_filtersets())
    assert len(sets) > 10, "the walk found too few FilterSets to prove anything"
    dashed = [f"{cls.__module__}.{cls.__name__}.{name}" for cls in sets
              for name, label in _blank_labels(cls(queryset=cls._meta.model.objects.none()).form.fields).items()
              if label == DASH]
    assert dashed == []


@pytest.mark.django_db
def test_the_ledger_filters_say_all_and_the_case_page_says_choose(client, world):
    from enforcement.tests.helpers import notified_case

    case = notified_case(world)
    client = client_as(client, world, "commerce")
    ledger = client.get("/hazards/").content.decode()
    assert DASH not in ledger
    assert '<option value="" selected>全部</option>' in ledger and '<option value="" selected>默认排序</option>' in ledger
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert DASH not in page and '<option value="" selected>请选择</option>' in page
