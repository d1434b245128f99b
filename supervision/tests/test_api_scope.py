"""A hazard id outside the proposer's scope answers exactly like one that does not exist."""

import datetime

from django.utils import timezone

from accounts.models import Sector
from core.testing import client_as
from hazards import services as hz
from hazards.models import Hazard


def test_out_of_scope_hazard_id_is_no_existence_oracle(client, world):
    ent = world.ent_other_region
    elsewhere = hz.register_hazard(None, enterprise=ent, sector=ent.sectors.first() or Sector.objects.get(code="commerce"),
                                   description="外区重大隐患", grade="major", basis_reason="可能导致群死群伤",
                                   deadline=timezone.localdate() + datetime.timedelta(days=60))
    missing = (Hazard.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    body = {"responsible_department": world.org("commerce").pk, "requirements": "限期整改",
            "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()}
    client_as(client, world, "committee")
    answers = []
    for pk in (elsewhere.pk, missing):
        r = client.post("/api/v1/listings/", {**body, "hazard": pk}, content_type="application/json")
        assert r.status_code == 400
        answers.append(r.json())
    assert answers[0] == answers[1]
    assert "隐患不存在或不在您的管辖范围内。" in str(answers[0])
