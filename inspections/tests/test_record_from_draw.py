"""A record made from a 双随机 draw follows the draw's result, is linked to the draw and its plan,
and counts towards the plan's progress; a foreign or superseded draw cannot be used."""

import pytest
from django.contrib.auth import get_user_model

from core.services import ServiceError
from core.testing import client_as
from enterprises.models import Enterprise
from inspections import services
from inspections.models import Record

from .factories import today


@pytest.fixture
def drawn(world):
    """A plan of the 和平区 emergency bureau, a current draw of one enterprise with two inspectors."""
    actor = world.user("emergency")
    plan = services.create_plan(actor, title="双随机计划", year=today().year, planned_count=2)
    d = services.make_draw(actor, plan, count=1, per_enterprise=2)
    row = d.result[0]
    team = list(get_user_model().objects.filter(pk__in=row["inspectors"]).order_by("pk"))
    others = [pk for pk in services.plan_pool(plan, actor) if pk != row["enterprise"]]
    return {"plan": plan, "draw": d, "ent": Enterprise.objects.get(pk=row["enterprise"]), "team": team,
            "undrawn": Enterprise.objects.get(pk=others[0])}


def from_draw(world, drawn, **kw):
    args = {"enterprise": drawn["ent"], "inspectors": drawn["team"], "inspected_on": today(), "draw": drawn["draw"]}
    return services.create_record(world.user("emergency"), **{**args, **kw})


def test_a_drawn_check_is_linked_and_counts_towards_the_plan(world, drawn):
    rec = from_draw(world, drawn)
    assert rec.draw == drawn["draw"] and rec.plan == drawn["plan"]
    services.answer_remaining(world.user("emergency"), rec)
    for u in drawn["team"]:
        rec = services.sign(u, rec)
    assert rec.locked
    assert drawn["plan"].done_count == 1 and drawn["plan"].progress_percent == 50
    with pytest.raises(ServiceError) as exc:  # one record per drawn enterprise
        from_draw(world, drawn)
    assert exc.value.field == "enterprise" and rec.number in exc.value.message


def test_the_enterprise_and_the_inspectors_must_be_the_drawn_ones(world, drawn):
    with pytest.raises(ServiceError) as exc:
        from_draw(world, drawn, enterprise=drawn["undrawn"])
    assert exc.value.field == "enterprise" and "抽取结果" in exc.value.message
    drawn_ids = {u.pk for u in drawn["team"]}
    outsider = next(world.user(p) for p in ("emergency", "emergency2", "emergency_lead") if world.user(p).pk not in drawn_ids)
    for team in ([drawn["team"][0]], [drawn["team"][0], outsider], [*drawn["team"], outsider]):
        with pytest.raises(ServiceError) as exc:
            from_draw(world, drawn, inspectors=team)
        assert exc.value.field == "inspectors" and "抽中" in exc.value.message
    assert not Record.objects.exists()


def test_a_superseded_draw_is_refused(world, drawn):
    from inspections import redraw

    req = redraw.request_redraw(world.user("emergency"), drawn["plan"], count=1, per_enterprise=2, reason="人员调整")
    redraw.approve_redraw(world.user("emergency_lead"), req)
    drawn["draw"].refresh_from_db()
    with pytest.raises(ServiceError) as exc:
        from_draw(world, drawn)
    assert exc.value.field == "draw"


@pytest.fixture
def foreign_draw(world):
    """A draw of the 河东区 emergency bureau (another district)."""
    actor = world.user("other_region")
    plan = services.create_plan(actor, title="河东区计划", year=today().year, planned_count=1)
    return services.make_draw(actor, plan, count=1, per_enterprise=1)


def test_another_regions_draw_is_not_usable(client, world, drawn, foreign_draw):
    with pytest.raises(ServiceError) as exc:
        from_draw(world, drawn, draw=foreign_draw)
    assert exc.value.field == "draw"
    client.force_login(world.user("emergency"))
    assert client.get(f"/inspections/records/new/?draw={foreign_draw.pk}&enterprise={drawn['ent'].pk}").status_code == 404
    r = client.post("/inspections/records/new/", {"enterprise": drawn["ent"].pk, "kind": "routine",
                                                  "inspected_on": today().isoformat(), "draw": foreign_draw.pk,
                                                  "inspectors": [u.pk for u in drawn["team"]]})
    assert r.status_code == 404  # another region's draw: out of scope is not found
    client_as(client, world, "emergency")
    r = client.post("/api/v1/inspections/records/", {"enterprise": drawn["ent"].pk, "kind": "routine", "draw": foreign_draw.pk,
                                                    "inspected_on": today().isoformat(),
                                                    "inspectors": [u.pk for u in drawn["team"]]}, content_type="application/json")
    assert r.status_code == 404 and r.json()["code"] == "not_found"  # the API alike
    assert not Record.objects.exists()


def test_the_plan_page_links_each_drawn_enterprise_to_a_prefilled_record_form(client, world, drawn):
    d, ent = drawn["draw"], drawn["ent"]
    client.force_login(world.user("emergency"))
    page = client.get(f"/inspections/plans/{drawn['plan'].pk}/").content.decode()
    link = f"/inspections/records/new/?draw={d.pk}&amp;enterprise={ent.pk}"
    assert link in page and "按抽取结果检查" in page
    r = client.get(link.replace("&amp;", "&"))
    assert r.status_code == 200
    form = r.context["form"]
    assert form.initial["draw"] == d.pk and form.initial["enterprise"] == ent.pk
    assert sorted(form.initial["inspectors"]) == sorted(u.pk for u in drawn["team"])
    r = client.post("/inspections/records/new/", {"enterprise": ent.pk, "kind": "routine", "draw": d.pk,
                                                  "inspected_on": today().isoformat(),
                                                  "inspectors": [u.pk for u in drawn["team"]]})
    assert r.status_code == 302
    rec = Record.objects.get()
    assert rec.draw == d and rec.plan == drawn["plan"]
    page = client.get(f"/inspections/plans/{drawn['plan'].pk}/").content.decode()
    assert rec.number in page and link not in page
    r = client.post("/inspections/records/new/", {"enterprise": drawn["undrawn"].pk, "kind": "routine", "draw": d.pk,
                                                  "inspected_on": today().isoformat(),
                                                  "inspectors": [u.pk for u in drawn["team"]]})
    assert r.status_code == 400 and "enterprise" in r.context["form"].errors


def test_the_api_accepts_a_draw_and_shows_plan_and_draw(client, world, drawn):
    client_as(client, world, "emergency")
    body = {"enterprise": drawn["ent"].pk, "kind": "routine", "inspected_on": today().isoformat(),
            "draw": drawn["draw"].pk, "inspectors": [u.pk for u in drawn["team"]]}
    r = client.post("/api/v1/inspections/records/", {**body, "inspectors": [drawn["team"][0].pk]},
                    content_type="application/json")
    assert r.status_code == 400 and "inspectors" in r.json()["errors"]
    r = client.post("/api/v1/inspections/records/", {**body, "plan": 999999}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["draw"] == drawn["draw"].pk and r.json()["plan"] == drawn["plan"].pk
