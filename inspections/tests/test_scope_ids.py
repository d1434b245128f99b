"""Ids the inspection forms name outside the user's scope are not found (404), as opening them would
be — not the form's 400 "invalid choice" (PRODUCT.md: out of scope is 404): the enterprise and the
双随机 draw of a new record (/inspections/records/new/), the enterprise, township and supervised
office of a visit (/inspections/visits/new/)."""

import pytest

from core.testing import check_matrix, client_as
from inspections import services
from inspections.models import Record, Visit

from .factories import today

pytestmark = pytest.mark.django_db


def _record(world, ent, persona="emergency", **over):
    return {"enterprise": ent.pk, "kind": "routine", "inspected_on": today().isoformat(),
            "inspectors": [world.user(persona).pk], **over}


def test_record_matrix_for_a_unit_of_the_commerce_sector(client, world):
    """鑫隆商贸 (商贸, 河北区): 住建委 (another sector), 河东区 (another region) and another township
    cannot see the unit — 404; who may not inspect — 403; anonymous to the login."""
    check_matrix(client, world, "/inspections/records/new/", {
        "anon": "login", "housing": 404, "other_region": 404, "township_other": 404, "enterprise": 403,
        "agency": 403, "nobody": 403,
    }, method="post", data=_record(world, world.ent_commerce))
    client_as(client, world, "emergency")
    assert client.post("/inspections/records/new/", _record(world, world.ent_commerce)).status_code == 302
    assert Record.objects.count() == 1


@pytest.mark.parametrize("what", ["construction", "other_region", "missing"])
def test_record_enterprise_out_of_scope_is_404(client, world, what):
    client_as(client, world, "commerce")
    data = _record(world, world.ent_commerce, "commerce")
    data["enterprise"] = {"construction": world.ent_construction.pk, "other_region": world.ent_other_region.pk,
                          "missing": 99999999}[what]
    assert client.post("/inspections/records/new/", data).status_code == 404
    assert not Record.objects.exists()


@pytest.mark.parametrize("owner", ["other_region", "commerce"])
def test_record_draw_out_of_scope_is_404(client, world, owner):
    """A draw of 河东区's bureau (another region) or of 商务局 (another department) is not the 应急局's."""
    actor = world.user(owner)
    plan = services.create_plan(actor, title="他人计划", year=today().year, planned_count=1)
    draw = services.make_draw(actor, plan, count=1, per_enterprise=1)
    client_as(client, world, "emergency")
    assert client.post("/inspections/records/new/", _record(world, world.ent_commerce, draw=draw.pk)).status_code == 404
    assert client.post("/inspections/records/new/", _record(world, world.ent_commerce, draw=99999999)).status_code == 404
    assert not Record.objects.exists()


@pytest.mark.parametrize("field,value", [("enterprise", ""), ("enterprise", "abc"), ("draw", "abc")])
def test_record_blank_or_non_numeric_is_400_naming_the_field(client, world, field, value):
    client_as(client, world, "emergency")
    r = client.post("/inspections/records/new/", _record(world, world.ent_commerce, **{field: value}))
    assert r.status_code == 400 and field in r.context["form"].errors


def _visit(ent):
    return {"kind": "help_township", "visited_on": today().isoformat(), "content": "帮扶", "enterprise": ent.pk}


def test_visit_matrix_for_a_unit_of_the_commerce_sector(client, world):
    check_matrix(client, world, "/inspections/visits/new/", {
        "anon": "login", "housing": 404, "other_region": 404, "enterprise": 403, "nobody": 403,
    }, method="post", data=_visit(world.ent_commerce))
    assert not Visit.objects.exists()


@pytest.mark.parametrize("what", ["other_region", "missing"])
def test_visit_enterprise_out_of_scope_is_404(client, world, what):
    client_as(client, world, "emergency")
    data = _visit(world.ent_other_region)
    if what == "missing":
        data["enterprise"] = 99999999
    assert client.post("/inspections/visits/new/", data).status_code == 404
    r = client.post("/inspections/visits/new/", {**data, "enterprise": "abc"})
    assert r.status_code == 400 and "enterprise" in r.context["form"].errors
    assert not Visit.objects.exists()


def _township_visit(township, **over):
    return {"kind": "help_township", "visited_on": today().isoformat(), "content": "帮扶",
            "township": getattr(township, "pk", township), **over}


def _supervision(org, **over):
    return {"kind": "supervision", "visited_on": today().isoformat(), "content": "督导",
            "target_organisation": getattr(org, "pk", org), **over}


def test_visit_township_matrix_another_regions_township_is_404(client, world):
    """河东区's township: the 河北区 bureaus cannot see it — 404, not the form's 400 "invalid choice";
    who may not record visits — 403; anonymous to the login."""
    check_matrix(client, world, "/inspections/visits/new/", {
        "anon": "login", "emergency": 404, "commerce": 404, "housing": 404, "enterprise": 403, "nobody": 403,
    }, method="post", data=_township_visit(world.ent_other_region.region))
    assert not Visit.objects.exists()


@pytest.mark.parametrize("what", ["own_district", "other_region", "missing", "abc"])
def test_visit_township_in_scope_is_taken_out_of_scope_404_garbage_400(client, world, what):
    township = {"own_district": world.townships[0], "other_region": world.ent_other_region.region,
                "missing": 99999999, "abc": "abc"}[what]
    client_as(client, world, "emergency")
    r = client.post("/inspections/visits/new/", _township_visit(township))
    if what == "own_district":
        assert r.status_code == 302 and Visit.objects.get().township == township
    elif what == "abc":
        assert r.status_code == 400 and "township" in r.context["form"].errors
    else:
        assert r.status_code == 404 and not Visit.objects.exists()


@pytest.mark.parametrize("what", ["street_office", "other_region", "missing", "abc", "enterprise_in_scope"])
def test_visit_supervised_office_out_of_scope_is_404(client, world, what):
    """A street office of 河北区 is supervised; 河东区's bureau and an id of nothing are 404; an
    enterprise's unit in scope is no supervised office — the form's 400, like garbage."""
    org = {"street_office": world.user("township").membership.organisation,
           "other_region": world.user("other_region").membership.organisation, "missing": 99999999, "abc": "abc",
           "enterprise_in_scope": world.user("enterprise").membership.organisation}[what]
    client_as(client, world, "emergency")
    r = client.post("/inspections/visits/new/", _supervision(org))
    if what == "street_office":
        assert r.status_code == 302 and Visit.objects.get().target_organisation == org
    elif what in ("abc", "enterprise_in_scope"):
        assert r.status_code == 400 and "target_organisation" in r.context["form"].errors
    else:
        assert r.status_code == 404 and not Visit.objects.exists()
