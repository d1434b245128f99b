"""Recusal holds for every inspection record, not only inside a draw: an inspector never inspects
the township they live in, nor an enterprise they declared a conflict with (service, page, API)."""

import pytest

from core.services import ServiceError
from core.testing import client_as
from inspections import services
from inspections.models import Record

from .factories import record, today


def name(user):
    return user.get_full_name() or user.username


@pytest.fixture
def at_home(world):
    """emergency2 lives in the township of ent_commerce (光复道街道), not in ent_commerce2's."""
    inspector = world.user("emergency2")
    services.set_home_township(world.user("emergency"), inspector=inspector, township=world.ent_commerce.region)
    assert world.ent_commerce2.region_id != world.ent_commerce.region_id
    return inspector


def test_service_refuses_an_inspector_in_their_home_township(world, at_home):
    with pytest.raises(ServiceError) as exc:
        record(world, inspectors=("emergency", "emergency2"))
    assert exc.value.field == "inspectors" and exc.value.code == "recusal"
    assert name(at_home) in exc.value.message and "居住" in exc.value.message
    assert name(world.user("emergency")) not in exc.value.message
    assert not Record.objects.exists()
    # elsewhere they may inspect, and without them the record is made
    record(world, ent=world.ent_commerce2, inspectors=("emergency", "emergency2"))
    record(world, inspectors=("emergency",))


def test_service_names_the_declared_conflict(world):
    inspector = world.user("emergency_lead")
    services.declare_conflict(world.user("emergency"), inspector=inspector, enterprise=world.ent_commerce, reason="亲属任职")
    with pytest.raises(ServiceError) as exc:
        record(world, inspectors=("emergency", "emergency_lead"))
    assert exc.value.field == "inspectors"
    assert name(inspector) in exc.value.message and "亲属任职" in exc.value.message


def test_page_refuses_on_the_inspectors_field(client, world, at_home):
    client.force_login(world.user("emergency"))
    r = client.post("/inspections/records/new/", {"enterprise": world.ent_commerce.pk, "kind": "routine",
                                                  "inspected_on": today().isoformat(), "inspectors": [at_home.pk]})
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert "inspectors" in errors and name(at_home) in errors["inspectors"][0]
    assert not Record.objects.exists()


def test_api_refuses_with_400_naming_the_field(client, world, at_home):
    client_as(client, world, "emergency")
    r = client.post("/api/v1/inspections/records/", {"enterprise": world.ent_commerce.pk, "kind": "routine",
                                                     "inspected_on": today().isoformat(),
                                                     "inspectors": [world.user("emergency").pk, at_home.pk]},
                    content_type="application/json")
    assert r.status_code == 400, r.content
    assert "inspectors" in r.json()["errors"] and name(at_home) in str(r.json()["errors"]["inspectors"])
    assert not Record.objects.exists()
