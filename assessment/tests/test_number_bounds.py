"""Numbers a user or an API client sends to 年度考评 never reach the database unchecked, and never answer a
500:

* the 分值 of a set's indicators together are bounded (``IndicatorSet.MAX_TOTAL_WEIGHT``): a unit's
  总分 is a numeric(7, 2) column and reaches the sum of the weights (adjusted scores, 缺项折算), so
  eleven indicators of 9999.99 points and their adjustments were a DataError (a 500) on PostgreSQL at
  the eleventh adjustment; the page, the API and ``services.add_indicator`` refuse on ``weight``;
* a 评分档次's 界值 is a finite number within ``Indicator.MAX_BAND_LIMIT`` and its 得分百分比 0–100:
  "1e400" became float('inf'), stored as JSON ``Infinity`` (PostgreSQL: invalid json, SQLite: a
  failed CHECK — a 500), "NaN 50" the same, "1 NaN" an InvalidOperation; refused on ``bands``;
* an adjusted 得分 is a finite number (``services.adjust``: NaN was an InvalidOperation).

Nothing is kept. Run on PostgreSQL too."""

from decimal import Decimal

import pytest

from assessment import services
from assessment.models import Assessment, Indicator, IndicatorSet, Score
from core.services import ServiceError
from core.testing import client_as

pytestmark = pytest.mark.django_db
J = "application/json"
MAX = IndicatorSet.MAX_TOTAL_WEIGHT
LIMIT = Indicator.MAX_BAND_LIMIT


@pytest.fixture
def empty_set(world):
    return services.create_set(world.user("committee"), year=2025, name="2025年度考评", defaults=False)


def _api(client, s, **over):
    body = {"name": "人工评分指标", "weight": "5", "kind": "manual", **over}
    return client.post(f"/api/v1/assessment-sets/{s.pk}/indicators/", body, content_type=J)


def _page(client, s, **over):
    body = {"name": "人工评分指标", "weight": "5", "kind": "manual", "direction": "higher", "source": "", "bands": "",
            **over}
    return client.post(f"/assessment/{s.pk}/indicators/", body)


def test_the_default_set_is_within_the_bound():
    assert sum(Decimal(w) for _n, w, *_rest in services.DEFAULT_INDICATORS) <= MAX


@pytest.mark.parametrize("weight", [str(MAX + Decimal("0.01")), "9999.99", "99999999", "1e400"])
def test_one_weight_beyond_the_bound_is_refused_on_its_field(client, world, empty_set, weight):
    client_as(client, world, "committee")
    r = _page(client, empty_set, weight=weight)
    assert r.status_code == 400 and "weight" in r.context["indicator_form"].errors, (weight, r.status_code)
    r = _api(client, empty_set, weight=weight)
    assert r.status_code == 400 and "weight" in r.json()["errors"], (weight, r.content)
    assert not empty_set.indicators.exists()


def test_weights_that_together_pass_the_bound_are_refused_on_weight(client, world, empty_set):
    client_as(client, world, "committee")
    assert _api(client, empty_set, name="甲", weight=str(MAX - 1)).status_code == 201
    r = _api(client, empty_set, name="乙", weight="1.01")
    assert r.status_code == 400 and "weight" in r.json()["errors"], r.content
    assert f"{MAX}" in r.json()["errors"]["weight"][0]
    r = _page(client, empty_set, name="丙", weight="1.01")
    assert r.status_code == 400 and "weight" in r.context["indicator_form"].errors
    assert _page(client, empty_set, name="丁", weight="1").status_code == 302  # exactly the bound
    assert sorted(empty_set.indicators.values_list("name", flat=True)) == ["丁", "甲"]


@pytest.mark.parametrize("weight", [MAX + Decimal("0.01"), 10**20, Decimal("NaN"), Decimal("Infinity"), "abc", 0, -1])
def test_the_service_refuses_a_weight_out_of_bounds(world, empty_set, weight):
    with pytest.raises(ServiceError) as exc:
        services.add_indicator(world.user("committee"), empty_set, name="x", weight=weight, kind="manual")
    assert exc.value.field == "weight", exc.value.message
    if weight in (MAX + Decimal("0.01"), 10**20):  # one weight beyond the bound says so (not "the set's sum")
        assert exc.value.message == f"分值不能超过{MAX}分。"
    assert not empty_set.indicators.exists()


def test_a_total_at_the_bound_is_computed_adjusted_and_stored(client, world, empty_set):
    """Eleven indicators of 9999.99 points adjusted one by one overflowed the 总分 column (a 500 on
    PostgreSQL at the eleventh); within the bound the highest total there can be is stored."""
    for n in range(10):
        services.add_indicator(world.user("committee"), empty_set, name=f"指标{n}", weight=MAX / 10, kind="manual")
    with pytest.raises(ServiceError):
        services.add_indicator(world.user("committee"), empty_set, name="第十一项", weight="9999.99", kind="manual")
    services.compute(world.user("committee"), empty_set)
    a = Assessment.objects.filter(indicator_set=empty_set).first()
    client_as(client, world, "committee")
    for sc in Score.objects.filter(assessment=a):
        r = client.post(f"/api/v1/assessments/{a.pk}/adjust/", {"score": sc.pk, "new_score": str(MAX / 10), "reason": "核实"},
                        content_type=J)
        assert r.status_code == 200, r.content
    a.refresh_from_db()
    assert a.total == MAX


