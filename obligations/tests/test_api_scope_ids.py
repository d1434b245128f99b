"""The unit an obligation record names (POST /api/v1/obligations/…/) and the workers a 作业票 names,
outside the caller's scope, are not found (404), as opening them would be — not a 400 "invalid pk"
(PRODUCT.md: out of scope is 404). Not an id: 400 on the field."""

import datetime

import pytest
from django.utils import timezone

from core.testing import check_matrix, client_as
from obligations import services
from obligations.models import EmergencyDrill, WorkPermit

pytestmark = pytest.mark.django_db
J = "application/json"
TODAY = timezone.localdate()


def _drill(ent, **over):
    return {"enterprise": ent.pk, "kind": "special", "plan": "火灾预案", "held_on": TODAY.isoformat(),
            "scenario": "仓库起火", "participants": 12, **over}


def _welder(world, ent, persona):
    return services.add_special_worker(world.user(persona), ent, name="钱焊工", operation="welding", certificate_no="T5",
                                       issued_on=TODAY - datetime.timedelta(days=30))


def _permit(world, workers, **over):
    return {"enterprise": world.ent_commerce.pk, "kind": "hot_work", "operation": "welding", "number": "DH-1",
            "work_on": TODAY.isoformat(), "location": "仓库", "approved_by": "安全员", "workers": workers, **over}


def test_drill_matrix_for_a_unit_of_the_commerce_sector(client, world):
    """鑫隆商贸 (商贸, 河北区): its own staff record the drill; 商务局 sees the unit but may not write —
    403; 住建委 (another sector), 河东区 (another region), 津建三公司 (another enterprise), an agency not
    engaged by it and a user without a unit cannot see it — 404; anonymous 401/403."""
    check_matrix(client, world, "/api/v1/obligations/drills/", {
        "anon": (401, 403), "enterprise": 201, "commerce": 403, "housing": 404, "other_region": 404,
        "enterprise_other": 404, "agency": 404, "nobody": 404,
    }, method="post", data=_drill(world.ent_commerce), content_type=J)
    assert list(EmergencyDrill.objects.values_list("enterprise", flat=True)) == [world.ent_commerce.pk]


@pytest.mark.parametrize("value", [99999999, "abc", ""])
def test_a_unit_of_nothing_is_404_and_no_id_is_400_naming_the_field(client, world, value):
    client_as(client, world, "enterprise")
    r = client.post("/api/v1/obligations/drills/", _drill(world.ent_commerce, enterprise=value), content_type=J)
    if value == 99999999:
        assert r.status_code == 404 and r.json()["code"] == "not_found"
    else:
        assert r.status_code == 400 and list(r.json()["errors"]) == ["enterprise"]
    assert not EmergencyDrill.objects.exists()


def test_a_permit_naming_another_enterprises_worker_or_none_is_404(client, world):
    """津建三公司's welder is no worker 鑫隆商贸's staff can see: 404, like a worker of nothing; the
    unit's own welder is taken; a worker id that is no id: 400 on workers."""
    own = _welder(world, world.ent_commerce, "enterprise")
    theirs = _welder(world, world.ent_construction, "enterprise_other")
    client_as(client, world, "enterprise")
    for workers in ([own.pk, theirs.pk], [theirs.pk], [99999999]):
        r = client.post("/api/v1/obligations/permits/", _permit(world, workers), content_type=J)
        assert r.status_code == 404 and r.json()["code"] == "not_found", workers
    for workers in (["abc"], [own.pk, ""], "abc"):
        r = client.post("/api/v1/obligations/permits/", _permit(world, workers), content_type=J)
        assert r.status_code == 400 and list(r.json()["errors"]) == ["workers"], workers
    assert not WorkPermit.objects.exists()
    r = client.post("/api/v1/obligations/permits/", _permit(world, [own.pk]), content_type=J)
    assert r.status_code == 201 and r.json()["workers"] == [own.pk]
