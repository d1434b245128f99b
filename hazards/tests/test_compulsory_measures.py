"""强制措施 against a unit that defies a 现场处理措施, as 安全生产法 第七十条 words them:

"生产经营单位拒不执行，有发生生产安全事故的现实危险的，在保证安全的前提下，经本部门主要负责人批准，负有安全生产
监督管理职责的部门可以采取通知有关单位停止供电、停止供应民用爆炸物品等措施，强制生产经营单位履行决定。通知应当
采用书面形式，有关单位应当予以配合。负有安全生产监督管理职责的部门依照前款规定采取停止供电措施，除有危及生产安全
的紧急情形外，应当提前二十四小时通知生产经营单位。生产经营单位依法履行行政决定、采取相应措施消除事故隐患的，负有
安全生产监督管理职责的部门应当及时解除前款规定的措施。"

So: a decision to stop production or the use of facilities (暂时停产停业 / 停止使用), defied; the defiance and
the real danger written; approved by the department's 主要负责人; the units concerned named (written
notice); power stopped no sooner than 24 hours after the unit was told, save an emergency; lifted once
the unit complies. The hours below are counted by hand.
"""

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from docx import Document

from core.events import events_for
from core.services import NotPermitted, ServiceError
from core.testing import check_matrix, client_as
from enforcement.tests.helpers import major_hazard
from hazards import services
from hazards.models import CompulsoryMeasure, SiteOrder

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)
LEAD = "commerce_lead"  # the commerce bureau's 负责人 (its 主要负责人 here)


def _order(world, hazard=None, **kw):
    hazard = hazard or major_hazard(world)
    data = {"halt": True, "reason": "仓库安全出口锁闭，火灾时人员无法疏散", **kw}
    return services.order_site_measures(world.user("commerce"), hazard, **data)


def _now():
    return timezone.now().replace(microsecond=0)


def _compel(world, order, persona=LEAD, **kw):
    told = _now()
    data = {"stop_power": True, "notified_units": "国网天津市电力公司河北供电分公司",
            "defiance": "责令暂时停产停业后仍在仓库内组织作业", "danger": "安全出口锁闭，仓库内存放大量可燃物",
            "enterprise_notified_at": told, "takes_effect_at": told + 24 * HOUR, **kw}
    return services.take_compulsory_measures(world.user(persona), order, **data)


def _none_taken(order):
    assert not CompulsoryMeasure.objects.filter(site_order=order).exists()
    assert not [e for e in events_for(order.hazard) if e.verb == "hazard.compulsory_measure"]


def test_the_principal_of_the_department_stops_the_power_of_a_unit_defying_its_halt(world):
    order = _order(world)
    measure = _compel(world, order, stop_explosives=True)
    assert measure.measures == ["停止供电", "停止供应民用爆炸物品"]
    assert (measure.approved_by, measure.decided_by_org) == (world.user(LEAD), world.org("commerce"))
    assert measure.decided_on == timezone.localdate() and measure.lifted_on is None
    event = [e for e in events_for(order.hazard) if e.verb == "hazard.compulsory_measure"][-1]
    assert event.data["compulsory_measure"] == measure.pk and event.data["measures"] == ["停止供电", "停止供应民用爆炸物品"]
    assert event.actor == world.user(LEAD)


@pytest.mark.parametrize("persona", ["commerce", "enterprise", "committee", "township", "housing", "other_region",
                                     "agency"])
def test_no_one_but_the_principal_of_the_competent_department_takes_them(world, persona):
    order = _order(world)
    with pytest.raises(NotPermitted):
        _compel(world, order, persona=persona)
    _none_taken(order)


def test_only_a_defied_halt_or_stop_of_use_in_force_and_one_set_at_a_time(world):
    workers_only = _order(world, halt=False, withdraw_workers=True)
    with pytest.raises(ServiceError, match="只用于尚未解除的责令暂时停产停业或者停止使用"):
        _compel(world, workers_only)
    _none_taken(workers_only)
    stop_use = _order(world, halt=False, stop_use=True, facilities="2号仓库货梯")
    _compel(world, stop_use)
    with pytest.raises(ServiceError, match="已有未解除的强制措施"):
        _compel(world, stop_use, stop_power=False, stop_explosives=True)
    assert CompulsoryMeasure.objects.filter(site_order=stop_use).count() == 1


