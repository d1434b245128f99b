"""A joint inspection (联合检查) recorded on the page names inspectors of other units, as the API
lets it (``services.nameable_inspectors``: units in the user's scope): the record's own unit's
inspectors are the boxes, the others are searched (picker ``inspectors``). A routine inspection
keeps to the own unit; an account out of scope is 404 and never named back."""

import pytest
from django.utils.timezone import localdate

from accounts.models import Membership
from core.testing import client_as
from inspections.models import Record

pytestmark = pytest.mark.django_db


@pytest.fixture
def housing(world):
    """住建委's officer, made an inspector (the same district: in 应急管理局's scope)."""
    Membership.objects.filter(user__in=[world.user("housing"), world.user("emergency"), world.user("other_region")]).update(
        is_inspector=True)
    return world.user("housing")


def _form(world, **over):
    return {"enterprise": world.ent_commerce.pk, "kind": "joint", "inspected_on": localdate().isoformat(),
            "inspectors": [world.user("emergency").pk], **over}


def test_a_joint_inspection_with_another_departments_inspector_is_recorded_on_the_page(client, world, housing):
    client_as(client, world, "emergency")
    page = client.get("/inspections/records/new/").content.decode()
    assert 'name="other_inspectors"' in page and 'data-picker="/pickers/inspectors/"' in page
    response = client.post("/inspections/records/new/", _form(world, other_inspectors=[housing.pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    record = Record.objects.get()
    assert sorted(record.inspectors.values_list("user_id", flat=True)) == sorted([world.user("emergency").pk, housing.pk])


def test_a_routine_inspection_keeps_to_the_own_units_inspectors(client, world, housing):
    client_as(client, world, "emergency")
    response = client.post("/inspections/records/new/", _form(world, kind="routine", other_inspectors=[housing.pk]))
    assert response.status_code == 400 and "非联合检查的检查人员须为本单位人员。" in response.content.decode()
    assert not Record.objects.exists()


def test_an_inspector_out_of_scope_is_not_found_on_the_page(client, world, housing):
    outsider = world.user("other_region")  # 河东区应急局: another district
    client_as(client, world, "emergency")
    response = client.post("/inspections/records/new/", _form(world, other_inspectors=[outsider.pk]))
    assert response.status_code == 404 and outsider.get_full_name() not in response.content.decode()
    assert not Record.objects.exists()


def test_the_inspector_picker_offers_other_units_inspectors_in_scope_only(client, world, housing):
    def names(persona, url="/pickers/inspectors/?other=1&q="):
        client_as(client, world, persona)
        return {row["value"] for row in client.get(url).json()["results"]}

    found = names("emergency")
    assert housing.pk in found
    assert world.user("emergency").pk not in found and world.user("other_region").pk not in found  # own unit; 河东区
    assert world.user("emergency").pk in names("emergency", "/pickers/inspectors/?q=")  # without other=1: the own unit too
    assert names("enterprise") == set()  # may not record an inspection
    client.logout()
    response = client.get("/pickers/inspectors/?other=1&q=")
    assert response.status_code in (302, 404) and housing.get_full_name() not in response.content.decode()
