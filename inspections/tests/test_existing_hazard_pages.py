"""Audit D13 on the page and in the API: the inspector chooses "台账中的同一隐患" among the
enterprise's open hazards (Chinese labels, no raw ids); out of scope is 404, another enterprise's
or a closed hazard 400 with the field and a Chinese reason."""

import datetime

import pytest

from accounts.models import Sector
from core.testing import check_matrix, client_as
from hazards import services as hz
from hazards.models import Hazard
from inspections import services
from inspections.models import RecordItem

from .factories import record, today
from .test_existing_hazard import finding, self_reported

J = "application/json"


@pytest.fixture
def scene(world):
    rec = record(world)
    line = rec.items.filter(standard_item__isnull=False).order_by("sort_order").first()
    hazard = self_reported(world, line.standard_item)
    item = finding(world, rec)
    other_ent = hz.register_hazard(world.user("commerce"), enterprise=world.ent_commerce2,
                                   sector=Sector.objects.get(code="commerce"), description="货架倾斜", grade="general")
    other_region = hz.register_hazard(world.user("other_region"), enterprise=world.ent_other_region,
                                      sector=world.ent_other_region.sectors.first(), description="配电箱无防护",
                                      grade="general")
    return {"rec": rec, "item": item, "hazard": hazard, "other_ent": other_ent, "other_region": other_region}


def page_url(s):
    return f"/inspections/records/{s['rec'].pk}/findings/{s['item'].pk}/match/"


def form(s, hazard_id="", new=False):
    data = {f"m{s['item'].pk}-existing_hazard": hazard_id}
    if new:
        data[f"m{s['item'].pk}-new_hazard"] = "on"
    return data


def test_the_record_page_offers_the_open_hazards_in_chinese_and_prompts_for_the_same_item(client, world, scene):
    client_as(client, world, "emergency")
    html = client.get(f"/inspections/records/{scene['rec'].pk}/").content.decode()
    h = scene["hazard"]
    assert "台账中的同一隐患" in html and 'data-testid="duplicate-prompt"' in html
    option = next(line for line in html.splitlines() if f'value="{h.pk}"' in line)
    assert h.number in option and "整改中" in option and "重大" in option and "企业自查上报" in option
    assert scene["other_ent"].number not in html and scene["other_region"].number not in html


def test_the_page_links_the_finding_and_signing_registers_nothing_new(client, world, scene):
    client_as(client, world, "emergency")
    resp = client.post(page_url(scene), form(scene, scene["hazard"].pk))
    assert resp.status_code == 302
    scene["item"].refresh_from_db()
    assert scene["item"].existing_hazard == scene["hazard"]
    html = client.get(f"/inspections/records/{scene['rec'].pk}/").content.decode()
    assert 'data-testid="finding-linked"' in html and 'data-testid="duplicate-prompt"' not in html
    before = Hazard.objects.count()
    client.post(f"/inspections/records/{scene['rec'].pk}/answer-remaining/")
    client.post(f"/inspections/records/{scene['rec'].pk}/sign/")
    scene["rec"].refresh_from_db()
    assert scene["rec"].locked and Hazard.objects.count() == before


def test_the_page_refuses_another_enterprises_hazard_with_the_field_and_reason(client, world, scene):
    client_as(client, world, "emergency")
    resp = client.post(page_url(scene), form(scene, scene["other_ent"].pk))
    assert resp.status_code == 400
    assert 'data-field="existing_hazard"' in resp.content.decode() and "不是被检查单位" in resp.content.decode()


def test_the_page_refuses_a_closed_hazard(client, world, scene):
    hz.void(world.user("commerce"), scene["hazard"], reason="误登记")
    client_as(client, world, "emergency")
    resp = client.post(page_url(scene), form(scene, scene["hazard"].pk))
    assert resp.status_code == 400 and "只能关联未销号的隐患" in resp.content.decode()


def test_a_hazard_out_of_scope_is_404_on_the_page(client, world, scene):
    client_as(client, world, "emergency")
    assert client.post(page_url(scene), form(scene, scene["other_region"].pk)).status_code == 404
    assert client.post(page_url(scene), form(scene, 10**9)).status_code == 404


def test_the_page_permission_matrix(client, world, scene):
    check_matrix(client, world, page_url(scene),
                 {"other_region": 404, "housing": 404, "township_other": 404, "enterprise_other": 404,
                  "enterprise": 403, "anon": "login"},
                 method="post", data=form(scene, scene["hazard"].pk))
    scene["item"].refresh_from_db()
    assert scene["item"].existing_hazard is None  # none of them changed it


