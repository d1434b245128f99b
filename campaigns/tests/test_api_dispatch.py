"""The weekly dispatch table (调度表) through the API (issue 18, 2.): a unit submits (and corrects)
its own table with the page's service, an identical retry is 409 with the submission on record,
the committee office urges (催报) the units that have not submitted; all scoped like the pages."""

import datetime

import pytest
from django.utils import timezone

from campaigns import services as cs
from campaigns.models import Submission
from core.models import Event
from core.testing import client_as

pytestmark = pytest.mark.django_db
J = "application/json"


@pytest.fixture(autouse=True)
def _no_inline_jobs(settings):
    settings.QINGLING_JOBS_INLINE = False  # the campaign's board backfill waits in the queue


@pytest.fixture
def campaign(world):
    today = timezone.localdate()
    return cs.create_campaign(None, name="治本攻坚", issuer=world.org("committee"), region=world.district,
                              start=today - datetime.timedelta(days=7), end=today + datetime.timedelta(days=60))


def _as_of():
    return (timezone.now() - datetime.timedelta(minutes=1)).replace(microsecond=0)


def _url(campaign, what="submit"):
    return f"/api/v1/campaigns/{campaign.pk}/{what}/"


def test_a_unit_submits_its_own_table_and_it_is_frozen_as_version_one(client, world, campaign):
    client_as(client, world, "commerce")
    as_of = _as_of()
    r = client.post(_url(campaign), {"as_of": as_of.isoformat()}, content_type=J)
    assert r.status_code == 201, r.content
    body = r.json()
    sub = Submission.objects.get()
    assert (body["id"], body["version"], body["unit"]) == (sub.pk, 1, world.org("commerce").pk)
    assert sub.as_of == as_of and sub.submitted_by == world.user("commerce")
    # the frozen figures are the table the page shows for the same unit and cut-off
    page = client.get(f"/api/v1/dispatch/?unit={world.org('commerce').pk}&as_of={as_of.isoformat()}".replace("+", "%2B"))
    assert page.status_code == 200
    assert {k: v for k, v in body["values"].items() if k in page.json()["values"]} == \
        {k: v for k, v in page.json()["values"].items() if k in body["values"]}
    assert Event.objects.filter(verb="campaigns.dispatch_submitted", object_id=sub.pk).count() == 1
    assert client.get(f"/api/v1/dispatch-submissions/{sub.pk}/").json()["id"] == sub.pk


def test_an_identical_retry_is_409_with_the_submission_on_record_and_writes_nothing(client, world, campaign):
    client_as(client, world, "commerce")
    body = {"as_of": _as_of().isoformat(), "note": ""}
    first = client.post(_url(campaign), body, content_type=J)
    assert first.status_code == 201
    events = Event.objects.count()
    again = client.post(_url(campaign), body, content_type=J)
    assert again.status_code == 409 and again.json()["code"] == "already_done"
    assert again.json()["current"]["id"] == first.json()["id"] and again.json()["current"]["version"] == 1
    assert Submission.objects.count() == 1 and Event.objects.count() == events


def test_a_correction_with_a_note_is_a_new_version_and_keeps_the_first(client, world, campaign):
    client_as(client, world, "commerce")
    as_of = _as_of().isoformat()
    assert client.post(_url(campaign), {"as_of": as_of}, content_type=J).status_code == 201
    r = client.post(_url(campaign), {"as_of": as_of, "note": "更正：补报培训人次"}, content_type=J)
    assert r.status_code == 201 and r.json()["version"] == 2 and r.json()["note"] == "更正：补报培训人次"
    assert sorted(Submission.objects.values_list("version", flat=True)) == [1, 2]


def test_bad_input_is_400_naming_the_field_in_chinese(client, world, campaign):
    client_as(client, world, "commerce")
    future = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    for body, field in (({}, "as_of"), ({"as_of": "昨天"}, "as_of"), ({"as_of": future}, "as_of"),
                        ({"as_of": "0001-01-01T00:00:00"}, "as_of"), ({"as_of": "9999-12-31T23:59:59"}, "as_of"),
                        ({"as_of": _as_of().isoformat(), "note": "长" * 201}, "note")):
        r = client.post(_url(campaign), body, content_type=J)
        assert r.status_code == 400 and field in r.json()["errors"], (body, r.content)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["errors"][field][0])
    assert not Submission.objects.exists()


