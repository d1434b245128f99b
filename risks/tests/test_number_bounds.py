"""Numbers a user or an API client sends to the risk register never reach the database unchecked, and
never answer a 500: a risk point's 经度 / 纬度 are bounded once (``RiskPoint.LONGITUDE_RANGE`` /
``LATITUDE_RANGE``, ±180 / ±90) in the page's form, the API's serializer (which took 999.999999 or -999:
only the column's digits bounded it) and ``services.create_risk_point``; the register's ``?enterprise=``
filter takes a record id only (an id beyond bigint was an OverflowError on SQLite — a 500 — a decimal or
an exponent was silently truncated to another unit's id), on the page, its xlsx and the API. Run on
PostgreSQL too."""

from decimal import Decimal

import pytest

from core.services import ServiceError
from core.testing import client_as
from risks import services
from risks.models import RiskPoint

from .test_services import make_point

pytestmark = pytest.mark.django_db
HUGE_IDS = ("99999999999999999999", str(2**63), "9" * 30)
NOT_IDS = ("1e400", "-1e400", "1e1", "1.5", "-1", "²", "٣", "NaN")


@pytest.mark.parametrize("value", HUGE_IDS)
def test_an_enterprise_filter_beyond_any_id_lists_no_point(client, world, value):
    point = make_point(world)
    client_as(client, world, "emergency")
    r = client.get("/risks/", {"enterprise": value})
    assert r.status_code == 200 and r.context["page_obj"].paginator.count == 0
    r = client.get("/api/v1/risks/points/", {"enterprise": value})
    assert r.status_code == 200 and r.json()["count"] == 0, r.content
    r = client.get("/api/v1/risks/points/", {"enterprise": str(point.enterprise_id)})
    assert [p["id"] for p in r.json()["results"]] == [point.pk]


@pytest.mark.parametrize("value", NOT_IDS)
def test_an_enterprise_filter_that_is_no_id_is_refused_on_its_field(client, world, value):
    make_point(world)
    client_as(client, world, "emergency")
    for url in ("/risks/", "/risks/register.xlsx"):
        r = client.get(url, {"enterprise": value})
        assert r.status_code == 400, (url, value, r.status_code)
    r = client.get("/api/v1/risks/points/", {"enterprise": value})
    assert r.status_code == 400 and r.json()["errors"]["enterprise"] == ["单位编号须为正整数。"], (value, r.content)


# ---------------------------------------------------------------- 经度 / 纬度

J = "application/json"
OUT = [("longitude", "180.000001"), ("longitude", "-999"), ("longitude", "999.999999"), ("latitude", "90.000001"),
       ("latitude", "-90.5"), ("longitude", "1e400"), ("latitude", "NaN")]


def _body(world, **over):
    return {"enterprise": world.ent_commerce.pk, "code": "FX-1", "name": "仓库", "category": "火灾", "location": "二层",
            "hazard_factors": "可燃物", "longitude": "117.2", "latitude": "39.1", **over}


@pytest.mark.parametrize("field,value", OUT)
def test_page_and_api_refuse_a_coordinate_out_of_range_on_its_field(client, world, field, value):
    client_as(client, world, "enterprise")
    data = {k: v for k, v in _body(world, **{field: value}).items() if k != "enterprise"}
    r = client.post(f"/risks/enterprise/{world.ent_commerce.pk}/add/", data)
    assert r.status_code != 500 and field in r.context["form"].errors, (field, value, r.status_code)
    r = client.post("/api/v1/risks/points/", _body(world, **{field: value}), content_type=J)
    assert r.status_code == 400 and field in r.json()["errors"], (field, value, r.content)
    assert not RiskPoint.objects.exists()


@pytest.mark.parametrize("field,value", [("longitude", Decimal("180.000001")), ("longitude", Decimal("-999")),
                                         ("latitude", Decimal("90.5")), ("latitude", Decimal("-1e5")),
                                         ("longitude", Decimal("NaN")), ("latitude", "abc")])
def test_the_service_refuses_a_coordinate_out_of_range(world, field, value):
    coords = {"longitude": Decimal("117.2"), "latitude": Decimal("39.1"), field: value}
    with pytest.raises(ServiceError) as exc:
        services.create_risk_point(None, world.ent_commerce, code="FX-1", name="仓库", category="火灾", location="二层",
                                   hazard_factors="可燃物", **coords)
    assert exc.value.field == field, exc.value.message
    assert not RiskPoint.objects.exists()


def test_coordinates_at_the_bounds_are_kept(client, world):
    client_as(client, world, "enterprise")
    r = client.post("/api/v1/risks/points/", _body(world, longitude="-180", latitude="90"), content_type=J)
    assert r.status_code == 201, r.content
    point = RiskPoint.objects.get()
    assert (point.longitude, point.latitude) == (Decimal("-180"), Decimal("90"))


def test_the_form_and_the_serializer_bound_the_coordinates_themselves():
    from risks.api import RiskPointSerializer
    from risks.forms import RiskPointForm

    assert (RiskPoint.LONGITUDE_RANGE, RiskPoint.LATITUDE_RANGE) == ((-180, 180), (-90, 90))
    form = RiskPointForm({"longitude": "180.5", "latitude": "-90.5"})
    assert {"longitude", "latitude"} <= set(form.errors)
    ser = RiskPointSerializer(data={"longitude": "180.5", "latitude": "-90.5"})
    assert not ser.is_valid() and {"longitude", "latitude"} <= set(ser.errors)
