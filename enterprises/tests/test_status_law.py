"""经营状态 is not a profile field (audit F2, F5).

停产整顿 is an enforcement decision and a suspended unit resumes only after review (安全生产法
art. 65(3); DOMAIN.md §3.2: review passed → 核销 and resume, ``enforcement.services.resume``). No
profile edit, API PATCH or directory import enters or leaves a suspension. 关闭（注销）needs an
approver (``Membership.can_approve``), a reason and no open hazard of the unit (hazards must be
销号, merged or voided with a reason first), with an event; refused → 4xx with the Chinese reason.
"""

import datetime

import pytest

from accounts.models import Sector
from core.models import Event
from core.services import ServiceError
from enforcement import services as enf
from enforcement.tests.helpers import notified_case, suspension_article
from enterprises import services
from enterprises.importing import import_enterprises
from enterprises.models import Enterprise
from hazards import services as hs

pytestmark = pytest.mark.django_db


def _etag(client, pk):
    return client.get(f"/api/v1/enterprises/{pk}/")["ETag"]


def _patch(client, world, persona, ent, data):
    client.force_login(world.user(persona))
    return client.patch(f"/api/v1/enterprises/{ent.pk}/", data, content_type="application/json",
                        HTTP_IF_MATCH=_etag(client, ent.pk))


def _suspended(world):
    """鑫隆商贸 suspended by the commerce bureau's case (责令停产停业整顿)."""
    case = notified_case(world)
    enf.order_suspension(world.user("commerce"), case, article=suspension_article(), reason="重大事故隐患未消除，存在现实危险")
    assert Enterprise.objects.get(pk=world.ent_commerce.pk).status == "suspended"
    return case


def _status_events(ent):
    return Event.objects.filter(verb="enterprise.status", object_id=ent.pk).count()


@pytest.mark.parametrize("persona", ["township", "emergency", "committee", "commerce"])
def test_no_government_writer_lifts_a_suspension_by_patching_the_status(client, world, persona):
    _suspended(world)
    events = _status_events(world.ent_commerce)
    response = _patch(client, world, persona, world.ent_commerce, {"status": "operating"})
    assert response.status_code == 400
    assert "复产复查" in response.json()["errors"]["status"][0]
    assert Enterprise.objects.get(pk=world.ent_commerce.pk).status == "suspended"
    assert _status_events(world.ent_commerce) == events


def test_no_one_else_reaches_the_status_of_a_suspended_unit(client, world):
    """Another region, another sector, another enterprise: not found; the unit itself: contacts only;
    anonymous: not logged in."""
    _suspended(world)
    url = f"/api/v1/enterprises/{world.ent_commerce.pk}/"
    for persona, expected in {"other_region": 404, "housing": 404, "enterprise_other": 404, "enterprise": 403}.items():
        client.force_login(world.user(persona))
        assert client.patch(url, {"status": "operating"}, content_type="application/json",
                            HTTP_IF_MATCH="*").status_code == expected, persona
    client.logout()
    assert client.patch(url, {"status": "operating"}, content_type="application/json").status_code in (401, 403)
    assert Enterprise.objects.get(pk=world.ent_commerce.pk).status == "suspended"


def test_no_one_imposes_a_suspension_by_editing_or_registering(client, world):
    response = _patch(client, world, "emergency", world.ent_commerce, {"status": "suspended"})
    assert response.status_code == 400 and "status" in response.json()["errors"]
    assert Enterprise.objects.get(pk=world.ent_commerce.pk).status == "operating"
    with pytest.raises(ServiceError) as err:
        services.create_enterprise(world.user("emergency"), name="新登记停产公司", credit_code="91120105MA05ABCD1H",
                                   region=world.townships[0], sectors=[Sector.objects.get(code="commerce")],
                                   status="suspended")
    assert err.value.field == "status"


def test_a_status_change_needs_the_enforcement_decision_that_governs_it(world):
    case = _suspended(world)
    ent = Enterprise.objects.get(pk=world.ent_commerce.pk)
    suspension = case.decisions.get(kind="suspension")
    for decision in (None, suspension):  # no decision; a suspension is no ground to resume
        with pytest.raises(ServiceError) as err:
            services.set_enterprise_status(world.user("commerce"), ent, "operating", decision=decision)
        assert err.value.field == "status"
    # the one way out: 复产复查 in the case (no hazard attached to this case)
    enf.advance(world.user("commerce"), case, "decide")
    enf.resume(world.user("commerce"), case, reason="复查合格")
    assert Enterprise.objects.get(pk=ent.pk).status == "operating"


def _row(ent, **kw):
    return {"单位名称": ent.name, "统一社会信用代码": ent.credit_code, "乡镇（街道）代码": ent.region.code,
            "行业领域": "commerce", **kw}


def test_an_import_row_cannot_lift_a_suspension_and_says_why_on_its_row(world):
    _suspended(world)
    ent = world.ent_commerce
    events = Event.objects.count()
    for dry_run in (True, False):
        result = import_enterprises(world.user("emergency"), [_row(ent, 经营状态="正常经营")], dry_run=dry_run)
        assert [(e["row"], e["column"]) for e in result.errors] == [(2, "经营状态")]
        assert "复产复查" in result.errors[0]["reason"]
    assert Enterprise.objects.get(pk=ent.pk).status == "suspended" and Event.objects.count() == events
    # the exported file imported back (its 停产整顿 repeated, or the column left empty) changes nothing
    for status in ("停产整顿", ""):
        result = import_enterprises(world.user("emergency"), [_row(ent, 经营状态=status)], dry_run=False)
        assert result.errors == [] and result.unchanged == 1
    assert Enterprise.objects.get(pk=ent.pk).status == "suspended"


