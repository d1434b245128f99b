"""Numbers a user or an API client sends to 挂牌督办 never reach the database unchecked, and never answer a
500: the 进展报告周期（天） is a small-integer column bounded once (``Listing.MIN_REPORT_EVERY_DAYS`` –
``Listing.MAX_REPORT_EVERY_DAYS``, 1–366), and that one bound is what the propose page's form, the API's
serializer and ``services.propose_listing`` each check; the propose page's ``?hazard=`` prefill in other
scripts' digits ("²": ``str.isdigit`` says yes, ``int`` refuses — a ValueError, a 500 on every database)
or beyond bigint names nothing. Run on PostgreSQL too."""

import datetime

import pytest
from django.utils import timezone

from core.services import ServiceError
from core.testing import client_as
from supervision import services
from supervision.models import Listing

from .helpers import major_hazard

pytestmark = pytest.mark.django_db
J = "application/json"
OUT = ("0", "-1", str(Listing.MAX_REPORT_EVERY_DAYS + 1), "32768", "99999999999", str(10**20), "1" * 30)


def _deadline():
    return timezone.localdate() + datetime.timedelta(days=30)


def _form(world, hazard, **over):
    return {"hazard": hazard.pk, "responsible_department": world.org("commerce").pk,
            "deadline": _deadline().isoformat(), "requirements": "限期整改", "report_every_days": "30", **over}


def test_the_bound_is_one_pair_of_constants():
    assert (Listing.MIN_REPORT_EVERY_DAYS, Listing.MAX_REPORT_EVERY_DAYS) == (1, 366)


@pytest.mark.parametrize("value", OUT)
def test_propose_page_and_api_refuse_a_period_out_of_bounds_on_its_field(client, world, value):
    hazard = major_hazard(world)
    client_as(client, world, "committee")
    r = client.post("/supervision/propose/", _form(world, hazard, report_every_days=value))
    assert r.status_code == 400 and "report_every_days" in r.context["form"].errors, (value, r.status_code)
    r = client.post("/api/v1/listings/", _form(world, hazard, report_every_days=int(value)), content_type=J)
    assert r.status_code == 400 and "report_every_days" in r.json()["errors"], (value, r.content)
    assert not Listing.objects.exists()


def test_propose_page_and_api_keep_a_period_at_the_bounds(client, world):
    client_as(client, world, "committee")
    hazard = major_hazard(world)
    r = client.post("/supervision/propose/", _form(world, hazard, report_every_days=str(Listing.MAX_REPORT_EVERY_DAYS)))
    assert r.status_code == 302, r.context["form"].errors if r.context else r.status_code
    assert hazard.listings.get().report_every_days == Listing.MAX_REPORT_EVERY_DAYS
    other = major_hazard(world, description="仓库堆放易燃物，疏散通道堵塞")
    r = client.post("/api/v1/listings/", _form(world, other, report_every_days=Listing.MIN_REPORT_EVERY_DAYS), content_type=J)
    assert r.status_code == 201 and r.json()["report_every_days"] == Listing.MIN_REPORT_EVERY_DAYS, r.content


@pytest.mark.parametrize("value", [0, -1, Listing.MAX_REPORT_EVERY_DAYS + 1, 32768, 10**20])
def test_the_service_refuses_a_period_out_of_bounds(world, value):
    with pytest.raises(ServiceError) as exc:
        services.propose_listing(world.user("committee"), hazard=major_hazard(world),
                                 responsible_department=world.org("commerce"), deadline=_deadline(),
                                 requirements="限期整改", report_every_days=value)
    assert exc.value.field == "report_every_days"
    assert f"{Listing.MIN_REPORT_EVERY_DAYS}至{Listing.MAX_REPORT_EVERY_DAYS}天" in exc.value.message
    assert not Listing.objects.exists()


def test_the_form_and_the_serializer_bound_the_period_themselves(world):
    from supervision.api import ProposeSerializer
    from supervision.forms import ProposeForm

    for value in (Listing.MIN_REPORT_EVERY_DAYS - 1, Listing.MAX_REPORT_EVERY_DAYS + 1):
        form = ProposeForm({"report_every_days": str(value)}, hazards=Listing.objects.none(), departments=None)
        assert form.errors["report_every_days"] == [
            f"进展报告周期须在{Listing.MIN_REPORT_EVERY_DAYS}至{Listing.MAX_REPORT_EVERY_DAYS}天之间。"]
        ser = ProposeSerializer(data={"report_every_days": value})
        assert not ser.is_valid() and "report_every_days" in ser.errors
    form = ProposeForm({"report_every_days": str(Listing.MAX_REPORT_EVERY_DAYS)}, hazards=Listing.objects.none(),
                       departments=None)
    assert "report_every_days" not in form.errors


@pytest.mark.parametrize("value", ["²", "¹²", "٣", "99999999999999999999", str(2**63)])
def test_the_propose_page_prefills_nothing_from_a_number_it_cannot_be(client, world, value):
    major_hazard(world)
    client_as(client, world, "committee")
    r = client.get("/supervision/propose/", {"hazard": value})
    assert r.status_code == 200 and r.context["form"].initial.get("hazard") is None, (value, r.status_code)


def test_the_propose_page_still_prefills_a_hazard_by_its_id(client, world):
    hazard = major_hazard(world)
    client_as(client, world, "committee")
    r = client.get("/supervision/propose/", {"hazard": str(hazard.pk)})
    assert r.context["form"].initial["hazard"] == hazard.pk
