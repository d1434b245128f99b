"""Findings of the principal-led check (主要负责人带队检查) reach the hazard ledger with their grade.

Seeds 000 三(三)1(2) and 001 一.1: the principal "每季度要带队对本单位重大事故隐患排查整治情况至少开展1次检查"
and keeps the enterprise's 重大事故隐患台账清单; seed 002 item 8 the same. So a finding of that check
may be 重大: it carries its grade, its sector (one of the enterprise's), its 判定依据 (a standard item,
or a written reason when none fits) and a deadline, and a 重大 one is registered like any other major
hazard (PRODUCT.md: a 重大 hazard names the item it matches or explains why it is major; its
principal and actual controller are notified)."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Sector
from core.models import Event, Notification, OutboxMessage
from core.services import ServiceError
from core.testing import check_matrix, client_as
from hazards.forms import applicable_items
from hazards.models import Hazard, HazardSource
from obligations import services
from obligations.models import PrincipalCheck

TODAY = timezone.localdate()
DEADLINE = TODAY + datetime.timedelta(days=30)


def _item(world):
    """A standard item that applies to 鑫隆商贸 (the registration form's own list of them)."""
    item = applicable_items(world.ent_commerce).first()
    assert item is not None
    return item


def _check(world, hazards, actor="enterprise"):
    return services.record_principal_check(world.user(actor), world.ent_commerce, kind="check", held_on=TODAY,
                                           leader="王总", participants="安全员", findings="季度带队检查",
                                           hazards=hazards)


def test_a_major_finding_is_registered_as_a_major_self_check_hazard_with_its_basis_and_deadline(world):
    commerce = Sector.objects.get(code="commerce")
    item = _item(world)
    check = _check(world, [
        {"description": "安全出口锁闭", "grade": "major", "sector": commerce, "basis_item": item, "deadline": DEADLINE,
         "location": "一层仓库"},
        {"description": "灭火器过期", "grade": "general", "sector": commerce},
    ])
    major, general = (Hazard.objects.get(pk=pk) for pk in check.hazard_ids)
    assert (major.grade, major.sector, major.basis_item, major.deadline, major.location) == (
        "major", commerce, item, DEADLINE, "一层仓库")
    assert (general.grade, general.sector, general.basis_item) == ("general", commerce, None)
    for h in (major, general):
        assert h.channel == "self_check" and h.found_on == TODAY and h.status == "registered"
        assert h.finder_name == "王总"  # the principal who led the check
        assert Event.objects.filter(verb="hazard.registered", object_id=h.pk).count() == 1
        assert HazardSource.objects.get(hazard=h).reference == f"obligations.principal_check:{check.pk}"
    # 重大: the principal and the actual controller are told (by SMS; demo data has both phones)
    sms = OutboxMessage.objects.filter(kind="hazard.major_registered", object_id=major.pk, channel="sms")
    assert {m.address for m in sms} == {world.ent_commerce.principal_phone, world.ent_commerce.controller_phone}
    assert not OutboxMessage.objects.filter(kind="hazard.major_registered", object_id=general.pk).exists()
    assert not Notification.objects.filter(kind="hazard.major_registered", object_id=general.pk).exists()
    assert Event.objects.filter(verb="obligations.principal_check", object_id=check.pk).get().data["hazards"] == check.hazard_ids


def test_a_major_finding_with_a_written_reason_instead_of_an_item_is_registered(world):
    check = _check(world, [{"description": "储罐区无防火堤", "grade": "major", "sector": Sector.objects.get(code="commerce"),
                            "basis_reason": "无对应条款，可能导致群死群伤", "deadline": DEADLINE}])
    h = Hazard.objects.get(pk=check.hazard_ids[0])
    assert h.grade == "major" and h.basis_item is None and h.basis_reason == "无对应条款，可能导致群死群伤"


@pytest.mark.parametrize("finding,field,words", [
    ({"grade": "major", "deadline": DEADLINE}, "basis_item", "判定依据"),
    ({"grade": "major", "basis_reason": "可能导致群死群伤"}, "deadline", "整改期限"),
    ({"grade": "general", "basis_item": "ITEM"}, "grade", "等级须为“重大”"),
    ({"grade": "urgent"}, "grade", "一般"),
    ({"grade": "general", "sector": "construction"}, "sector", "行业领域"),
    ({"grade": "general", "description": ""}, "description", "隐患描述"),
    ({"grade": "general", "deadline": TODAY - datetime.timedelta(days=1)}, "deadline", "整改期限"),
])
def test_a_finding_the_hazard_registration_would_refuse_is_refused_on_its_field_and_nothing_is_written(
        world, finding, field, words):
    good = {"description": "灭火器过期", "grade": "general", "sector": Sector.objects.get(code="commerce")}
    bad = {"description": "安全出口锁闭", "sector": Sector.objects.get(code="commerce"), **finding}
    if bad.get("basis_item") == "ITEM":
        bad["basis_item"] = _item(world)
    if isinstance(bad["sector"], str):
        bad["sector"] = Sector.objects.get(code=bad["sector"])
    before = (PrincipalCheck.objects.count(), Hazard.objects.count())
    with pytest.raises(ServiceError) as exc:
        _check(world, [good, bad])
    assert exc.value.field == f"hazards.1.{field}" and exc.value.message.startswith("第2条隐患：") and words in exc.value.message
    assert (PrincipalCheck.objects.count(), Hazard.objects.count()) == before


def test_a_study_session_registers_no_hazards(world):
    with pytest.raises(ServiceError) as exc:
        services.record_principal_check(world.user("enterprise"), world.ent_commerce, kind="study", held_on=TODAY,
                                        leader="王总", participants="班子成员", findings="研究整治方案",
                                        hazards=[{"description": "x", "grade": "general",
                                                  "sector": Sector.objects.get(code="commerce")}])
    assert exc.value.field == "hazards"


# ---------------------------------------------------------------- the page (phone-sized form)

def _post(world, **finding):
    data = {"kind": "check", "held_on": TODAY.isoformat(), "leader": "王总", "participants": "安全员", "findings": "",
            "hazards-TOTAL_FORMS": "3", "hazards-INITIAL_FORMS": "0", "hazards-MIN_NUM_FORMS": "0",
            "hazards-MAX_NUM_FORMS": "30"}
    data.update({f"hazards-0-{k}": v for k, v in finding.items()})
    return data


def test_the_check_form_offers_grade_sector_basis_and_deadline_per_finding_in_chinese(client, world):
    client_as(client, world, "enterprise")
    html = client.get(f"/obligations/enterprise/{world.ent_commerce.pk}/add/check/").content.decode()
    for text in ("隐患描述", "隐患等级", "重大", "一般", "行业领域", "判定依据条款", "无对应条款时的判定理由", "整改期限", "隐患部位"):
        assert text in html, text
    assert html.count('data-testid="finding"') == 3 and 'name="hazards-0-grade"' in html
    assert 'data-picker-params="enterprise=' in html  # the standard items that apply to this enterprise


def test_the_check_form_registers_a_major_finding_and_shows_a_refusal_under_the_finding(client, world):
    client_as(client, world, "enterprise")
    url = f"/obligations/enterprise/{world.ent_commerce.pk}/add/check/"
    commerce = Sector.objects.get(code="commerce")
    refused = client.post(url, _post(world, description="安全出口锁闭", grade="major", sector=commerce.pk,
                                     basis_reason="可能导致群死群伤"))
    html = refused.content.decode()
    assert refused.status_code == 400 and 'data-field="deadline"' in html and "第1条隐患：重大隐患须确定整改期限。" in html
    assert not PrincipalCheck.objects.exists()
    ok = client.post(url, _post(world, description="安全出口锁闭", grade="major", sector=commerce.pk,
                                basis_item=_item(world).pk, deadline=DEADLINE.isoformat()))
    assert ok.status_code == 302
    check = PrincipalCheck.objects.get()
    h = Hazard.objects.get(pk=check.hazard_ids[0])
    assert (h.grade, h.basis_item, h.deadline, h.channel) == ("major", _item(world), DEADLINE, "self_check")


def test_only_the_enterprises_own_staff_may_record_findings_on_the_page(client, world):
    url = f"/obligations/enterprise/{world.ent_commerce.pk}/add/check/"
    data = _post(world, description="安全出口锁闭", grade="general", sector=Sector.objects.get(code="commerce").pk)
    check_matrix(client, world, url, {"anon": "login", "commerce": 403, "committee": 403, "enterprise_other": 404,
                                      "other_region": 404, "agency": 404, "nobody": 404}, method="post", data=data)
    assert not Hazard.objects.exists()


# ---------------------------------------------------------------- the API

def test_the_api_registers_each_finding_with_its_grade_and_refuses_a_bad_one_on_its_field(client, world):
    client_as(client, world, "enterprise")
    body = {"enterprise": world.ent_commerce.pk, "kind": "check", "held_on": TODAY.isoformat(), "leader": "王总",
            "participants": "安全员", "hazards": [
                {"description": "安全出口锁闭", "grade": "major", "sector": "commerce", "basis_item": _item(world).pk,
                 "deadline": DEADLINE.isoformat()},
                {"description": "灭火器过期", "grade": "general", "sector": "commerce"}]}
    ok = client.post("/api/v1/obligations/checks/", body, content_type="application/json")
    assert ok.status_code == 201, ok.content
    grades = [Hazard.objects.get(pk=pk).grade for pk in ok.json()["hazard_ids"]]
    assert grades == ["major", "general"]
    no_deadline = {**body, "hazards": [{**body["hazards"][0], "deadline": None}]}
    resp = client.post("/api/v1/obligations/checks/", no_deadline, content_type="application/json")
    assert resp.status_code == 400 and set(resp.json()["errors"]) == {"hazards.0.deadline"}
    bad_grade = {**body, "hazards": [{**body["hazards"][1], "grade": "urgent"}]}
    resp = client.post("/api/v1/obligations/checks/", bad_grade, content_type="application/json")
    assert resp.status_code == 400 and set(resp.json()["errors"]) == {"hazards.0.grade"}
    assert Hazard.objects.count() == 2


def test_only_the_enterprises_own_staff_may_record_findings_through_the_api(client, world):
    body = {"enterprise": world.ent_commerce.pk, "kind": "check", "held_on": TODAY.isoformat(), "leader": "王总",
            "participants": "安全员", "hazards": [{"description": "灭火器过期", "grade": "general", "sector": "commerce"}]}
    check_matrix(client, world, "/api/v1/obligations/checks/", {
        "anon": (401, 403), "commerce": 403, "committee": 403, "enterprise_other": 404, "other_region": 404,
        "agency": 404, "nobody": 404}, method="post", data=body, content_type="application/json")  # as the page
    assert not Hazard.objects.exists()