@pytest.mark.parametrize("kw, field, reason", [
    ({"stop_power": False}, "stop_power", "请至少选择一项措施（停止供电、停止供应民用爆炸物品或其他措施）。"),
    ({"notified_units": " "}, "notified_units", "请写明书面通知的有关单位（如供电企业、民用爆炸物品供应单位）。"),
    ({"defiance": ""}, "defiance", "请写明生产经营单位拒不执行决定的情形。"),
    ({"danger": " "}, "danger", "请写明有发生生产安全事故的现实危险。"),
    ({"takes_effect_at": None}, "takes_effect_at", "请填写措施实施时间。"),
    ({"decided_on": "tomorrow"}, "decided_on", "批准日期不能晚于今天。"),
    ({"decided_on": "before the order"}, "decided_on", "不能早于现场处理措施决定日期"),
    ({"takes_effect_at": "yesterday"}, "takes_effect_at", "措施实施时间不能早于批准日期。"),
    ({"enterprise_notified_at": "after"}, "enterprise_notified_at", "通知生产经营单位的时间不能晚于现在"),
    ({"enterprise_notified_at": "later"}, "enterprise_notified_at", "通知生产经营单位的时间不能晚于措施实施时间。"),
], ids=["no measure", "no unit notified", "no defiance", "no danger", "no time", "future", "before the order",
        "effect before approval", "told in the future", "told after"])
def test_an_incomplete_compulsion_is_refused_and_nothing_is_written(world, kw, field, reason):
    # at noon today, so that an hour or two back is still today
    noon = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(12)))
    with time_machine.travel(noon, tick=False):
        _refused_and_nothing_written(world, kw, field, reason)


def _refused_and_nothing_written(world, kw, field, reason):
    order = _order(world)
    now = _now()
    replace = {"tomorrow": timezone.localdate() + datetime.timedelta(days=1),
               "before the order": order.ordered_on - datetime.timedelta(days=1),
               "yesterday": now - 24 * HOUR, "after": now + 25 * HOUR}
    if kw.get("enterprise_notified_at") == "later":  # told after the power was stopped (both in the past)
        kw = {"enterprise_notified_at": now - HOUR, "takes_effect_at": now - 2 * HOUR}
    kw = {k: replace.get(v, v) if isinstance(v, str) else v for k, v in kw.items()}
    with pytest.raises(ServiceError) as refused:
        _compel(world, order, **kw)
    assert refused.value.field == field and reason in refused.value.message
    _none_taken(order)


def test_power_is_stopped_no_sooner_than_24_hours_after_the_unit_was_told_save_an_emergency(world):
    told = _now()
    for effect, notified in ((told + 24 * HOUR - datetime.timedelta(minutes=1), told), (told + 30 * HOUR, None)):
        order = _order(world)
        with pytest.raises(ServiceError, match="停止供电应当提前二十四小时通知生产经营单位") as refused:
            _compel(world, order, takes_effect_at=effect, enterprise_notified_at=notified)
        assert refused.value.field == ("takes_effect_at" if notified else "enterprise_notified_at")
        _none_taken(order)
    # exactly 24 hours after: in time
    assert _compel(world, _order(world), takes_effect_at=told + 24 * HOUR, enterprise_notified_at=told).stop_power
    # an emergency endangering safety needs no notice, but is written
    order = _order(world)
    with pytest.raises(ServiceError, match="请写明危及生产安全的紧急情形。"):
        _compel(world, order, emergency=True, enterprise_notified_at=None, takes_effect_at=told + HOUR)
    _none_taken(order)
    measure = _compel(world, order, emergency=True, emergency_reason="仓库内发现可燃气体浓度超标，仍在作业",
                      enterprise_notified_at=None, takes_effect_at=told + HOUR)
    assert measure.emergency and measure.enterprise_notified_at is None
    # the 24 hours concern the power only: civil explosives may stop at once
    explosives = _compel(world, _order(world), stop_power=False, stop_explosives=True, enterprise_notified_at=None,
                         takes_effect_at=told)
    assert explosives.measures == ["停止供应民用爆炸物品"]


