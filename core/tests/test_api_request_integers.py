"""Every integer a client sends has its bounds in the schema: a generated client (and schemathesis) reads
``{"type": "integer"}`` as any integer, 0 and −1 included, while the API refuses them. Ids — a record named by
its id, through ``VisibleRecordField`` or a plain ``PrimaryKeyRelatedField`` (a 处罚条款, a department, an
agency) or a hand-written integer (判定依据条款, the hazard merged into, the case's party) — are positive
bigints, 1 … 2⁶³−1 (``core.querysets.MAX_ID``); counts, years and days have their own minimum. Before API 1.15.0
five request fields said only ``integer`` (判定依据条款, 处罚条款, 当事人, 责任部门, 第三方机构), and the 安全生产费用's
年度 said 0; the merge target and the days of an extension were not documented at all
(core/tests/test_api_action_bodies.py)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from core.querysets import MAX_ID

pytestmark = pytest.mark.django_db


def request_integers(schema):
    """(component or operation, property, its schema) for every integer a request body can carry."""
    components = schema["components"]["schemas"]
    seen, found = set(), []

    def walk(where, node):
        if not isinstance(node, dict):
            return
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                walk(name, components[name])
            return
        for key in ("allOf", "oneOf", "anyOf"):
            for part in node.get(key, []):
                walk(where, part)
        if node.get("type") == "array":
            walk(where, node.get("items", {}))
        for prop, sub in node.get("properties", {}).items():
            if sub.get("readOnly"):
                continue
            if sub.get("type") == "integer":
                found.append((where, prop, sub))
            walk(where, sub)

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                walk(f"{method.upper()} {path}", content.get("schema", {}))
    return found


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_the_walk_finds_integers_behind_refs_and_arrays():
    toy = {"components": {"schemas": {
        "A": {"properties": {"n": {"type": "integer"}, "b": {"$ref": "#/components/schemas/B"},
                             "r": {"type": "integer", "readOnly": True}}},
        "B": {"properties": {"xs": {"type": "array", "items": {"properties": {"m": {"type": "integer", "minimum": 0}}}}}}}},
        "paths": {"/p/": {"post": {"requestBody": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/A"}}}}}}}}
    assert [(w, p) for w, p, _ in request_integers(toy)] == [("A", "n"), ("B", "m")]


def test_every_integer_a_request_carries_has_a_minimum(schema):
    integers = request_integers(schema)
    assert len(integers) > 40  # the API's requests, not an empty walk
    unbounded = [f"{where}.{prop}" for where, prop, sub in integers if "minimum" not in sub]
    assert not unbounded, "integers without a minimum in the schema: " + ", ".join(unbounded)


@pytest.mark.parametrize("component, prop", [
    ("HazardCreateRequest", "basis_item"), ("PenaltyInputRequest", "party"), ("PenaltyInputRequest", "article"),
    ("ProposeRequest", "responsible_department"), ("EngagementRequest", "agency"),
    ("AccidentReportRequest", "enterprise"), ("EngagementRequest", "enterprise"),
])
def test_an_id_a_request_carries_is_a_positive_bigint(schema, component, prop):
    """Hand-written integers, plain relation fields (``core.api_schema.RecordIdSchema``) and scoped ones
    (``VisibleRecordSchema``) alike."""
    sub = schema["components"]["schemas"][component]["properties"][prop]
    assert (sub["type"], sub["minimum"], sub["maximum"]) == ("integer", 1, MAX_ID)


def test_a_merge_target_and_an_extension_are_bounded_too(schema):
    """Two action inputs behind the hazards' and accidents' action endpoints (oneOf of the action serializers)."""
    props = {(where, prop): sub for where, prop, sub in request_integers(schema)}
    into = [sub for (where, prop), sub in props.items() if prop == "into"]
    days = [sub for (where, prop), sub in props.items() if prop == "days"]
    assert into and all((s["minimum"], s["maximum"]) == (1, MAX_ID) for s in into)
    assert days and all(s["minimum"] == 1 for s in days)
