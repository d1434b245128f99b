"""What the hazard API reads to answer a write (B4: the per-request cost of the 重大 loop): the
register answer does not look for a plan or acceptance a new hazard cannot have; an action's
answer reads the hazard row and its plan again after the write, not its enterprise, sector and
department, which it read before. Each answer must still equal GET's."""

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


def test_an_action_reads_the_row_and_plan_again_not_the_enterprise(client, world, hazard):
    url = f"/api/v1/hazards/{hazard.pk}"
    client_as(client, world, "enterprise")
    with CaptureQueriesContext(connection) as q:
        r = client.post(f"{url}/actions/submit_plan/", {**PLAN, "deadline": "2030-01-31"}, content_type=J)
    assert r.status_code == 200
    after = _after_commit(q.captured_queries)
    hazard_reads = [s for s in after if 'FROM "hazards_hazard"' in s]
    assert len(hazard_reads) == 1 and "hazards_governanceplan" in hazard_reads[0]
    assert not [s for s in after if "enterprises_enterprise" in s or "accounts_sector" in s]
    body = r.json()
    assert body == client.get(f"{url}/").json()
    assert body["enterprise_name"] == world.ent_commerce.name and body["sector_code"] == "commerce"


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