def test_none_are_taken_once_the_hazard_is_eliminated_while_the_order_awaits_its_review(client, world):
    """第七十条: the measures force a unit "存在重大事故隐患" to comply, and are lifted once it has eliminated the
    hazard. After 销号 the halt stays in force until the department's 审查 lifts it — but there is nothing left to force."""
    order = _order(world)
    hazard = order.hazard
    services.submit_completion(world.user("enterprise"), hazard, evidence_note="已整改")
    hazard.refresh_from_db()
    services.accept(world.user("commerce"), hazard, mode="on_site", opinion="合格")
    assert SiteOrder.objects.get(pk=order.pk).lifted_on is None  # the halt awaits its review
    with pytest.raises(ServiceError, match="强制措施只用于尚未消除的重大事故隐患（.*第七十条.*）：该隐患的状态为“已销号”") as refused:
        _compel(world, SiteOrder.objects.get(pk=order.pk))
    assert refused.value.field == "stop_power" and "请审查后解除现场处理措施" in refused.value.message
    _none_taken(order)
    client_as(client, world, LEAD)  # not offered on the hazard's page either
    assert f"/site-orders/{order.pk}/compulsion/new/" not in client.get(f"/hazards/{hazard.pk}/").content.decode()


def test_the_measures_are_lifted_once_the_unit_complies_and_before_the_order_is(world):
    order = _order(world)
    measure = _compel(world, order)
    hazard = order.hazard
    services.submit_completion(world.user("enterprise"), hazard, evidence_note="已整改")
    hazard.refresh_from_db()
    services.accept(world.user("commerce"), hazard, mode="on_site", opinion="合格")
    order.refresh_from_db()
    with pytest.raises(ServiceError, match="强制措施（停止供电等）尚未解除"):  # the order's lifting waits for them
        services.lift_site_order(world.user("commerce"), order, opinion="同意恢复")
    assert SiteOrder.objects.get(pk=order.pk).lifted_on is None
    with pytest.raises(ServiceError, match="请写明生产经营单位履行决定、消除事故隐患的情况。"):
        services.lift_compulsory_measures(world.user("commerce"), measure, note=" ")
    with pytest.raises(ServiceError, match="不能早于强制措施批准日期"):
        services.lift_compulsory_measures(world.user("commerce"), measure, note="已停产并消除隐患",
                                          lifted_on=measure.decided_on - datetime.timedelta(days=1))
    with pytest.raises(NotPermitted):
        services.lift_compulsory_measures(world.user("enterprise"), measure, note="已停产")
    assert CompulsoryMeasure.objects.get(pk=measure.pk).lifted_on is None
    # the department lifts (the law asks it to, at once; no further approval is named)
    services.lift_compulsory_measures(world.user("commerce"), measure, note="该单位已停产，隐患已验收销号")
    measure.refresh_from_db()
    assert (measure.lifted_on, measure.lift_note) == (timezone.localdate(), "该单位已停产，隐患已验收销号")
    assert [e for e in events_for(order.hazard) if e.verb == "hazard.compulsory_measure_lifted"][-1].data[
        "compulsory_measure"] == measure.pk
    with pytest.raises(ServiceError, match="已于.*解除"):
        services.lift_compulsory_measures(world.user("commerce"), measure, note="再次")
    services.lift_site_order(world.user("commerce"), order, opinion="同意恢复")
    assert SiteOrder.objects.get(pk=order.pk).lifted_on is not None


