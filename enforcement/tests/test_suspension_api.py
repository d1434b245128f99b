"""责令停产停业整顿 and 复产复查 through the API, as on the case page: the handler of the case only (403 for
another government user who sees it, 404 out of scope), the service's refusals on their field, a repeat
answers 409 with the decision on record.

安全生产法 第六十五条第一款第（三）项: "重大事故隐患排除后，经审查同意，方可恢复生产经营" — so a 复产 is refused
while the case's major hazard is not 销号, and is not dated before the order it lifts.
"""

import datetime

import pytest
from django.utils import timezone

from core.events import events_for
from core.testing import check_matrix, client_as
from enforcement.models import Decision
from enterprises.models import Enterprise
from hazards import services as hz

from .helpers import major_hazard, notified_case, suspension_article

pytestmark = pytest.mark.django_db
J = "application/json"


def _day(n):
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def _status(case):
    return Enterprise.objects.get(pk=case.enterprise_id).status


def test_the_handler_orders_a_suspension_through_the_api_and_the_unit_is_suspended(client, world):
    case = notified_case(world, filed=-10)
    url = f"/api/v1/cases/{case.pk}/suspension/"
    body = {"article": suspension_article().pk, "reason": "重大事故隐患未消除", "decided_on": _day(-3),
            "correction_deadline": _day(20)}
    # the unit sees its case but does not handle it; the committee office, the emergency bureau and the
    # township see it too (403); another region or sector, another unit, a third party: not found
    check_matrix(client, world, url, {
        "housing": 404, "other_region": 404, "enterprise_other": 404, "agency": 404, "anon": (401, 403),
        "enterprise": 403, "committee": 403, "emergency": 403, "township": 403}, method="post", data=body,
        content_type=J)
    # refused before its body is read: an empty body is the same refusal, not a 400 on its fields
    check_matrix(client, world, url, {"emergency": 403, "enterprise": 403}, method="post", data={}, content_type=J)
    assert not case.decisions.exists() and _status(case) == Enterprise.Status.OPERATING
    client_as(client, world, "commerce")
    response = client.post(url, body, content_type=J)
    assert response.status_code == 201, response.json()
    decision = Decision.objects.get(pk=response.json()["id"])
    assert (decision.kind, decision.article, decision.decided_on.isoformat()) == (
        Decision.Kind.SUSPENSION, suspension_article(), _day(-3))
    assert decision.correction_deadline.isoformat() == _day(20)
    assert _status(case) == Enterprise.Status.SUSPENDED
    assert [e.verb for e in events_for(case)].count("case.suspension") == 1
    again = client.post(url, body, content_type=J)
    assert again.status_code == 409 and again.json()["current"]["id"] == decision.pk
    assert case.decisions.count() == 1


@pytest.mark.parametrize("change, field", [
    ({"article": None}, "article"),
    ({"reason": " "}, "reason"),
    ({"decided_on": "tomorrow"}, "decided_on"),
    ({"correction_deadline": "yesterday-of-decision"}, "correction_deadline"),
    ({"reason": "x" * 5001}, "reason"),
], ids=["no clause", "no reason", "future", "deadline before the decision", "too long"])
def test_a_suspension_refused_through_the_api_is_a_400_on_its_field_and_nothing_is_written(client, world, change, field):
    case = notified_case(world, filed=-10)
    body = {"article": suspension_article().pk, "reason": "重大事故隐患未消除", "decided_on": _day(-3)} | change
    if body.get("decided_on") == "tomorrow":
        body["decided_on"] = _day(1)
    if body.get("correction_deadline") == "yesterday-of-decision":
        body["correction_deadline"] = _day(-4)
    client_as(client, world, "commerce")
    response = client.post(f"/api/v1/cases/{case.pk}/suspension/", body, content_type=J)
    assert response.status_code == 400 and field in response.json()["errors"], response.json()
    assert not case.decisions.exists() and _status(case) == Enterprise.Status.OPERATING


def test_a_clause_that_does_not_order_a_suspension_is_refused(client, world):
    from enforcement.models import PenaltyArticle

    case = notified_case(world, filed=-10)
    fine_only = PenaltyArticle.objects.filter(suspension=False).first()
    client_as(client, world, "commerce")
    response = client.post(f"/api/v1/cases/{case.pk}/suspension/",
                           {"article": fine_only.pk, "reason": "未消除"}, content_type=J)
    assert response.status_code == 400 and "article" in response.json()["errors"]
    assert not case.decisions.exists()


def test_the_resumption_through_the_api_follows_the_hazards_closing_and_lifts_the_order(client, world):
    hazard = major_hazard(world)
    case = notified_case(world, hazard=hazard)
    client_as(client, world, "commerce")
    order = client.post(f"/api/v1/cases/{case.pk}/suspension/",
                        {"article": suspension_article().pk, "reason": "重大事故隐患未消除"}, content_type=J).json()
    from enforcement import services

    services.advance(world.user("commerce"), case, "decide")
    url = f"/api/v1/cases/{case.pk}/resumption/"
    response = client.post(url, {"reason": "复查合格"}, content_type=J)
    assert response.status_code == 400 and "尚未验收销号" in str(response.json()["errors"])
    hz.submit_completion(world.user("enterprise"), hazard, evidence_note="已整改")
    hazard.refresh_from_db()
    hz.accept(world.user("commerce"), hazard, opinion="合格")
    check_matrix(client, world, url, {
        "housing": 404, "other_region": 404, "enterprise_other": 404, "agency": 404, "anon": (401, 403),
        "enterprise": 403, "committee": 403, "emergency": 403, "township": 403}, method="post",
        data={"reason": "复查合格"}, content_type=J)
    assert _status(case) == Enterprise.Status.SUSPENDED
    client_as(client, world, "commerce")
    response = client.post(url, {"reason": "复查合格", "decided_on": _day(1)}, content_type=J)
    assert response.status_code == 400 and "decided_on" in response.json()["errors"]
    assert client.post(url, {}, content_type=J).status_code == 400
    response = client.post(url, {"reason": "隐患已排除，复查合格，同意恢复生产经营"}, content_type=J)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["lifts"] == order["id"] and body["decided_on"] == _day(0)
    assert _status(case) == Enterprise.Status.OPERATING
    again = client.post(url, {"reason": "再次复查"}, content_type=J)
    assert again.status_code == 409 and again.json()["current"]["id"] == body["id"]
    assert case.decisions.filter(kind=Decision.Kind.RESUMPTION).count() == 1
