"""Every action documents the body it reads and the body it answers. Until API 1.15.0 ten actions documented
the record itself as their input — a generated client sent an accident's columns to 延长调查期限 (which reads
``days`` and ``reason``) and a measure's to 验收 (which reads ``note``) — and 未作答项记为符合 documented the
inspection record as its answer while it answers ``{"answered": n}``. Found by walking the schema's request
bodies (test_api_request_integers.py): ``days`` was nowhere."""

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator

from core.testing import client_as
from inspections.tests.factories import today

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _ref(node) -> str:
    return (node or {}).get("$ref", "").rsplit("/", 1)[-1]


def request_component(operation) -> str:
    content = operation.get("requestBody", {}).get("content", {})
    return _ref(content.get("application/json", {}).get("schema")) if content else ""


def detail_actions_taking_their_record(schema) -> list[str]:
    """POST ``…/{id}/<action>/`` whose documented input is the component its ``…/{id}/`` answers (``X`` →
    ``XRequest``): the record's own columns offered as the action's input."""
    wrong = []
    for path, operations in schema["paths"].items():
        head, _, action = path.rstrip("/").rpartition("/")
        if "post" not in operations or not head.endswith("{id}") or "{" in action:
            continue
        detail = schema["paths"].get(head + "/", {}).get("get")
        if not detail:
            continue
        record = _ref(detail["responses"]["200"]["content"]["application/json"]["schema"])
        if record and request_component(operations["post"]) in (record + "Request", "Patched" + record + "Request"):
            wrong.append(f"POST {path} documents {record}Request")
    return wrong


def test_the_check_finds_an_action_documenting_its_record():
    ok = {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
    body = lambda name: {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}  # noqa: E731
    toy = {"paths": {"/things/{id}/": {"get": {"responses": ok}},
                     "/things/{id}/close/": {"post": {"requestBody": body("ThingRequest"), "responses": ok}},
                     "/things/{id}/note/": {"post": {"requestBody": body("NoteRequest"), "responses": ok}},
                     "/things/{id}/sign/": {"post": {"responses": ok}}}}
    assert detail_actions_taking_their_record(toy) == ["POST /things/{id}/close/ documents ThingRequest"]


def test_no_detail_action_documents_its_record_as_its_input(schema):
    assert not detail_actions_taking_their_record(schema)


@pytest.mark.parametrize("path, fields", [
    ("/api/v1/accidents/{id}/extend-investigation/", {"days", "reason"}),
    ("/api/v1/accidents/{id}/start-investigation/", {"leader_name", "members"}),
    ("/api/v1/accidents/{id}/escalate/", {"reason"}),
    ("/api/v1/accidents/{id}/approve/", {"doc_no", "text"}),
    ("/api/v1/accidents/{id}/publish-evaluation/", {"rectification", "prevention", "handling", "conclusion"}),
    ("/api/v1/accident-measures/{id}/accept/", {"note"}),
    ("/api/v1/accident-measures/{id}/reject/", {"note"}),
    ("/api/v1/accident-measures/{id}/submit/", {"note"}),
])
def test_an_action_documents_the_fields_it_reads(schema, path, fields):
    """The fields named here are the ones the action's serializer reads (accidents/api.py), written down."""
    component = schema["components"]["schemas"][request_component(schema["paths"][path]["post"])]
    assert set(component["properties"]) == fields


def test_actions_without_input_document_no_body(schema):
    for path in ("/api/v1/inspections/records/{id}/answer-remaining/", "/api/v1/inspections/records/{id}/sign/"):
        assert "requestBody" not in schema["paths"][path]["post"], path


def test_answer_remaining_answers_what_its_schema_says(client, world, schema):
    client_as(client, world, "emergency")
    created = client.post("/api/v1/inspections/records/", {
        "enterprise": world.ent_commerce.pk, "kind": "routine", "inspected_on": today().isoformat(),
        "inspectors": [world.user("emergency").pk]}, content_type="application/json")
    assert created.status_code == 201, created.content
    response = client.post(f"/api/v1/inspections/records/{created.json()['id']}/answer-remaining/",
                           content_type="application/json")
    assert response.status_code == 200
    documented = schema["paths"]["/api/v1/inspections/records/{id}/answer-remaining/"]["post"]["responses"]["200"]
    target = documented["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), {**target, "components": schema["components"]})
    assert response.json()["answered"] > 0
    # the record's own shape does not fit the answer: the old documentation would have failed here
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(response.json(), {"$ref": "#/components/schemas/Record", "components": schema["components"]})