def test_the_pages_offer_the_measures_to_the_principal_and_refuse_the_others(client, world):
    order = _order(world)
    hazard = order.hazard
    new = f"/hazards/{hazard.pk}/site-orders/{order.pk}/compulsion/new/"
    client_as(client, world, "commerce")
    assert f'href="{new}"' not in client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert client.get(new).status_code == 403  # the form itself is the principal's
    client_as(client, world, LEAD)
    assert f'href="{new}"' in client.get(f"/hazards/{hazard.pk}/").content.decode()
    workers_only = _order(world, halt=False, withdraw_workers=True)  # no stop to enforce: not offered
    assert "compulsion/new/" not in client.get(f"/hazards/{workers_only.hazard.pk}/").content.decode()
    page = client.get(new).content.decode()
    assert "第七十条" in page and "提前二十四小时通知生产经营单位" in page
    told = timezone.localtime(_now())
    body = {"stop_power": "on", "notified_units": "河北供电分公司", "defiance": "停产后仍在作业", "danger": "可燃物大量堆放",
            "enterprise_notified_at": told.strftime("%Y-%m-%dT%H:%M"),
            "takes_effect_at": (told + 23 * HOUR).strftime("%Y-%m-%dT%H:%M")}
    response = client.post(new, body)
    assert response.status_code == 400 and "提前二十四小时" in response.content.decode()
    _none_taken(order)
    check_matrix(client, world, new, {
        "housing": 404, "other_region": 404, "enterprise_other": 404, "agency": 404, "anon": "login",
        "commerce": 403, "enterprise": 403, "committee": 403, "township": 403}, method="post",
        data=body | {"takes_effect_at": (told + 25 * HOUR).strftime("%Y-%m-%dT%H:%M")})
    _none_taken(order)
    client_as(client, world, LEAD)
    assert client.post(new, body | {"takes_effect_at": (told + 25 * HOUR).strftime("%Y-%m-%dT%H:%M")}).status_code == 302
    measure = CompulsoryMeasure.objects.get(site_order=order)
    assert timezone.localtime(measure.takes_effect_at).strftime("%Y-%m-%dT%H:%M") == (told + 25 * HOUR).strftime(
        "%Y-%m-%dT%H:%M")
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert f'data-testid="compulsion-{measure.pk}"' in page and "停止供电" in page and f'href="{new}"' not in page
    lift = f"/hazards/{hazard.pk}/site-orders/{order.pk}/compulsion/{measure.pk}/lift/"
    check_matrix(client, world, lift, {"enterprise": 403, "housing": 404, "anon": "login"}, method="post",
                 data={"note": "已停产"})
    client_as(client, world, "commerce")
    assert client.post(lift, {}).status_code == 400
    assert client.post(lift, {"note": "该单位已停止作业，隐患正在整改"}).status_code == 302
    assert CompulsoryMeasure.objects.get(pk=measure.pk).lifted_on == timezone.localdate()
    other = _order(world)  # a measure is found only under its own order and hazard
    assert client.get(f"/hazards/{other.hazard.pk}/site-orders/{other.pk}/compulsion/{measure.pk}/lift/").status_code == 404


def test_the_written_notice_is_addressed_to_the_units_concerned_and_names_the_law(client, world):
    order = _order(world)
    measure = _compel(world, order)
    url = f"/hazards/{order.hazard.pk}/site-orders/{order.pk}/compulsion/{measure.pk}/document.docx"
    check_matrix(client, world, url, {"housing": 404, "other_region": 404, "enterprise_other": 404, "anon": "login",
                                      "enterprise": 200, "commerce": 200})
    client_as(client, world, "commerce")
    text = "\n".join(p.text for p in Document(io.BytesIO(client.get(url).content)).paragraphs)
    assert text.startswith("强制措施通知书") or "强制措施通知书" in text
    assert "国网天津市电力公司河北供电分公司：" in text and "《中华人民共和国安全生产法》第七十条" in text
    assert "停止供电的措施" in text and "责令暂时停产停业后仍在仓库内组织作业" in text
    told = timezone.localtime(measure.enterprise_notified_at)
    assert f"本机关已于{told:%Y年%m月%d日%H时%M分}通知该单位" in text
    assert "【已解除】" not in text


