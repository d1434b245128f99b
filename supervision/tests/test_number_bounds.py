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


# ---------------------------------------------------------------- 完成比例 of a progress report: 0–100, one bound

PERCENT = "完成比例须为0至100之间的整数。"  # the refusal, written out (100: a percentage)


def test_the_percentage_bound_is_one_constant():
    from supervision.models import ProgressReport

    assert ProgressReport.MAX_PERCENTAGE == 100


@pytest.mark.parametrize("value", ["²", "1e2", "abc", "", " ", "50.5", 50.5, True, None, "101", 101, -1, "-1", "٥٠"])
def test_the_service_refuses_a_percentage_that_is_not_a_whole_number_from_0_to_100(world, value):
    """A non-form caller's 完成比例 is refused on its field in Chinese: "²" and "٥٠" (str.isdigit says yes, int
    refuses or reads another script), a float, a bool, text — never a ValueError (a 500)."""
    from .helpers import listed

    listing = listed(world)
    with pytest.raises(ServiceError) as exc:
        services.report_progress(world.user("enterprise"), listing, date=timezone.localdate(), text="进行中",
                                 percentage=value)
    assert (exc.value.field, exc.value.message) == ("percentage", PERCENT)
    assert not listing.progress_reports.exists()


@pytest.mark.parametrize("value, kept", [(0, 0), ("100", 100), (" 40 ", 40)])
def test_the_service_keeps_a_percentage_from_0_to_100(world, value, kept):
    from .helpers import listed

    report = services.report_progress(world.user("enterprise"), listed(world), date=timezone.localdate(),
                                      text="进行中", percentage=value)
    assert report.percentage == kept


def test_the_page_and_the_api_refuse_101_with_the_same_reason(client, world):
    from .helpers import listed

    listing = listed(world)
    client_as(client, world, "enterprise")
    r = client.post(f"/supervision/{listing.pk}/report_progress/", {
        "report_progress-date": timezone.localdate().isoformat(), "report_progress-percentage": 101,
        "report_progress-text": "x"})
    assert r.status_code == 400 and PERCENT in r.content.decode()
    r = client.post(f"/api/v1/listings/{listing.pk}/progress/", {"date": timezone.localdate().isoformat(),
                                                                 "percentage": 101, "text": "x"}, content_type=J)
    assert r.status_code == 400 and r.json()["errors"]["percentage"] == [PERCENT]
    assert not listing.progress_reports.exists()
