"""What the hazard API reads to answer a write (B4: the per-request cost of the 重大 loop): the
register answer does not look for a plan or acceptance a new hazard cannot have; a status
change answers from the row its service read again in its transaction, reading at most the plan
after the write (none when the lookup had read one), not the hazard row, its enterprise, sector and
department. Each answer must still equal GET's."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation
from core.testing import client_as

from .conftest import PLAN

pytestmark = pytest.mark.django_db
J = "application/json"


def _after_commit(queries) -> list[str]:
    sqls = [q["sql"] for q in queries]
    last = max(i for i, s in enumerate(sqls) if s.upper().startswith(("COMMIT", "RELEASE SAVEPOINT")))
    return sqls[last + 1:]


def test_register_answers_without_looking_for_a_plan_or_acceptance(client, world):
    client_as(client, world, "enterprise")
    deadline = (timezone.localdate() + datetime.timedelta(days=9)).isoformat()
    with CaptureQueriesContext(connection) as q:
        r = client.post("/api/v1/hazards/", {"enterprise": world.ent_commerce.pk, "sector": "commerce", "grade": "major",
                                             "description": "安全出口锁闭", "basis_reason": "可能导致群死群伤",
                                             "deadline": deadline}, content_type=J)
    assert r.status_code == 201, r.json()
    assert not [s for s in q.captured_queries if "hazards_governanceplan" in s["sql"] or "hazards_acceptance" in s["sql"]]
    body = r.json()
    assert body["plan"] is None and body["last_acceptance"] is None
    assert body == client.get(f"/api/v1/hazards/{body['id']}/").json()


def test_a_status_change_answers_from_the_row_its_service_read_again(client, world, hazard):
    """The service re-reads the row in its transaction after the compare-and-set
    (``services.run_action``): after the commit the answer reads the plan only, not the hazard row a
    second time, nor its enterprise and sector."""
    url = f"/api/v1/hazards/{hazard.pk}"
    client_as(client, world, "enterprise")
    with CaptureQueriesContext(connection) as q:
        r = client.post(f"{url}/actions/submit_plan/", {**PLAN, "deadline": "2030-01-31"}, content_type=J)
    assert r.status_code == 200
    after = _after_commit(q.captured_queries)
    assert not [s for s in after if 'FROM "hazards_hazard"' in s]
    assert len([s for s in after if 'FROM "hazards_governanceplan"' in s]) == 1
    assert not [s for s in after if "enterprises_enterprise" in s or "accounts_sector" in s]
    body = r.json()
    assert body == client.get(f"{url}/").json()
    assert body["enterprise_name"] == world.ent_commerce.name and body["sector_code"] == "commerce"
    assert body["plan"]["measures"] == PLAN["measures"] and body["status"] == "rectifying"


def test_every_action_answers_exactly_what_get_answers_right_after_it(client, world):
    """Every hazard action (the row ``services.run_action`` returns: the caller's instance, re-read by
    its service inside the transaction after its last write) answers exactly what GET answers right after it
    (the row, its plan, its last acceptance, its links), through the whole 重大 and 一般 loops."""
    from hazards import workflow

    from .conftest import make_general, make_major

    done = set()

    def act(persona, hazard, name, data):
        client_as(client, world, persona)
        r = client.post(f"/api/v1/hazards/{hazard.pk}/actions/{name}/", data, content_type=J)
        assert r.status_code == 200, (name, r.json())
        assert r.json() == client.get(f"/api/v1/hazards/{hazard.pk}/").json(), name
        done.add(name)
        return r.json()

    role = "enterprise"
    major = make_major(world, actor=role)
    client_as(client, world, role)
    dept = client.get(f"/api/v1/hazards/{major.pk}/report-departments/").json()[0]["id"]
    assert act(role, major, "report", {"department": dept})["reported_to"] == dept
    act(role, major, "submit_plan", {**PLAN, "deadline": "2030-01-31"})
    act(role, major, "request_extension", {"new_deadline": "2030-03-31", "reason": "设备未到"})
    assert act("commerce", major, "decide_extension", {"approve": True})["deadline"] == "2030-03-31"
    act(role, major, "submit_completion", {"evidence_note": "已整改", "assessment_report": "评估报告"})
    body = act("commerce_lead", major, "reject", {"reason": "不彻底", "next_steps": "再整改"})
    assert body["last_acceptance"]["decision"] == "rejected" and body["status"] == "rectifying"
    act(role, major, "submit_completion", {"evidence_note": "已彻底整改"})
    assert act("commerce_lead", major, "accept", {"mode": "on_site", "opinion": "合格"})["status"] == "closed"
    deadline = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    body = act("commerce", major, "reopen", {"reason": "复查又发现", "deadline": deadline})
    assert body["status"] == "rectifying" and body["deadline"] == deadline and body["plan"] is not None
    general = make_general(world)
    assert act("commerce", general, "close_now", {"evidence_note": "当场整改"})["status"] == "closed"
    voided = make_general(world)
    assert act("commerce", voided, "void", {"reason": "误报"})["status"] == "void"
    kept, duplicate = make_general(world), make_general(world, description="灭火器过期（重复登记）")
    assert act("commerce", duplicate, "merge", {"into": kept.pk, "reason": "重复登记"})["status"] == "merged"
    assert kept.category == "" and act("commerce", kept, "classify", {"category": "management"})["category"] == "management"
    assert act("enterprise", kept, "reclassify", {"category": "behaviour", "reason": "登记时选错"})["category"] == "behaviour"
    assert done == set(workflow.ACTIONS)


def test_report_answers_the_department_it_was_reported_to(client, world, hazard):
    """双报告 changes the hazard's department: the answer names the new one (read after the write)."""
    client_as(client, world, "enterprise")
    dept = Organisation.objects.get(pk=client.get(f"/api/v1/hazards/{hazard.pk}/report-departments/").json()[0]["id"])
    assert hazard.reported_to_id is None
    r = client.post(f"/api/v1/hazards/{hazard.pk}/actions/report/", {"department": dept.pk}, content_type=J)
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["reported_to"] == dept.pk and body["reported_to_name"] == dept.name
    assert body == client.get(f"/api/v1/hazards/{hazard.pk}/").json()