@pytest.mark.parametrize("persona,unit,expected", [
    ("housing", "commerce", 404),        # another sector department: the commerce table is out of its reach
    ("committee", "commerce", 403),      # the committee office sees it but only the unit itself submits
    ("commerce_lead", None, 201),        # the unit's own leader may write
    ("other_region", None, 404),         # the campaign is of another district
    ("enterprise", None, 404),           # enterprises have no dispatch table
    ("anon", None, 401),
])
def test_submission_is_scoped_like_the_page(client, world, campaign, persona, unit, expected):
    client_as(client, world, persona)
    body = {"as_of": _as_of().isoformat()}
    if unit:
        body["unit"] = world.org(unit).pk
    r = client.post(_url(campaign), body, content_type=J)
    assert r.status_code == expected, r.content
    if expected != 201:
        assert not Submission.objects.exists()


def test_submissions_are_visible_to_the_unit_and_its_committee_office_only(client, world, campaign):
    sub = cs.submit(world.user("commerce"), unit=world.org("commerce"), campaign=campaign, as_of=_as_of())
    for persona, expected in (("commerce", 200), ("committee", 200), ("housing", 404), ("other_region", 404),
                              ("enterprise", 404), ("anon", 401)):
        client_as(client, world, persona)
        assert client.get(f"/api/v1/dispatch-submissions/{sub.pk}/").status_code == expected, persona


def test_the_committee_office_urges_the_units_that_have_not_submitted_once_a_week(client, world, campaign):
    from core.models import Notification

    cs.submit(world.user("commerce"), unit=world.org("commerce"), campaign=campaign, as_of=_as_of())
    client_as(client, world, "committee")
    r = client.post(_url(campaign, "remind"), {}, content_type=J)
    assert r.status_code == 200, r.content
    lines = {line["unit"]: line for line in r.json()["lines"]}
    assert world.org("commerce").pk not in lines  # it has submitted this week
    assert world.org("housing").pk in lines and lines[world.org("housing").pk]["newly"] is True
    sent = Notification.objects.filter(kind="dispatch_reminder").count()
    assert sent >= 1
    again = client.post(_url(campaign, "remind"), {}, content_type=J)  # repeatable: answers who was reminded how
    assert again.status_code == 200 and not any(line["newly"] for line in again.json()["lines"])
    assert Notification.objects.filter(kind="dispatch_reminder").count() == sent  # nothing sent twice


@pytest.mark.parametrize("persona,expected", [("commerce", 404), ("housing", 404), ("other_region", 404),
                                              ("enterprise", 404), ("anon", 401)])
def test_only_the_committee_office_urges(client, world, campaign, persona, expected):
    from core.models import Notification

    client_as(client, world, persona)
    r = client.post(_url(campaign, "remind"), {}, content_type=J)
    assert r.status_code == expected and r.json()["code"] in ("not_found", "not_authenticated")
    assert not Notification.objects.filter(kind="dispatch_reminder").exists()


def test_hand_entered_rows_are_frozen_and_counted_rows_stay_the_platforms(client, world, campaign):
    from campaigns.tables import unit_table

    client_as(client, world, "commerce")
    as_of = _as_of()
    live = unit_table(world.org("commerce"), as_of, campaign).values["1.1"]
    r = client.post(_url(campaign), {"as_of": as_of.isoformat(), "values": {"4.7": "3", "4.6": "是", "1.1": "999"}},
                    content_type=J)
    assert r.status_code == 201, r.content
    values = r.json()["values"]
    assert values["4.7"] == 3 and values["4.6"] is True
    assert values["1.1"] == live != 999  # a counted row cannot be overwritten by hand
    bad = client.post(_url(campaign), {"as_of": as_of.isoformat(), "values": {"4.7": "三个"}}, content_type=J)
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    assert list(bad.json()["errors"]) == ["values.4.7"] and "非负数字" in bad.json()["errors"]["values.4.7"][0]
    assert Submission.objects.count() == 1


def test_the_submission_list_filters_by_campaign_unit_and_week_and_refuses_garbage(client, world, campaign):
    from campaigns import dispatch as D

    as_of = _as_of()
    v1 = cs.submit(world.user("commerce"), unit=world.org("commerce"), campaign=campaign, as_of=as_of)
    v2 = cs.submit(world.user("commerce"), unit=world.org("commerce"), campaign=campaign, as_of=as_of, note="更正")
    housing = cs.submit(world.user("housing"), unit=world.org("housing"), campaign=campaign, as_of=as_of)
    client_as(client, world, "committee")
    week = D.week_of(as_of).isoformat()

    def ids(query):
        r = client.get(f"/api/v1/dispatch-submissions/{query}")
        assert r.status_code == 200, r.content
        return {s["id"] for s in r.json()["results"]}

    assert ids("") == {v1.pk, v2.pk, housing.pk}
    assert ids(f"?unit={world.org('commerce').pk}&campaign={campaign.pk}&week={week}") == {v1.pk, v2.pk}
    assert ids("?week=2000-01-03") == set()
    for query, field in (("?unit=abc", "unit"), ("?campaign=-1", "campaign"), ("?week=31/12/2026", "week")):
        r = client.get(f"/api/v1/dispatch-submissions/{query}")
        assert r.status_code == 400 and field in r.json()["errors"], query
    client_as(client, world, "commerce")  # a unit sees only its own
    assert ids("") == {v1.pk, v2.pk}


