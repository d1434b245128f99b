"""强制措施 (安全生产法 第七十条) enforcing a case's 责令停产停业整顿 the unit defies: "负有安全生产监督管理职责的
部门依法对存在重大事故隐患的生产经营单位作出停产停业……的决定……生产经营单位拒不执行，有发生生产安全事故的现实危险的，
在保证安全的前提下，经本部门主要负责人批准，……可以采取通知有关单位停止供电、停止供应民用爆炸物品等措施……生产经营
单位依法履行行政决定、采取相应措施消除事故隐患的，负有安全生产监督管理职责的部门应当及时解除前款规定的措施。"

So: a suspension in force (not revoked, not lifted by a 复产), defied; the 主要负责人 of the department handling
the case approves; the same checks as for a hazard's 现场处理措施 (24 hours' notice before power stops, save an
emergency); lifted by the department once the unit complies — and the 复产 (or a 撤销) waits for that.
"""

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document

from accounts.models import Sector
from core.events import events_for
from core.models import Notification
from core.services import NotPermitted, ServiceError
from core.testing import check_matrix, client_as
from enforcement import services
from enforcement.models import Decision, SuspensionCompulsion
from hazards import services as hz

from .helpers import major_hazard, notified_case, suspension_article

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)
LEAD = "commerce_lead"  # the commerce bureau's 负责人 (its 主要负责人 here)


def _suspended(world, hazard=None, ent=None, *, about_major_hazard=True):
    """A 责令停产停业整顿 in force; its case concerns a major hazard not yet eliminated (第七十条) unless told not."""
    if hazard is None and about_major_hazard:  # another unit's hazard is registered by the department that found it
        hazard = major_hazard(world, ent=ent) if ent is None else major_hazard(world, actor="commerce", ent=ent, report=False,
                                                                                  plan=False)
    case = notified_case(world, hazard=hazard, ent=ent, filed=0 if hazard is not None else -10)
    decision = services.order_suspension(world.user("commerce"), case, article=suspension_article(),
                                         reason="重大事故隐患未消除")
    return case, decision


def _compel(world, decision, persona=LEAD, **kw):
    told = timezone.now().replace(microsecond=0)
    data = {"stop_power": True, "notified_units": "国网天津市电力公司河北供电分公司", "defiance": "责令停产停业整顿后仍在组织生产",
            "danger": "安全出口锁闭，仓库内存放大量可燃物", "enterprise_notified_at": told, "takes_effect_at": told + 24 * HOUR,
            **kw}
    return services.take_suspension_measures(world.user(persona), decision, **data)


def _none_taken(decision):
    assert not SuspensionCompulsion.objects.filter(suspension=decision).exists()
    assert "case.compulsory_measure" not in [e.verb for e in events_for(decision.case)]


def test_the_principal_stops_the_power_of_a_unit_defying_its_suspension_and_the_unit_is_told(world):
    case, decision = _suspended(world)
    measure = _compel(world, decision, stop_explosives=True)
    assert measure.measures == ["停止供电", "停止供应民用爆炸物品"] and measure.number == f"{decision.number}-QZ{measure.pk:02d}"
    assert (measure.approved_by, measure.decided_by_org, measure.lifted_on) == (world.user(LEAD), world.org("commerce"), None)
    [event] = [e for e in events_for(case) if e.verb == "case.compulsory_measure"]
    assert event.data["decision"] == decision.pk and event.data["compulsory_measure"] == measure.pk
    [note] = Notification.objects.filter(kind="case.compulsory_measure")
    assert note.recipient == world.user("enterprise") and note.title == f"强制措施通知：{case.number}"
    assert "因拒不执行责令停产停业整顿决定" in note.body and note.url == f"/enforcement/cases/{case.pk}/"


@pytest.mark.parametrize("persona", ["commerce", "enterprise", "committee", "township", "emergency", "housing",
                                     "other_region"])
def test_no_one_but_the_principal_of_the_department_handling_the_case_takes_them(world, persona):
    _, decision = _suspended(world)
    with pytest.raises(NotPermitted):
        _compel(world, decision, persona=persona)
    _none_taken(decision)


def test_the_law_s_checks_hold_as_for_a_site_order(world):
    _, decision = _suspended(world)
    told = timezone.now().replace(microsecond=0)
    with pytest.raises(ServiceError, match="停止供电应当提前二十四小时通知生产经营单位") as refused:
        _compel(world, decision, takes_effect_at=told + 23 * HOUR)
    assert refused.value.field == "takes_effect_at"
    with pytest.raises(ServiceError, match="不能早于责令停产停业整顿决定日期") as refused:
        _compel(world, decision, decided_on=decision.decided_on - datetime.timedelta(days=1))
    assert refused.value.field == "decided_on"
    with pytest.raises(ServiceError, match="请写明生产经营单位拒不执行决定的情形。"):
        _compel(world, decision, defiance=" ")
    _none_taken(decision)
    _compel(world, decision)
    with pytest.raises(ServiceError, match="已有未解除的强制措施"):
        _compel(world, decision, stop_power=False, stop_explosives=True)
    assert SuspensionCompulsion.objects.filter(suspension=decision).count() == 1