def test_the_api_gives_the_measures_with_their_order(client, world):
    order = _order(world)
    measure = _compel(world, order)
    client_as(client, world, "enterprise")
    [row] = client.get(f"/api/v1/hazards/{order.hazard.pk}/site-orders/").json()
    [given] = row["compulsory_measures"]
    assert (given["id"], given["measures"], given["notified_units"]) == (measure.pk, ["停止供电"], measure.notified_units)
    assert given["lifted_on"] is None and given["approved_by_name"] == measure.approved_by_name


J = "application/json"


def _iso(moment):
    return timezone.localtime(moment).isoformat()


def test_the_api_takes_the_measures_for_the_principal_of_the_competent_department_only(client, world):
    order = _order(world)
    hazard = order.hazard
    url = f"/api/v1/hazards/{hazard.pk}/site-orders/{order.pk}/compulsory-measures/"
    told = _now()
    body = {"stop_power": True, "notified_units": "国网天津市电力公司河北供电分公司", "defiance": "停产后仍在仓库内作业",
            "danger": "安全出口锁闭，仓库内存放大量可燃物", "enterprise_notified_at": _iso(told),
            "takes_effect_at": _iso(told + 24 * HOUR)}
    # out of scope: not found; in scope but not the department's 主要负责人: refused; nothing written
    check_matrix(client, world, url, {
        "housing": 404, "other_region": 404, "enterprise_other": 404, "agency": 404, "nobody": 404, "anon": (401, 403),
        "enterprise": 403, "committee": 403, "township": 403, "commerce": 403}, method="post", data=body,
        content_type=J)
    _none_taken(order)
    client_as(client, world, "commerce")
    refused = client.post(url, body, content_type=J).json()
    assert "主要负责人批准" in refused["message"]
    client_as(client, world, LEAD)
    # told 23 hours before: the 24 hours of 第七十条第二款 are not kept — a 400 on the field, nothing written
    early = client.post(url, body | {"takes_effect_at": _iso(told + 23 * HOUR)}, content_type=J)
    assert early.status_code == 400 and "提前二十四小时" in str(early.json()["errors"]["takes_effect_at"])
    _none_taken(order)
    response = client.post(url, body, content_type=J)
    assert response.status_code == 201, response.json()
    row = response.json()
    measure = CompulsoryMeasure.objects.get(site_order=order)
    assert (row["id"], row["measures"], row["notified_units"]) == (measure.pk, ["停止供电"], "国网天津市电力公司河北供电分公司")
    assert (row["decided_on"], row["lifted_on"], row["decided_by_org_name"]) == (
        timezone.localdate().isoformat(), None, world.org("commerce").name)
    assert measure.takes_effect_at == told + 24 * HOUR and measure.approved_by == world.user(LEAD)
    assert [e.data["compulsory_measure"] for e in events_for(hazard) if e.verb == "hazard.compulsory_measure"] == [
        measure.pk]
    [listed] = client.get(f"/api/v1/hazards/{hazard.pk}/site-orders/").json()
    assert listed["compulsory_measures"] == [row]
    # a second set while these are in force: the measures in force, nothing new
    again = client.post(url, body | {"stop_power": False, "stop_explosives": True}, content_type=J)
    assert again.status_code == 409 and again.json()["current"]["id"] == measure.pk
    assert CompulsoryMeasure.objects.filter(site_order=order).count() == 1
    # an order of another hazard is not found through this one; an order that only withdrew the workers refuses
    other = _order(world)
    assert client.post(f"/api/v1/hazards/{hazard.pk}/site-orders/{other.pk}/compulsory-measures/", body,
                       content_type=J).status_code == 404
    workers = _order(world, halt=False, withdraw_workers=True)
    answer = client.post(f"/api/v1/hazards/{workers.hazard.pk}/site-orders/{workers.pk}/compulsory-measures/", body,
                         content_type=J)
    assert answer.status_code == 400 and "只用于尚未解除的责令暂时停产停业或者停止使用" in str(answer.json())
    _none_taken(workers)


