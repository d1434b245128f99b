"""Ids the enterprise APIs name outside the caller's scope are not found (404), as opening them would
be — not a 400 "invalid pk" or "invalid choice" (PRODUCT.md: out of scope is 404): the township
(by code) of an enterprise (POST and PATCH /api/v1/enterprises/), the unit of an engagement (POST
/api/v1/engagements/). Not an id or code: 400 on the field. (The permission matrix of the engagement
POST: test_engagements.test_api_permission_matrix.) Regions are scoped by region only, as on the
pages (test_scope_ids): a sector bureau sees every township of its district."""

import pytest

from core.testing import check_matrix, client_as
from enterprises.models import Engagement, Enterprise

from .test_api import etag, payload
from .test_engagements import _agency, day

pytestmark = pytest.mark.django_db
J = "application/json"


def _other_region_township(world):
    return world.ent_other_region.region  # a township of 河东区


def test_create_matrix_with_a_township_of_another_region(client, world):
    """河东区's township: the 河北区 offices and bureaus and a street office cannot see it — 404; the
    河东区 bureau registers there; who may not register — 403; anonymous 401/403."""
    check_matrix(client, world, "/api/v1/enterprises/", {
        "anon": (401, 403), "committee": 404, "emergency": 404, "commerce": 404, "housing": 404, "township": 404,
        "other_region": 201, "enterprise": 403, "agency": 403, "nobody": 403,
    }, method="post", data=payload(world, region=_other_region_township(world).code, sectors=["hazchem"]),
        content_type=J)
    assert list(Enterprise.objects.filter(name=payload(world)["name"]).values_list("region", flat=True)) == [
        _other_region_township(world).pk]


@pytest.mark.parametrize("what", ["other_region", "other_street", "missing"])
def test_create_and_patch_with_a_township_out_of_scope_or_of_nothing_is_404(client, world, what):
    persona = "township" if what == "other_street" else "commerce"
    if what == "other_street":
        mine = world.user("township").membership.organisation.region
        code = next(t for t in world.townships if t.pk != mine.pk).code
    else:
        code = {"other_region": _other_region_township(world).code, "missing": "999999999"}[what]
    client_as(client, world, "commerce")
    ent = world.ent_commerce
    tag = etag(client, ent.pk)
    client_as(client, world, persona)
    r = client.post("/api/v1/enterprises/", payload(world, region=code), content_type=J)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert not Enterprise.objects.filter(name=payload(world)["name"]).exists()
    if persona == "commerce":  # a street office edits no profile
        r = client.patch(f"/api/v1/enterprises/{ent.pk}/", {"region": code}, content_type=J, HTTP_IF_MATCH=tag)
        assert r.status_code == 404 and r.json()["code"] == "not_found"
        assert Enterprise.objects.get(pk=ent.pk).region_id == ent.region_id


@pytest.mark.parametrize("value", ["abc", "", None, "１２０１０５００１"])
def test_a_township_that_is_no_code_is_400_on_the_field(client, world, value):
    client_as(client, world, "commerce")
    r = client.post("/api/v1/enterprises/", payload(world, region=value), content_type=J)
    assert r.status_code == 400 and list(r.json()["errors"]) == ["region"]
    ent = world.ent_commerce
    r = client.patch(f"/api/v1/enterprises/{ent.pk}/", {"region": value}, content_type=J,
                     HTTP_IF_MATCH=etag(client, ent.pk))
    assert r.status_code == 400 and list(r.json()["errors"]) == ["region"]


def test_a_township_in_scope_is_taken_on_create_and_patch(client, world):
    client_as(client, world, "commerce")
    there = world.townships[1]
    r = client.post("/api/v1/enterprises/", payload(world, region=there.code), content_type=J)
    assert r.status_code == 201 and r.json()["region"] == there.code
    ent = world.ent_commerce
    r = client.patch(f"/api/v1/enterprises/{ent.pk}/", {"region": there.code}, content_type=J,
                     HTTP_IF_MATCH=etag(client, ent.pk))
    assert r.status_code == 200 and r.json()["region"] == there.code


def _engagement(world, **over):
    return {"agency": _agency(world).pk, "enterprise": world.ent_commerce.pk, "start": day().isoformat(), **over}


@pytest.mark.parametrize("persona", ["enterprise", "commerce"])
@pytest.mark.parametrize("what", ["other_sector", "other_region", "missing"])
def test_an_engagement_of_a_unit_out_of_scope_or_of_nothing_is_404(client, world, persona, what):
    pk = {"other_sector": world.ent_construction.pk, "other_region": world.ent_other_region.pk, "missing": 99999999}[what]
    client_as(client, world, persona)
    r = client.post("/api/v1/engagements/", _engagement(world, enterprise=pk), content_type=J)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert not Engagement.objects.filter(agency__name="津门安全技术咨询有限公司").exists()


@pytest.mark.parametrize("value", ["abc", "", None])
def test_an_engagement_naming_no_unit_is_400_on_the_field(client, world, value):
    client_as(client, world, "commerce")
    r = client.post("/api/v1/engagements/", _engagement(world, enterprise=value), content_type=J)
    assert r.status_code == 400 and list(r.json()["errors"]) == ["enterprise"]
    r = client.post("/api/v1/engagements/", _engagement(world), content_type=J)
    assert r.status_code == 201 and r.json()["enterprise"] == world.ent_commerce.pk