def test_only_a_suspension_in_force_is_enforced(world):
    case, decision = _suspended(world)
    services.revoke_decision(world.user("commerce"), decision, reason="事实认定有误")
    decision.refresh_from_db()
    with pytest.raises(ServiceError, match="只用于尚未解除的责令停产停业整顿决定"):
        _compel(world, decision)
    _none_taken(decision)


@pytest.mark.parametrize("about", ["no hazard", "a general hazard", "a major hazard since eliminated"])
def test_they_enforce_only_a_suspension_of_a_unit_with_a_major_hazard_not_yet_eliminated(client, world, about):
    """第七十条: "对存在重大事故隐患的生产经营单位作出停产停业……的决定……拒不执行……可以采取……措施"."""
    hazard = None
    if about == "a general hazard":
        hazard = hz.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce, description="灭火器过期",
                                    sector=Sector.objects.get(code="commerce"), grade="general",
                                    deadline=timezone.localdate() + datetime.timedelta(days=10))
    elif about == "a major hazard since eliminated":
        hazard = major_hazard(world)
    case, decision = _suspended(world, hazard, about_major_hazard=False)
    if about == "a major hazard since eliminated":
        hz.submit_completion(world.user("enterprise"), hazard, evidence_note="已整改")
        hz.accept(world.user("commerce"), hazard, opinion="合格")
    with pytest.raises(ServiceError, match="只用于对存在重大事故隐患的生产经营单位作出的责令停产停业整顿决定") as refused:
        _compel(world, decision)
    assert refused.value.field == "stop_power" and "第七十条" in refused.value.message
    _none_taken(decision)
    # the page does not offer them, the form page and the API refuse them with the reason
    client_as(client, world, LEAD)
    new = f"/enforcement/decisions/{decision.pk}/compulsion/new/"
    assert new not in client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    told = timezone.localtime().replace(second=0, microsecond=0)
    r = client.post(new, {"stop_power": "on", "notified_units": "供电公司", "defiance": "仍在生产", "danger": "可燃物",
                          "enterprise_notified_at": told.strftime("%Y-%m-%dT%H:%M"),
                          "takes_effect_at": (told + 25 * HOUR).strftime("%Y-%m-%dT%H:%M")})
    assert r.status_code == 400 and "未关联尚未销号的重大事故隐患" in r.content.decode()
    r = client.post(f"/api/v1/decisions/{decision.pk}/compulsory-measures/", {
        "stop_power": True, "notified_units": "供电公司", "defiance": "仍在生产", "danger": "可燃物",
        "enterprise_notified_at": told.isoformat(), "takes_effect_at": (told + 25 * HOUR).isoformat()},
        content_type="application/json")
    assert r.status_code == 400 and "未关联尚未销号的重大事故隐患" in r.json()["message"]
    _none_taken(decision)