# ?campaign= means the same on the page and in the API (campaigns.querysets.campaign_or_404)
TABLES = {"page": "/campaigns/dispatch/", "api": "/api/v1/dispatch/"}


@pytest.mark.parametrize("where", TABLES)
@pytest.mark.parametrize("persona", ["commerce", "committee"])
def test_the_table_of_a_campaign_in_scope_is_200(client, world, campaign, persona, where):
    client_as(client, world, persona)
    r = client.get(f"{TABLES[where]}?unit={world.org('commerce').pk}&campaign={campaign.pk}")
    assert r.status_code == 200, r.content
    if where == "api":
        assert r.json()["campaign"]["id"] == campaign.pk
    else:
        assert campaign.name in r.content.decode()


@pytest.mark.parametrize("where", TABLES)
def test_another_regions_campaign_is_404_as_opening_it_would_be(client, world, campaign, where):
    """河东区's unit asks for its own table with 河北区's campaign: out of scope is 404 (PRODUCT.md),
    the same answer as GET /campaigns/{id}/ gives it, never a 400 that tells the campaign exists —
    nor the unit's table for its default campaign, as if the one asked for had been shown."""
    client_as(client, world, "other_region")
    assert client.get(TABLES[where]).status_code == 200  # its own table
    assert client.get(f"/api/v1/campaigns/{campaign.pk}/").status_code == 404
    r = client.get(f"{TABLES[where]}?campaign={campaign.pk}")
    assert r.status_code == 404, r.content
    assert where == "page" or r.json()["code"] == "not_found"


@pytest.mark.parametrize("where", TABLES)
@pytest.mark.parametrize("raw", ["99999999", "9223372036854775807", "9223372036854775808", "9" * 40])
def test_a_campaign_id_of_nothing_is_404(client, world, campaign, raw, where):
    client_as(client, world, "commerce")
    r = client.get(f"{TABLES[where]}?campaign={raw}")
    assert r.status_code == 404, r.content
    assert where == "page" or r.json()["code"] == "not_found"


@pytest.mark.parametrize("where", TABLES)
@pytest.mark.parametrize("raw", ["abc", "0", "-1", "1.5", "１"])
def test_a_campaign_that_is_no_id_is_400_naming_the_field(client, world, campaign, raw, where):
    client_as(client, world, "commerce")
    r = client.get(TABLES[where], {"campaign": raw})
    assert r.status_code == 400, r.content
    if where == "api":
        assert r.json()["errors"] == {"campaign": ["无效的专项行动编号。"]}
    else:
        assert "无效的专项行动编号。" in r.content.decode()


def test_a_bare_date_as_cut_off_is_the_end_of_that_day_in_shanghai_as_on_the_pages(client, world, campaign):
    """DISPATCH_TABLE.md: the cut-off is an instant, every date taken in Asia/Shanghai; a date alone is
    the whole day (as ``GET /dispatch/?as_of=`` and the page read it), not its first instant."""
    from zoneinfo import ZoneInfo

    client_as(client, world, "commerce")
    day = timezone.localdate() - datetime.timedelta(days=1)
    r = client.post(_url(campaign), {"as_of": day.isoformat()}, content_type=J)
    assert r.status_code == 201, r.content
    end_of_day = datetime.datetime.combine(day, datetime.time(23, 59, 59, 999999), tzinfo=ZoneInfo("Asia/Shanghai"))
    assert Submission.objects.get().as_of == end_of_day
    live = client.get(f"/api/v1/dispatch/?unit={world.org('commerce').pk}&as_of={day.isoformat()}").json()
    assert datetime.datetime.fromisoformat(live["as_of"]) == end_of_day
    for bad in ("2026-13-45", "明天", "", " "):
        r = client.post(_url(campaign), {"as_of": bad}, content_type=J)
        assert r.status_code == 400 and "as_of" in r.json()["errors"], r.content
    assert Submission.objects.count() == 1
