import datetime

import pytest
from django.utils import timezone

from accidents import services
from accidents.models import Accident
from core.testing import client_as

pytestmark = pytest.mark.django_db


def test_enterprise_reports_through_the_page(client, world):
    client_as(client, world, "enterprise")
    occurred = timezone.localtime() - datetime.timedelta(hours=3)
    data = {"sector": world.ent_commerce.sectors.first().pk, "accident_type": "object_strike", "place": "仓库",
            "summary": "货架倒塌",
            "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
            "learned_at": (occurred + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
            "deaths": 3, "injuries": 0, "loss": "12.5"}
    r = client.post("/accidents/new/", data)
    assert r.status_code == 302
    a = Accident.objects.get()
    assert a.enterprise_id == world.ent_commerce.pk and a.grade == "larger" and a.late_report is True
    page = client.get(f"/accidents/{a.pk}/").content.decode()
    assert "较大事故" in page and "迟报" in page


def test_bad_input_is_400_with_chinese_reason(client, world):
    client_as(client, world, "enterprise")
    r = client.post("/accidents/new/", {"place": "", "deaths": "-1", "occurred_at": "昨天"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "不能为负数" in body and "时间格式不正确" in body and 'data-field="place"' in body


def test_learned_before_occurred_is_400(client, world):
    client_as(client, world, "enterprise")
    occurred = timezone.localtime() - datetime.timedelta(hours=3)
    r = client.post("/accidents/new/", {
        "sector": world.ent_commerce.sectors.first().pk, "accident_type": "object_strike", "place": "仓库", "summary": "x",
        "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
        "learned_at": (occurred - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "deaths": 0, "injuries": 0, "loss": 0})
    assert r.status_code == 400 and 'data-field="learned_at"' in r.content.decode()


def test_supplement_through_the_page_regrades(client, world, report):
    a = report(deaths=2)
    client_as(client, world, "enterprise")
    r = client.post(f"/accidents/{a.pk}/supplement/", {"deaths": 10, "injuries": 0, "loss": 0, "note": "新增死亡"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.grade == "major"


def test_extension_beyond_limit_is_400(client, world, report):
    a = report()
    services.start_investigation(world.user("committee"), a, leader_name="张", members="应急局")
    client_as(client, world, "committee")
    r = client.post(f"/accidents/{a.pk}/extend_investigation/", {"days": 61, "reason": "鉴定"})
    assert r.status_code == 400 and "延长期限须为1至60日" in r.content.decode()


def test_enterprise_cannot_investigate(client, world, report):
    a = report()
    client_as(client, world, "enterprise")
    r = client.post(f"/accidents/{a.pk}/start_investigation/", {"leader_name": "x", "members": "y"})
    assert r.status_code == 403 and "只有负责事故调查的单位" in r.content.decode()
    assert Accident.objects.get(pk=a.pk).status == "reported"


def test_public_pages_show_only_closed(client, world, report):
    a = report()
    assert client.get(f"/public/accidents/{a.pk}/").status_code == 404
    services.start_investigation(world.user("committee"), a, leader_name="张", members="应急局")
    services.submit_report(world.user("committee"), a, cause="违章", nature="责任事故", technical_chapter="技术篇内容",
                           management_chapter="管理篇内容")
    services.approve(world.user("committee_lead"), a, doc_no="河北政批1号", text="同意")
    client.logout()
    r = client.get(f"/public/accidents/{a.pk}/")
    assert r.status_code == 200 and "技术篇内容" in r.content.decode() and "管理篇内容" in r.content.decode()


def test_concealed_accident_page_from_tip(client, world, sectors):
    from tips import services as tip_services

    ent = world.ent_commerce
    tip, _ = tip_services.submit_tip(None, region=ent.region, sector=sectors["commerce"], address="示范路1号",
                                     enterprise=ent, content="该单位上周发生事故致一人死亡，未向政府报告。")
    officer = world.user("commerce")
    tip_services.accept(officer, tip)
    tip_services.start_verification(officer, tip)
    tip_services.verify(officer, tip, result="true", note="核查属实")
    client_as(client, world, "commerce")
    assert f"/accidents/from-tip/{tip.pk}/" in client.get(f"/tips/{tip.pk}/").content.decode()
    occurred = timezone.localtime() - datetime.timedelta(days=6)
    r = client.post(f"/accidents/from-tip/{tip.pk}/", {
        "enterprise": ent.pk, "sector": sectors["commerce"].pk, "accident_type": "object_strike", "place": "仓库", "summary": "货物坠落致一人死亡",
        "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"), "learned_at": occurred.strftime("%Y-%m-%dT%H:%M"),
        "deaths": 1, "injuries": 0, "loss": 0})
    assert r.status_code == 302
    a = Accident.objects.get(tip=tip)
    assert a.concealed and a.source == "tip"
    client_as(client, world, "enterprise")
    assert client.get(f"/accidents/from-tip/{tip.pk}/").status_code == 403
    client_as(client, world, "other_region")
    assert client.get(f"/accidents/from-tip/{tip.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["committee", "committee_lead", "enterprise", "commerce"])
def test_garbage_posts_to_every_action_are_below_500(client, world, report, persona):
    from accidents.views import ACTIONS

    a = report()
    services.start_investigation(world.user("committee"), a, leader_name="张", members="应急局")
    m = services.add_measure(world.user("committee"), a, problem="p", content="c", owner_org=world.org("commerce"),
                             owner_name="刘", deadline=timezone.localdate())
    garbage = {"deaths": "many", "injuries": "-3", "loss": "1e99", "days": "x", "deadline": "2026-13-45",
               "owner_org": "999999", "kind": "nope", "case": "abc", "accountability": "-1", "note": "",
               "occurred_at": "x", "new_score": "x"}
    client_as(client, world, persona)
    for action in list(ACTIONS) + ["nonsense"]:
        r = client.post(f"/accidents/{a.pk}/{action}/", garbage)
        assert r.status_code < 500, (action, r.status_code)
    for action in ("submit", "accept", "reject", "x"):
        assert client.post(f"/accidents/measures/{m.pk}/{action}/", garbage).status_code < 500
    assert Accident.objects.get(pk=a.pk).status == "investigating"


def test_board_and_statistics_count_accidents_beside_hazards_in_scope(client, world, report):
    """Issue 21 item 5: the board and the statistics show this year's accidents (by grade, deaths)
    in the viewer's scope; another district sees none of them."""
    report(deaths=3)  # 3 deaths: 较大 (493号令 art. 3: 3–9 deaths)
    report(deaths=0, injuries=1)  # 一般
    for url in ("/campaigns/stats/", "/campaigns/board/"):
        client_as(client, world, "committee")
        html = client.get(url).content.decode()
        assert 'data-testid="accident-figures"' in html, url
        assert "共发生事故 2 起，死亡 3 人" in html and "较大事故 1 起" in html and "一般事故 1 起" in html, url
        client_as(client, world, "other_region")
        assert "共发生事故 0 起" in client.get(url).content.decode(), url