def test_the_resumption_and_a_revocation_wait_for_the_measures_to_be_lifted(client, world):
    hazard = major_hazard(world)
    case, decision = _suspended(world, hazard)
    measure = _compel(world, decision)
    with pytest.raises(ServiceError, match="强制措施（停止供电等）尚未解除，请先解除后再撤销"):
        services.revoke_decision(world.user("commerce"), decision, reason="事实认定有误")
    assert Decision.objects.get(pk=decision.pk).status == Decision.Status.EFFECTIVE
    services.advance(world.user("commerce"), case, "decide")
    hz.submit_completion(world.user("enterprise"), hazard, evidence_note="已整改")
    hazard.refresh_from_db()
    hz.accept(world.user("commerce"), hazard, opinion="合格")
    with pytest.raises(ServiceError, match="强制措施（停止供电等）尚未解除，请先解除后再复产"):
        services.resume(world.user("commerce"), case, reason="复查合格")
    assert not case.decisions.filter(kind=Decision.Kind.RESUMPTION).exists()
    with pytest.raises(ServiceError, match="请写明生产经营单位履行决定、消除事故隐患的情况。"):
        services.lift_suspension_measures(world.user("commerce"), measure, note="")
    with pytest.raises(ServiceError, match="不能早于强制措施批准日期"):
        services.lift_suspension_measures(world.user("commerce"), measure, note="已停产",
                                          lifted_on=measure.decided_on - datetime.timedelta(days=1))
    with pytest.raises(NotPermitted):
        services.lift_suspension_measures(world.user("emergency"), measure, note="已停产")
    services.lift_suspension_measures(world.user("commerce"), measure, note="该单位已停止生产，隐患已验收销号")
    measure.refresh_from_db()
    assert (measure.lifted_on, measure.lifted_by) == (timezone.localdate(), world.user("commerce"))
    assert [e.data["compulsory_measure"] for e in events_for(case) if e.verb == "case.compulsory_measure_lifted"] == [
        measure.pk]
    assert Notification.objects.filter(kind="case.compulsory_measure_lifted", recipient=world.user("enterprise")).exists()
    with pytest.raises(ServiceError, match="已于.*解除"):
        services.lift_suspension_measures(world.user("commerce"), measure, note="再次")
    resumption = services.resume(world.user("commerce"), case, reason="复查合格")
    assert resumption.lifts_id == decision.pk
    # lifted by the 复产: nothing to enforce any more, and a 复产 decision has no measures of its own
    client_as(client, world, LEAD)
    assert f"/enforcement/decisions/{decision.pk}/compulsion/new/" not in client.get(
        f"/enforcement/cases/{case.pk}/").content.decode()
    assert client.get(f"/enforcement/decisions/{resumption.pk}/compulsion/new/").status_code == 404
    with pytest.raises(ServiceError, match="只用于尚未解除的责令停产停业整顿决定"):
        _compel(world, Decision.objects.get(pk=decision.pk))


def test_the_pages_offer_the_measures_to_the_principal_and_refuse_the_others(client, world):
    case, decision = _suspended(world)
    page_url = f"/enforcement/cases/{case.pk}/"
    new = f"/enforcement/decisions/{decision.pk}/compulsion/new/"
    client_as(client, world, "commerce")
    assert f'href="{new}"' not in client.get(page_url).content.decode()
    assert client.get(new).status_code == 403
    client_as(client, world, LEAD)
    assert f'href="{new}"' in client.get(page_url).content.decode()
    page = client.get(new).content.decode()
    assert "第七十条" in page and "提前二十四小时通知生产经营单位" in page
    told = timezone.localtime(timezone.now().replace(microsecond=0))
    body = {"stop_power": "on", "notified_units": "河北供电分公司", "defiance": "停产后仍在生产", "danger": "可燃物大量堆放",
            "enterprise_notified_at": told.strftime("%Y-%m-%dT%H:%M"),
            "takes_effect_at": (told + 23 * HOUR).strftime("%Y-%m-%dT%H:%M")}
    response = client.post(new, body)
    assert response.status_code == 400 and "提前二十四小时" in response.content.decode()
    _none_taken(decision)
    good = body | {"takes_effect_at": (told + 25 * HOUR).strftime("%Y-%m-%dT%H:%M")}
    check_matrix(client, world, new, {
        "housing": 404, "other_region": 404, "enterprise_other": 404, "agency": 404, "anon": "login",
        "commerce": 403, "enterprise": 403, "committee": 403, "township": 403, "emergency": 403}, method="post",
        data=good)
    _none_taken(decision)
    client_as(client, world, LEAD)
    assert client.post(new, good).status_code == 302
    measure = SuspensionCompulsion.objects.get(suspension=decision)
    page = client.get(page_url).content.decode()
    assert f'data-testid="suspension-compulsion-{measure.pk}"' in page and "停止供电" in page and f'href="{new}"' not in page
    lift = f"/enforcement/decisions/{decision.pk}/compulsion/{measure.pk}/lift/"
    check_matrix(client, world, lift, {"enterprise": 403, "emergency": 403, "housing": 404, "anon": "login"},
                 method="post", data={"note": "已停产"})
    client_as(client, world, "commerce")
    assert client.post(lift, {}).status_code == 400
    assert client.post(lift, {"note": "该单位已停止生产"}).status_code == 302
    assert SuspensionCompulsion.objects.get(pk=measure.pk).lifted_on == timezone.localdate()
    # a measure is found only under its own decision; a decision that is not a suspension has none
    _, other = _suspended(world, ent=world.ent_commerce2)
    assert client.get(f"/enforcement/decisions/{other.pk}/compulsion/{measure.pk}/lift/").status_code == 404


