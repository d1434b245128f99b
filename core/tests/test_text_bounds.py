"""Every text the system takes is bounded (``core.text.TEXT_MAX`` where a field declares nothing):
a longer one is a 400 naming the field with a Chinese reason, and nothing is written; the API's
schema says ``maxLength`` for every string a request may carry, so a generated client knows.

The walks look at what the running project built (every form class of every project module, the
generated OpenAPI document), not at the default they test."""

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator

from core.models import Event
from core.testing import client_as
from core.text import TEXT_MAX

ROOT = Path(settings.BASE_DIR)
SKIP_PARTS = {"tests", "migrations", "management"}
# Formats whose value the field parses (a date, a number written as text, an upload): not free text.
PARSED_FORMATS = {"date", "date-time", "time", "binary", "uri", "email", "uuid", "decimal", "duration"}


def _project_modules():
    for config in apps.get_app_configs():
        if not Path(config.path).is_relative_to(ROOT) or ".venv" in Path(config.path).parts:
            continue
        package = importlib.import_module(config.name)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=config.name + "."):
            if SKIP_PARTS & set(info.name.split(".")):
                continue
            yield importlib.import_module(info.name)


def _project_forms():
    for module in _project_modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, forms.BaseForm):
                yield cls


def _secret(field) -> bool:
    return isinstance(field.widget, forms.PasswordInput)


def test_every_text_field_of_every_form_has_a_maximum_length():
    classes = list(_project_forms())
    assert len(classes) > 100, "the walk found too few forms to prove anything"
    unbounded = [f"{cls.__module__}.{cls.__name__}.{name}"
                 for cls in classes for name, field in cls.base_fields.items()
                 if isinstance(field, forms.CharField) and not isinstance(field, forms.JSONField) and not _secret(field)
                 and field.max_length is None]
    assert unbounded == [], unbounded


def _request_strings(schema):
    components = schema["components"]["schemas"]
    seen, found = set(), []

    def walk(node, where):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name in seen:
                return
            seen.add(name)
            node, where = components[name], name
        for key in ("allOf", "oneOf", "anyOf"):
            for sub in node.get(key, []):
                walk(sub, where)
        if node.get("type") == "array":
            walk(node.get("items", {}), where + "[]")
        if node.get("type") == "string" and "enum" not in node and node.get("format") not in PARSED_FORMATS:
            found.append((where, node))
        for name, prop in node.get("properties", {}).items():
            if not prop.get("readOnly"):
                walk(prop, f"{where}.{name}")

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                walk(content["schema"], f"{method.upper()} {path}")
    return found


def test_every_string_an_api_request_may_carry_has_a_max_length_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    strings = _request_strings(schema)
    assert len(strings) > 100, "the walk found too few request strings to prove anything"
    assert [where for where, node in strings if "maxLength" not in node] == []
    # the default is what the field enforces (see the behaviour tests below), not a larger figure
    assert {node["maxLength"] for _, node in strings} >= {TEXT_MAX}


def test_an_answer_does_not_promise_the_default_bound_a_request_is_held_to():
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    # the accident's 简要经过: a request carries at most TEXT_MAX; an answer shows what was stored
    assert components["AccidentReportRequest"]["properties"]["summary"]["maxLength"] == TEXT_MAX
    assert "maxLength" not in components["Accident"]["properties"]["summary"]
    assert "maxLength" not in components["Event"]["properties"]["note"]  # an event's note is any writer's text
    # a bound of the field's own (the column) is true of answers as well
    assert components["Enterprise"]["properties"]["name"]["maxLength"] == 150


def test_the_default_bound_applies_to_a_form_field_but_a_declared_one_wins_and_passwords_are_free():
    class F(forms.Form):
        note = forms.CharField(widget=forms.Textarea)
        title = forms.CharField(max_length=20)
        secret = forms.CharField(widget=forms.PasswordInput, strip=False)
        values = forms.JSONField()  # a rule table's values in the admin: data, not a text in a box

    long_json = "[" + ",".join(["1"] * TEXT_MAX) + "]"
    form = F({"note": "长" * (TEXT_MAX + 1), "title": "题" * 21, "secret": "x" * (TEXT_MAX + 1), "values": long_json})
    assert not form.is_valid()
    assert set(form.errors) == {"note", "title"}
    assert f"不能超过{TEXT_MAX}字（现为{TEXT_MAX + 1}字）" in form.errors["note"][0]
    assert 'maxlength="5000"' in str(form["note"])  # the browser stops the typing too
    assert "maxlength" not in str(form["values"]) and form.fields["values"].max_length is None
    assert F({"note": "长" * TEXT_MAX, "title": "题" * 20, "secret": "x", "values": "[1]"}).is_valid()


# way → (the void action's address, its body for a reason, post options, the answer when done, the refusal)
WAYS = {
    "api": ("/api/v1/hazards/{}/actions/void/", "reason", {"content_type": "application/json"}, 200,
            f'"reason":["不能超过{TEXT_MAX}字。"]'),
    "page": ("/hazards/{}/actions/void/", "void-reason", {}, 302, f"不能超过{TEXT_MAX}字（现为{TEXT_MAX + 1}字）"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("way", WAYS)
def test_an_over_long_reason_is_a_400_naming_it_and_nothing_changes_but_the_bound_itself_is_taken(client, world, way):
    from hazards.tests.conftest import make_general

    url, field, options, done, refusal = WAYS[way]
    hazard = make_general(world)  # registered by the commerce department, which may void it
    before = Event.objects.count()
    client_as(client, world, "commerce")
    response = client.post(url.format(hazard.pk), {field: "重" * (TEXT_MAX + 1)}, **options)
    assert response.status_code == 400 and refusal in response.content.decode().replace(" ", "")
    hazard.refresh_from_db()
    assert (Event.objects.count(), hazard.status) == (before, "registered")
    response = client.post(url.format(hazard.pk), {field: "重" * TEXT_MAX}, **options)
    assert response.status_code == done
    hazard.refresh_from_db()
    assert (Event.objects.count(), hazard.status) == (before + 1, "void")


def test_a_text_field_parsing_its_text_into_an_id_is_not_measured_as_text():
    from core.listfilters import RecordIdField

    assert RecordIdField(required=False).clean(" 12 ") == 12  # an int has no length: it was a TypeError (a 500)
