"""The enterprise a hazard registration names (POST /api/v1/hazards/) outside the caller's scope is not
found (404), as opening it would be — not a 400 "invalid pk" (PRODUCT.md: out of scope is 404)."""

import pytest

from core.testing import check_matrix, client_as
from hazards.models import Hazard

pytestmark = pytest.mark.django_db

J = "application/json"


def _body(ent, sector="commerce", **over):
    return {"enterprise": ent.pk, "sector": sector, "description": "安全出口锁闭", "grade": "general", **over}


def test_create_matrix_for_a_unit_of_the_commerce_sector(client, world):
    """鑫隆商贸 (商贸, 河北区): 商务局 registers; 住建委 (another sector) and 河东区 (another region)
    cannot see the unit — 404; anonymous 401."""
    check_matrix(client, world, "/api/v1/hazards/", {
        "anon": 401, "commerce": 201, "housing": 404, "other_region": 404,
    }, method="post", data=_body(world.ent_commerce), content_type=J)
    assert Hazard.objects.count() == 1


@pytest.mark.parametrize("what", ["other_sector", "other_region", "missing"])
def test_an_enterprise_out_of_scope_is_404(client, world, what):
    ent = {"other_sector": world.ent_construction, "other_region": world.ent_other_region}.get(what)
    body = _body(ent) if ent else {**_body(world.ent_commerce), "enterprise": 99999999}
    client_as(client, world, "commerce")
    r = client.post("/api/v1/hazards/", body, content_type=J)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert not Hazard.objects.exists()


def test_an_enterprise_user_naming_another_enterprise_is_404(client, world):
    client_as(client, world, "enterprise")
    r = client.post("/api/v1/hazards/", _body(world.ent_construction, "construction"), content_type=J)
    assert r.status_code == 404
    assert not Hazard.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", None])
def test_a_blank_or_non_numeric_enterprise_is_400_naming_the_field(client, world, value):
    client_as(client, world, "commerce")
    r = client.post("/api/v1/hazards/", {**_body(world.ent_commerce), "enterprise": value}, content_type=J)
    assert r.status_code == 400 and "enterprise" in r.json()["errors"]
