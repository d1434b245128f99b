"""Schema quality: one tag per operation (the app), JSON-only bodies except the upload, the error
schema on every operation with its real status codes, If-Match / Idempotency-Key documented."""

import pytest
import yaml

from core.api_schema import API_VERSION, APP_TAGS

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client, world):
    client.force_login(world.user("admin"))
    return yaml.safe_load(client.get("/api/schema/").content)


def operations(schema):
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, op


def test_version_and_tags(schema):
    assert schema["info"]["version"] == API_VERSION
    for path, method, op in operations(schema):
        assert len(op["tags"]) == 1 and op["tags"][0] in APP_TAGS.values(), (method, path, op["tags"])


def test_bodies_are_json_except_the_upload(schema):
    for path, method, op in operations(schema):
        content = set(op.get("requestBody", {}).get("content", {}))
        if path.endswith("/attachments/") and method == "post":
            assert content == {"multipart/form-data"}
        else:
            assert content <= {"application/json"}, (method, path, content)


def test_every_operation_documents_its_errors(schema):
    ref = {"$ref": "#/components/schemas/Error"}
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"code", "message", "errors"}
    for path, method, op in operations(schema):
        wanted = {"400", "401", "403", "404", "429"} | ({"409"} if method == "post" else set()) | \
            ({"412", "428"} if method in ("put", "patch") else set())
        assert wanted <= set(op["responses"]), (method, path)
        for code in wanted:
            assert op["responses"][code]["content"]["application/json"]["schema"] == ref
        names = {p["name"] for p in op.get("parameters", []) if p["in"] == "header"}
        if method == "post":
            assert "Idempotency-Key" in names
        if method in ("put", "patch"):
            assert "If-Match" in names


def test_listing_progress_is_documented_as_200(schema):
    responses = schema["paths"]["/api/v1/listings/{id}/progress/"]["post"]["responses"]
    assert "200" in responses and "201" not in responses


def test_tip_action_bodies(schema):
    components = schema["components"]["schemas"]

    def body(action):
        ref = schema["paths"][f"/api/v1/tips/{{id}}/{action}/"]["post"]["requestBody"]["content"]["application/json"]
        return components[ref["schema"]["$ref"].split("/")[-1]]

    assert "note" in body("verify")["required"]
    assert {"reason", "unit"} <= set(body("transfer")["required"])
    reveal = schema["paths"]["/api/v1/tips/{id}/reveal/"]["post"]["responses"]["200"]["content"]["application/json"]
    assert set(components[reveal["schema"]["$ref"].split("/")[-1]]["properties"]) == {"name", "phone", "contact"}
