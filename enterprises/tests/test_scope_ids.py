"""The township an enterprise profile names (/enterprises/new/, /enterprises/<id>/edit/) outside the
user's scope is not found (404), as opening it would be — not the form's 400 "invalid choice"
(PRODUCT.md: out of scope is 404). Regions are scoped by region only: a sector bureau sees every
township of its district, so "another sector" does not narrow them."""

import pytest

from core.testing import check_matrix, client_as
from enterprises.models import Enterprise

from .test_views import profile_post

pytestmark = pytest.mark.django_db

NAME = "天津测试新登记有限公司"


def _other_region_township(world):
    return world.ctx["other_enterprise"].region  # a township of 河东区


def test_create_matrix_with_a_township_of_another_region(client, world):
    """河东区's township: the 河北区 offices and bureaus and a street office cannot see it — 404; the
    河东区 bureau registers there; who may not register — 403; anonymous to the login."""
    check_matrix(client, world, "/enterprises/new/", {
        "anon": "login", "committee": 404, "emergency": 404, "commerce": 404, "housing": 404, "township": 404,
        "other_region": 302, "enterprise": 403, "agency": 403, "nobody": 403,
    }, method="post", data=profile_post(world, region=_other_region_township(world).pk))
    assert list(Enterprise.objects.filter(name=NAME).values_list("region", flat=True)) == [_other_region_township(world).pk]


def test_a_street_office_naming_another_street_is_404(client, world):
    mine = world.user("township").membership.organisation.region
    other = next(t for t in world.townships if t.pk != mine.pk)
    client_as(client, world, "township")
    assert client.post("/enterprises/new/", profile_post(world, region=other.pk)).status_code == 404
    assert not Enterprise.objects.filter(name=NAME).exists()


@pytest.mark.parametrize("what", ["other_region", "missing"])
def test_create_and_edit_with_a_township_out_of_scope_is_404(client, world, what):
    region = _other_region_township(world).pk if what == "other_region" else 99999999
    client_as(client, world, "commerce")
    assert client.post("/enterprises/new/", profile_post(world, region=region)).status_code == 404
    assert not Enterprise.objects.filter(name=NAME).exists()
    ent = world.ent_commerce
    before = ent.region_id
    data = profile_post(world, region=region, name=ent.name, credit_code=ent.credit_code)
    assert client.post(f"/enterprises/{ent.pk}/edit/", data).status_code == 404
    ent.refresh_from_db()
    assert ent.region_id == before


@pytest.mark.parametrize("value", ["", "abc"])
def test_a_blank_or_non_numeric_township_is_400_naming_the_field(client, world, value):
    client_as(client, world, "commerce")
    r = client.post("/enterprises/new/", profile_post(world, region=value))
    assert r.status_code == 400 and 'data-field="region"' in r.content.decode()


def test_a_district_in_scope_is_no_township_400(client, world):
    """河北区 itself is in scope but not a township: the form's 400 with the field."""
    client_as(client, world, "commerce")
    r = client.post("/enterprises/new/", profile_post(world, region=world.townships[0].parent_id))
    assert r.status_code == 400 and 'data-field="region"' in r.content.decode()
