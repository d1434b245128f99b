"""The unit a risk point names (POST /api/v1/risks/points/) and the risk point an assessment names
(POST /api/v1/risks/assessments/) outside the caller's scope are not found (404), as opening them
would be — not a 400 "invalid pk" (PRODUCT.md: out of scope is 404). Not an id: 400 on the field."""

import pytest

from core.testing import check_matrix, client_as
from risks import services
from risks.models import RiskAssessment, RiskPoint

pytestmark = pytest.mark.django_db
J = "application/json"


@pytest.fixture
def point(world):
    """津建三公司's (建筑施工, 河北区) risk point."""
    return services.create_risk_point(None, world.ent_construction, code="JJ-9", name="塔吊", category="起重伤害",
                                      location="3号楼", hazard_factors="限位失灵")


def _point_body(ent, **over):
    return {"enterprise": ent.pk, "code": "JJ-10", "name": "基坑", "category": "坍塌", "location": "北侧",
            "hazard_factors": "支护变形", **over}


def _assessment_body(point, **over):
    return {"risk_point": point.pk, "method": "ls", "factor_l": 4, "factor_s": 5, **over}


def test_create_point_matrix_for_a_unit_of_the_construction_sector(client, world):
    """津建三公司: its own staff add the point; 住建委 sees the unit but may not write — 403; 商务局
    (another sector), 河东区 (another region), 鑫隆商贸 (another enterprise), an agency not engaged by
    it and a user without a unit cannot see it — 404; anonymous 401/403 as every API write."""
    check_matrix(client, world, "/api/v1/risks/points/", {
        "anon": (401, 403), "enterprise_other": 201, "housing": 403, "commerce": 404, "other_region": 404,
        "enterprise": 404, "agency": 404, "nobody": 404,
    }, method="post", data=_point_body(world.ent_construction), content_type=J)
    assert list(RiskPoint.objects.values_list("enterprise", "code")) == [(world.ent_construction.pk, "JJ-10")]


def test_assess_matrix_for_a_point_of_the_construction_sector(client, world, point):
    check_matrix(client, world, "/api/v1/risks/assessments/", {
        "anon": (401, 403), "enterprise_other": 201, "housing": 403, "commerce": 404, "other_region": 404,
        "enterprise": 404, "agency": 404, "nobody": 404,
    }, method="post", data=_assessment_body(point), content_type=J)
    assert RiskAssessment.objects.filter(risk_point=point).count() == 1


def test_a_unit_or_point_of_nothing_is_404(client, world, point):
    client_as(client, world, "enterprise_other")
    r = client.post("/api/v1/risks/points/", _point_body(world.ent_construction, enterprise=99999999), content_type=J)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = client.post("/api/v1/risks/assessments/", _assessment_body(point, risk_point=99999999), content_type=J)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert RiskPoint.objects.count() == 1 and not RiskAssessment.objects.exists()


@pytest.mark.parametrize("value", ["abc", "", None])
def test_a_blank_or_non_numeric_unit_or_point_is_400_naming_the_field(client, world, point, value):
    client_as(client, world, "enterprise_other")
    r = client.post("/api/v1/risks/points/", _point_body(world.ent_construction, enterprise=value), content_type=J)
    assert r.status_code == 400 and list(r.json()["errors"]) == ["enterprise"]
    r = client.post("/api/v1/risks/assessments/", _assessment_body(point, risk_point=value), content_type=J)
    assert r.status_code == 400 and list(r.json()["errors"]) == ["risk_point"]
    assert RiskPoint.objects.count() == 1 and not RiskAssessment.objects.exists()


def test_a_point_not_yet_assessed_answers_a_blank_level_the_schema_allows(client, world, point):
    """Found by the contract run: a new point's ``level`` is "" (尚未评价), which the schema's enum must hold."""
    import yaml

    client_as(client, world, "enterprise_other")
    assert client.get(f"/api/v1/risks/points/{point.pk}/").json()["level"] == ""
    schema = yaml.safe_load(client.get("/api/schema/").content)
    level = schema["components"]["schemas"]["RiskPoint"]["properties"]["level"]
    allowed = [v for ref in level["oneOf"] for v in schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]["enum"]]
    assert "" in allowed and "major" in allowed
