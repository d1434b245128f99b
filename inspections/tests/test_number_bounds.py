"""Numbers beyond the database columns are refused on their field, never a 500: a draw's 抽取企业数 and
每家检查人员数 are an integer and a small-integer column (a 重新抽取 request kept them as typed —
PostgreSQL refused 100000 in the smallint with a DataError, a 500, where SQLite stores any size), and
a ledger hazard id beyond bigint names nothing (404, as an id out of scope). Page and service;
nothing is kept. Run on PostgreSQL too."""

import pytest

from core.services import ServiceError
from core.testing import client_as
from inspections import redraw, services
from inspections.models import Draw, Plan, RecordItem, RedrawRequest

from .factories import record, today
from .test_existing_hazard import finding

J = "application/json"
HUGE = {"count": ("99999999999", str(10**20), "1" * 30, str(Plan.MAX_PLANNED + 1)),
        "per_enterprise": ("100000", "99999999999", str(10**20), str(Draw.MAX_PER_ENTERPRISE + 1))}


@pytest.fixture
def plan(world):
    return services.create_plan(world.user("emergency"), title="双随机计划", year=today().year, planned_count=2)


@pytest.mark.parametrize("redrawing", [False, True])
@pytest.mark.parametrize("field", ["count", "per_enterprise"])
def test_the_draw_page_refuses_a_huge_number_on_its_field(client, world, plan, field, redrawing):
    if redrawing:
        services.make_draw(world.user("emergency"), plan, count=2, per_enterprise=1)
    client_as(client, world, "emergency")
    for value in HUGE[field]:
        data = {"count": "2", "per_enterprise": "1", "reason": "一名检查人员病假", field: value}
        r = client.post(f"/inspections/plans/{plan.pk}/", data)
        assert r.status_code == 400 and field in r.context["form"].errors, (value, r.status_code)
    assert Draw.objects.filter(plan=plan).count() == (1 if redrawing else 0)
    assert not RedrawRequest.objects.exists()


@pytest.mark.parametrize("field", ["count", "per_enterprise"])
def test_the_services_refuse_a_number_beyond_the_bound(world, plan, field):
    too_many = {"count": Plan.MAX_PLANNED + 1, "per_enterprise": Draw.MAX_PER_ENTERPRISE + 1}[field]
    kw = {"count": 2, "per_enterprise": 1, field: too_many}
    with pytest.raises(ServiceError) as exc:
        services.make_draw(world.user("emergency"), plan, **kw)
    assert exc.value.field == field
    services.make_draw(world.user("emergency"), plan, count=2, per_enterprise=1)
    for value in (too_many, 10**20):
        with pytest.raises(ServiceError) as exc:
            redraw.request_redraw(world.user("emergency"), plan, reason="一名检查人员病假", **{**kw, field: value})
        assert exc.value.field == field and "之间" in exc.value.message
    assert not RedrawRequest.objects.exists()
    req = redraw.request_redraw(world.user("emergency"), plan, reason="一名检查人员病假", count=Plan.MAX_PLANNED,
                                per_enterprise=Draw.MAX_PER_ENTERPRISE)
    req.refresh_from_db()
    assert (req.count, req.per_enterprise) == (Plan.MAX_PLANNED, Draw.MAX_PER_ENTERPRISE)


def test_the_forms_bound_the_counts_themselves():
    from inspections.forms import DrawForm

    f = DrawForm({"count": str(Plan.MAX_PLANNED + 1), "per_enterprise": str(Draw.MAX_PER_ENTERPRISE + 1)})
    assert set(f.errors) == {"count", "per_enterprise"}


def test_a_ledger_hazard_id_beyond_bigint_names_nothing(client, world):
    rec = record(world)
    item = finding(world, rec)
    client_as(client, world, "emergency")
    for value in (str(2**63), str(10**20), "9" * 30):
        r = client.post(f"/inspections/records/{rec.pk}/findings/{item.pk}/match/", {f"m{item.pk}-existing_hazard": value})
        assert r.status_code == 404, (value, r.status_code)
        r = client.post(f"/inspections/records/{rec.pk}/findings/", {
            "f-text": "二号库房", "f-note": "x", "f-grade": "general", "f-existing_hazard": value})
        assert r.status_code == 404, (value, r.status_code)
        r = client.post(f"/api/v1/inspections/findings/{item.pk}/match/", {"existing_hazard": int(value)},
                        content_type=J)
        assert r.status_code in (400, 404), (value, r.status_code, r.content)
    item.refresh_from_db()
    assert item.existing_hazard is None and not RecordItem.objects.filter(record=rec, text="二号库房").exists()
