"""现场处理措施 of a major hazard, as 安全生产法 第六十五条第一款第（三）项 words them:

"对检查中发现的事故隐患，应当责令立即排除；重大事故隐患排除前或者排除过程中无法保证安全的，应当责令从危险区域内
撤出作业人员，责令暂时停产停业或者停止使用相关设施、设备；重大事故隐患排除后，经审查同意，方可恢复生产经营和使用。"

So: a major hazard not yet eliminated; at least one of the three measures (停止使用 names the facilities);
the situation that cannot be kept safe is written; lifted only after the hazard is eliminated (销号) and a
review, never dated before either. Ordered by the department competent for the hazard; every other
persona is refused, out of scope is 404. The measures and the refusals below are written from the law.
"""

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document

from core.events import events_for
from core.services import NotPermitted, ServiceError
from core.testing import check_matrix
from enforcement.tests.helpers import PLAN, major_hazard
from hazards import services
from hazards.models import SiteOrder

pytestmark = pytest.mark.django_db


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _order(world, hazard, **kw):
    data = {"halt": True, "withdraw_workers": True, "reason": "仓库安全出口锁闭，火灾时人员无法疏散", **kw}
    return services.order_site_measures(world.user("commerce"), hazard, **data)


def _close(world, hazard):
    services.submit_completion(world.user("enterprise"), hazard, evidence_note="已整改")
    hazard.refresh_from_db()
    hazard = services.accept(world.user("commerce"), hazard, mode="on_site", opinion="合格")
    hazard.refresh_from_db()
    return hazard


def _nothing_written(hazard):
    assert not SiteOrder.objects.filter(hazard=hazard).exists()
    assert not [e for e in events_for(hazard) if e.verb == "hazard.site_order"]


def test_the_department_orders_the_measures_and_the_hazard_records_them(world):
    hazard = major_hazard(world)
    order = _order(world, hazard, stop_use=True, facilities="2号仓库货梯", ordered_on=_day(0))
    assert order.measures == ["从危险区域内撤出作业人员", "暂时停产停业", "停止使用2号仓库货梯"]
    assert order.ordered_by_org == world.org("commerce") and order.lifted_on is None
    event = [e for e in events_for(hazard) if e.verb == "hazard.site_order"][-1]
    assert event.data["site_order"] == order.pk and event.data["measures"] == order.measures


@pytest.mark.parametrize("kw, field, reason", [
    ({"halt": False, "withdraw_workers": False}, "halt", "请至少选择一项措施。"),
    ({"stop_use": True, "facilities": " "}, "facilities", "请写明停止使用的设施、设备。"),
    ({"reason": "  "}, "reason", "请写明排除前或者排除过程中无法保证安全的情形。"),
    ({"ordered_on": "tomorrow"}, "ordered_on", "决定日期不能晚于今天。"),
], ids=["no measure", "facilities unnamed", "no situation", "future"])
def test_an_incomplete_order_is_refused_and_nothing_is_written(world, kw, field, reason):
    hazard = major_hazard(world)
    if kw.get("ordered_on") == "tomorrow":
        kw = {**kw, "ordered_on": _day(1)}
    with pytest.raises(ServiceError) as refused:
        _order(world, hazard, **kw)
    assert (refused.value.field, refused.value.message) == (field, reason)
    _nothing_written(hazard)


def test_only_a_major_hazard_not_yet_eliminated_and_one_order_at_a_time(world):
    from accounts.models import Sector

    general = services.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce,
                                       sector=Sector.objects.get(code="commerce"), description="灭火器过期",
                                       grade="general", notify_people=False)
    with pytest.raises(ServiceError, match="只能对尚未销号的重大事故隐患"):
        _order(world, general)
    _nothing_written(general)
    hazard = major_hazard(world)
    _order(world, hazard)
    with pytest.raises(ServiceError, match="已有未解除的现场处理措施"):
        _order(world, hazard)
    assert SiteOrder.objects.filter(hazard=hazard).count() == 1
    closed = _close(world, major_hazard(world))
    with pytest.raises(ServiceError, match="只能对尚未销号的重大事故隐患"):
        _order(world, closed)
    _nothing_written(closed)


@pytest.mark.parametrize("persona", ["enterprise", "committee", "township", "housing", "other_region", "agency"])
def test_no_one_but_the_competent_department_orders_or_lifts(world, persona):
    hazard = major_hazard(world)
    with pytest.raises(NotPermitted):
        services.order_site_measures(world.user(persona), hazard, halt=True, reason="无法保证安全")
    _nothing_written(hazard)
    order = _order(world, hazard)
    hazard = _close(world, hazard)
    with pytest.raises(NotPermitted):
        services.lift_site_order(world.user(persona), order, opinion="同意恢复")
    assert SiteOrder.objects.get(pk=order.pk).lifted_on is None