BAD_LINES = ["1e400 100", "-1e400 100", "NaN 50", "1 NaN", "1 sNaN", "Infinity 50", "1 -Infinity",
             f"{LIMIT + 1} 50", f"-{LIMIT + 1} 50", "1 101", "1 -1"]


@pytest.mark.parametrize("line", BAD_LINES)
def test_the_page_refuses_a_band_it_cannot_store_on_bands(client, world, empty_set, line):
    client_as(client, world, "committee")
    r = _page(client, empty_set, kind="computed", source="inspections", bands=f"5 100\n{line}")
    assert r.status_code == 400 and "bands" in r.context["indicator_form"].errors, (line, r.status_code)
    assert r.context["indicator_form"].errors["bands"][0].startswith("第2行"), r.context["indicator_form"].errors
    assert not empty_set.indicators.exists()


@pytest.mark.parametrize("band", [{"limit": "1e400", "score": 100}, {"limit": "-1e400", "score": 100},
                                  {"limit": "NaN", "score": 100}, {"limit": 1, "score": "NaN"},
                                  {"limit": "Infinity", "score": 1}, {"limit": 1e300, "score": 100},
                                  {"limit": str(LIMIT + 1), "score": 100}, {"limit": 1, "score": 101},
                                  {"limit": True, "score": 100}])
def test_the_api_refuses_a_band_it_cannot_store_on_bands(client, world, empty_set, band):
    client_as(client, world, "committee")
    r = _api(client, empty_set, kind="computed", source="inspections", bands=[{"limit": 5, "score": 100}, band])
    assert r.status_code == 400 and "bands" in r.json()["errors"], (band, r.content)
    assert "第2档" in r.json()["errors"]["bands"][0]
    assert not empty_set.indicators.exists()


@pytest.mark.parametrize("band", [{"limit": float("inf"), "score": 100}, {"limit": float("nan"), "score": 1},
                                  {"limit": Decimal("1e400"), "score": 1}, {"limit": 1, "score": Decimal("NaN")},
                                  {"limit": LIMIT + 1, "score": 1}, {"limit": 1, "score": 150}, {"limit": "abc", "score": 1},
                                  {"limit": 1}, "1 100"])
def test_the_service_refuses_a_band_it_cannot_store(world, empty_set, band):
    with pytest.raises(ServiceError) as exc:
        services.add_indicator(world.user("committee"), empty_set, name="x", weight=5, kind="computed",
                               source="inspections", bands=[band])
    assert exc.value.field == "bands", exc.value.message
    assert not empty_set.indicators.exists()


def test_bands_at_the_bounds_are_kept_as_numbers(client, world, empty_set):
    client_as(client, world, "committee")
    r = _page(client, empty_set, kind="computed", source="inspections", bands=f"{LIMIT} 100\n-{LIMIT} 0\n0.5 50")
    assert r.status_code == 302
    assert empty_set.indicators.get().bands == [{"limit": float(LIMIT), "score": 100.0},
                                                {"limit": -float(LIMIT), "score": 0.0}, {"limit": 0.5, "score": 50.0}]


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), "1e400", "abc"])
def test_an_adjustment_that_is_no_number_is_refused_on_new_score(world, empty_set, value):
    services.add_indicator(world.user("committee"), empty_set, name="人工", weight=10, kind="manual")
    services.compute(world.user("committee"), empty_set)
    sc = Score.objects.filter(assessment__indicator_set=empty_set).first()
    with pytest.raises(ServiceError) as exc:
        services.adjust(world.user("committee"), sc, new_score=value, reason="核实")
    assert exc.value.field == "new_score"
    sc.refresh_from_db()
    assert sc.adjusted_score is None


def test_the_forms_and_serializers_bound_the_numbers_themselves(empty_set):
    from assessment import api, forms

    over = str(MAX + Decimal("0.01"))
    assert forms.IndicatorForm({"weight": over}).errors["weight"] == [f"分值不能超过{MAX}分。"]
    assert "weight" not in forms.IndicatorForm({"weight": str(MAX)}).errors
    ser = api.IndicatorInputSerializer(data={"weight": over})
    assert not ser.is_valid() and "weight" in ser.errors
    assert "bands" in forms.IndicatorForm({"bands": "1e400 100"}).errors
    ser = api.IndicatorInputSerializer(data={"bands": [{"limit": "1e400", "score": 1}]})
    assert not ser.is_valid() and "bands" in ser.errors