def test_the_written_notice_is_addressed_to_the_units_concerned_and_names_the_suspension(client, world):
    case, decision = _suspended(world)
    measure = _compel(world, decision)
    url = f"/enforcement/decisions/{decision.pk}/compulsion/{measure.pk}/document.docx"
    check_matrix(client, world, url, {"housing": 404, "other_region": 404, "enterprise_other": 404, "anon": "login",
                                      "enterprise": 200, "commerce": 200})
    client_as(client, world, "commerce")
    docx = Document(io.BytesIO(client.get(url).content))
    text = "\n".join(p.text for p in docx.paragraphs)
    cells = [c.text for t in docx.tables for row in t.rows for c in row.cells]
    assert "强制措施通知书" in text and "国网天津市电力公司河北供电分公司：" in text
    assert "《中华人民共和国安全生产法》第七十条" in text and "责令停产停业整顿后仍在组织生产" in text
    assert case.number in cells and any(c.startswith(f"{decision.number}（") and "责令停产停业整顿" in c for c in cells)


J = "application/json"


def test_the_api_takes_and_lifts_them_for_the_principal_and_the_department_only(client, world):
    case, decision = _suspended(world)
    url = f"/api/v1/decisions/{decision.pk}/compulsory-measures/"
    told = timezone.localtime(timezone.now().replace(microsecond=0))
    body = {"stop_power": True, "notified_units": "河北供电分公司", "defiance": "停产后仍在生产", "danger": "可燃物大量堆放",
            "enterprise_notified_at": told.isoformat(), "takes_effect_at": (told + 24 * HOUR).isoformat()}
    check_matrix(client, world, url, {
        "housing": 404, "other_region": 404, "enterprise_other": 404, "agency": 404, "anon": (401, 403),
        "enterprise": 403, "committee": 403, "township": 403, "emergency": 403, "commerce": 403}, method="post",
        data=body, content_type=J)
    _none_taken(decision)
    client_as(client, world, LEAD)
    early = client.post(url, body | {"takes_effect_at": (told + 23 * HOUR).isoformat()}, content_type=J)
    assert early.status_code == 400 and "提前二十四小时" in str(early.json()["errors"]["takes_effect_at"])
    assert client.post(url, body | {"defiance": ""}, content_type=J).json()["errors"].keys() == {"defiance"}
    _none_taken(decision)
    response = client.post(url, body, content_type=J)
    assert response.status_code == 201, response.json()
    measure = SuspensionCompulsion.objects.get(suspension=decision)
    row = response.json()
    assert (row["id"], row["measures"], row["number"], row["lifted_on"]) == (measure.pk, ["停止供电"], measure.number, None)
    assert client.get(f"/api/v1/decisions/{decision.pk}/").json()["compulsory_measures"] == [row]
    again = client.post(url, body, content_type=J)
    assert again.status_code == 409 and again.json()["current"]["id"] == measure.pk
    # a decision that is not a suspension has no 强制措施
    other_case = notified_case(world, ent=world.ent_commerce2, filed=-10)
    other = services.decide_no_penalty(world.user("commerce"), other_case, reason="首次违法且及时改正，危害后果轻微")
    assert client.post(f"/api/v1/decisions/{other.pk}/compulsory-measures/", body, content_type=J).status_code == 404
    lift = f"/api/v1/decisions/{decision.pk}/compulsory-measures/{measure.pk}/lift/"
    check_matrix(client, world, lift, {
        "housing": 404, "other_region": 404, "enterprise_other": 404, "anon": (401, 403),
        "enterprise": 403, "committee": 403, "emergency": 403}, method="post", data={"note": "已停产"}, content_type=J)
    client_as(client, world, "commerce")
    assert client.post(lift, {}, content_type=J).json()["errors"].keys() == {"note"}
    response = client.post(lift, {"note": "该单位已停止生产"}, content_type=J)
    assert response.status_code == 200 and response.json()["lifted_on"] == timezone.localdate().isoformat()
    assert client.post(lift, {"note": "再次"}, content_type=J).status_code == 409
    assert [e.verb for e in events_for(case)].count("case.compulsory_measure_lifted") == 1
    # a measure is found only under its own decision
    _, second = _suspended(world, ent=world.ent_commerce2)
    foreign = _compel(world, second)
    assert client.post(f"/api/v1/decisions/{decision.pk}/compulsory-measures/{foreign.pk}/lift/", {"note": "已停产"},
                       content_type=J).status_code == 404
    assert SuspensionCompulsion.objects.get(pk=foreign.pk).lifted_on is None


def test_a_superuser_without_a_unit_takes_them_for_the_department_handling_the_case(world):
    admin = world.user("admin")
    assert admin.is_superuser and getattr(admin, "membership", None) is None
    case, decision = _suspended(world)
    measure = _compel(world, decision, persona="admin")
    assert (measure.decided_by_org, measure.approved_by) == (case.opened_by_org, admin)
