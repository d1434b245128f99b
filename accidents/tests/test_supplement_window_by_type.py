"""The 补报 window follows the kind of accident, not the enterprise's sector.

Law: 《生产安全事故报告和调查处理条例》(国务院令第493号) art. 13 ¶2 — 自事故发生之日起30日内，事故造成
的伤亡人数发生变化的，应当及时补报。道路交通事故、火灾事故自发生之日起7日内，事故造成的伤亡人数发生
变化的，应当及时补报。 Counting "自…之日起N日内" (民法典 art. 201: the starting day is not counted,
the period begins the next day): an accident on 2025-03-01 has day 1 = 03-02, so
* day 7 = 2025-03-08 is the last day of a 7-day window, 2025-03-09 (day 8) is outside it;
* day 30 = 2025-03-31 is the last day of a 30-day window, 2025-04-01 (day 31) is outside it.
The dates below are worked out by hand from that, and checked against plain date arithmetic.

The sectors are chosen so that the old, sector-keyed rule gives the other answer: a fire at a
petrol station (危险化学品) or a shop (商贸) was given 30 days; a workshop accident at a road
transport company (道路运输) was given 7."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accidents import services
from accidents.models import Accident, SupplementWindow
from core import ruletables
from core.events import events_for
from core.models import RuleVersion
from core.services import NotPermitted, ServiceError
from core.testing import check_matrix, client_as

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
OCCURRED_ON = datetime.date(2025, 3, 1)
DAY_7 = datetime.date(2025, 3, 8)
DAY_8 = datetime.date(2025, 3, 9)
DAY_30 = datetime.date(2025, 3, 31)
DAY_31 = datetime.date(2025, 4, 1)
J = "application/json"


def test_the_hand_worked_days_are_the_law_counted_from_the_day_after():
    assert DAY_7 == OCCURRED_ON + datetime.timedelta(days=7) and DAY_8 == DAY_7 + datetime.timedelta(days=1)
    assert DAY_30 == OCCURRED_ON + datetime.timedelta(days=30) and DAY_31 == DAY_30 + datetime.timedelta(days=1)


def occurred(hour=10):
    return datetime.datetime.combine(OCCURRED_ON, datetime.time(hour), tzinfo=TZ)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


@pytest.fixture
def fire_at_petrol_station(world, report):
    return report(actor=world.user("committee"), ent=world.ent_hazchem, sector="hazchem", accident_type="fire",
                  occurred_at=occurred(), summary="加油站卸油时油气起火，一名员工烧伤。")


@pytest.fixture
def workshop_accident_at_bus_company(world, report):
    return report(actor=world.user("committee"), ent=world.enterprises[23], sector="road_transport",
                  accident_type="machinery", occurred_at=occurred(), summary="修理车间检修车辆时被传动轴绞伤。")


def test_a_fire_at_a_petrol_station_has_seven_days(fire_at_petrol_station):
    assert fire_at_petrol_station.supplement_until == DAY_7


def test_a_fire_in_a_shop_has_seven_days(world, report):
    a = report(accident_type="fire", occurred_at=occurred(), summary="仓库电气线路短路起火。")
    assert a.sector.code == "commerce" and a.supplement_until == DAY_7


def test_a_workshop_accident_at_a_road_transport_company_has_thirty_days(workshop_accident_at_bus_company):
    assert workshop_accident_at_bus_company.supplement_until == DAY_30


def test_a_road_traffic_accident_has_seven_days_whatever_the_sector(report):
    a = report(accident_type="road_traffic", occurred_at=occurred(), summary="送货车辆在道路上与货车相撞。")
    assert a.sector.code == "commerce" and a.supplement_until == DAY_7


def test_an_in_plant_vehicle_injury_is_not_a_road_traffic_accident(report):
    """GB 6441's 车辆伤害 (厂内机动车辆) keeps the general 30 days."""
    a = report(accident_type="vehicle", occurred_at=occurred(), summary="叉车倒车撞伤装卸工。")
    assert a.supplement_until == DAY_30


def test_fire_supplement_accepted_on_day_seven_refused_on_day_eight(world, fire_at_petrol_station):
    a = fire_at_petrol_station
    services.update_casualties(world.user("committee"), a, deaths=0, injuries=1, loss=0, note="烧伤人员转为重伤",
                               at=at(DAY_7, 23, 30))
    a.refresh_from_db()
    assert a.injuries == 1
    with pytest.raises(ServiceError) as exc:
        services.update_casualties(world.user("committee"), a, deaths=1, injuries=0, loss=0, note="抢救无效死亡",
                                   at=at(DAY_8, 0, 30))
    assert exc.value.field == "deaths" and "补报期限" in exc.value.message
    assert Accident.objects.get(pk=a.pk).deaths == 0


