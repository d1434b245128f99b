"""Permission matrix for the foundation's pages and API endpoints."""

import pytest

from core.testing import check_matrix

ALL_LOGGED_IN = ["committee", "emergency", "commerce", "township", "other_region", "enterprise", "agency", "nobody"]


@pytest.mark.parametrize("url", ["/", "/inbox/", "/accounts/profile/", "/accounts/organisations/"])
def test_pages_need_login_and_open_for_every_user(client, world, url):
    check_matrix(client, world, url, {"anon": "login", **{p: 200 for p in ALL_LOGGED_IN}})


def test_organisation_detail_is_404_outside_scope(client, world):
    url = f"/accounts/organisations/{world.org('emergency').pk}/"
    check_matrix(client, world, url, {
        "anon": "login", "committee": 200, "emergency": 200, "commerce": 200, "province": 200,
        "other_region": 404, "enterprise": 404, "agency": 404, "nobody": 404,
    })


def test_api_requires_authentication(client, world):
    check_matrix(client, world, "/api/v1/me/", {"anon": (401, 403), "committee": 200, "enterprise": 200})


def test_api_token_authentication(client, world):
    from core.api_auth import issue

    token = issue(world.user("commerce"))["token"]
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    data = response.json()
    assert data["organisation"]["name"] == "河北区商务局"
    assert data["scope"]["sectors"] == ["commerce"]


def test_api_organisations_scoped(client, world):
    client.force_login(world.user("other_region"))
    names = {o["name"] for o in client.get("/api/v1/organisations/?page_size=500").json()["results"]}
    assert "河东区应急管理局" in names and "河北区应急管理局" not in names
    assert client.get(f"/api/v1/organisations/{world.org('emergency').pk}/").status_code == 404


def test_api_regions_scoped_to_subtree_and_ancestors(client, world):
    client.force_login(world.user("township"))
    codes = {r["code"] for r in client.get("/api/v1/regions/?page_size=500").json()["results"]}
    assert codes == {"12", "1201", "120105", "120105001"}
    assert client.get("/api/v1/regions/120102/").status_code == 404


def test_api_sectors_and_schema(client, world):
    client.force_login(world.user("enterprise"))
    assert any(s["code"] == "commerce" for s in client.get("/api/v1/sectors/").json())
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/me/" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_home_numbers_are_real_queries(client, world):
    client.force_login(world.user("commerce"))
    html = client.get("/").content.decode()
    from enterprises.models import Enterprise

    n = Enterprise.objects.visible_to(world.user("commerce")).count()
    assert f'data-testid="value-enterprises">{n}<' in html
