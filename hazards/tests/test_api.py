"""REST API: scoped list with the ledger's FilterSet, create, detail, one endpoint per action."""

import datetime

import pytest
from django.utils import timezone

from core.testing import client_as
from hazards.models import Hazard

from .conftest import PLAN, make_general

pytestmark = pytest.mark.django_db
J = "application/json"


def post(client, url, data):
    return client.post(url, data, content_type=J)


def test_list_is_scoped_and_filtered(client, world, hazard, construction_hazard):
    client_as(client, world, "commerce")
    ids = [r["id"] for r in client.get("/api/v1/hazards/").json()["results"]]
    assert ids == [hazard.pk]
    client_as(client, world, "emergency")
    assert client.get("/api/v1/hazards/?grade=major").json()["count"] == 1
    assert client.get("/api/v1/hazards/?sector=construction").json()["count"] == 1
    assert client.get("/api/v1/hazards/?overdue=true").json()["count"] == 0
    response = client.get("/api/v1/hazards/?region=1x")
    assert response.status_code == 400 and "region" in response.json()["errors"]


def test_create_and_detail(client, world):
    client_as(client, world, "commerce")
    deadline = (timezone.localdate() + datetime.timedelta(days=9)).isoformat()
    response = post(client, "/api/v1/hazards/", {"enterprise": world.ent_commerce.pk, "sector": "commerce",
                                                 "description": "安全出口锁闭", "grade": "major", "deadline": deadline})
    assert response.status_code == 400 and "basis_item" in response.json()["errors"]
    response = post(client, "/api/v1/hazards/", {"enterprise": world.ent_construction.pk, "sector": "construction",
                                                 "description": "x", "grade": "general"})
    assert response.status_code == 404  # another sector's unit: out of scope is not found
    response = post(client, "/api/v1/hazards/", {"enterprise": world.ent_commerce.pk, "sector": "commerce",
                                                 "description": "安全出口锁闭", "grade": "major", "deadline": deadline,
                                                 "basis_reason": "可能导致群死群伤"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["channel"] == "inspection" and "void" in body["available_actions"]
    assert client.get(f"/api/v1/hazards/{body['id']}/").json()["number"] == body["number"]


def test_actions_loop_with_400_404_409(client, world, hazard):
    url = f"/api/v1/hazards/{hazard.pk}/actions"
    client_as(client, world, "enterprise")
    r = post(client, f"{url}/submit_plan/", {"goal_tasks": "x"})
    assert r.status_code == 400 and "measures" in r.json()["errors"]
    plan = {**PLAN, "deadline": "2030-01-31"}
    assert post(client, f"{url}/submit_plan/", plan).json()["status"] == "rectifying"
    r = post(client, f"{url}/request_extension/", {"new_deadline": "2020-01-01", "reason": "x"})
    assert r.status_code == 400 and "new_deadline" in r.json()["errors"]
    assert post(client, f"{url}/submit_completion/", {}).status_code == 400
    assert post(client, f"{url}/submit_completion/", {"evidence_note": "已整改"}).json()["status"] == "pending_acceptance"
    client_as(client, world, "commerce")
    r = post(client, f"{url}/reject/", {"reason": "出口仍上锁", "next_steps": "拆除门锁"})
    assert r.status_code == 200 and r.json()["status"] == "rectifying"
    client_as(client, world, "enterprise")
    post(client, f"{url}/submit_completion/", {"evidence_note": "门锁已拆除"})
    client_as(client, world, "commerce_lead")
    assert post(client, f"{url}/accept/", {"mode": "bogus"}).status_code == 400
    assert post(client, f"{url}/accept/", {"mode": "on_site"}).json()["status"] == "closed"
    assert post(client, f"{url}/nonsense/", {}).status_code == 404


def test_stale_state_is_409(client, world, monkeypatch):
    h = make_general(world)
    from hazards import services

    original = services._transition

    def racing(actor, hazard, *a, **kw):
        Hazard.objects.filter(pk=hazard.pk).update(status="void")  # someone else acted first
        return original(actor, hazard, *a, **kw)

    monkeypatch.setattr(services, "_transition", racing)
    client_as(client, world, "commerce")
    r = post(client, f"/api/v1/hazards/{h.pk}/actions/void/", {"reason": "重复"})
    assert r.status_code == 409


def test_merge_validates_target(client, world, hazard):
    other = make_general(world)
    elsewhere = make_general(world, ent=world.ent_commerce2)
    client_as(client, world, "commerce")
    r = post(client, f"/api/v1/hazards/{other.pk}/actions/merge/", {"into": elsewhere.pk, "reason": "重复"})
    assert r.status_code == 400 and "into" in r.json()["errors"]
    r = post(client, f"/api/v1/hazards/{other.pk}/actions/merge/", {"into": hazard.pk, "reason": "重复"})
    assert r.status_code == 200 and r.json()["status"] == "merged"


def test_schema_documents_the_actions(client, world):
    client_as(client, world, "committee")
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/hazards/{id}/actions/{action_name}/" in schema["paths"]
    assert "HazardActionInput" in str(schema["paths"]["/api/v1/hazards/{id}/actions/{action_name}/"])


def test_an_action_answers_the_detail_exactly_as_get_does(client, world, hazard):
    """The action's answer is read again after the write (one query with its relations, not a
    refresh and lazy loads): it must equal what GET answers for the hazard right after."""
    url = f"/api/v1/hazards/{hazard.pk}"
    client_as(client, world, "enterprise")
    r = post(client, f"{url}/actions/submit_plan/", {**PLAN, "deadline": "2030-01-31"})
    assert r.status_code == 200
    assert r.json() == client.get(f"{url}/").json()
    assert r.json()["plan"]["measures"] == PLAN["measures"] and r.json()["status"] == "rectifying"
    r = post(client, f"{url}/actions/submit_completion/", {"evidence_note": "已整改"})
    assert r.json() == client.get(f"{url}/").json() and r.json()["last_acceptance"]["decision"] == "pending"
    client_as(client, world, "commerce_lead")
    r = post(client, f"{url}/actions/accept/", {"mode": "on_site", "opinion": "合格"})
    body = r.json()
    assert body == client.get(f"{url}/").json()
    assert body["status"] == "closed"
    assert body["last_acceptance"]["decision"] == "accepted" and body["last_acceptance"]["decided_by_org_name"]


def test_an_action_ignores_list_filters_in_its_query_string(client, world, hazard):
    """An action names its hazard by id; the ledger's list filters do not apply to it (as for the
    other detail operations: timeline, attachments …)."""
    client_as(client, world, "enterprise")
    r = post(client, f"/api/v1/hazards/{hazard.pk}/actions/submit_plan/?region=1x", {**PLAN, "deadline": "2030-01-31"})
    assert r.status_code == 200 and r.json()["status"] == "rectifying"


def test_an_action_through_a_token_reads_the_database_a_bounded_number_of_times(client, world, hazard):
    """Token + user + scope (1), the hazard (1), the service (compare-and-set, re-read, event, plan:
    4), its plan read back (1; the row is the one the service re-read), the last acceptance (1)
    = 8 statements (savepoints aside): no per-field lazy loads, no FilterSet, no scan of the user's
    other tokens, no query for an enterprise user's own enterprise."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.api_auth import issue

    token = issue(world.user("enterprise"))["token"]
    with CaptureQueriesContext(connection) as queries:
        r = client.post(f"/api/v1/hazards/{hazard.pk}/actions/submit_plan/", {**PLAN, "deadline": "2030-01-31"},
                        content_type=J, HTTP_AUTHORIZATION=f"Token {token}")
    assert r.status_code == 200
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) <= BOUND_SUBMIT_PLAN, "\n".join(statements)


BOUND_SUBMIT_PLAN = 8