def test_an_action_on_a_hazard_with_a_plan_answers_with_the_plan_read_with_the_hazard(client, world, hazard):
    """A plan, once submitted, is never edited (``services.submit_plan`` is its only writer): an
    action that does not write one answers with the plan read with the hazard by the scoped lookup
    (one join) — no query of its own for it, before or after the write; the answer equals GET's."""
    url = f"/api/v1/hazards/{hazard.pk}"
    client_as(client, world, "enterprise")
    assert client.post(f"{url}/actions/submit_plan/", {**PLAN, "deadline": "2030-01-31"}, content_type=J).status_code == 200
    with CaptureQueriesContext(connection) as q:
        r = client.post(f"{url}/actions/submit_completion/", {"evidence_note": "已整改"}, content_type=J)
    assert r.status_code == 200, r.json()
    assert not [s["sql"] for s in q.captured_queries if 'FROM "hazards_governanceplan"' in s["sql"]]
    body = r.json()
    assert body["plan"]["measures"] == PLAN["measures"] and body["status"] == "pending_acceptance"
    assert body == client.get(f"{url}/").json()


def test_a_sector_limited_department_asks_once_whether_it_sees_the_enterprise(client, world, hazard):
    """An industry department sees an enterprise through its sectors — a query
    (``hazards.acting._enterprise_visible``). Accepting asks it for the guard and again for the
    answer's available actions: the second time is answered from the first (same user object, one
    request)."""
    url = f"/api/v1/hazards/{hazard.pk}"
    client_as(client, world, "enterprise")
    assert client.post(f"{url}/actions/submit_plan/", {**PLAN, "deadline": "2030-01-31"}, content_type=J).status_code == 200
    assert client.post(f"{url}/actions/submit_completion/", {"evidence_note": "已整改"}, content_type=J).status_code == 200
    client_as(client, world, "commerce_lead")
    with CaptureQueriesContext(connection) as q:
        r = client.post(f"{url}/actions/accept/", {"mode": "on_site", "opinion": "合格"}, content_type=J)
    assert r.status_code == 200, r.json()
    asked = [s["sql"] for s in q.captured_queries
             if s["sql"].startswith('SELECT 1 AS "a" FROM "enterprises_enterprise"')]
    assert len(asked) == 1, asked
    assert r.json()["status"] == "closed" and r.json()["available_actions"] == client.get(f"{url}/").json()["available_actions"]
