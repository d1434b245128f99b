"""Numbers an enterprise user or an API client sends to the obligation records never reach the database
unchecked, and never answer a 500:

* 安全生产费用: the 应提取金额 is computed (计提依据 × the rate) into a numeric(16, 2) column — a coal mine's
  output of 99,999,999,999,999.99 t × 50 元/t was a DataError on PostgreSQL (an InvalidOperation on
  SQLite through the API): a 500 on the page and the API; now refused on ``base``. Each sum is bounded
  once (``SafetyCostExtraction.MAX_AMOUNT``, within the column and exact on SQLite too) and the 提取比例
  by 100 % (``MAX_RATIO_PERCENT``; the column is numeric(6, 3): 5000 from a caller other than the form
  was a DataError);
* 参演人数 (``EmergencyDrill.MAX_PARTICIPANTS``) and 安全管理人员 (``SafetyOrganisation.MAX_MANAGERS``)
  are bounded once, in the forms, the API and the services, with their own Chinese reason (100001
  participants were refused as "须至少1人", the API's bound was the database's own 2147483647 / 32767 on
  PostgreSQL, none on SQLite).

Nothing is kept. Run on PostgreSQL too."""

from decimal import ROUND_DOWN, Decimal

import pytest
from django.utils import timezone

from core.services import ServiceError
from obligations import services
from obligations.models import EmergencyDrill, SafetyCostExtraction, SafetyOrganisation

pytestmark = pytest.mark.django_db
J = "application/json"
TODAY = timezone.localdate()
COAL = {"industry": "coal", "category": "煤与瓦斯突出矿井、冲击地压矿井"}
MAX_AMOUNT = SafetyCostExtraction.MAX_AMOUNT


def _cost(**over):
    return {"year": TODAY.year - 1, "industry": "hazchem", "base": "1000000", "amount": "30000", **over}


def _page(client, world, kind, data):
    r = client.post(f"/obligations/enterprise/{world.ent_hazchem.pk}/add/{kind}/", data)
    assert r.status_code != 500
    return r


@pytest.mark.parametrize("base", [str(MAX_AMOUNT), "1000000000000", "200000000000.01"])
def test_a_coal_output_whose_required_cost_passes_the_column_is_refused_on_base(client, world, base):
    client.force_login(world.user("enterprise_gas_station"))
    r = _page(client, world, "cost", _cost(**COAL, base=base))
    assert r.status_code in (200, 400) and 'data-field="base"' in r.content.decode(), (base, r.status_code)
    r = client.post("/api/v1/obligations/costs/", {"enterprise": world.ent_hazchem.pk, **_cost(**COAL, base=base)},
                    content_type=J)
    assert r.status_code == 400 and "base" in r.json()["errors"], (base, r.content)
    assert "应提取金额" in r.json()["errors"]["base"][0]
    assert not SafetyCostExtraction.objects.exists()


def test_a_coal_output_whose_required_cost_is_at_the_column_is_kept(world):
    base = (MAX_AMOUNT / 50).quantize(Decimal("0.01"), ROUND_DOWN)  # 50 元/t: the largest output the column holds
    row = services.add_cost_extraction(None, world.ent_hazchem, **_cost(**COAL, base=base))
    row.refresh_from_db()
    assert row.required_amount == base * 50 == Decimal("9999999999999.50")


@pytest.mark.parametrize("field,value", [
    ("base", MAX_AMOUNT + Decimal("0.01")), ("amount", MAX_AMOUNT + Decimal("0.01")), ("amount", 10**20),
    ("amount", Decimal("99999999999999.99")),
    ("used_amount", Decimal("1e16")), ("base", -1), ("amount", Decimal("NaN")), ("base", "abc"),
    ("ratio_percent", Decimal("100.001")), ("ratio_percent", 5000), ("ratio_percent", -1),
])
def test_the_service_refuses_a_sum_or_ratio_beyond_its_bound(world, field, value):
    with pytest.raises(ServiceError) as exc:
        services.add_cost_extraction(None, world.ent_hazchem, **{**_cost(), field: value})
    assert exc.value.field == field, exc.value.message
    assert not SafetyCostExtraction.objects.exists()


def test_the_service_keeps_sums_and_ratio_at_their_bounds(world):
    row = services.add_cost_extraction(None, world.ent_hazchem, **_cost(
        amount=MAX_AMOUNT, used_amount=MAX_AMOUNT, ratio_percent=SafetyCostExtraction.MAX_RATIO_PERCENT))
    row.refresh_from_db()
    assert (row.amount, row.used_amount, row.ratio_percent) == (MAX_AMOUNT, MAX_AMOUNT, Decimal("100.000"))


@pytest.mark.parametrize("field,value", [("ratio_percent", "100.001"), ("ratio_percent", "999"),
                                         ("amount", str(MAX_AMOUNT + Decimal("0.01"))), ("base", "1e20")])
def test_page_and_api_refuse_a_ratio_or_sum_beyond_its_bound_on_its_field(client, world, field, value):
    client.force_login(world.user("enterprise_gas_station"))
    r = _page(client, world, "cost", _cost(**{field: value}))
    assert f'data-field="{field}"' in r.content.decode(), (field, value)
    r = client.post("/api/v1/obligations/costs/", {"enterprise": world.ent_hazchem.pk, **_cost(**{field: value})},
                    content_type=J)
    assert r.status_code == 400 and field in r.json()["errors"], (field, value, r.content)
    assert not SafetyCostExtraction.objects.exists()


