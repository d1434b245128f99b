"""The dispatch page's submission history and the activity log: no silent caps — the page shows
the latest few with the total and links to the full, paged list (core.lists)."""

import pytest
from django.urls import reverse

from core.testing import client_as

from .scenario import AS_OF_1, build


@pytest.fixture
def scen(world):
    return build(world)


def test_dispatch_page_shows_the_latest_submissions_with_the_total_and_links_to_all(client, world, scen):
    import time_machine

    from campaigns import services as cs

    unit, campaign = world.org("commerce"), scen["campaign"]
    with time_machine.travel(AS_OF_1, tick=False):
        subs = [cs.submit(world.user("commerce"), unit=unit, campaign=campaign, as_of=AS_OF_1, note=f"更正{i}")
                for i in range(7)]
    client_as(client, world, "commerce")
    page = client.get("/campaigns/dispatch/", {"unit": unit.pk, "campaign": campaign.pk,
                                               "as_of": AS_OF_1.isoformat()})
    assert page.status_code == 200
    assert len(page.context["history"]) == 5 and page.context["history_total"] == 7
    # the version compared with the live table is the latest for this cut-off, found in the database
    assert page.context["submitted"].pk == subs[-1].pk and subs[-1].version == 7
    html = page.content.decode()
    assert "共 7 次" in html and reverse("campaigns:submissions") in html
    full = client.get(reverse("campaigns:submissions"), {"unit": unit.pk, "campaign": campaign.pk})
    # seen once as a 400 in a full PostgreSQL run (not reproduced alone): the answer names the refused filter
    if full.status_code != 200:  # seen three times in ~8 full runs, never alone: name everything the filter read
        from accounts.scope import compute_scope
        from campaigns.querysets import dispatch_units

        who = full.wsgi_request.user
        raise AssertionError({"errors": dict(full.context["filter"].errors) if full.context else None,
                              "user": (who.pk, who.username), "membership": getattr(who, "membership", None),
                              "scope": compute_scope(who), "units": list(dispatch_units(who).values_list("pk", flat=True)),
                              "asked": (unit.pk, campaign.pk)})
    assert full.context["total"] == 7
    assert sorted(s.version for s in full.context["rows"]) == list(range(1, 8))


def test_submission_list_refuses_a_unit_out_of_reach(client, world, scen):
    client_as(client, world, "commerce")  # a department sees only its own unit
    response = client.get(reverse("campaigns:submissions"), {"unit": world.org("housing").pk})
    assert response.status_code == 400 and "筛选条件有误" in response.content.decode()


def test_activity_log_pages_with_its_total(client, world):
    import datetime

    from django.utils import timezone

    from campaigns import services as cs

    org = world.org("committee")
    for i in range(55):
        cs.record_activity(world.user("committee"), unit=org, kind="study",
                           date=timezone.localdate() - datetime.timedelta(days=i % 20), summary=f"学习{i}")
    client_as(client, world, "committee")
    first = client.get(reverse("campaigns:activities"), {"kind": "study"})
    assert first.context["total"] == 55 and len(first.context["rows"]) == 50
    second = client.get(reverse("campaigns:activities"), {"kind": "study", "page": 2})
    assert len(second.context["rows"]) == 5
    bad = client.post(reverse("campaigns:activities"), {"kind": "zzz", "date": "2020-01-01"})
    assert bad.status_code == 400 and bad.context["total"] == 55
    assert client.get(reverse("campaigns:activities"), {"kind": "zzz"}).status_code == 400


def test_submission_list_accepts_its_filters_after_the_api_schema_read_the_filter_fields(client, world, scen):
    # drf-spectacular's schema generation reads base_filters[...].field with no request; django-filter
    # caches that field (built from nobody's units) on the class's filter, which every later
    # FilterSet copied: the list then refused the user's own unit and campaign with a 400.
    from campaigns.filters import SubmissionFilter

    for flt in SubmissionFilter.base_filters.values():
        flt.field  # noqa: B018 — what the schema generator does
    unit, campaign = world.org("commerce"), scen["campaign"]
    client_as(client, world, "commerce")
    response = client.get(reverse("campaigns:submissions"), {"unit": unit.pk, "campaign": campaign.pk})
    assert response.status_code == 200, dict(response.context["filter"].errors) if response.context else None


def test_a_unit_that_never_submitted_gets_its_page_without_a_second_look_for_submissions(client, world, scen):
    """The table already read the unit's latest submission for this campaign; when there is none the
    page lists an empty history from that, without asking the database again (and with one the
    history is read, as above)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    unit, campaign = world.org("commerce"), scen["campaign"]
    client_as(client, world, "commerce")
    with CaptureQueriesContext(connection) as ran:
        page = client.get("/campaigns/dispatch/", {"unit": unit.pk, "campaign": campaign.pk, "as_of": AS_OF_1.isoformat()})
    assert page.status_code == 200
    assert page.context["history"] == [] and page.context["history_total"] == 0 and page.context["submitted"] is None
    asked = [q["sql"] for q in ran.captured_queries if 'FROM "campaigns_submission"' in q["sql"]]
    assert len(asked) == 1, asked
