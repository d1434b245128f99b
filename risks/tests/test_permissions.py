"""Permission matrix for every risks page and API endpoint."""

import pytest

from core.testing import check_matrix
from risks import services


@pytest.fixture
def point(world):
    p = services.create_risk_point(None, world.ent_construction, code="JJ-9", name="塔吊", category="起重伤害",
                                   location="3号楼", hazard_factors="限位失灵")
    services.assess(None, p, method="ls", factors={"l": 4, "s": 5})
    return p


@pytest.mark.parametrize("url", ["/risks/", "/risks/map/", "/risks/register.xlsx", "/risks/?view=emergency&level=major"])
def test_region_pages_open_for_logged_in_users(client, world, url):
    opened = 302 if ".xlsx" in url else 200  # the export is a job: its page, then the file
    check_matrix(client, world, url, {"anon": "login", "committee": opened, "commerce": opened, "other_region": opened,
                                      "enterprise": opened, "agency": opened, "nobody": opened})


@pytest.mark.parametrize("suffix", ["", "card.docx"])
def test_point_pages_scoped(client, world, point, suffix):
    check_matrix(client, world, f"/risks/points/{point.pk}/{suffix}", {
        "anon": "login", "committee": 200, "emergency": 200, "housing": 200, "commerce": 404, "other_region": 404,
        "enterprise": 404, "enterprise_other": 200, "agency": 404, "nobody": 404})


def test_assess_and_add_pages(client, world, point):
    check_matrix(client, world, f"/risks/points/{point.pk}/", {"housing": 403, "enterprise_other": (200, 302)},
                 method="post", data={"method": "ls", "factor_l": "1", "factor_s": "1"})
    check_matrix(client, world, f"/risks/enterprise/{world.ent_construction.pk}/add/", {
        "anon": "login", "enterprise_other": 200, "housing": 403, "commerce": 404, "enterprise": 404, "other_region": 404})


def test_bad_assessment_input_shows_field_errors(client, world, point):
    client.force_login(world.user("enterprise_other"))
    html = client.post(f"/risks/points/{point.pk}/", {"method": "lec", "factor_l": "4", "factor_e": "6",
                                                      "factor_c": "7"}).content.decode()
    assert 'data-field="factor_l"' in html and "只能取" in html
    html = client.post(f"/risks/enterprise/{world.ent_construction.pk}/add/", {"code": "JJ-9", "name": "x",
                                                                              "category": "y", "location": "z",
                                                                              "hazard_factors": "w"}).content.decode()
    assert 'data-field="code"' in html


def test_agency_may_assess_engaged_enterprise(client, world):
    p = services.create_risk_point(None, world.enterprises[11], code="JY-9", name="卸油区", category="火灾",
                                   location="西侧", hazard_factors="油气")
    client.force_login(world.user("agency"))
    response = client.post("/api/v1/risks/assessments/", {"risk_point": p.pk, "method": "lec", "factor_l": 3,
                                                           "factor_e": 6, "factor_c": 40}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["level"] == "major" and response.json()["colour"] == "红"


def test_api_matrix(client, world, point):
    for name in ("points", "assessments", "band-tables"):
        check_matrix(client, world, f"/api/v1/risks/{name}/", {"anon": (401, 403), "committee": 200, "enterprise": 200})
    check_matrix(client, world, f"/api/v1/risks/points/{point.pk}/", {
        "anon": (401, 403), "housing": 200, "commerce": 404, "other_region": 404, "enterprise": 404,
        "enterprise_other": 200})
    client.force_login(world.user("commerce"))
    assert client.get("/api/v1/risks/points/").json()["count"] == 0


def test_api_writes_validate(client, world, point):
    client.force_login(world.user("enterprise_other"))
    bad = client.post("/api/v1/risks/assessments/", {"risk_point": point.pk, "method": "ls", "factor_l": 9, "factor_s": 1},
                      content_type="application/json")
    assert bad.status_code == 400 and "factor_l" in bad.json()["errors"]
    dup = client.post("/api/v1/risks/points/", {"enterprise": world.ent_construction.pk, "code": "JJ-9", "name": "a",
                                                "category": "b", "location": "c", "hazard_factors": "d"},
                      content_type="application/json")
    assert dup.status_code == 400 and "code" in dup.json()["errors"]
    client.force_login(world.user("housing"))
    gov = client.post("/api/v1/risks/points/", {"enterprise": world.ent_construction.pk, "code": "JJ-10", "name": "a",
                                                "category": "b", "location": "c", "hazard_factors": "d"},
                      content_type="application/json")
    assert gov.status_code == 403
