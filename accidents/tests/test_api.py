import datetime

import pytest
from django.utils import timezone

from accidents.models import Accident
from core.testing import client_as

pytestmark = pytest.mark.django_db


def _payload(**kw):
    occurred = timezone.now() - datetime.timedelta(hours=2)
    data = {"sector_code": "commerce", "accident_type": "object_strike", "place": "仓库", "summary": "货架倒塌", "occurred_at": occurred.isoformat(),
            "learned_at": (occurred + datetime.timedelta(minutes=5)).isoformat(), "deaths": 0, "injuries": 10, "loss": "1"}
    data.update(kw)
    return data


def test_enterprise_reports_via_api_and_supplements(client, world):
    client_as(client, world, "enterprise")
    r = client.post("/api/v1/accidents/", _payload(), content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["grade"] == "larger" and "迟报" in r.json()["flags"]
    pk = r.json()["id"]
    r = client.post(f"/api/v1/accidents/{pk}/supplement/", {"deaths": 0, "injuries": 50, "loss": "1", "note": "核实"},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["grade"] == "major"


def test_api_errors_are_field_keyed(client, world):
    client_as(client, world, "enterprise")
    r = client.post("/api/v1/accidents/", _payload(deaths=-1), content_type="application/json")
    assert r.status_code == 400 and "deaths" in r.json()["errors"]
    r = client.post("/api/v1/accidents/", _payload(sector_code="nope"), content_type="application/json")
    assert r.status_code == 400 and "sector_code" in r.json()["errors"]


def test_api_investigation_permission(client, world, report):
    a = report()
    client_as(client, world, "enterprise")
    r = client.post(f"/api/v1/accidents/{a.pk}/start-investigation/", {"leader_name": "x", "members": "y"},
                    content_type="application/json")
    assert r.status_code == 403
    client_as(client, world, "committee")
    r = client.post(f"/api/v1/accidents/{a.pk}/start-investigation/", {"leader_name": "张", "members": "应急局"},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["investigation"]["authority_name"] == "河北区人民政府"
    r = client.post(f"/api/v1/accidents/{a.pk}/extend-investigation/", {"days": 61, "reason": "x"},
                    content_type="application/json")
    assert r.status_code == 400 and "days" in r.json()["errors"]
    assert Accident.objects.get(pk=a.pk).status == "investigating"


def test_api_list_is_scoped(client, world, report):
    report()
    client_as(client, world, "other_region")
    body = client.get("/api/v1/accidents/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert rows == []


def test_measure_api_flow_and_scope(client, world, report):
    from accidents import services
    from core.testing import check_matrix

    a = report()
    services.start_investigation(world.user("committee"), a, leader_name="张", members="应急局")
    m = services.add_measure(world.user("committee"), a, problem="p", content="c", owner_org=world.org("commerce"),
                             owner_name="刘", deadline=timezone.localdate())
    check_matrix(client, world, f"/api/v1/accident-measures/{m.pk}/", {
        "committee": 200, "commerce": 200, "housing": 404, "other_region": 404, "anon": (401, 403)})
    client_as(client, world, "commerce")
    r = client.post(f"/api/v1/accident-measures/{m.pk}/submit/", {"note": ""}, content_type="application/json")
    assert r.status_code == 400 and "note" in r.json()["errors"]
    r = client.post(f"/api/v1/accident-measures/{m.pk}/submit/", {"note": "已完成"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "pending_acceptance"
    r = client.post(f"/api/v1/accident-measures/{m.pk}/accept/", {}, content_type="application/json")
    assert r.status_code == 403
    client_as(client, world, "committee")
    r = client.post(f"/api/v1/accident-measures/{m.pk}/accept/", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "closed"


@pytest.mark.parametrize("occurred", ["0416-07-29T19:06:13Z", "2007-05-31T23:30:00+08:00"])
def test_an_accident_before_the_regulation_was_in_force_is_refused_on_its_field(client, world, occurred):
    """493号令 (in force from 2007-06-01) governs the report; year 416 (a typo the contract run sent) was
    accepted and then written back in a local mean time offset no client can read."""
    client_as(client, world, "enterprise")
    r = client.post("/api/v1/accidents/", _payload(occurred_at=occurred, learned_at="2026-01-01T00:00:00+08:00"),
                    content_type="application/json")
    assert r.status_code == 400, r.content
    assert "2007年6月1日" in str(r.json()) and "occurred_at" in str(r.json())
    assert not Accident.objects.exists()


def test_an_accident_on_the_day_the_regulation_came_into_force_is_accepted(client, world):
    client_as(client, world, "enterprise")
    r = client.post("/api/v1/accidents/", _payload(occurred_at="2007-06-01T00:30:00+08:00",
                                                   learned_at="2007-06-01T01:00:00+08:00"), content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["occurred_at"].startswith("2007-06-01T00:30:00+08:00")