def test_lifted_only_after_the_hazard_is_eliminated_and_not_dated_before_it(world):
    hazard = major_hazard(world)
    order = _order(world, hazard)
    with pytest.raises(ServiceError, match="重大事故隐患排除（验收销号）后，经审查同意，方可恢复"):
        services.lift_site_order(world.user("commerce"), order, opinion="同意恢复")
    assert SiteOrder.objects.get(pk=order.pk).lifted_on is None
    hazard = _close(world, hazard)
    order.refresh_from_db()
    with pytest.raises(ServiceError, match="不能早于隐患销号日期"):
        services.lift_site_order(world.user("commerce"), order, opinion="同意恢复", lifted_on=_day(-1))
    with pytest.raises(ServiceError, match="请填写审查意见。"):
        services.lift_site_order(world.user("commerce"), order, opinion=" ")
    assert SiteOrder.objects.get(pk=order.pk).lifted_on is None
    services.lift_site_order(world.user("commerce"), order, opinion="隐患已排除，同意恢复生产经营")
    order.refresh_from_db()
    assert order.lifted_on == _day(0) and order.lift_opinion == "隐患已排除，同意恢复生产经营"
    assert [e for e in events_for(hazard) if e.verb == "hazard.site_order_lifted"][-1].data["site_order"] == order.pk
    with pytest.raises(ServiceError, match="已于.*解除"):
        services.lift_site_order(world.user("commerce"), order, opinion="再次")


def test_the_review_is_not_dated_before_the_hazard_was_closed_even_when_the_order_is_older(world):
    from accounts.models import Sector

    hazard = services.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce,
                                      sector=Sector.objects.get(code="commerce"), description="安全出口锁闭", grade="major",
                                      basis_reason="可能导致群死群伤", deadline=_day(30), found_on=_day(-10),
                                      notify_people=False)
    hazard = services.report_hazard(world.user("enterprise"), hazard, department=world.org("commerce"))
    hazard = services.submit_plan(world.user("enterprise"), hazard, plan=PLAN)
    with pytest.raises(ServiceError, match="不能早于隐患发现日期"):
        _order(world, hazard, ordered_on=_day(-11))
    order = _order(world, hazard, ordered_on=_day(-5))
    _close(world, hazard)  # today
    order.refresh_from_db()
    with pytest.raises(ServiceError) as refused:
        services.lift_site_order(world.user("commerce"), order, opinion="同意恢复", lifted_on=_day(-2))
    assert refused.value.field == "lifted_on" and "不能早于隐患销号日期" in refused.value.message
    assert SiteOrder.objects.get(pk=order.pk).lifted_on is None


def test_the_pages_order_and_lift_for_the_department_and_refuse_the_others(client, world):
    hazard = major_hazard(world)
    url = f"/hazards/{hazard.pk}/site-orders/new/"
    check_matrix(client, world, url, {"commerce": 200, "enterprise": 403, "committee": 403, "housing": (403, 404),
                                      "other_region": 404, "enterprise_other": 404, "anon": "login"})
    post = {"halt": "on", "reason": "仓库安全出口锁闭", "ordered_on": _day(0).isoformat()}
    check_matrix(client, world, url, {"enterprise": 403, "other_region": 404, "enterprise_other": 404, "anon": "login"},
                 method="post", data=post)
    _nothing_written(hazard)
    client.force_login(world.user("commerce"))
    r = client.post(url, {"reason": "仓库安全出口锁闭"})
    assert r.status_code == 400 and "请至少选择一项措施。" in r.content.decode()
    _nothing_written(hazard)
    assert client.post(url, post).status_code == 302
    order = SiteOrder.objects.get(hazard=hazard)
    html = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert 'data-testid="site-orders"' in html and "暂时停产停业" in html and "未解除" in html
    assert 'data-testid="site-order-new"' not in html  # one in force: none offered
    # the registration's 停产停业整改 (否 here) is shown beside the halt the order made
    fields = html[html.index('data-testid="hazard-fields"'):]
    assert (f'<th>停产停业整改</th><td>否<span data-testid="halting-order">；现场处理措施责令暂时停产停业（{order.number}，'
            f'<time datetime="{_day(0):%Y-%m-%d}">{_day(0):%Y-%m-%d}</time>起，尚未解除）</span></td>') in fields
    lift = f"/hazards/{hazard.pk}/site-orders/{order.pk}/lift/"
    r = client.post(lift, {"opinion": "同意恢复"})
    assert r.status_code == 400 and "方可恢复生产经营和使用" in r.content.decode()
    _close(world, hazard)
    check_matrix(client, world, lift, {"enterprise": 403, "other_region": 404, "anon": "login"}, method="post",
                 data={"opinion": "同意恢复"})
    client.force_login(world.user("commerce"))
    assert client.post(lift, {"opinion": "隐患已排除，同意恢复"}).status_code == 302
    order.refresh_from_db()
    assert order.lifted_on == _day(0)
    assert 'data-testid="halting-order"' not in client.get(f"/hazards/{hazard.pk}/").content.decode()  # lifted
    assert client.get(f"/hazards/{hazard.pk}/site-orders/999999/lift/").status_code == 404


