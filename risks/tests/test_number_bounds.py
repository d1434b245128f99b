"""Numbers a user or an API client sends to the risk register never reach the database unchecked, and
never answer a 500: the register's ``?enterprise=`` filter takes a record id only (an id beyond bigint
was an OverflowError on SQLite — a 500 — a decimal or an exponent was silently truncated to another
unit's id), on the page, its xlsx and the API. Run on PostgreSQL too."""

import pytest

from core.testing import client_as

from .test_services import make_point

pytestmark = pytest.mark.django_db
HUGE_IDS = ("99999999999999999999", str(2**63), "9" * 30)
NOT_IDS = ("1e400", "-1e400", "1e1", "1.5", "-1", "²", "٣", "NaN")


@pytest.mark.parametrize("value", HUGE_IDS)
def test_an_enterprise_filter_beyond_any_id_lists_no_point(client, world, value):
    point = make_point(world)
    client_as(client, world, "emergency")
    r = client.get("/risks/", {"enterprise": value})
    assert r.status_code == 200 and r.context["page_obj"].paginator.count == 0
    r = client.get("/api/v1/risks/points/", {"enterprise": value})
    assert r.status_code == 200 and r.json()["count"] == 0, r.content
    r = client.get("/api/v1/risks/points/", {"enterprise": str(point.enterprise_id)})
    assert [p["id"] for p in r.json()["results"]] == [point.pk]


@pytest.mark.parametrize("value", NOT_IDS)
def test_an_enterprise_filter_that_is_no_id_is_refused_on_its_field(client, world, value):
    make_point(world)
    client_as(client, world, "emergency")
    for url in ("/risks/", "/risks/register.xlsx"):
        r = client.get(url, {"enterprise": value})
        assert r.status_code == 400, (url, value, r.status_code)
    r = client.get("/api/v1/risks/points/", {"enterprise": value})
    assert r.status_code == 400 and r.json()["errors"]["enterprise"] == ["单位编号须为正整数。"], (value, r.content)