def test_an_extra_finding_from_the_page_can_name_the_ledger_hazard(client, world, scene):
    client_as(client, world, "emergency")
    resp = client.post(f"/inspections/records/{scene['rec'].pk}/findings/", {
        "f-text": "二号库房", "f-note": "安全出口上锁", "f-grade": "major",
        "f-deadline": (today() + datetime.timedelta(days=5)).isoformat(), "f-existing_hazard": scene["hazard"].pk})
    assert resp.status_code == 302
    assert RecordItem.objects.get(record=scene["rec"], text="二号库房").existing_hazard == scene["hazard"]
    resp = client.post(f"/inspections/records/{scene['rec'].pk}/findings/", {
        "f-text": "三号库房", "f-note": "x", "f-grade": "general", "f-existing_hazard": scene["other_region"].pk})
    assert resp.status_code == 404


# ---------------------------------------------------------------- API

def api_url(s):
    return f"/api/v1/inspections/findings/{s['item'].pk}/match/"


def test_the_api_links_the_finding(client, world, scene):
    client_as(client, world, "emergency")
    resp = client.post(api_url(scene), {"existing_hazard": scene["hazard"].pk}, content_type=J)
    assert resp.status_code == 200, resp.content
    assert resp.json()["existing_hazard"] == scene["hazard"].pk
    detail = client.get(f"/api/v1/inspections/findings/{scene['item'].pk}/").json()
    assert detail["existing_hazard"] == scene["hazard"].pk and detail["new_hazard_confirmed"] is False


def test_the_api_refuses_another_enterprises_or_a_closed_hazard_with_the_field(client, world, scene):
    client_as(client, world, "emergency")
    resp = client.post(api_url(scene), {"existing_hazard": scene["other_ent"].pk}, content_type=J)
    assert resp.status_code == 400 and "existing_hazard" in resp.json()["errors"]
    assert "不是被检查单位" in resp.json()["message"]
    hz.void(world.user("commerce"), scene["hazard"], reason="误登记")
    resp = client.post(api_url(scene), {"existing_hazard": scene["hazard"].pk}, content_type=J)
    assert resp.status_code == 400 and "existing_hazard" in resp.json()["errors"]


def test_the_api_answers_404_for_a_hazard_out_of_scope(client, world, scene):
    client_as(client, world, "emergency")
    resp = client.post(api_url(scene), {"existing_hazard": scene["other_region"].pk}, content_type=J)
    assert resp.status_code == 404 and resp.json()["code"] == "not_found"


def test_the_api_permission_matrix(client, world, scene):
    body = {"existing_hazard": scene["hazard"].pk}
    for persona, want in {"other_region": 404, "housing": 404, "township_other": 404, "enterprise_other": 404,
                          "enterprise": 403, "anon": (401, 403)}.items():
        client_as(client, world, persona)
        status = client.post(api_url(scene), body, content_type=J).status_code
        assert status in (want if isinstance(want, tuple) else (want,)), (persona, status)
    scene["item"].refresh_from_db()
    assert scene["item"].existing_hazard is None


def test_the_api_adds_an_extra_finding_naming_the_ledger_hazard(client, world, scene):
    client_as(client, world, "emergency")
    url = f"/api/v1/inspections/records/{scene['rec'].pk}/findings/"
    resp = client.post(url, {"text": "二号库房", "note": "安全出口上锁", "grade": "major",
                             "deadline": (today() + datetime.timedelta(days=5)).isoformat(),
                             "existing_hazard": scene["hazard"].pk}, content_type=J)
    assert resp.status_code == 201, resp.content
    assert resp.json()["existing_hazard"] == scene["hazard"].pk
    resp = client.post(url, {"text": "三号库房", "note": "x", "grade": "general",
                             "existing_hazard": scene["other_region"].pk}, content_type=J)
    assert resp.status_code == 404


def test_signing_through_the_api_names_the_possible_duplicate(client, world, scene):
    client_as(client, world, "emergency")
    services.answer_remaining(world.user("emergency"), scene["rec"])
    resp = client.post(f"/api/v1/inspections/records/{scene['rec'].pk}/sign/", content_type=J)
    assert resp.status_code == 400 and scene["hazard"].number in resp.json()["message"]
    resp = client.post(api_url(scene), {"new_hazard": True}, content_type=J)
    assert resp.status_code == 200 and resp.json()["new_hazard_confirmed"] is True
    resp = client.post(f"/api/v1/inspections/records/{scene['rec'].pk}/sign/", content_type=J)
    assert resp.status_code == 200 and resp.json()["status"] == "locked"
