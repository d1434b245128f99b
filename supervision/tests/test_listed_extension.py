"""The extension (延期申请) of a listed hazard: who is told, and its API actions (audit D5).

RULES.md §2: the 安委会 issues the notice and sets the deadline (湖北 2011, V); 青岛 "3+X" (V local):
an extension is asked of and decided by the listing side. So the listing body's people are told
when one is asked, the requester when it is decided; out of scope is 404 (PRODUCT.md)."""

import datetime

import pytest
from django.utils import timezone

from core.models import Event, Notification
from core.testing import check_matrix, client_as
from hazards import services as hz
from hazards.models import Hazard
from supervision import extensions
from supervision.models import Listing

from .helpers import PLAN, listed, major_hazard

J = "application/json"
BODY_OF = {"committee", "committee_lead"}  # the users of 河北区安委办, the listing body


def _rectifying_listed(world, **kw):
    hazard = major_hazard(world, **kw)
    listing = listed(world, hazard, **({"department": "housing"} if kw.get("construction") else {}))
    enterprise = "enterprise_other" if kw.get("construction") else "enterprise"
    hz.report_hazard(world.user(enterprise), hazard, department=world.org("housing" if kw.get("construction") else "commerce"))
    hz.submit_plan(world.user(enterprise), hazard, plan=PLAN)
    return Hazard.objects.get(pk=hazard.pk), listing


def _later(listing, days=45):
    return listing.deadline + datetime.timedelta(days=days)


def _told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_an_extension_request_tells_every_user_of_the_listing_body_once(world):
    hazard, listing = _rectifying_listed(world)
    hz.request_extension(world.user("enterprise"), hazard, new_deadline=_later(listing), reason="设备到货延迟")
    told = _told("listing.extension_requested")
    assert told == {world.user(p).username for p in BODY_OF}
    note = Notification.objects.filter(kind="listing.extension_requested").first()
    assert "申请延期" in note.title and str(_later(listing)) in note.body and note.url == f"/supervision/{listing.pk}/"
    assert Event.objects.filter(object_type="supervision.listing", object_id=listing.pk,
                                verb="listing.extension_requested").count() == 1


def test_an_extension_request_of_an_unlisted_hazard_tells_no_listing_body(world):
    hazard = major_hazard(world)
    hz.report_hazard(world.user("enterprise"), hazard, department=world.org("commerce"))
    hazard = hz.submit_plan(world.user("enterprise"), hazard, plan=PLAN)
    hz.request_extension(world.user("enterprise"), hazard, new_deadline=hazard.deadline + datetime.timedelta(days=9),
                         reason="设备到货延迟")
    assert not Notification.objects.filter(kind="listing.extension_requested").exists()


@pytest.mark.parametrize("approve,word", [(True, "同意延期"), (False, "不同意延期")])
def test_the_requester_is_told_the_listing_bodys_decision(world, approve, word):
    hazard, listing = _rectifying_listed(world)
    hz.request_extension(world.user("enterprise"), hazard, new_deadline=_later(listing), reason="设备到货延迟")
    extensions.decide_listed_extension(world.user("committee_lead"), hazard, approve=approve, note="" if approve else "理由不充分")
    notes = Notification.objects.filter(kind="listing.extension_decided")
    assert [n.recipient_id for n in notes] == [world.user("enterprise").pk]
    assert word in notes[0].title


def test_the_api_request_and_approval_move_both_deadlines_and_tell_both_sides(client, world):
    hazard, listing = _rectifying_listed(world)
    new = _later(listing)
    client_as(client, world, "enterprise")
    r = client.post(f"/api/v1/listings/{listing.pk}/request-extension/", {"new_deadline": new.isoformat(), "reason": "设备到货延迟"},
                    content_type=J)
    assert r.status_code == 200, r.content
    assert r.json()["pending_extension"]["requested_deadline"] == new.isoformat()
    assert _told("listing.extension_requested") == {world.user(p).username for p in BODY_OF}
    client_as(client, world, "committee_lead")
    r = client.post(f"/api/v1/listings/{listing.pk}/decide-extension/", {"approve": True, "note": "同意"}, content_type=J)
    assert r.status_code == 200, r.content
    assert r.json()["deadline"] == new.isoformat() and r.json()["pending_extension"] is None
    assert Hazard.objects.get(pk=hazard.pk).deadline == Listing.objects.get(pk=listing.pk).deadline == new
    assert _told("listing.extension_decided") == {world.user("enterprise").username}
    again = client.post(f"/api/v1/listings/{listing.pk}/decide-extension/", {"approve": True, "note": "同意"}, content_type=J)
    assert again.status_code == 409 and again.json()["code"] == "already_done"