@pytest.mark.parametrize("change, field", [
    ({"stop_power": False}, "stop_power"),
    ({"notified_units": ""}, "notified_units"),
    ({"defiance": None}, "defiance"),
    ({"danger": "x" * 2001}, "danger"),
    ({"takes_effect_at": None}, "takes_effect_at"),
    ({"takes_effect_at": "明天"}, "takes_effect_at"),
    ({"emergency": True, "enterprise_notified_at": None}, "emergency_reason"),
    ({"decided_on": "2026-02-30"}, "decided_on"),
    ({"stop_explosives": "是"}, "stop_explosives"),
], ids=["no measure", "no unit", "no defiance", "too long", "no time", "not a time", "emergency unwritten",
        "not a date", "not a boolean"])
def test_an_incomplete_compulsion_through_the_api_is_a_400_on_its_field_and_nothing_is_written(client, world, change,
                                                                                              field):
    order = _order(world)
    told = _now()
    body = {"stop_power": True, "notified_units": "河北供电分公司", "defiance": "停产后仍在作业", "danger": "可燃物大量堆放",
            "enterprise_notified_at": _iso(told), "takes_effect_at": _iso(told + 25 * HOUR)}
    body = {k: v for k, v in (body | change).items() if v is not None}
    client_as(client, world, LEAD)
    response = client.post(f"/api/v1/hazards/{order.hazard.pk}/site-orders/{order.pk}/compulsory-measures/", body,
                           content_type=J)
    assert response.status_code == 400 and field in response.json()["errors"], response.json()
    _none_taken(order)


def test_the_api_lifts_the_measures_once_for_the_department_only(client, world):
    order = _order(world)
    measure = _compel(world, order)
    hazard = order.hazard
    url = f"/api/v1/hazards/{hazard.pk}/site-orders/{order.pk}/compulsory-measures/{measure.pk}/lift/"
    check_matrix(client, world, url, {
        "housing": 404, "other_region": 404, "enterprise_other": 404, "agency": 404, "anon": (401, 403),
        "enterprise": 403, "committee": 403, "township": 403}, method="post", data={"note": "已停产"}, content_type=J)
    client_as(client, world, "commerce")
    assert client.post(url, {}, content_type=J).json()["errors"].keys() == {"note"}
    early = client.post(url, {"note": "已停产", "lifted_on": (measure.decided_on - datetime.timedelta(days=1)).isoformat()},
                        content_type=J)
    assert early.status_code == 400 and "不能早于强制措施批准日期" in str(early.json()["errors"]["lifted_on"])
    assert CompulsoryMeasure.objects.get(pk=measure.pk).lifted_on is None
    assert not [e for e in events_for(hazard) if e.verb == "hazard.compulsory_measure_lifted"]
    response = client.post(url, {"note": "该单位已停止作业，隐患正在整改"}, content_type=J)
    assert response.status_code == 200, response.json()
    assert (response.json()["id"], response.json()["lifted_on"], response.json()["lift_note"]) == (
        measure.pk, timezone.localdate().isoformat(), "该单位已停止作业，隐患正在整改")
    measure.refresh_from_db()
    assert (measure.lifted_on, measure.lifted_by) == (timezone.localdate(), world.user("commerce"))
    again = client.post(url, {"note": "再次"}, content_type=J)
    assert again.status_code == 409 and again.json()["current"]["lift_note"] == "该单位已停止作业，隐患正在整改"
    assert len([e for e in events_for(hazard) if e.verb == "hazard.compulsory_measure_lifted"]) == 1
    # a measure is found only under its own order and hazard
    other = _order(world)
    foreign = _compel(world, other)
    assert client.post(f"/api/v1/hazards/{hazard.pk}/site-orders/{order.pk}/compulsory-measures/{foreign.pk}/lift/",
                       {"note": "已停产"}, content_type=J).status_code == 404
    assert client.post(f"/api/v1/hazards/{other.hazard.pk}/site-orders/{order.pk}/compulsory-measures/{measure.pk}/lift/",
                       {"note": "已停产"}, content_type=J).status_code == 404
    assert CompulsoryMeasure.objects.get(pk=foreign.pk).lifted_on is None