def test_the_decision_document_orders_what_the_law_says_and_reaches_the_unit(client, world):
    hazard = major_hazard(world)
    order = _order(world, hazard, stop_use=True, facilities="2号仓库货梯")
    url = f"/hazards/{hazard.pk}/site-orders/{order.pk}/document.docx"
    check_matrix(client, world, url, {"commerce": 200, "enterprise": 200, "committee": 200, "other_region": 404,
                                      "enterprise_other": 404, "anon": "login"})
    client.force_login(world.user("enterprise"))
    text = "\n".join(p.text for p in Document(io.BytesIO(client.get(url).content)).paragraphs)
    assert "现场处理措施决定书" in text and order.number in text
    assert "鉴于：仓库安全出口锁闭，火灾时人员无法疏散。依据《中华人民共和国安全生产法》第六十五条第一款第（三）项的规定" in text
    assert "一、责令从危险区域内撤出作业人员；" in text and "二、责令暂时停产停业；" in text
    assert "三、责令停止使用2号仓库货梯。" in text
    assert "重大事故隐患排除后，经本机关审查同意，方可恢复生产经营和使用。" in text
    assert "【已解除】" not in text


def test_the_api_gives_a_hazards_measures_in_scope_only(client, world):
    hazard = major_hazard(world)
    order = _order(world, hazard, stop_use=True, facilities="2号仓库货梯")
    url = f"/api/v1/hazards/{hazard.pk}/site-orders/"
    check_matrix(client, world, url, {"commerce": 200, "enterprise": 200, "other_region": 404, "enterprise_other": 404,
                                      "anon": (401, 403)})
    client.force_login(world.user("commerce"))
    [row] = client.get(url).json()
    assert row["id"] == order.pk and row["halt"] is True and row["lifted_on"] is None
    assert row["measures"] == ["从危险区域内撤出作业人员", "暂时停产停业", "停止使用2号仓库货梯"]
    assert row["document"] == f"/hazards/{hazard.pk}/site-orders/{order.pk}/document.docx"
    other = major_hazard(world)  # none ordered: not listed
    listed = client.get("/api/v1/hazards/?site_order=true").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [hazard.pk] and other.pk in {
        r["id"] for r in (lambda j: j["results"] if isinstance(j, dict) else j)(client.get("/api/v1/hazards/").json())}


def test_the_ledger_finds_the_hazards_with_measures_in_force(client, world):
    held, lifted, none = major_hazard(world), major_hazard(world), major_hazard(world)
    _order(world, held)
    order = _order(world, lifted)
    lifted = _close(world, lifted)
    services.lift_site_order(world.user("commerce"), SiteOrder.objects.get(pk=order.pk), opinion="同意恢复")
    client.force_login(world.user("commerce"))

    def shown(query):
        html = client.get(f"/hazards/?{query}").content.decode()
        return {h.number for h in (held, lifted, none) if h.number in html}

    assert shown("site_order=true") == {held.number}
    assert shown("site_order=false") == {lifted.number, none.number}
    assert shown("") == {held.number, lifted.number, none.number}
    assert client.get("/hazards/?site_order=maybe").status_code == 400
    client.force_login(world.user("other_region"))
    assert held.number not in client.get("/hazards/?site_order=true").content.decode()


# ---------------------------------------------------------------- ordered and lifted through the API

J = "application/json"


