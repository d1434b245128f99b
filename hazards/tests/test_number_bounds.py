"""Numbers a user or an API client sends to the ledger never reach the database unchecked, and never
answer a 500: the 治理资金（万元） of a governance plan is bounded by its numeric(12, 2) column
(``GovernancePlan.MAX_FUNDS``) in the form, the serializer and ``services.submit_plan`` (a caller other
than the form wrote 10**15 — a DataError on PostgreSQL — or a negative sum); the ledger's ``?enterprise=``
filter takes a record id only (an id beyond bigint was an OverflowError on SQLite, a decimal or an
exponent was silently truncated) on the page, the API, the export and the batch of 报告表; an id in
other scripts' digits ("²": ``str.isdigit`` says yes, ``int`` refuses — a ValueError) in the register
page's ``?enterprise=`` or a thumbnail's ``?w=`` names nothing. Run on PostgreSQL too."""

from decimal import Decimal

import pytest

from core.services import ServiceError
from core.testing import client_as
from hazards import services
from hazards.models import GovernancePlan

from .conftest import PLAN, make_general

pytestmark = pytest.mark.django_db
J = "application/json"
HUGE_IDS = ("99999999999999999999", str(2**63), "9" * 30)
NOT_IDS = ("1e400", "-1e400", "1e3", "1.5", "-1", "²", "٣", "NaN", "0x10")
TOO_MUCH = ("10000000000", "1e20", "99999999999.99", str(GovernancePlan.MAX_FUNDS + Decimal("0.01")))


def _plan_form(value):
    data = {f"submit_plan-{k}": v for k, v in PLAN.items() if k != "deadline"}
    return {**data, "submit_plan-deadline": PLAN["deadline"].isoformat(), "submit_plan-funds_amount": value}


@pytest.mark.parametrize("value", [*TOO_MUCH, "-1"])
def test_plan_page_and_api_refuse_funds_beyond_the_column_on_their_field(client, world, hazard, value):
    client_as(client, world, "enterprise")
    r = client.post(f"/hazards/{hazard.pk}/actions/submit_plan/", _plan_form(value))
    assert r.status_code == 400, (value, r.status_code)
    form = dict((a, f) for a, _label, f in r.context["action_forms"])["submit_plan"]
    assert "funds_amount" in form.errors, form.errors
    r = client.post(f"/api/v1/hazards/{hazard.pk}/actions/submit_plan/",
                    {**PLAN, "deadline": "2030-01-31", "funds_amount": value}, content_type=J)
    assert r.status_code == 400 and "funds_amount" in r.json()["errors"], (r.status_code, r.content)
    hazard.refresh_from_db()
    assert hazard.status == "registered" and not GovernancePlan.objects.exists()


@pytest.mark.parametrize("value", [GovernancePlan.MAX_FUNDS + Decimal("0.01"), 10**15, Decimal("1e20"), -1,
                                   Decimal("-0.01"), Decimal("NaN"), Decimal("Infinity"), "abc"])
def test_submit_plan_refuses_funds_out_of_bounds_and_keeps_nothing(world, hazard, value):
    with pytest.raises(ServiceError) as exc:
        services.submit_plan(world.user("enterprise"), hazard, plan={**PLAN, "funds_amount": value})
    assert exc.value.field == "funds_amount", exc.value.message
    hazard.refresh_from_db()
    assert hazard.status == "registered" and not GovernancePlan.objects.exists()


def test_submit_plan_keeps_funds_at_the_bound(world, hazard):
    services.submit_plan(world.user("enterprise"), hazard, plan={**PLAN, "funds_amount": GovernancePlan.MAX_FUNDS})
    assert GovernancePlan.objects.get(hazard=hazard).funds_amount == GovernancePlan.MAX_FUNDS


def test_the_form_and_the_serializer_bound_the_funds_themselves(world, hazard):
    from hazards.actions import PlanForm
    from hazards.api import PlanSerializer

    over = str(GovernancePlan.MAX_FUNDS + Decimal("0.01"))
    form = PlanForm({"funds_amount": over}, hazard=hazard)
    assert form.errors["funds_amount"] == [f"治理资金不能超过{GovernancePlan.MAX_FUNDS}万元。"]
    assert "funds_amount" not in PlanForm({"funds_amount": str(GovernancePlan.MAX_FUNDS)}, hazard=hazard).errors
    ser = PlanSerializer(data={"funds_amount": over})
    assert not ser.is_valid() and "funds_amount" in ser.errors


# ---------------------------------------------------------------- ?enterprise= of the ledger

@pytest.fixture
def ledger(world):
    return make_general(world)


@pytest.mark.parametrize("value", HUGE_IDS)
def test_an_enterprise_filter_beyond_any_id_lists_nothing(client, world, ledger, value):
    client_as(client, world, "emergency")
    r = client.get("/hazards/", {"enterprise": value})
    assert r.status_code == 200 and r.context["page_obj"].paginator.count == 0
    r = client.get("/api/v1/hazards/", {"enterprise": value})
    assert r.status_code == 200 and r.json()["count"] == 0, r.content
    assert client.get("/hazards/", {"enterprise": str(ledger.enterprise_id)}).context["page_obj"].paginator.count == 1


@pytest.mark.parametrize("value", NOT_IDS)
def test_an_enterprise_filter_that_is_no_id_is_refused_on_its_field(client, world, ledger, value):
    client_as(client, world, "emergency")
    r = client.get("/hazards/", {"enterprise": value})
    assert r.status_code == 400 and "enterprise" in r.context["filter"].form.errors, (value, r.status_code)
    r = client.get("/api/v1/hazards/", {"enterprise": value})
    assert r.status_code == 400 and "enterprise" in r.json()["errors"], (value, r.content)
    for url in ("/hazards/export.xlsx", "/documents/hazards/reports.zip"):
        r = client.get(url, {"enterprise": value})
        assert r.status_code == 400, (url, value, r.status_code)


def test_the_register_page_prefills_no_enterprise_from_a_number_it_cannot_be(client, world):
    client_as(client, world, "emergency")
    for value in ("²", "٣", "99999999999999999999", "1e3", "-1"):
        r = client.get("/hazards/new/", {"enterprise": value})
        assert r.status_code == 200 and r.context["form"].enterprise is None, (value, r.status_code)
    r = client.get("/hazards/new/", {"enterprise": str(world.ent_commerce.pk)})
    assert r.context["form"].enterprise == world.ent_commerce


def test_a_thumbnail_width_in_other_digits_is_refused(client, world, hazard):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hazards.evidence import add_attachment, check_upload

    from .conftest import jpeg_bytes

    att = add_attachment(world.user("enterprise"), hazard, check_upload(SimpleUploadedFile("p.jpg", jpeg_bytes())),
                         original_name="p.jpg", kind="photo")
    client_as(client, world, "enterprise")
    for value in ("²", "١٦٠", "99999999999999999999"):
        r = client.get(f"/hazards/{hazard.pk}/attachments/{att.pk}/thumb.jpg", {"w": value})
        assert r.status_code == 400, (value, r.status_code)

