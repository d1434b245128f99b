"""A picker's query string names records by id (``?enterprise=``, ``?parent=``, a number typed in
``?q=``): an id in other scripts' digits ("²" — ``str.isdigit`` says yes, ``int`` refuses: a
ValueError, a 500 on every database) is no id, and one beyond bigint names nothing (an
OverflowError on SQLite, a 500) — the hazard register page's sector and 判定依据 pickers ask with the
chosen enterprise's id. Run on PostgreSQL too."""

import pytest

from core.testing import client_as
from hazards import services as hazards

pytestmark = pytest.mark.django_db
NOT_IDS = ("²", "¹²", "١٢")
HUGE = ("99999999999999999999", str(2**63), "9" * 40)


@pytest.fixture
def hazard(world):
    from accounts.models import Sector

    return hazards.register_hazard(world.user("commerce"), enterprise=world.ent_commerce,
                                   sector=Sector.objects.get(code="commerce"), description="仓库消防通道堵塞",
                                   grade="general")


def _get(client, url, **params):
    r = client.get(url, params)
    assert r.status_code == 200, (url, params, r.status_code)
    return [row["value"] for row in r.json()["results"]]


@pytest.mark.parametrize("value", NOT_IDS + HUGE)
def test_an_enterprise_the_pickers_cannot_name_is_no_500(client, world, hazard, value):
    client_as(client, world, "commerce")
    for name in ("sectors", "standard-items", "hazards"):
        _get(client, f"/pickers/{name}/", enterprise=value)
    if value in HUGE:  # beyond any id: nothing (the sectors of no enterprise, its items, its hazards)
        assert _get(client, "/pickers/sectors/", enterprise=value) == []
        assert _get(client, "/pickers/hazards/", enterprise=value) == []


@pytest.mark.parametrize("value", NOT_IDS + HUGE)
def test_a_number_typed_in_a_picker_search_is_no_500(client, world, hazard, value):
    client_as(client, world, "commerce")
    assert hazard.pk not in _get(client, "/pickers/hazards/", q=value)
    _get(client, "/pickers/regions/", parent=value)
    client_as(client, world, "emergency")
    _get(client, "/pickers/tips/", q=value)


def test_an_id_in_ascii_digits_still_names_its_record(client, world, hazard):
    client_as(client, world, "commerce")
    assert _get(client, "/pickers/hazards/", enterprise=str(world.ent_commerce.pk)) == [hazard.pk]
    assert _get(client, "/pickers/hazards/", q=f" {hazard.pk} ") == [hazard.pk]
    assert _get(client, "/pickers/sectors/", enterprise=str(world.ent_commerce.pk))
