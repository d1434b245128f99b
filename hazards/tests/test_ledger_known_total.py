"""The ledger's total is read from the pre-aggregated counts (hazards.tallies) when every filter in use
is a tally key, instead of counting the rows. The shown total must still be exactly the number of
rows the list holds: for every persona and every tally-answerable filter it equals the count of the
same FilterSet over ``visible_to`` (the ordinary pager's ``COUNT(*)``, which never reads a tally)
and the rows read page by page; when the tally cannot answer (a text search, an enterprise user,
overdue) the pager counts the rows."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing import client_as
from hazards.filters import HazardFilter
from hazards.models import Hazard

from .test_tallies import _register, _step, travel

pytestmark = pytest.mark.django_db

PERSONAS = ("committee", "province", "emergency", "commerce", "housing", "township", "township_other",
            "other_region", "enterprise", "agency", "admin", "nobody")
TALLY_QUERIES = ("", "grade=major", "status=registered", "status=closed", "channel=inspection", "open=true",
                 "grade=general&status=rectifying&channel=self_check", "sort=deadline")


def _corpus(world):
    rng = random.Random(7)
    day = datetime.date(2026, 3, 2)
    hazards = []
    for _ in range(6):
        with travel(day):
            for _ in range(4):
                hazards.append(_register(world, rng, day))
            for h in rng.sample(hazards, min(len(hazards), 6)):
                _step(rng, h, day)
        day += datetime.timedelta(days=2)
    assert len({h.status for h in Hazard.objects.all()}) >= 3


def _region_queries(world):
    township = world.ent_commerce.township_code
    return (f"region={township}", f"region={world.ent_commerce.county_code}", f"region={township}&grade=major")


def _counted(user, query):
    from django.http import QueryDict
    from django.test import RequestFactory

    request = RequestFactory().get("/hazards/")
    request.user = user  # the filters as the user sees them (hazards.disclosure: the channel outside government)
    fs = HazardFilter(QueryDict(query), queryset=Hazard.objects.visible_to(user), request=request)
    assert fs.is_valid(), fs.errors
    return fs.qs.count()


def _hazard_counts(ctx):
    return [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper() and '"hazards_hazard"' in q["sql"]]


def test_every_persona_sees_the_exact_total_with_every_tally_answerable_filter(client, world):
    _corpus(world)
    queries = TALLY_QUERIES + _region_queries(world)
    seen_nonzero = 0
    for persona in PERSONAS:
        client_as(client, world, persona)
        user = world.user(persona)
        for query in queries:
            response = client.get(f"/hazards/?{query}")
            assert response.status_code == 200, (persona, query)
            expected = _counted(user, query)
            assert response.context["total"] == expected, (persona, query)
            seen_nonzero += expected > 0
    assert seen_nonzero > 40  # the corpus reaches most personas and filters


def test_a_region_scope_reads_its_total_without_counting_the_hazards(client, world):
    _corpus(world)
    client_as(client, world, "committee")
    for query in TALLY_QUERIES + _region_queries(world):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/hazards/?{query}")
        assert response.context["total"] == _counted(world.user("committee"), query)
        assert _hazard_counts(ctx) == [], query


@pytest.mark.parametrize("query", ["q=随机", "overdue=true", "open=false", f"found_from={datetime.date(2026, 3, 5)}",
                                   "sector=commerce", "item=X"])
def test_filters_the_tally_does_not_know_count_the_rows(client, world, query):
    _corpus(world)
    client_as(client, world, "committee")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/hazards/?{query}")
    assert response.status_code == 200
    assert response.context["total"] == _counted(world.user("committee"), query)
    if connection.vendor != "postgresql" or not query.startswith("q="):  # PostgreSQL's search pager counts in its walk
        assert _hazard_counts(ctx), query


def test_an_enterprise_user_has_its_rows_counted(client, world):
    _corpus(world)
    client_as(client, world, "enterprise")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/hazards/")
    assert response.context["total"] == Hazard.objects.filter(enterprise=world.ent_commerce).count() > 0
    assert _hazard_counts(ctx)


def test_the_pages_hold_exactly_the_total_rows(client, world):
    _corpus(world)
    client_as(client, world, "committee")
    first = client.get("/hazards/?status=registered")
    total, pages = first.context["total"], first.context["page_obj"].paginator.num_pages
    rows = []
    for number in range(1, pages + 1):
        rows += [h.pk for h in client.get(f"/hazards/?status=registered&page={number}").context["rows"]]
    assert len(rows) == len(set(rows)) == total == Hazard.objects.filter(
        status="registered", county_code=world.ent_commerce.county_code).count()


def test_the_api_list_shows_the_same_exact_totals_for_every_persona(client, world):
    _corpus(world)
    queries = TALLY_QUERIES + _region_queries(world) + ("overdue=true", "q=随机")
    for persona in PERSONAS:
        client_as(client, world, persona)
        user = world.user(persona)
        for query in queries:
            response = client.get(f"/api/v1/hazards/?{query}")
            if persona == "nobody" and response.status_code != 200:
                continue
            assert response.status_code == 200, (persona, query, response.content[:200])
            body = response.json()
            assert body["count"] == _counted(user, query), (persona, query)
            assert len(body["results"]) == min(body["count"], 50)


def test_the_api_reads_a_region_scopes_total_without_counting_the_hazards(client, world):
    _corpus(world)
    client_as(client, world, "committee")
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/api/v1/hazards/?status=registered").json()
    assert body["count"] == _counted(world.user("committee"), "status=registered") > 0
    assert _hazard_counts(ctx) == []
    assert client.get("/api/v1/hazards/?grade=nonsense").status_code == 400


def test_the_total_is_read_on_the_primary_like_the_rows_not_on_a_replica(client, world, monkeypatch):
    """Statistics may read a lagging replica (core.routers.read_db); the ledger's total must not:
    with the read database pointing at an alias that does not exist, the page and the API still
    answer the exact total."""
    import core.routers

    _corpus(world)
    monkeypatch.setattr(core.routers, "read_db", lambda: "no-such-replica")
    client_as(client, world, "committee")
    expected = _counted(world.user("committee"), "grade=general")
    assert client.get("/hazards/?grade=general").context["total"] == expected > 0
    assert client.get("/api/v1/hazards/?grade=general").json()["count"] == expected


def test_the_api_list_validates_its_filters_once_for_the_rows_and_the_total(client, world, monkeypatch):
    """The pager reads the filterset the filter backend bound (``view.filterset``) instead of
    building a second one from the query string: one HazardFilter per list request, the total still
    exact and a bad parameter still a 400 naming it."""
    _corpus(world)
    built = []
    original = HazardFilter.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(HazardFilter, "__init__", counting)
    client_as(client, world, "committee")
    for query in ("", "status=registered", "overdue=true"):
        built.clear()
        body = client.get(f"/api/v1/hazards/?{query}").json()
        assert len(built) == 1, query
        monkeypatch.setattr(HazardFilter, "__init__", original)
        assert body["count"] == _counted(world.user("committee"), query), query
        monkeypatch.setattr(HazardFilter, "__init__", counting)
    built.clear()
    bad = client.get("/api/v1/hazards/?grade=nonsense")
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["grade"] and len(built) == 1
