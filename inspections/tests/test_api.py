"""API: scoped like the pages; writes through the services; 400 with field and reason."""

import pytest

from core.testing import check_matrix, client_as
from inspections import services

from .factories import record, today, with_finding

SEE_ENT = {"committee": 200, "emergency": 200, "commerce": 200, "township": 200, "enterprise": 200, "housing": 404,
           "township_other": 404, "other_region": 404, "enterprise_other": 404, "nobody": 404, "anon": (401, 403)}
DEPT = {"emergency": 200, "committee": 200, "commerce": 404, "township": 404, "other_region": 404, "enterprise": 404,
        "nobody": 404, "anon": (401, 403)}


@pytest.fixture
def data(world):
    rec = record(world)
    item = with_finding(world, rec)
    services.answer_remaining(world.user("emergency"), rec)
    services.sign(world.user("emergency"), rec)
    plan = services.create_plan(world.user("emergency"), title="计划", year=today().year, planned_count=3)
    draw = services.make_draw(world.user("emergency"), plan, count=2)
    visit = services.record_visit(world.user("emergency"), kind="help_township", visited_on=today(), content="x",
                                  township=world.townships[0])
    sc = services.record_spot_check(world.user("commerce"), enterprise=world.ent_commerce, checked_on=today(),
                                    answers={"2.4": True})
    return {"rec": rec, "item": item, "plan": plan, "draw": draw, "visit": visit, "sc": sc}


def test_detail_matrix(client, world, data):
    check_matrix(client, world, f"/api/v1/inspections/records/{data['rec'].pk}/", SEE_ENT)
    check_matrix(client, world, f"/api/v1/inspections/findings/{data['item'].pk}/", SEE_ENT)
    check_matrix(client, world, f"/api/v1/inspections/spot-checks/{data['sc'].pk}/", SEE_ENT)
    check_matrix(client, world, f"/api/v1/inspections/plans/{data['plan'].pk}/", DEPT)
    check_matrix(client, world, f"/api/v1/inspections/draws/{data['draw'].pk}/", DEPT)
    check_matrix(client, world, f"/api/v1/inspections/visits/{data['visit'].pk}/", DEPT)


def test_lists_are_scoped(client, world, data):
    for url in ("records", "findings", "spot-checks", "plans", "draws", "visits"):
        client_as(client, world, "other_region")
        body = client.get(f"/api/v1/inspections/{url}/").json()
        rows = body["results"] if isinstance(body, dict) else body
        assert rows == []
        client_as(client, world, "emergency")
        body = client.get(f"/api/v1/inspections/{url}/").json()
        rows = body["results"] if isinstance(body, dict) else body
        assert len(rows) >= 1


def test_create_and_sign(client, world):
    client_as(client, world, "emergency")
    resp = client.post("/api/v1/inspections/records/", {"enterprise": world.ent_commerce.pk, "kind": "routine",
                                                       "inspected_on": today().isoformat(),
                                                       "inspectors": [world.user("emergency").pk]}, content_type="application/json")
    assert resp.status_code == 201, resp.content
    pk = resp.json()["id"]
    resp = client.post("/api/v1/inspections/records/", {"enterprise": world.ent_commerce.pk, "kind": "routine",
                                                       "inspected_on": today().isoformat(), "inspectors": []},
                       content_type="application/json")
    assert resp.status_code == 400 and "inspectors" in resp.json()["errors"]
    resp = client.post("/api/v1/inspections/records/", {"enterprise": world.ent_other_region.pk, "kind": "routine",
                                                       "inspected_on": today().isoformat(),
                                                       "inspectors": [world.user("emergency").pk]}, content_type="application/json")
    assert resp.status_code == 404 and resp.json()["code"] == "not_found"  # another region's unit: not found
    client_as(client, world, "emergency2")
    assert client.post(f"/api/v1/inspections/records/{pk}/sign/", content_type="application/json").status_code == 403
    client_as(client, world, "emergency")
    resp = client.post(f"/api/v1/inspections/records/{pk}/sign/", content_type="application/json")
    assert resp.status_code == 400 and "未填写检查结论" in str(resp.json())
    resp = client.post(f"/api/v1/inspections/records/{pk}/answer-remaining/", content_type="application/json")
    assert resp.status_code == 200 and resp.json()["answered"] > 0
    resp = client.post(f"/api/v1/inspections/records/{pk}/sign/", content_type="application/json")
    assert resp.status_code == 200 and resp.json()["status"] == "locked"
    client_as(client, world, "enterprise")
    assert client.post("/api/v1/inspections/records/", {"enterprise": world.ent_commerce.pk, "kind": "routine",
                                                       "inspected_on": today().isoformat(),
                                                       "inspectors": [world.user("emergency").pk]},
                       content_type="application/json").status_code == 403


def test_spot_check_and_visit_create(client, world):
    client_as(client, world, "commerce")
    resp = client.post("/api/v1/inspections/spot-checks/", {
        "enterprise": world.ent_commerce.pk, "checked_on": today().isoformat(), "answers": {"2.5": True},
        "q2_7_unclear_duties": True, "q2_6_via_permit_records": True, "notes": {"2.5": "无专职安全员"}},
        content_type="application/json")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["q2_5"] and body["q2_7"] and body["q2_6"] and not body["q2_2"]
    resp = client.post("/api/v1/inspections/spot-checks/", {"enterprise": world.ent_construction.pk,
                                                           "checked_on": today().isoformat()}, content_type="application/json")
    assert resp.status_code == 404 and resp.json()["code"] == "not_found"  # another sector's unit: not found
    resp = client.post("/api/v1/inspections/visits/", {"kind": "help_enterprise", "visited_on": today().isoformat(),
                                                      "content": "指导", "enterprise": world.ent_commerce.pk},
                       content_type="application/json")
    assert resp.status_code == 201
    resp = client.post("/api/v1/inspections/visits/", {"kind": "help_township", "visited_on": today().isoformat(),
                                                      "content": "指导"}, content_type="application/json")
    assert resp.status_code == 400 and "township" in resp.json()["errors"]