def test_the_ledger_finds_the_hazards_with_compulsory_measures_in_force_on_the_page_api_and_export(client, world):
    from openpyxl import load_workbook

    held, lifted_order, none = _order(world), _order(world), _order(world)
    _compel(world, held)
    services.lift_compulsory_measures(world.user("commerce"), _compel(world, lifted_order), note="该单位已停止作业")
    hazards = {"held": held.hazard, "lifted": lifted_order.hazard, "none": none.hazard}
    client_as(client, world, "commerce")

    def page(query):
        html = client.get(f"/hazards/?{query}").content.decode()
        return {k for k, h in hazards.items() if h.number in html}

    def api(query):
        ids = {r["id"] for r in client.get(f"/api/v1/hazards/?{query}").json()["results"]}
        return {k for k, h in hazards.items() if h.pk in ids}

    def export(query):
        rows = load_workbook(io.BytesIO(client.get(f"/api/v1/hazards/export/?{query}").content), read_only=True)
        numbers = {row[0] for row in rows.active.iter_rows(min_row=2, values_only=True)}
        return {k for k, h in hazards.items() if h.number in numbers}

    for read in (page, api, export):
        assert read("compulsion=true") == {"held"}, read.__name__
        assert read("compulsion=false") == {"lifted", "none"}, read.__name__
        assert read("") == {"held", "lifted", "none"}, read.__name__
    assert client.get("/hazards/?compulsion=maybe").status_code == 400
    assert "compulsion" in client.get("/api/v1/hazards/?compulsion=maybe").json()["errors"]
    assert 'name="compulsion"' in client.get("/hazards/").content.decode()  # offered in the page's filters
    client_as(client, world, "other_region")
    assert held.hazard.number not in client.get("/hazards/?compulsion=true").content.decode()
    assert client.get("/api/v1/hazards/?compulsion=true").json()["results"] == []


def test_the_home_counts_the_measures_in_force_that_the_user_sees_and_links_to_them(client, world):
    import re

    def card(persona, key):
        client_as(client, world, persona)
        html = client.get("/").content.decode()
        found = re.search(rf'href="([^"]+)">\s*<div class="card card-metric[^"]*" data-testid="card-{key}">.*?'
                          rf'data-testid="value-{key}">(\d+)<', html, re.S)
        return (found.group(1), int(found.group(2))) if found else None

    assert card("commerce", "hazards_site_orders") is None  # none in force: no card
    first = _order(world)
    _order(world)  # a second hazard under a 现场处理措施, without 强制措施
    _compel(world, first)
    assert card("commerce", "hazards_site_orders") == ("/hazards/?site_order=true", 2)
    assert card("commerce", "hazards_compulsions") == ("/hazards/?compulsion=true", 1)
    assert card("enterprise", "hazards_compulsions") == ("/hazards/?compulsion=true", 1)  # the unit under them
    assert card("other_region", "hazards_site_orders") is None and card("housing", "hazards_compulsions") is None
    client_as(client, world, "commerce")
    assert "共 1 条" in client.get("/hazards/?compulsion=true").content.decode()
    measure = CompulsoryMeasure.objects.get(site_order=first)
    services.lift_compulsory_measures(world.user("commerce"), measure, note="该单位已停止作业")
    assert card("commerce", "hazards_compulsions") is None
    assert card("commerce", "hazards_site_orders") == ("/hazards/?site_order=true", 2)