def test_an_import_neither_suspends_closes_nor_registers_a_unit_other_than_operating(world):
    operating = world.ent_commerce2
    rows = [_row(operating, 经营状态="停产整顿"),
            _row(operating, 经营状态="关闭", 统一社会信用代码=world.enterprises[2].credit_code,
                 单位名称=world.enterprises[2].name, **{"乡镇（街道）代码": world.enterprises[2].region.code}),
            {"单位名称": "新登记停产公司", "统一社会信用代码": "91120105MA05ABCD1H", "乡镇（街道）代码": world.townships[0].code,
             "行业领域": "commerce", "经营状态": "停产整顿"}]
    result = import_enterprises(world.user("emergency"), rows, dry_run=False)
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "经营状态"), (3, "经营状态"), (4, "经营状态")]
    assert "执法案件" in result.errors[0]["reason"] and "审批" in result.errors[1]["reason"]
    assert Enterprise.objects.get(pk=operating.pk).status == "operating"
    assert not Enterprise.objects.filter(credit_code="91120105MA05ABCD1H").exists()


# ---------------------------------------------------------------- 关闭（注销）


def _fresh(world):
    """A unit of the commerce bureau's with no hazard yet (so the hand count below is the whole count)."""
    return services.create_enterprise(world.user("committee"), name="关闭测试商贸有限公司", credit_code="91120105MA05ABCD1H",
                                      region=world.townships[0], sectors=[Sector.objects.get(code="commerce")])


def _hazard(world, ent, description):
    return hs.register_hazard(world.user("commerce"), enterprise=ent, sector=Sector.objects.get(code="commerce"),
                              description=description, grade="general", basis_reason="",
                              deadline=datetime.date.today() + datetime.timedelta(days=30), notify_people=False)


def test_closing_is_refused_while_hazards_are_open_and_names_how_many(client, world):
    ent = _fresh(world)
    first, second = _hazard(world, ent, "安全出口锁闭"), _hazard(world, ent, "灭火器过期")
    hs.void(world.user("commerce"), _hazard(world, ent, "重复登记"), reason="重复登记")  # over: does not count
    url = f"/api/v1/enterprises/{ent.pk}/"
    client.force_login(world.user("commerce_lead"))
    response = client.delete(url, {"reason": "营业执照已注销"}, content_type="application/json")
    assert response.status_code == 409
    message = response.json()["errors"]["status"][0]
    assert "2 项隐患未销号" in message and "作废" in message  # 2 open by hand: first, second
    assert Enterprise.objects.get(pk=ent.pk).status == "operating" and _status_events(ent) == 0
    hs.void(world.user("commerce"), first, reason="经核实不属于隐患")
    assert "1 项隐患未销号" in client.delete(url, {"reason": "营业执照已注销"},
                                         content_type="application/json").json()["errors"]["status"][0]
    hs.void(world.user("commerce"), second, reason="单位已停业，场所拆除")
    assert client.delete(url, {"reason": "营业执照已注销"}, content_type="application/json").status_code == 204
    assert Enterprise.objects.get(pk=ent.pk).status == "closed"
    event = Event.objects.get(verb="enterprise.status", object_id=ent.pk)
    assert (event.from_state, event.to_state, event.note) == ("operating", "closed", "营业执照已注销")
    assert event.actor == world.user("commerce_lead")


def test_closing_needs_an_approver_and_a_reason(client, world):
    ent = _fresh(world)
    url = f"/api/v1/enterprises/{ent.pk}/"
    for persona in ("township", "commerce", "emergency"):  # officers, no approver role
        client.force_login(world.user(persona))
        response = client.delete(url, {"reason": "营业执照已注销"}, content_type="application/json")
        assert response.status_code == 403 and "审批权限" in response.json()["message"], persona
    for persona, expected in {"other_region": 404, "housing": 404, "enterprise_other": 404, "enterprise": 404}.items():
        client.force_login(world.user(persona))  # 鑫隆's own user does not see this other unit either
        assert client.delete(url, {"reason": "x"}, content_type="application/json").status_code == expected, persona
    client.logout()
    assert client.delete(url).status_code in (401, 403)
    client.force_login(world.user("emergency_lead"))
    response = client.delete(url)
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    assert Enterprise.objects.get(pk=ent.pk).status == "operating"
    assert client.delete(f"{url}?reason=已注销").status_code == 204


def test_the_close_page_shows_the_open_hazards_and_refuses(client, world):
    ent = _fresh(world)
    _hazard(world, ent, "安全出口锁闭")
    url = f"/enterprises/{ent.pk}/close/"
    client.force_login(world.user("township"))
    assert client.get(url).status_code == 403
    client.force_login(world.user("housing"))
    assert client.get(url).status_code == 404
    client.force_login(world.user("commerce_lead"))
    assert "尚有 1 项隐患未销号" in client.get(url).content.decode()
    response = client.post(url, {"reason": "营业执照已注销"})
    assert response.status_code == 400 and "1 项隐患未销号" in response.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    assert Enterprise.objects.get(pk=ent.pk).status == "operating"


def test_the_close_service_itself_refuses_an_approver_who_does_not_see_the_unit(world):
    """Defence in depth: the page and the API answer 404 first; the service holds the same rule."""
    from core.services import NotPermitted
    from enterprises import services as ent_services

    other = world.ctx["other_enterprise"]  # 河东区: the 河北区 committee's leader does not see it
    with pytest.raises(NotPermitted):
        ent_services.close_enterprise(world.user("committee_lead"), other, reason="测试")
    other.refresh_from_db()
    assert other.status == "operating"
