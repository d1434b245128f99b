"""Catalogue pages and API: visible to every logged-in user, search, unverified badges, permissions."""

import pytest

from core.testing import check_matrix
from standards.models import Item, KeyInspectionList

EVERYONE = ["committee", "emergency", "commerce", "township", "other_region", "enterprise", "agency", "nobody"]


@pytest.fixture
def urls(catalogue):
    std = catalogue["GONGMAO-2023"]
    item = std.items.first()
    key_list = KeyInspectionList.objects.get(sector__code="commerce", is_current=True)
    return {"list": "/standards/", "detail": f"/standards/{std.pk}/", "item": f"/standards/items/{item.pk}/",
            "keys": "/standards/key-lists/", "key": f"/standards/key-lists/{key_list.pk}/",
            "revise": f"/standards/key-lists/{key_list.pk}/revise/"}


@pytest.mark.parametrize("name", ["list", "detail", "item", "keys", "key"])
def test_reference_pages_open_to_every_logged_in_user(client, world, urls, name):
    check_matrix(client, world, urls[name], {"anon": "login", **{p: 200 for p in EVERYONE}})


@pytest.mark.parametrize("url", ["/api/v1/standards/", "/api/v1/standard-items/", "/api/v1/key-inspection-lists/"])
def test_reference_api_open_to_every_logged_in_user(client, world, catalogue, url):
    check_matrix(client, world, url, {"anon": (401, 403), **{p: 200 for p in EVERYONE}})


def test_api_is_read_only(client, world, catalogue):
    check_matrix(client, world, "/api/v1/standards/", {"admin": 405, "committee": 405}, method="post", data={})


def test_key_list_revise_only_by_competent_department(client, world, urls):
    check_matrix(client, world, urls["revise"], {
        "anon": "login", "commerce": 200, "commerce_lead": 200, "housing": 403, "committee": 403, "township": 403,
        "enterprise": 403, "other_region": 403, "nobody": 403, "admin": 200})
    client.force_login(world.user("commerce"))
    bad = client.post(urls["revise"], {"title": "", "items": ""})
    assert bad.status_code == 400
    assert 'data-field="title"' in bad.content.decode() and 'data-field="items"' in bad.content.decode()
    ok = client.post(urls["revise"], {"title": "商贸重点（第二版）", "items": "通道堵塞 | Blocked exits\n燃气报警器缺失"})
    assert ok.status_code == 302
    new = KeyInspectionList.objects.get(sector__code="commerce", is_current=True)
    assert new.version == 2 and [i.summary_en for i in new.items.all()] == ["Blocked exits", ""]
    assert client.get(urls["revise"]).status_code == 404  # old version is no longer revisable


def test_detail_shows_unverified_badge_and_counts(client, world, catalogue):
    client.force_login(world.user("enterprise"))
    html = client.get(f"/standards/{catalogue['HOUSING-2022'].pk}/").content.decode()
    assert 'data-testid="counted">34' in html
    partial = Item.objects.filter(standard__is_current=True).exclude(verified="V").first()
    html = client.get(f"/standards/items/{partial.pk}/").content.decode()
    assert "unverified" in html and ("待核实" in html or "部分核实" in html)
    verified = Item.objects.filter(standard__code="HAZCHEM-2017", verified="V").first()
    assert 'data-testid="unverified"' not in client.get(f"/standards/items/{verified.pk}/").content.decode()


def test_list_filters_and_search(client, world, catalogue):
    client.force_login(world.user("commerce"))
    html = client.get("/standards/?sector=metallurgy").content.decode()
    assert "工贸企业重大事故隐患判定标准" in html and "化工和危险化学品" not in html
    html = client.get("/standards/?status=repealed").content.decode()
    assert html.count('data-testid="standard-row"') == 2
    html = client.get("/standards/?q=氨").content.decode()
    assert 'data-testid="item-results"' in html and "GONGMAO-2023-12-1" in html
    bad = client.get("/standards/?sector=nope")  # a form error (400) naming the field, no 500
    assert bad.status_code == 400 and 'data-field="sector"' in bad.content.decode()
    assert client.get("/standards/999999/").status_code == 404
    assert client.get("/standards/items/999999/").status_code == 404


def test_api_filters(client, world, catalogue):
    client.force_login(world.user("township"))
    data = client.get("/api/v1/standard-items/?standard=GONGMAO-2023&counts=true&page_size=500").json()
    assert data["count"] == 64
    data = client.get("/api/v1/standard-items/?sector=fishing_vessel").json()
    assert data["count"] == 8
    data = client.get("/api/v1/standard-items/?verified=R").json()
    assert all(r["verified"] == "R" for r in data["results"])
    data = client.get("/api/v1/standard-items/?search=氨").json()
    assert data["count"] >= 1
    data = client.get("/api/v1/standards/?status=in_force").json()
    assert data["count"] == 15
    codes = {r["code"] for r in client.get("/api/v1/standards/?sector=hazchem").json()["results"]}
    assert codes == {"HAZCHEM-2017"}
    assert client.get("/api/v1/standards/?status=nope").status_code == 400
    assert client.get("/api/v1/standard-items/?sector=nope").status_code == 400


def test_home_card(client, world, catalogue):
    client.force_login(world.user("township"))
    assert 'data-testid="value-standards">15<' in client.get("/").content.decode()