def test_workshop_supplement_accepted_on_day_thirty_refused_on_day_thirty_one(world, workshop_accident_at_bus_company):
    a = workshop_accident_at_bus_company
    services.update_casualties(world.user("committee"), a, deaths=0, injuries=1, loss=0, note="伤情鉴定为重伤",
                               at=at(DAY_30, 23, 30))
    a.refresh_from_db()
    assert a.injuries == 1
    with pytest.raises(ServiceError) as exc:
        services.update_casualties(world.user("committee"), a, deaths=1, injuries=0, loss=0, note="抢救无效死亡",
                                   at=at(DAY_31, 0, 30))
    assert exc.value.field == "deaths"


def test_the_report_records_the_type_and_its_window_in_the_event(fire_at_petrol_station):
    ev = events_for(fire_at_petrol_station)[0]
    assert ev.verb == "accident.reported"
    assert ev.data["accident_type"] == "fire" and ev.data["supplement_until"] == "2025-03-08"


# ---------------------------------------------------------------- required, refused in Chinese

def test_the_service_refuses_a_missing_or_unknown_type(report):
    for value in ("", None, "big_fire"):
        with pytest.raises(ServiceError) as exc:
            report(accident_type=value)
        assert exc.value.field == "accident_type" and "事故类别" in exc.value.message
    assert not Accident.objects.exists()


def test_the_api_refuses_a_missing_or_unknown_type_naming_the_field(client, world):
    client_as(client, world, "enterprise")
    now = datetime.datetime.now(TZ) - datetime.timedelta(hours=2)
    body = {"sector_code": "commerce", "place": "仓库", "summary": "货架倒塌", "occurred_at": now.isoformat(),
            "learned_at": (now + datetime.timedelta(minutes=5)).isoformat()}
    r = client.post("/api/v1/accidents/", body, content_type=J)
    assert r.status_code == 400 and r.json()["errors"]["accident_type"] == ["请选择事故类别。"]
    r = client.post("/api/v1/accidents/", {**body, "accident_type": "big_fire"}, content_type=J)
    assert r.status_code == 400 and "无效" in r.json()["errors"]["accident_type"][0]
    r = client.post("/api/v1/accidents/", {**body, "accident_type": ""}, content_type=J)
    assert r.status_code == 400 and "accident_type" in r.json()["errors"]
    assert not Accident.objects.exists()
    r = client.post("/api/v1/accidents/", {**body, "accident_type": "fire"}, content_type=J)
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["accident_type"] == "fire" and out["accident_type_label"] == "火灾"
    occurred_on = datetime.datetime.fromisoformat(body["occurred_at"]).astimezone(TZ).date()
    assert out["supplement_until"] == (occurred_on + datetime.timedelta(days=7)).isoformat()


def test_the_report_page_requires_the_type_in_chinese(client, world):
    client_as(client, world, "enterprise")
    now = datetime.datetime.now(TZ) - datetime.timedelta(hours=2)
    data = {"sector": world.ent_commerce.sectors.first().pk, "place": "仓库", "summary": "货架倒塌",
            "occurred_at": now.strftime("%Y-%m-%dT%H:%M"), "learned_at": now.strftime("%Y-%m-%dT%H:%M"),
            "deaths": 0, "injuries": 0, "loss": 0}
    r = client.post("/accidents/new/", data)
    body = r.content.decode()
    assert r.status_code == 400 and 'data-field="accident_type"' in body and "请选择事故类别" in body
    r = client.post("/accidents/new/", {**data, "accident_type": "big_fire"})
    assert r.status_code == 400 and "事故类别无效" in r.content.decode()
    assert client.post("/accidents/new/", {**data, "accident_type": "fire"}).status_code == 302
    assert Accident.objects.get().accident_type == "fire"


def test_schema_documents_the_type_on_the_report_body(client, world):
    import yaml

    client.force_login(world.user("admin"))
    schema = yaml.safe_load(client.get("/api/schema/").content)
    ref = schema["paths"]["/api/v1/accidents/"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.split("/")[-1]]
    assert "accident_type" in body["required"] and "sector_code" in body["required"]
    enum = schema["components"]["schemas"]["AccidentTypeEnum"]["enum"]
    assert {"fire", "road_traffic", "vehicle", "poisoning"} <= set(enum) and "" not in enum and len(enum) == 21


# ---------------------------------------------------------------- shown in Chinese

def test_detail_page_and_list_show_the_type_in_chinese(client, world, fire_at_petrol_station, report):
    report(accident_type="fall", summary="员工从移动梯坠落。")
    client_as(client, world, "committee")
    page = client.get(f"/accidents/{fire_at_petrol_station.pk}/").content.decode()
    assert 'data-testid="accident-type">火灾' in page and 'data-testid="supplement-until"><time datetime="2025-03-08">2025-03-08</time>' in page
    listing = client.get("/accidents/", {"accident_type": "fire"})
    assert listing.status_code == 200 and [a.pk for a in listing.context["rows"]] == [fire_at_petrol_station.pk]
    assert "火灾" in listing.content.decode()
    assert client.get("/accidents/", {"accident_type": "big_fire"}).status_code == 400
    api = client.get("/api/v1/accidents/", {"accident_type": "fall"}).json()
    rows = api["results"] if isinstance(api, dict) else api
    assert [r["accident_type_label"] for r in rows] == ["高处坠落"]


