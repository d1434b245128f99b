"""API writes go through the services: 201, 400 with field and reason, 403 for non-writers."""

import datetime

from django.utils import timezone

TODAY = timezone.localdate()


def test_create_drill_and_bad_input(client, world):
    client.force_login(world.user("enterprise"))
    ent = world.ent_commerce.pk
    ok = client.post("/api/v1/obligations/drills/", {"enterprise": ent, "kind": "special", "plan": "火灾预案",
                                                      "held_on": TODAY.isoformat(), "scenario": "仓库起火", "participants": 12},
                     content_type="application/json")
    assert ok.status_code == 201, ok.content
    future = (TODAY + datetime.timedelta(days=2)).isoformat()
    bad = client.post("/api/v1/obligations/drills/", {"enterprise": ent, "plan": "p", "held_on": future, "scenario": "s",
                                                       "participants": 1}, content_type="application/json")
    assert bad.status_code == 400 and "held_on" in bad.json()["errors"]
    garbage = client.post("/api/v1/obligations/drills/", {"enterprise": "x", "participants": "many"}, content_type="application/json")
    assert garbage.status_code == 400 and "enterprise" in garbage.json()["errors"]
    other = client.post("/api/v1/obligations/drills/", {"enterprise": world.ent_construction.pk, "plan": "p",
                                                         "held_on": TODAY.isoformat(), "scenario": "s", "participants": 1},
                        content_type="application/json")
    assert other.status_code == 404 and other.json()["code"] == "not_found"  # out of scope: not found, as its page


def test_government_may_not_write_through_api(client, world):
    client.force_login(world.user("commerce"))
    response = client.post("/api/v1/obligations/drills/", {"enterprise": world.ent_commerce.pk, "plan": "p",
                                                            "held_on": TODAY.isoformat(), "scenario": "s", "participants": 1},
                           content_type="application/json")
    assert response.status_code == 403


def test_permit_api_refuses_uncertified_worker(client, world):
    client.force_login(world.user("enterprise"))
    w = client.post("/api/v1/obligations/workers/", {"enterprise": world.ent_commerce.pk, "name": "钱焊工",
                                                     "operation": "welding", "certificate_no": "T5",
                                                     "issued_on": (TODAY - datetime.timedelta(days=30)).isoformat()},
                    content_type="application/json")
    assert w.status_code == 201 and w.json()["expires_on"]
    permit = {"enterprise": world.ent_commerce.pk, "kind": "height", "operation": "height", "number": "GC-1",
              "work_on": TODAY.isoformat(), "location": "屋顶", "approved_by": "安全员", "workers": [w.json()["id"]]}
    response = client.post("/api/v1/obligations/permits/", permit, content_type="application/json")
    assert response.status_code == 400 and "焊接与热切割作业" in response.json()["errors"]["workers"][0]
    permit["operation"] = "welding"
    assert client.post("/api/v1/obligations/permits/", permit, content_type="application/json").status_code == 201


def test_cost_api_reports_required_amount(client, world):
    client.force_login(world.user("enterprise_gas_station"))
    response = client.post("/api/v1/obligations/costs/", {"enterprise": world.ent_hazchem.pk, "year": TODAY.year - 1,
                                                           "industry": "hazchem", "base": "120000000", "amount": "100"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["required_amount"] == "2585000.00" and response.json()["below_required"] is True


def test_a_check_without_kind_and_staffing_without_institution_take_the_documented_defaults(client, world):
    """``kind`` and ``has_institution`` are optional in the schema (defaults 带队检查 / 未设置): leaving
    them out is that default, not a 500 (found by the contract run)."""
    client.force_login(world.user("enterprise"))
    ent = world.ent_commerce.pk
    check = client.post("/api/v1/obligations/checks/", {"enterprise": ent, "held_on": TODAY.isoformat(), "leader": "王总",
                                                        "participants": "安全员"}, content_type="application/json")
    assert check.status_code == 201 and check.json()["kind"] == "check", check.content
    staffing = client.post("/api/v1/obligations/staffing/", {"enterprise": ent, "as_of": TODAY.isoformat()},
                           content_type="application/json")
    assert staffing.status_code == 201 and staffing.json()["has_institution"] is False, staffing.content