def test_the_api_orders_the_measures_for_the_competent_department_only(client, world):
    hazard = major_hazard(world)
    url = f"/api/v1/hazards/{hazard.pk}/site-orders/"
    body = {"withdraw_workers": True, "stop_use": True, "facilities": "2号仓库货梯", "reason": "仓库安全出口锁闭，火灾时人员无法疏散"}
    # out of scope: not found; in scope but not the competent department: refused; nothing written
    check_matrix(client, world, url, {
        "housing": 404, "other_region": 404, "enterprise_other": 404, "agency": 404, "nobody": 404, "anon": (401, 403),
        "enterprise": 403, "committee": 403, "township": 403}, method="post", data=body, content_type=J)
    _nothing_written(hazard)
    client.force_login(world.user("commerce"))
    response = client.post(url, body, content_type=J)
    assert response.status_code == 201, response.json()
    row = response.json()
    assert row["measures"] == ["从危险区域内撤出作业人员", "停止使用2号仓库货梯"] and row["halt"] is False
    assert row["ordered_on"] == _day(0).isoformat() and row["lifted_on"] is None
    order = SiteOrder.objects.get(hazard=hazard)
    assert (order.pk, order.ordered_by_org) == (row["id"], world.org("commerce"))
    assert [e.data["site_order"] for e in events_for(hazard) if e.verb == "hazard.site_order"] == [order.pk]
    assert client.get(url).json() == [row]
    # a second order while these are in force: the measures in force, nothing new
    again = client.post(url, {"halt": True, "reason": "再次"}, content_type=J)
    assert again.status_code == 409 and again.json()["current"]["id"] == order.pk
    assert SiteOrder.objects.filter(hazard=hazard).count() == 1
    # …and to anyone else who sees the hazard, a refusal still (not the department's answer)
    check_matrix(client, world, url, {"enterprise": 403, "committee": 403, "township": 403}, method="post",
                 data=body, content_type=J)


@pytest.mark.parametrize("body, field, reason", [
    ({"reason": "无法保证安全"}, "halt", "请至少选择一项措施。"),
    ({"stop_use": True, "reason": "无法保证安全"}, "facilities", "请写明停止使用的设施、设备。"),
    ({"halt": True}, "reason", None),
    ({"halt": True, "reason": "无法保证安全", "ordered_on": "tomorrow"}, "ordered_on", "决定日期不能晚于今天。"),
    ({"halt": True, "reason": "无法保证安全", "ordered_on": "2026-13-01"}, "ordered_on", None),
    ({"halt": "是", "reason": "无法保证安全"}, "halt", None),
    ({"halt": True, "reason": "x" * 2001}, "reason", None),
], ids=["no measure", "facilities unnamed", "no situation", "future", "no date", "not a boolean", "too long"])
def test_an_incomplete_order_through_the_api_is_a_400_on_its_field_and_nothing_is_written(client, world, body, field,
                                                                                          reason):
    hazard = major_hazard(world)
    if body.get("ordered_on") == "tomorrow":
        body = {**body, "ordered_on": _day(1).isoformat()}
    client.force_login(world.user("commerce"))
    response = client.post(f"/api/v1/hazards/{hazard.pk}/site-orders/", body, content_type=J)
    assert response.status_code == 400 and field in response.json()["errors"], response.json()
    if reason:
        assert reason in str(response.json()["errors"][field])
    _nothing_written(hazard)


def test_the_api_lifts_after_the_hazard_is_eliminated_once_and_for_the_department_only(client, world):
    hazard = major_hazard(world)
    order = _order(world, hazard)
    url = f"/api/v1/hazards/{hazard.pk}/site-orders/{order.pk}/lift/"
    client.force_login(world.user("commerce"))
    response = client.post(url, {"opinion": "同意恢复"}, content_type=J)
    assert response.status_code == 400 and "经审查同意，方可恢复" in str(response.json())
    hazard = _close(world, hazard)
    check_matrix(client, world, url, {
        "housing": 404, "other_region": 404, "enterprise_other": 404, "agency": 404, "anon": (401, 403),
        "enterprise": 403, "committee": 403, "township": 403}, method="post", data={"opinion": "同意恢复"},
        content_type=J)
    client.force_login(world.user("commerce"))
    response = client.post(url, {"opinion": "同意恢复", "lifted_on": _day(-1).isoformat()}, content_type=J)
    assert response.status_code == 400 and "不能早于隐患销号日期" in str(response.json()["errors"]["lifted_on"])
    assert client.post(url, {}, content_type=J).status_code == 400
    assert SiteOrder.objects.get(pk=order.pk).lifted_on is None
    response = client.post(url, {"opinion": "隐患已排除，同意恢复生产经营"}, content_type=J)
    assert response.status_code == 200, response.json()
    assert (response.json()["id"], response.json()["lifted_on"]) == (order.pk, _day(0).isoformat())
    order.refresh_from_db()
    assert (order.lifted_on, order.lift_opinion, order.lifted_by) == (_day(0), "隐患已排除，同意恢复生产经营",
                                                                     world.user("commerce"))
    again = client.post(url, {"opinion": "再次"}, content_type=J)
    assert again.status_code == 409 and again.json()["current"]["lift_opinion"] == "隐患已排除，同意恢复生产经营"
    assert len([e for e in events_for(hazard) if e.verb == "hazard.site_order_lifted"]) == 1
    # an order of another hazard is not found through this one
    other = major_hazard(world)
    foreign = _order(world, other)
    assert client.post(f"/api/v1/hazards/{hazard.pk}/site-orders/{foreign.pk}/lift/", {"opinion": "同意"},
                       content_type=J).status_code == 404