def test_the_api_refuses_bad_input_with_the_field_and_a_chinese_reason(client, world):
    hazard, listing = _rectifying_listed(world)
    url = f"/api/v1/listings/{listing.pk}/request-extension/"
    client_as(client, world, "enterprise")
    r = client.post(url, {"new_deadline": _later(listing).isoformat()}, content_type=J)
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = client.post(url, {"new_deadline": listing.deadline.isoformat(), "reason": "延迟"}, content_type=J)
    assert r.status_code == 400 and "须晚于当前整改期限" in str(r.json()["errors"]["new_deadline"])
    r = client.post(url, {"new_deadline": "明天", "reason": "延迟"}, content_type=J)
    assert r.status_code == 400 and "new_deadline" in r.json()["errors"]
    client.post(url, {"new_deadline": _later(listing).isoformat(), "reason": "设备到货延迟"}, content_type=J)
    client_as(client, world, "committee_lead")
    r = client.post(f"/api/v1/listings/{listing.pk}/decide-extension/", {"approve": False}, content_type=J)
    assert r.status_code == 400 and "理由" in str(r.json()["errors"]["note"])
    r = client.post(f"/api/v1/listings/{listing.pk}/decide-extension/", {"note": "x"}, content_type=J)
    assert r.status_code == 400 and "approve" in r.json()["errors"]


def test_api_extension_actions_permission_matrix(client, world):
    """Another region, another sector, another enterprise: 404 (no existence oracle); anonymous:
    401/403; in scope without the role: 403 (decision: the listing body's leader only)."""
    hazard, listing = _rectifying_listed(world)
    body = {"new_deadline": _later(listing).isoformat(), "reason": "设备到货延迟"}
    check_matrix(client, world, f"/api/v1/listings/{listing.pk}/request-extension/", {
        "anon": (401, 403), "other_region": 404, "housing": 404, "enterprise_other": 404, "agency": 404, "nobody": 404,
    }, method="post", data=body, content_type=J)
    assert not hazard.extensions.exists()
    client_as(client, world, "enterprise")
    assert client.post(f"/api/v1/listings/{listing.pk}/request-extension/", body, content_type=J).status_code == 200
    decide = {"approve": True, "note": "同意"}
    check_matrix(client, world, f"/api/v1/listings/{listing.pk}/decide-extension/", {
        "anon": (401, 403), "other_region": 404, "housing": 404, "enterprise_other": 404, "agency": 404, "nobody": 404,
        "enterprise": 403, "commerce_lead": 403, "committee": 403,
    }, method="post", data=decide, content_type=J)
    assert Listing.objects.get(pk=listing.pk).deadline == listing.deadline  # nobody above could decide


def test_a_listing_of_another_sector_is_out_of_scope_for_the_commerce_enterprise(client, world):
    _, listing = _rectifying_listed(world, construction=True)
    client_as(client, world, "enterprise")
    r = client.post(f"/api/v1/listings/{listing.pk}/request-extension/",
                    {"new_deadline": _later(listing).isoformat(), "reason": "延迟"}, content_type=J)
    assert r.status_code == 404
    client_as(client, world, "enterprise_other")
    r = client.post(f"/api/v1/listings/{listing.pk}/request-extension/",
                    {"new_deadline": _later(listing).isoformat(), "reason": "延迟"}, content_type=J)
    assert r.status_code == 200 and timezone.localdate() < _later(listing)