def test_the_unit_is_told_when_measures_are_ordered_taken_and_lifted(world):
    from core.models import Notification, OutboxMessage

    def told(kind):
        notes = list(Notification.objects.filter(kind=kind).values_list("recipient__username", "title", "body"))
        sms = sorted(OutboxMessage.objects.filter(kind=kind, channel="sms").values_list("address", flat=True))
        return notes, sms

    ent = world.ent_commerce
    principal = world.user("enterprise")
    phones = sorted(p for p in (ent.principal_phone, ent.controller_phone) if p)  # 主要负责人, 实际控制人
    assert len(phones) == 2
    order = _order(world)
    hazard = order.hazard
    notes, sms = told("hazard.site_order")
    assert [(u, t) for u, t, _ in notes] == [(principal.username, f"现场处理措施决定：{hazard.number}")]
    assert f"{order.number}：责令暂时停产停业" in notes[0][2] and "经审查同意，方可恢复生产经营和使用" in notes[0][2]
    assert sms == phones
    measure = _compel(world, order)
    notes, sms = told("hazard.compulsory_measure")
    effect = timezone.localtime(measure.takes_effect_at)
    assert [(u, t) for u, t, _ in notes] == [(principal.username, f"强制措施通知：{hazard.number}")]
    assert f"拒不执行现场处理措施决定，自{effect:%Y-%m-%d %H:%M}起采取停止供电的措施" in notes[0][2] and sms == phones
    services.lift_compulsory_measures(world.user("commerce"), measure, note="该单位已停止作业")
    notes, _ = told("hazard.compulsory_measure_lifted")
    assert [(u, t) for u, t, _ in notes] == [(principal.username, f"强制措施已解除：{hazard.number}")]
    services.submit_completion(world.user("enterprise"), hazard, evidence_note="已整改")
    hazard.refresh_from_db()
    services.accept(world.user("commerce"), hazard, mode="on_site", opinion="合格")
    services.lift_site_order(world.user("commerce"), SiteOrder.objects.get(pk=order.pk), opinion="同意恢复")
    notes, sms = told("hazard.site_order_lifted")
    assert [(u, t) for u, t, _ in notes] == [(principal.username, f"现场处理措施已解除：{hazard.number}")]
    assert "可以恢复生产经营和使用" in notes[0][2] and sms == phones
    # nobody of another unit is told anything
    kinds = ("hazard.site_order", "hazard.site_order_lifted", "hazard.compulsory_measure", "hazard.compulsory_measure_lifted")
    assert not Notification.objects.filter(kind__in=kinds).exclude(recipient__membership__organisation=ent.organisation_id).exists()


def test_a_refused_order_tells_nobody(world):
    from core.models import Notification

    hazard = major_hazard(world)
    with pytest.raises(ServiceError):
        services.order_site_measures(world.user("commerce"), hazard, reason="无法保证安全")  # no measure chosen
    assert not Notification.objects.filter(kind="hazard.site_order").exists()


def test_a_lift_that_loses_the_race_answers_409_with_the_measure_as_the_winner_stored_it(client, world, monkeypatch):
    """Two officers lift the same measures at once: the second's compare-and-set finds them lifted meanwhile
    (StaleState) and the API answers what "lifted already" answers — 409 with the stored measure, one event."""
    order = _order(world)
    measure = _compel(world, order)
    hazard = order.hazard
    lift = services.lift_compulsory_measures

    def after_the_other(actor, row, **kw):  # the other officer's lift lands between the read and the write
        lift(world.user("commerce_lead"), CompulsoryMeasure.objects.get(pk=row.pk), note="已由科长解除")
        return lift(actor, row, **kw)

    monkeypatch.setattr(services, "lift_compulsory_measures", after_the_other)
    client_as(client, world, "commerce")
    url = f"/api/v1/hazards/{hazard.pk}/site-orders/{order.pk}/compulsory-measures/{measure.pk}/lift/"
    response = client.post(url, {"note": "该单位已停止作业"}, content_type=J)
    assert response.status_code == 409 and response.json()["code"] == "already_done", response.json()
    assert response.json()["current"]["lift_note"] == "已由科长解除"
    stored = CompulsoryMeasure.objects.get(pk=measure.pk)
    assert (stored.lift_note, stored.lifted_by) == ("已由科长解除", world.user("commerce_lead"))
    assert len([e for e in events_for(hazard) if e.verb == "hazard.compulsory_measure_lifted"]) == 1
