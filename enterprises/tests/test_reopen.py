"""恢复正常经营 of a closed (关闭/注销) unit: the reverse of 关闭 — an approver, a reason, an event;
refused for a unit that is not closed (a suspended one resumes through 复产复查 only)."""

import pytest

from accounts.models import Sector
from core.models import Event
from core.services import NotPermitted, ServiceError
from core.testing import check_matrix, client_as
from enterprises import services
from enterprises.models import Enterprise

pytestmark = pytest.mark.django_db
J = "application/json"


def _closed(world):
    ent = services.create_enterprise(world.user("committee"), name="恢复测试商贸有限公司", credit_code="91120105MA05ABCD1H",
                                     region=world.townships[0], sectors=[Sector.objects.get(code="commerce")])
    return services.close_enterprise(world.user("commerce_lead"), ent, reason="营业执照已注销")


def _status(ent):
    return Enterprise.objects.get(pk=ent.pk).status


def test_an_approver_reopens_a_closed_unit_with_a_reason_and_an_event(world):
    ent = _closed(world)
    services.reopen_enterprise(world.user("emergency_lead"), ent, reason="注销登记有误，已撤销")
    assert _status(ent) == "operating"
    event = Event.objects.filter(verb="enterprise.status", object_id=ent.pk).latest("id")
    assert (event.from_state, event.to_state, event.note) == ("closed", "operating", "注销登记有误，已撤销")
    assert event.actor == world.user("emergency_lead")


def test_reopening_needs_an_approver_and_a_reason(world):
    ent = _closed(world)
    for persona in ("commerce", "township", "enterprise"):
        with pytest.raises(NotPermitted):
            services.reopen_enterprise(world.user(persona), ent, reason="误关闭")
    with pytest.raises(ServiceError) as exc:
        services.reopen_enterprise(world.user("commerce_lead"), ent, reason="  ")
    assert exc.value.field == "reason"
    assert _status(ent) == "closed"


@pytest.mark.parametrize("status", ["operating", "suspended"])
def test_a_unit_that_is_not_closed_is_refused(world, status):
    ent = world.ent_commerce
    Enterprise.objects.filter(pk=ent.pk).update(status=status)
    events = Event.objects.filter(verb="enterprise.status").count()
    with pytest.raises(ServiceError) as exc:
        services.reopen_enterprise(world.user("commerce_lead"), Enterprise.objects.get(pk=ent.pk), reason="恢复")
    assert exc.value.code == "conflict" and "不是关闭状态" in exc.value.message
    assert _status(ent) == status and Event.objects.filter(verb="enterprise.status").count() == events


def test_api_reopen_matrix_and_answers(client, world):
    ent = _closed(world)
    url = f"/api/v1/enterprises/{ent.pk}/reopen/"
    check_matrix(client, world, url, {
        "anon": (401, 403), "commerce": 403, "township": 403, "housing": 404, "other_region": 404, "enterprise": 404,
        "enterprise_other": 404, "agency": 404, "nobody": 404}, method="post", data={"reason": "误关闭"}, content_type=J)
    client_as(client, world, "commerce_lead")
    assert "reason" in client.post(url, {}, content_type=J).json()["errors"]
    response = client.post(url, {"reason": "误关闭"}, content_type=J)
    assert response.status_code == 200 and response.json()["status"] == "operating"
    again = client.post(url, {"reason": "误关闭"}, content_type=J)
    assert again.status_code == 409 and again.json()["code"] == "already_done"
    Enterprise.objects.filter(pk=ent.pk).update(status="suspended")
    suspended = client.post(url, {"reason": "恢复"}, content_type=J)
    assert suspended.status_code == 409 and "复产复查" in suspended.json()["message"]


def test_the_profile_offers_reopening_to_approvers_of_a_closed_unit_only(client, world):
    ent = _closed(world)
    detail = f"/enterprises/{ent.pk}/"
    client_as(client, world, "commerce")
    assert 'data-testid="reopen-link"' not in client.get(detail).content.decode()
    assert client.get(f"/enterprises/{ent.pk}/reopen/").status_code == 403
    client_as(client, world, "commerce_lead")
    html = client.get(detail).content.decode()
    assert 'data-testid="reopen-link"' in html and "关闭（注销）</a>" not in html
    assert client.post(f"/enterprises/{ent.pk}/reopen/", {"reason": ""}).status_code == 400
    assert client.post(f"/enterprises/{ent.pk}/reopen/", {"reason": "误关闭"}).status_code == 302
    assert _status(ent) == "operating"
    html = client.get(detail).content.decode()
    assert 'data-testid="reopen-link"' not in html and "关闭（注销）</a>" in html
    refused = client.post(f"/enterprises/{ent.pk}/reopen/", {"reason": "再次恢复"})
    assert refused.status_code == 400 and "不是关闭状态" in refused.content.decode()
    check_matrix(client, world, f"/enterprises/{ent.pk}/reopen/", {"anon": "login", "housing": 404, "other_region": 404,
                                                                    "enterprise_other": 404})
