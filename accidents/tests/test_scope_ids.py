"""Ids an accident form names that lie outside the user's scope are not found (404), as opening them
would be — not a 400 form error (PRODUCT.md: out of scope is 404): the enforcement case and the
accountability record a 责任追究 links, the enterprise of an accident report (page and API)."""

import datetime

import pytest
from django.utils import timezone

from accidents import services
from accidents.models import Accident, Responsibility
from core.testing import check_matrix, client_as
from enforcement import services as enforcement

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(world, report):
    """An accident of 鑫隆商贸 (商贸, 河北区) whose report the 区安委办 submitted: 责任追究 may be recorded."""
    a = report()
    services.start_investigation(world.user("committee"), a, leader_name="张", members="应急局")
    services.submit_report(world.user("committee"), a, cause="违章作业", nature="责任事故", technical_chapter="货架超载",
                           management_chapter="安全培训缺失")
    return a


def _responsibility(**over):
    return {"kind": "enterprise_penalty", "subject": "鑫隆商贸", "measure": "罚款20万元", **over}


def _other_region_case(world):
    return enforcement.open_case(world.user("other_region"), enterprise=world.ent_other_region, title="河东区案件")


def test_responsibility_matrix_with_a_case_in_scope(client, world, submitted):
    """The case (商务局, 鑫隆商贸) is in the investigator's scope: the 区安委办 records it; another sector
    (住建委), another region (河东区) and another enterprise cannot see the accident — 404; the
    accident's own enterprise may see it but not record — 403; anonymous to the login."""
    case = enforcement.open_case(world.user("commerce"), enterprise=world.ent_commerce, title="事故责任")
    check_matrix(client, world, f"/accidents/{submitted.pk}/responsibility/", {
        "anon": "login", "committee": 302, "housing": 404, "other_region": 404, "enterprise_other": 404,
        "enterprise": 403, "agency": 404, "nobody": 404,
    }, method="post", data=_responsibility(case=case.pk))
    assert list(Responsibility.objects.values_list("case", flat=True)) == [case.pk]


@pytest.mark.parametrize("what", ["case_other_region", "case_missing", "accountability_other_region",
                                  "accountability_missing"])
def test_a_linked_record_out_of_scope_is_404(client, world, submitted, what):
    if what == "case_other_region":
        data = _responsibility(case=_other_region_case(world).pk)
    elif what == "case_missing":
        data = _responsibility(case=99999999)
    elif what == "accountability_other_region":
        row = enforcement.record_accountability(world.user("other_region"), person_name="周某", measure="诫勉谈话")
        data = _responsibility(kind="accountability", accountability=row.pk)
    else:
        data = _responsibility(kind="accountability", accountability=99999999)
    client_as(client, world, "committee")
    assert client.post(f"/accidents/{submitted.pk}/responsibility/", data).status_code == 404
    assert not Responsibility.objects.exists()


def test_a_linked_case_in_scope_of_another_enterprise_stays_400_with_the_field(client, world, submitted):
    """津建三公司's case is in the 区安委办's scope but not the accident unit's: the service's 400 (case)."""
    case = enforcement.open_case(world.user("housing"), enterprise=world.ent_construction, title="另案")
    client_as(client, world, "committee")
    r = client.post(f"/accidents/{submitted.pk}/responsibility/", _responsibility(case=case.pk))
    assert r.status_code == 400 and "所选执法案件的当事单位不是事故单位" in r.content.decode()
    assert not Responsibility.objects.exists()


def _report_form(world, ent):
    occurred = timezone.localtime() - datetime.timedelta(hours=3)
    return {"enterprise": ent.pk, "sector": world.ent_commerce.sectors.first().pk, "accident_type": "object_strike",
            "place": "仓库", "summary": "货架倒塌", "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
            "learned_at": (occurred + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
            "deaths": 0, "injuries": 1, "loss": "1"}


def test_report_page_matrix_an_enterprise_out_of_scope_is_404(client, world):
    """Reporting 鑫隆商贸's accident by picking the unit: 商务局 reports it; 住建委 (another sector) and
    河东区 (another region) cannot see the unit — 404, not the form's 400; anonymous to the login."""
    check_matrix(client, world, "/accidents/new/", {
        "anon": "login", "commerce": 302, "housing": 404, "other_region": 404, "agency": 403, "nobody": 403,
    }, method="post", data=_report_form(world, world.ent_commerce))
    assert Accident.objects.count() == 1


@pytest.mark.parametrize("what", ["construction", "other_region"])
def test_report_page_and_api_an_enterprise_out_of_scope_is_404(client, world, what):
    ent = world.ent_construction if what == "construction" else world.ent_other_region
    client_as(client, world, "commerce")
    assert client.post("/accidents/new/", _report_form(world, ent)).status_code == 404
    occurred = timezone.now() - datetime.timedelta(hours=2)
    r = client.post("/api/v1/accidents/", {
        "enterprise": ent.pk, "sector_code": "commerce", "accident_type": "object_strike", "place": "仓库",
        "summary": "货架倒塌", "occurred_at": occurred.isoformat(),
        "learned_at": (occurred + datetime.timedelta(minutes=5)).isoformat(), "deaths": 0, "injuries": 1, "loss": "1",
    }, content_type="application/json")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert not Accident.objects.exists()


@pytest.mark.parametrize("value", [99999999, "abc"])
def test_api_report_naming_a_unit_of_nothing_is_404_and_no_id_400_on_the_field(client, world, value):
    occurred = timezone.now() - datetime.timedelta(hours=2)
    client_as(client, world, "commerce")
    r = client.post("/api/v1/accidents/", {
        "enterprise": value, "sector_code": "commerce", "accident_type": "object_strike", "place": "仓库",
        "summary": "货架倒塌", "occurred_at": occurred.isoformat(),
        "learned_at": (occurred + datetime.timedelta(minutes=5)).isoformat(), "deaths": 0, "injuries": 1, "loss": "1",
    }, content_type="application/json")
    if value == "abc":
        assert r.status_code == 400 and list(r.json()["errors"]) == ["enterprise"]
    else:
        assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert not Accident.objects.exists()
