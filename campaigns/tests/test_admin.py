"""A campaign is created and changed on its pages by the campaign services (their checks, the
event, the board backfill); the Django admin shows it read-only with a link to that page, and never
adds, changes or deletes one (its submissions and events name it)."""

import datetime

import pytest
from django.utils import timezone

from campaigns import services as cs
from campaigns.models import Campaign
from core.models import ChangeLog
from core.testing import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world):
    today = timezone.localdate()
    return cs.create_campaign(None, name="治本攻坚", issuer=world.org("committee"), region=world.district,
                              start=today - datetime.timedelta(days=7), end=today + datetime.timedelta(days=60))


def test_the_admin_shows_a_campaign_with_a_link_to_its_page(client, world, campaign):
    client_as(client, world, "admin")
    page = client.get(f"/admin/campaigns/campaign/{campaign.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/campaigns/{campaign.pk}/edit/"' in html
    assert 'name="_save"' not in html  # view only
    assert client.get(f"/campaigns/{campaign.pk}/edit/").status_code == 200  # the link works for a superuser


def test_the_admin_neither_adds_changes_nor_deletes_a_campaign(client, world, campaign):
    client_as(client, world, "admin")
    today = timezone.localdate()
    data = {"name": "改名", "issuer": str(world.org("committee").pk), "region": str(world.district.pk),
            "start": str(today), "end": str(today + datetime.timedelta(days=10)), "first_report_date": str(today),
            "report_weekday": "0", "report_time": "12:00", "targets": "{}",
            "phases-TOTAL_FORMS": "0", "phases-INITIAL_FORMS": "0"}
    assert client.get("/admin/campaigns/campaign/add/").status_code == 403
    assert client.post("/admin/campaigns/campaign/add/", data).status_code == 403
    assert client.post(f"/admin/campaigns/campaign/{campaign.pk}/change/", data).status_code == 403
    assert client.post(f"/admin/campaigns/campaign/{campaign.pk}/delete/", {"post": "yes"}).status_code == 403
    assert list(Campaign.objects.values_list("name", flat=True)) == ["治本攻坚"]
    assert not ChangeLog.objects.filter(object_type="campaigns.campaign").exists()