def _drill(**over):
    return {"kind": "special", "plan": "火灾预案", "held_on": TODAY.isoformat(), "scenario": "仓库起火",
            "participants": 12, **over}


@pytest.mark.parametrize("value", [EmergencyDrill.MAX_PARTICIPANTS + 1, 2**31, 10**20])
def test_drill_participants_beyond_the_bound_are_refused_with_their_reason(client, world, value):
    client.force_login(world.user("enterprise_gas_station"))
    r = _page(client, world, "drill", _drill(participants=str(value)))
    assert 'data-field="participants"' in r.content.decode()
    r = client.post("/api/v1/obligations/drills/", {"enterprise": world.ent_hazchem.pk, **_drill(participants=value)},
                    content_type=J)
    assert r.status_code == 400, r.content
    assert r.json()["errors"]["participants"] == [f"参演人数须在1至{EmergencyDrill.MAX_PARTICIPANTS}人之间。"]
    with pytest.raises(ServiceError) as exc:
        services.add_drill(None, world.ent_hazchem, **{**_drill(participants=value), "held_on": TODAY})
    assert exc.value.field == "participants" and str(EmergencyDrill.MAX_PARTICIPANTS) in exc.value.message
    assert not EmergencyDrill.objects.exists()
    drill = services.add_drill(None, world.ent_hazchem, **{**_drill(participants=EmergencyDrill.MAX_PARTICIPANTS),
                                                           "held_on": TODAY})
    assert drill.participants == EmergencyDrill.MAX_PARTICIPANTS


@pytest.mark.parametrize("field", ["full_time_managers", "part_time_managers"])
@pytest.mark.parametrize("value", [SafetyOrganisation.MAX_MANAGERS + 1, 32768, 10**20])
def test_safety_managers_beyond_the_bound_are_refused_with_their_reason(client, world, field, value):
    client.force_login(world.user("enterprise_gas_station"))
    data = {"as_of": TODAY.isoformat(), "full_time_managers": 1, "part_time_managers": 1, field: value}
    r = _page(client, world, "staffing", {**data, field: str(value)})
    assert f'data-field="{field}"' in r.content.decode()
    r = client.post("/api/v1/obligations/staffing/", {"enterprise": world.ent_hazchem.pk, **data}, content_type=J)
    assert r.status_code == 400, r.content
    assert r.json()["errors"][field] == [f"人数须为0到{SafetyOrganisation.MAX_MANAGERS}之间的整数。"]
    with pytest.raises(ServiceError) as exc:
        services.set_safety_organisation(None, world.ent_hazchem, **{**data, "as_of": TODAY})
    assert exc.value.field == field
    assert not SafetyOrganisation.objects.exists()


def test_the_forms_and_the_serializers_bound_the_numbers_themselves():
    """Each layer refuses on its own (the service's bound is not the only one; the API schema says it)."""
    from obligations import api, forms

    for ser_cls, field, over in ((api.DrillSerializer, "participants", EmergencyDrill.MAX_PARTICIPANTS + 1),
                                 (api.StaffingSerializer, "full_time_managers", SafetyOrganisation.MAX_MANAGERS + 1),
                                 (api.StaffingSerializer, "part_time_managers", SafetyOrganisation.MAX_MANAGERS + 1),
                                 (api.CostSerializer, "ratio_percent", "100.001"),
                                 (api.CostSerializer, "base", str(MAX_AMOUNT + Decimal("0.01"))),
                                 (api.CostSerializer, "amount", str(MAX_AMOUNT + Decimal("0.01"))),
                                 (api.CostSerializer, "used_amount", str(MAX_AMOUNT + Decimal("0.01")))):
        ser = ser_cls(data={field: over})
        assert not ser.is_valid() and field in ser.errors, (ser_cls, field)

    assert "participants" in forms.DrillForm({"participants": str(EmergencyDrill.MAX_PARTICIPANTS + 1)}).errors
    for field in ("full_time_managers", "part_time_managers"):
        assert field in forms.SafetyOrganisationForm({field: str(SafetyOrganisation.MAX_MANAGERS + 1)}).errors
    over = str(MAX_AMOUNT + Decimal("0.01"))
    errors = forms.CostForm({"base": over, "amount": over, "used_amount": over, "ratio_percent": "100.001"}).errors
    assert {"base", "amount", "used_amount", "ratio_percent"} <= set(errors)


def test_the_cost_form_starts_on_the_units_own_industry_or_on_a_choice_never_on_the_first_entry(client, world):
    import re

    def selected(persona, ent):
        client.force_login(world.user(persona))
        html = client.get(f"/obligations/enterprise/{ent.pk}/add/cost/").content.decode()
        select = re.search(r'<select name="industry"[^>]*>(.*?)</select>', html, re.S).group(1)
        return re.findall(r'<option value="([^"]*)"[^>]*selected', select)

    assert selected("enterprise_gas_station", world.ent_hazchem) == ["hazchem"]  # a 加油站: 危险品生产与储存
    assert selected("enterprise", world.ent_commerce) == [""]  # 商贸: none of the list's industries — 请选择
    client.force_login(world.user("enterprise"))
    data = {k: v for k, v in _cost().items() if k != "industry"}
    r = client.post(f"/obligations/enterprise/{world.ent_commerce.pk}/add/cost/", data)
    assert r.status_code == 400 and "请选择适用行业。" in r.content.decode()
    assert not SafetyCostExtraction.objects.exists()
