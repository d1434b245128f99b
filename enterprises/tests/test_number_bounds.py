"""Numbers a user, an API client or an import sends to the registry never reach the database unchecked,
and never answer a 500: the engagements list's ``?enterprise=`` filter takes a record id only (an id
beyond bigint was an OverflowError on SQLite — a 500 — a decimal or an exponent was silently
truncated to another unit's id). Run on PostgreSQL too."""

import pytest

from core.testing import client_as
from enterprises import services

from .test_engagements import _agency, day

pytestmark = pytest.mark.django_db
HUGE_IDS = ("99999999999999999999", str(2**63), "9" * 30)
NOT_IDS = ("1e400", "-1e400", "1e1", "1.5", "-1", "²", "٣", "NaN")


@pytest.fixture
def engagement(world):
    return services.engage_agency(world.user("enterprise"), agency=_agency(world), enterprise=world.ent_commerce,
                                  start=day())


@pytest.mark.parametrize("value", HUGE_IDS)
def test_an_enterprise_filter_beyond_any_id_lists_no_engagement(client, world, engagement, value):
    client_as(client, world, "emergency")
    r = client.get("/enterprises/engagements/", {"enterprise": value})
    assert r.status_code == 200 and r.context["page_obj"].paginator.count == 0
    r = client.get("/api/v1/engagements/", {"enterprise": value})
    assert r.status_code == 200 and r.json()["count"] == 0, r.content
    r = client.get("/api/v1/engagements/", {"enterprise": str(world.ent_commerce.pk)})
    assert [e["id"] for e in r.json()["results"]] == [engagement.pk]


@pytest.mark.parametrize("value", NOT_IDS)
def test_an_enterprise_filter_that_is_no_id_is_refused_on_its_field(client, world, engagement, value):
    client_as(client, world, "emergency")
    r = client.get("/enterprises/engagements/", {"enterprise": value})
    assert r.status_code == 400 and "enterprise" in r.context["filter"].form.errors, (value, r.status_code)
    assert r.context["filter"].form.errors["enterprise"] == ["生产经营单位编号须为正整数。"]
    r = client.get("/api/v1/engagements/", {"enterprise": value})
    assert r.status_code == 400 and "enterprise" in r.json()["errors"], (value, r.content)
