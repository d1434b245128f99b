"""更正隐患类别: a class stated wrongly (人的不安全行为 / 物的不安全状态 / 管理缺陷) is corrected, with the
reason, by who handles the hazard; the event keeps the class it had; a 未注明 hazard is given its class
(注明), not corrected; the ledger's record stays, open or closed."""

import pytest

from core.models import Event
from core.services import StaleState
from core.testing import check_matrix, client_as
from hazards import services
from hazards.models import Hazard

from .conftest import make_general

pytestmark = pytest.mark.django_db
#: the classes' names as the law's three classes are written (an oracle independent of the model's choices)
NAMES = {"behaviour": "人的不安全行为", "state": "物的不安全状态", "management": "管理缺陷"}
J = "application/json"


def _events(hazard):
    return list(Event.objects.filter(object_type="hazards.hazard", object_id=hazard.pk, verb="hazard.reclassify"))


def test_a_wrong_class_is_corrected_with_the_reason_and_the_event_keeps_the_old_one(world):
    hazard = make_general(world, category="state")
    services.reclassify(world.user("enterprise"), hazard, category="management", reason="登记时误选，实为制度缺失")
    hazard.refresh_from_db()
    assert (hazard.category, hazard.status) == ("management", "registered")
    [event] = _events(hazard)
    assert event.data == {"category": "management", "category_before": "state"}
    assert event.note == "登记时误选，实为制度缺失" and event.actor == world.user("enterprise")
    assert event.from_state == event.to_state == "registered"


@pytest.mark.parametrize("category, reason, field, message", [
    ("management", " ", None, "请填写理由。"),
    ("state", "重复", "category", "新的隐患类别与原隐患类别相同。"),
    ("", "误选", "category", "请选择隐患类别"),
    ("other", "误选", "category", "请选择隐患类别"),
], ids=["no reason", "same class", "empty", "unknown"])
def test_a_correction_without_reason_or_to_the_same_class_is_refused_and_nothing_changes(world, category, reason,
                                                                                         field, message):
    hazard = make_general(world, category="state")
    with pytest.raises(services.ServiceError) as refused:
        services.reclassify(world.user("commerce"), hazard, category=category, reason=reason)
    assert message in refused.value.message and refused.value.field == field
    assert Hazard.objects.get(pk=hazard.pk).category == "state" and not _events(hazard)


def test_a_hazard_without_a_class_is_given_one_not_corrected(world):
    hazard = make_general(world)
    with pytest.raises(services.ServiceError, match="隐患类别未注明，请使用“注明隐患类别”。"):
        services.reclassify(world.user("commerce"), hazard, category="state", reason="误选")
    assert Hazard.objects.get(pk=hazard.pk).category == "" and not _events(hazard)


def test_a_closed_hazard_is_corrected_and_stays_closed_but_a_voided_one_is_not(world):
    closed = make_general(world, category="behaviour")
    services.close_now(world.user("enterprise"), closed, evidence_note="当场整改")
    closed.refresh_from_db()
    services.reclassify(world.user("township"), closed, category="state", reason="核查为设备老化")
    closed.refresh_from_db()
    assert (closed.status, closed.category, closed.next_alert_on) == ("closed", "state", None)
    voided = make_general(world, category="behaviour")
    services.void(world.user("commerce"), voided, reason="误报")
    voided.refresh_from_db()
    with pytest.raises(services.ServiceError, match="当前状态不能执行“更正隐患类别”"):
        services.reclassify(world.user("commerce"), voided, category="state", reason="误选")
    assert Hazard.objects.get(pk=voided.pk).category == "behaviour"


def test_a_stale_page_loses_to_the_correction_made_meanwhile(world):
    hazard = make_general(world, category="state")
    stale = Hazard.objects.get(pk=hazard.pk)  # read before the other user's correction
    services.reclassify(world.user("enterprise"), hazard, category="behaviour", reason="实为违章作业")
    with pytest.raises(StaleState):
        services.reclassify(world.user("commerce"), stale, category="management", reason="实为管理缺陷")
    assert Hazard.objects.get(pk=hazard.pk).category == "behaviour" and len(_events(hazard)) == 1


