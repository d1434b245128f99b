"""A hazard id outside the proposer's scope (POST /api/v1/listings/) is not found — 404, exactly like
one that does not exist (PRODUCT.md: out of scope is 404; not a 400 form error)."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Sector
from core.testing import check_matrix, client_as
from hazards import services as hz
from hazards.models import Hazard
from supervision.models import Listing

pytestmark = pytest.mark.django_db
J = "application/json"


def _elsewhere(world):
    """A major hazard of 河东区 (another region than the 区安委办's 河北区)."""
    ent = world.ent_other_region
    return hz.register_hazard(None, enterprise=ent, sector=ent.sectors.first() or Sector.objects.get(code="commerce"),
                              description="外区重大隐患", grade="major", basis_reason="可能导致群死群伤",
                              deadline=timezone.localdate() + datetime.timedelta(days=60))


def _body(world, **over):
    return {"responsible_department": world.org("commerce").pk, "requirements": "限期整改",
            "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(), **over}


def test_out_of_scope_hazard_id_is_404_like_a_missing_one(client, world):
    elsewhere = _elsewhere(world)
    missing = (Hazard.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    client_as(client, world, "committee")
    answers = []
    for pk in (elsewhere.pk, missing):
        r = client.post("/api/v1/listings/", _body(world, hazard=pk), content_type=J)
        assert r.status_code == 404 and r.json()["code"] == "not_found"
        answers.append(r.json())
    assert answers[0] == answers[1]
    assert not Listing.objects.exists()


def test_propose_matrix_for_a_hazard_of_another_region(client, world):
    """河东区's hazard: the 区安委办 (河北区) cannot see it — 404; who may not propose at all — 403
    (河东区's 应急局 included); anonymous 401/403 as every API write."""
    check_matrix(client, world, "/api/v1/listings/", {
        "anon": (401, 403), "committee": 404, "commerce": 403, "other_region": 403, "enterprise": 403,
    }, method="post", data=_body(world, hazard=_elsewhere(world).pk), content_type=J)
    assert not Listing.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", None])
def test_a_blank_or_non_numeric_hazard_is_400_naming_the_field(client, world, value):
    client_as(client, world, "committee")
    r = client.post("/api/v1/listings/", _body(world, hazard=value), content_type=J)
    assert r.status_code == 400 and "hazard" in r.json()["errors"]