# ---------------------------------------------------------------- the rule is data, versioned

def test_the_short_windows_are_rows_of_a_versioned_rule_table_from_2007():
    rows = {r.accident_type: r for r in SupplementWindow.objects.all()}
    assert {k: r.days for k, r in rows.items()} == {"fire": 7, "road_traffic": 7}
    for row in rows.values():
        v = RuleVersion.objects.get(table="accident-supplement-windows", row_id=row.pk)
        assert (v.version, v.effective_from, v.values["days"]) == (1, datetime.date(2007, 6, 1), "7")
        assert "第十三条" in row.basis


@pytest.mark.parametrize("occurred_on,days", [(datetime.date(2025, 6, 9), 7), (datetime.date(2025, 6, 10), 5)])
def test_a_revision_of_the_fire_window_applies_to_fires_from_its_date(world, report, occurred_on, days):
    """Mechanism only (a hypothetical revision to 5 days from 2025-06-10): a fire uses the row in
    force on the day it occurred."""
    row = SupplementWindow.objects.get(accident_type="fire")
    with time_machine.travel(datetime.datetime(2025, 6, 2, 9, tzinfo=TZ), tick=False):
        ruletables.revise_row(world.user("committee"), ruletables.table("accident-supplement-windows"), row, {"days": 5},
                              effective_from=datetime.date(2025, 6, 10), note="测试修订")
    with time_machine.travel(datetime.datetime(2025, 6, 12, 10, tzinfo=TZ), tick=False):
        a = report(accident_type="fire", occurred_at=datetime.datetime.combine(occurred_on, datetime.time(8), tzinfo=TZ))
    assert a.supplement_until == occurred_on + datetime.timedelta(days=days)


# ---------------------------------------------------------------- reports from before the type existed

def legacy(accident, until):
    """A report filed before the type existed: 未填写, with the window the old sector rule gave."""
    Accident.objects.filter(pk=accident.pk).update(accident_type="", supplement_until=until)
    return Accident.objects.get(pk=accident.pk)


def test_classifying_an_old_fire_report_gives_it_the_fire_window(world, fire_at_petrol_station):
    a = legacy(fire_at_petrol_station, DAY_30)  # the sector rule gave a petrol station 30 days
    services.classify_accident(world.user("committee"), a, accident_type="fire", note="经核实为火灾事故")
    a.refresh_from_db()
    assert (a.accident_type, a.supplement_until) == ("fire", DAY_7)
    ev = [e for e in events_for(a) if e.verb == "accident.classified"]
    assert len(ev) == 1 and ev[0].data["supplement_until_before"] == "2025-03-31"
    with pytest.raises(ServiceError) as exc:
        services.classify_accident(world.user("committee"), a, accident_type="machinery")
    assert exc.value.field == "accident_type"


def test_classifying_is_for_those_who_may_supplement(world, fire_at_petrol_station):
    a = legacy(fire_at_petrol_station, DAY_30)
    for persona in ("other_region", "enterprise"):  # another district; another enterprise's accident
        with pytest.raises(NotPermitted):
            services.classify_accident(world.user(persona), a, accident_type="fire")
    assert Accident.objects.get(pk=a.pk).accident_type == ""


def test_the_detail_page_offers_classification_of_an_old_report_only(client, world, fire_at_petrol_station):
    client_as(client, world, "committee")
    assert 'data-testid="form-classify"' not in client.get(f"/accidents/{fire_at_petrol_station.pk}/").content.decode()
    a = legacy(fire_at_petrol_station, DAY_30)
    page = client.get(f"/accidents/{a.pk}/").content.decode()
    assert 'data-testid="form-classify"' in page and "未填写" in page
    r = client.post(f"/accidents/{a.pk}/classify/", {"accident_type": "", "note": ""})
    assert r.status_code == 400 and "请选择事故类别" in r.content.decode()
    assert client.post(f"/accidents/{a.pk}/classify/", {"accident_type": "fire", "note": ""}).status_code == 302
    assert Accident.objects.get(pk=a.pk).supplement_until == DAY_7


def test_classify_api_permissions(client, world, report):
    a = legacy(report(occurred_at=occurred()), DAY_30)
    url = f"/api/v1/accidents/{a.pk}/classify/"
    check_matrix(client, world, url, {"other_region": 404, "enterprise_other": 404, "housing": 404, "nobody": 404,
                                      "anon": (401, 403)}, method="post", data={"accident_type": "fire"}, content_type=J)
    assert Accident.objects.get(pk=a.pk).accident_type == ""
    client_as(client, world, "enterprise")
    r = client.post(url, {"accident_type": "big_fire"}, content_type=J)
    assert r.status_code == 400 and "accident_type" in r.json()["errors"]
    r = client.post(url, {"accident_type": "fire"}, content_type=J)
    assert r.status_code == 200 and r.json()["supplement_until"] == "2025-03-08"
    assert client.post(url, {"accident_type": "fire"}, content_type=J).status_code == 409