def test_the_page_offers_the_other_classes_and_shows_the_change_in_the_timeline(client, world):
    hazard = make_general(world, category="state")
    url = f"/hazards/{hazard.pk}/actions/reclassify/"
    client_as(client, world, "enterprise")
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert f'action="{url}"' in page and "更正隐患类别" in page
    form = page[page.index(f'action="{url}"'):]
    form = form[:form.index("</form>")]
    assert "人的不安全行为" in form and "管理缺陷" in form and NAMES["state"] not in form  # not the class it has
    assert client.post(url, {"reclassify-category": "management"}).status_code == 400  # no reason
    assert client.post(url, {"reclassify-category": "state", "reclassify-reason": "误选"}).status_code == 400
    assert Hazard.objects.get(pk=hazard.pk).category == "state" and not _events(hazard)
    assert client.post(url, {"reclassify-category": "management", "reclassify-reason": "实为制度缺失"}).status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).category == "management"
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert f'<span data-testid="event-category">{NAMES["state"]} → {NAMES["management"]}</span>' in page
    assert "实为制度缺失" in page and "<td>管理缺陷</td>" in page
    # not offered where the class is 未注明 (注明 is)
    unstated = make_general(world)
    page = client.get(f"/hazards/{unstated.pk}/").content.decode()
    assert "/actions/reclassify/" not in page and "/actions/classify/" in page


def test_who_may_correct_and_who_is_not_shown_the_hazard(client, world):
    hazard = make_general(world, category="state")
    url = f"/hazards/{hazard.pk}/actions/reclassify/"
    body = {"reclassify-category": "behaviour", "reclassify-reason": "误选"}
    check_matrix(client, world, url, {
        "housing": 404, "other_region": 404, "enterprise_other": 404, "agency": 404, "nobody": 404, "anon": "login",
        "committee": 400, "province": 400}, method="post", data=body)
    assert Hazard.objects.get(pk=hazard.pk).category == "state" and not _events(hazard)
    for persona, category in (("township", "behaviour"), ("commerce", "management"), ("enterprise", "behaviour")):
        h = make_general(world, category="state")
        check_matrix(client, world, f"/hazards/{h.pk}/actions/reclassify/", {persona: 302}, method="post",
                     data={"reclassify-category": category, "reclassify-reason": "误选"})
        assert Hazard.objects.get(pk=h.pk).category == category, persona


def test_the_api_corrects_once_and_answers_a_repeat_with_409(client, world):
    hazard = make_general(world, category="state")
    client_as(client, world, "commerce")
    url = f"/api/v1/hazards/{hazard.pk}/actions/reclassify/"
    assert "reclassify" in client.get(f"/api/v1/hazards/{hazard.pk}/").json()["available_actions"]
    response = client.post(url, {"category": "behaviour"}, content_type=J)
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = client.post(url, {"category": "", "reason": "误选"}, content_type=J)
    assert response.status_code == 400 and "category" in response.json()["errors"]
    assert not _events(hazard)
    response = client.post(url, {"category": "behaviour", "reason": "实为违章作业"}, content_type=J)
    assert response.status_code == 200 and response.json()["category"] == "behaviour"
    again = client.post(url, {"category": "behaviour", "reason": "实为违章作业"}, content_type=J)
    assert again.status_code == 409 and again.json()["current"]["category"] == "behaviour"
    assert len(_events(hazard)) == 1
    client_as(client, world, "housing")
    assert client.post(url, {"category": "state", "reason": "误选"}, content_type=J).status_code == 404
    client_as(client, world, "committee")
    refused = client.post(url, {"category": "state", "reason": "误选"}, content_type=J)
    assert refused.status_code == 400 and refused.json()["message"] == "您所在单位不能执行“更正隐患类别”。"
    assert Hazard.objects.get(pk=hazard.pk).category == "behaviour"
