"""更正事故类别: the reporter names the type within hours of the accident; the investigation
establishes the facts and the nature of the accident (《生产安全事故报告和调查处理条例》 art. 25), so
the investigating government corrects a wrong type, with its reason, until the investigation
report is approved. The 补报 window then follows the corrected type (art. 13 ¶2: 7 days for
road-traffic accidents and fires, 30 days for the others, counted from the day after the accident
— the dates below are worked out by hand as in test_supplement_window_by_type)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from accidents import services
from accidents.models import Accident
from core.events import events_for
from core.services import NotPermitted, ServiceError
from core.testing import check_matrix, client_as

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
OCCURRED_ON = datetime.date(2025, 3, 1)
DAY_7 = datetime.date(2025, 3, 8)  # 03-02 is day 1
DAY_30 = datetime.date(2025, 3, 31)
J = "application/json"


@pytest.fixture
def shop_accident(report):
    """Reported as 物体打击 (a shelf fell); the investigation finds a fire caused it."""
    return report(accident_type="object_strike", occurred_at=datetime.datetime(2025, 3, 1, 10, tzinfo=TZ),
                  summary="仓库货架倒塌，砸伤作业人员。")


def test_the_hand_worked_windows():
    assert DAY_7 - OCCURRED_ON == datetime.timedelta(days=7) and DAY_30 - OCCURRED_ON == datetime.timedelta(days=30)


def test_the_investigator_corrects_the_type_and_the_window_follows(world, shop_accident):
    assert shop_accident.supplement_until == DAY_30
    a = services.reclassify_accident(world.user("committee"), shop_accident, accident_type="fire",
                                     reason="调查查明：电气线路短路起火引燃货架，货架倒塌系火灾所致。")
    a.refresh_from_db()
    assert (a.accident_type, a.supplement_until) == ("fire", DAY_7)
    ev = [e for e in events_for(a) if e.verb == "accident.reclassified"]
    assert len(ev) == 1 and ev[0].data == {"accident_type_before": "object_strike", "accident_type": "fire",
                                            "supplement_until_before": "2025-03-31", "supplement_until": "2025-03-08"}
    assert "电气线路短路" in ev[0].note
    # and back: a fire wrongly so named becomes 30 days again
    services.reclassify_accident(world.user("committee"), a, accident_type="collapse", reason="复核为坍塌。")
    assert Accident.objects.get(pk=a.pk).supplement_until == DAY_30


def test_only_the_investigating_government_corrects(world, shop_accident):
    for persona in ("enterprise", "commerce", "other_region"):  # the reporter; a sector department; another district
        with pytest.raises(NotPermitted):
            services.reclassify_accident(world.user(persona), shop_accident, accident_type="fire", reason="更正")
    assert Accident.objects.get(pk=shop_accident.pk).accident_type == "object_strike"


@pytest.mark.parametrize("kwargs, message", [
    ({"accident_type": "fire", "reason": "  "}, "请填写更正理由"),
    ({"accident_type": "object_strike", "reason": "核实"}, "与原事故类别相同"),
    ({"accident_type": "big_fire", "reason": "核实"}, "事故类别"),
    ({"accident_type": "", "reason": "核实"}, "事故类别"),
])
def test_a_correction_needs_a_reason_and_a_different_known_type(world, shop_accident, kwargs, message):
    with pytest.raises(ServiceError) as exc:
        services.reclassify_accident(world.user("committee"), shop_accident, **kwargs)
    assert message in exc.value.message
    assert not [e for e in events_for(shop_accident) if e.verb == "accident.reclassified"]


def test_a_report_without_a_type_is_classified_not_corrected(world, shop_accident):
    Accident.objects.filter(pk=shop_accident.pk).update(accident_type="")
    with pytest.raises(ServiceError) as exc:
        services.reclassify_accident(world.user("committee"), Accident.objects.get(pk=shop_accident.pk),
                                     accident_type="fire", reason="核实")
    assert "请先补录事故类别" in exc.value.message


def _approve(world, a):
    services.start_investigation(world.user("committee"), a, leader_name="张", members="应急局")
    services.submit_report(world.user("committee"), a, cause="违章", nature="责任事故", technical_chapter="技术篇内容",
                           management_chapter="管理篇内容")
    services.approve(world.user("committee_lead"), a, doc_no="河北政批1号", text="同意")
    return Accident.objects.get(pk=a.pk)


def test_no_correction_once_the_report_is_approved(world, shop_accident):
    services.start_investigation(world.user("committee"), shop_accident, leader_name="张", members="应急局")
    services.reclassify_accident(world.user("committee"), shop_accident, accident_type="fire", reason="调查中查明起火")
    a = Accident.objects.get(pk=shop_accident.pk)
    services.submit_report(world.user("committee"), a, cause="违章", nature="责任事故", technical_chapter="技术篇内容",
                           management_chapter="管理篇内容")
    services.approve(world.user("committee_lead"), a, doc_no="河北政批1号", text="同意")
    a = Accident.objects.get(pk=a.pk)
    assert a.status == "closed"
    with pytest.raises(ServiceError) as exc:
        services.reclassify_accident(world.user("committee"), a, accident_type="collapse", reason="再次更正")
    assert "以批复的调查报告为准" in exc.value.message
    assert Accident.objects.get(pk=a.pk).accident_type == "fire"


def test_the_detail_page_offers_correction_to_the_investigator_only(client, world, shop_accident):
    url = f"/accidents/{shop_accident.pk}/"
    client_as(client, world, "enterprise")
    assert 'data-testid="form-reclassify"' not in client.get(url).content.decode()
    assert client.post(url + "reclassify/", {"accident_type": "fire", "reason": "更正"}).status_code == 403
    client_as(client, world, "committee")
    assert 'data-testid="form-reclassify"' in client.get(url).content.decode()
    r = client.post(url + "reclassify/", {"accident_type": "fire", "reason": ""})
    assert r.status_code == 400 and "请填写更正理由" in r.content.decode()
    assert client.post(url + "reclassify/", {"accident_type": "fire", "reason": "查明起火"}).status_code == 302
    page = client.get(url).content.decode()
    assert "火灾" in page and "更正事故类别" in page  # the type and the event's label in the trail
    assert Accident.objects.get(pk=shop_accident.pk).supplement_until == DAY_7


def test_reclassify_api_permissions_and_repeat(client, world, shop_accident):
    url = f"/api/v1/accidents/{shop_accident.pk}/reclassify/"
    body = {"accident_type": "fire", "reason": "调查查明起火"}
    check_matrix(client, world, url, {"other_region": 404, "enterprise_other": 404, "housing": 404, "nobody": 404,
                                      "anon": (401, 403), "enterprise": 403}, method="post", data=body, content_type=J)
    assert Accident.objects.get(pk=shop_accident.pk).accident_type == "object_strike"
    client_as(client, world, "committee")
    r = client.post(url, {"accident_type": "fire"}, content_type=J)
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = client.post(url, body, content_type=J)
    assert r.status_code == 200 and (r.json()["accident_type"], r.json()["supplement_until"]) == ("fire", "2025-03-08")
    assert client.post(url, body, content_type=J).status_code == 409  # the same correction again: already done


def test_the_public_pages_show_the_type(client, world, shop_accident):
    a = _approve(world, shop_accident)
    client.logout()
    assert "物体打击" in client.get(f"/public/accidents/{a.pk}/").content.decode()
    assert "物体打击" in client.get("/public/accidents/").content.decode()
