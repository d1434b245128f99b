"""Permission matrix for every 挂牌督办 page and API endpoint."""

import datetime

import pytest
from django.utils import timezone

from core.testing import check_matrix, client_as

from .helpers import listed, major_hazard, propose

LOGGED_IN = ["committee", "committee_lead", "province", "emergency", "commerce", "housing", "township",
             "township_other", "other_region", "enterprise", "enterprise_other", "agency", "nobody"]

COMMERCE_DETAIL = {
    "anon": "login", "committee": 200, "committee_lead": 200, "province": 200, "emergency": 200, "commerce": 200,
    "housing": 404, "township": 200, "township_other": 404, "other_region": 404, "enterprise": 200,
    "enterprise_safety": 200, "enterprise_other": 404, "agency": 404, "nobody": 404,
}


@pytest.mark.parametrize("url", ["/supervision/", "/supervision/board/", "/supervision/?status=listed&level=county&overdue=on&q=鑫隆"])
def test_list_and_board_open_to_logged_in_users(client, world, url):
    listed(world)
    check_matrix(client, world, url, {"anon": "login", **{p: 200 for p in LOGGED_IN}})


def test_list_and_board_are_scoped(client, world):
    listing = listed(world)
    for persona, visible in (("committee", True), ("commerce", True), ("housing", False), ("other_region", False),
                             ("enterprise", True), ("enterprise_other", False), ("nobody", False)):
        client_as(client, world, persona)
        for url in ("/supervision/", "/supervision/board/"):
            html = client.get(url).content.decode()
            assert (f"/supervision/{listing.pk}/" in html) is visible, (persona, url)


def test_detail_matrix_commerce_hazard(client, world):
    listing = listed(world)
    check_matrix(client, world, f"/supervision/{listing.pk}/", COMMERCE_DETAIL)


def test_detail_matrix_construction_hazard(client, world):
    listing = listed(world, major_hazard(world, construction=True), department="housing")
    check_matrix(client, world, f"/supervision/{listing.pk}/", {
        "anon": "login", "committee": 200, "housing": 200, "commerce": 404, "emergency": 200, "enterprise": 404,
        "enterprise_other": 200, "other_region": 404, "nobody": 404,
    })


def test_propose_page_only_for_committee_offices(client, world):
    check_matrix(client, world, "/supervision/propose/", {
        "anon": "login", "committee": 200, "committee_lead": 200, "province": 200, "emergency": 403, "commerce": 403,
        "township": 403, "other_region": 403, "enterprise": 403, "agency": 403, "nobody": 403,
    })


def test_propose_page_posts_and_shows_field_errors(client, world):
    hazard = major_hazard(world)
    client_as(client, world, "committee")
    bad = client.post("/supervision/propose/", {"hazard": hazard.pk, "responsible_department": world.org("commerce").pk,
                                                "deadline": "", "requirements": "x", "report_every_days": 30})
    assert bad.status_code == 400 and 'data-field="deadline"' in bad.content.decode()
    foreign = client.post("/supervision/propose/", {"hazard": hazard.pk, "responsible_department": world.org("other_emergency").pk,
                                                    "deadline": "2030-01-01", "requirements": "x", "report_every_days": 30})
    assert foreign.status_code == 400 and 'data-field="responsible_department"' in foreign.content.decode()
    ok = client.post("/supervision/propose/", {"hazard": hazard.pk, "responsible_department": world.org("commerce").pk,
                                               "deadline": "2030-01-01", "requirements": "限期整改", "report_every_days": 30,
                                               "public_notice": "on"})
    assert ok.status_code == 302
    assert hazard.listings.get().status == "proposed"


def test_approve_action_matrix(client, world):
    listing = propose(world, major_hazard(world))
    url = f"/supervision/{listing.pk}/approve/"
    check_matrix(client, world, url, {
        "anon": "login", "other_region": 404, "housing": 404, "enterprise_other": 404, "nobody": 404,
        # the office, the department and the unit see the listing; approving is the committee's leader's part: 403
        "emergency": 403, "township": 403, "committee": 403, "commerce": 403, "enterprise": 403,
    }, method="post", data={"approve-public_notice": "on"})
    listing.refresh_from_db()
    assert listing.status == "proposed"
    check_matrix(client, world, url, {"committee_lead": 302}, method="post", data={"approve-public_notice": "on"})
    listing.refresh_from_db()
    assert listing.status == "listed"


def test_progress_form_errors_name_the_field(client, world):
    listing = listed(world)
    client_as(client, world, "enterprise")
    r = client.post(f"/supervision/{listing.pk}/report_progress/", {"report_progress-date": timezone.localdate().isoformat(),
                                                                    "report_progress-percentage": 150,
                                                                    "report_progress-text": "x"})
    assert r.status_code == 400 and 'data-field="percentage"' in r.content.decode()
    r = client.post(f"/supervision/{listing.pk}/report_progress/", {"report_progress-date": timezone.localdate().isoformat(),
                                                                    "report_progress-percentage": 50,
                                                                    "report_progress-text": "已完成一半"})
    assert r.status_code == 302 and listing.progress_reports.count() == 1
    assert client.post(f"/supervision/{listing.pk}/nonsense/").status_code == 404


def test_api_list_and_detail_matrix(client, world):
    listing = listed(world)
    check_matrix(client, world, "/api/v1/listings/", {"anon": (401, 403), **{p: 200 for p in LOGGED_IN}})
    expected = {p: s for p, s in COMMERCE_DETAIL.items() if p != "anon"}
    check_matrix(client, world, f"/api/v1/listings/{listing.pk}/", {"anon": (401, 403), **expected})
    client_as(client, world, "commerce")
    assert client.get("/api/v1/listings/").json()["results"][0]["notice_number"] == listing.notice_number
    client_as(client, world, "housing")
    assert client.get("/api/v1/listings/").json()["results"] == []


def test_api_workflow_and_bad_input(client, world):
    hazard = major_hazard(world)
    body = {"hazard": hazard.pk, "responsible_department": world.org("commerce").pk,
            "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(), "requirements": "限期整改"}
    check_matrix(client, world, "/api/v1/listings/", {
        "anon": (401, 403), "emergency": 403, "commerce": 403, "enterprise": 403, "other_region": 403, "nobody": 403,
    }, method="post", data=body, content_type="application/json")
    client_as(client, world, "committee")
    r = client.post("/api/v1/listings/", {**body, "deadline": "bad"}, content_type="application/json")
    assert r.status_code == 400 and "deadline" in r.json()["errors"]
    r = client.post("/api/v1/listings/", {**body, "responsible_department": world.org("other_emergency").pk},
                    content_type="application/json")
    assert r.status_code == 400 and "responsible_department" in r.json()["errors"]
    r = client.post("/api/v1/listings/", body, content_type="application/json")
    assert r.status_code == 201
    pk = r.json()["id"]
    assert client.post(f"/api/v1/listings/{pk}/approve/", {}, content_type="application/json").status_code == 400
    client_as(client, world, "other_region")
    assert client.post(f"/api/v1/listings/{pk}/approve/", {}, content_type="application/json").status_code == 404
    client_as(client, world, "committee_lead")
    r = client.post(f"/api/v1/listings/{pk}/approve/", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "listed"
    client_as(client, world, "enterprise")
    r = client.post(f"/api/v1/listings/{pk}/progress/", {"date": timezone.localdate().isoformat(), "percentage": 101,
                                                         "text": "x"}, content_type="application/json")
    assert r.status_code == 400 and "percentage" in r.json()["errors"]
    r = client.post(f"/api/v1/listings/{pk}/progress/", {"date": timezone.localdate().isoformat(), "percentage": 40,
                                                         "text": "进行中"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["progress_reports"][0]["percentage"] == 40
    r = client.post(f"/api/v1/listings/{pk}/request-delisting/", {}, content_type="application/json")
    assert r.status_code == 400 and "销号" in str(r.json())


def test_board_counts_and_overdue_highlight(client, world):
    from supervision.models import Listing

    late = listed(world)
    Listing.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=3))
    propose(world, major_hazard(world, description="另一处重大隐患"))
    client_as(client, world, "committee")
    html = client.get("/supervision/board/").content.decode()
    assert 'data-testid="count-total">2<' in html and 'data-testid="count-overdue">1<' in html
    assert 'data-testid="count-proposed">1<' in html and "逾期3天" in html and 'data-overdue="1"' in html
    listing_html = client.get("/supervision/?overdue=on").content.decode()
    assert listing_html.count('data-testid="listing-row"') == 1


def test_decline_and_decide_delisting_endpoints(client, world):
    from supervision.tests.helpers import close_hazard, listed, major_hazard, propose

    proposal = propose(world, major_hazard(world, description="有限空间作业未审批"))
    url = f"/api/v1/listings/{proposal.pk}/decline/"
    check_matrix(client, world, url, {
        "anon": (401, 403), "other_region": 404, "enterprise_other": 404, "housing": 404,
        "committee": (400, 403),  # the proposer may not decide its own proposal
    }, method="post", data={"reason": "不符合挂牌条件"}, content_type="application/json")
    client.force_login(world.user("committee_lead"))
    assert client.post(url, {"reason": "不符合挂牌条件"}, content_type="application/json").status_code == 200

    listing = listed(world)
    close_hazard(world, listing.hazard)
    from supervision import services

    services.request_delisting(world.user("committee"), listing, note="已销号，申请摘牌")
    url = f"/api/v1/listings/{listing.pk}/decide-delisting/"
    check_matrix(client, world, url, {"anon": (401, 403), "other_region": 404, "enterprise_other": 404},
                 method="post", data={"accept": True, "reason": "验收合格"}, content_type="application/json")
    client.force_login(world.user("committee_lead"))
    response = client.post(url, {"accept": True, "reason": "验收合格"}, content_type="application/json")
    assert response.status_code == 200, response.content


def test_an_action_the_listing_has_moved_past_is_409_with_the_reason_on_its_page(client, world):
    listing = propose(world, major_hazard(world))
    client_as(client, world, "committee_lead")
    assert client.post(f"/supervision/{listing.pk}/approve/", {"approve-public_notice": "on"}).status_code == 302
    late = client.post(f"/supervision/{listing.pk}/decline/", {"decline-reason": "不需要"})  # a page opened before
    assert late.status_code == 409 and "当前状态不能执行该操作" in late.content.decode()
    listing.refresh_from_db()
    assert listing.status == "listed"


def test_an_extension_decided_meanwhile_is_409_and_an_action_not_one_s_part_is_403(client, world):
    listing = propose(world, major_hazard(world))
    client_as(client, world, "committee_lead")
    assert client.post(f"/supervision/{listing.pk}/approve/", {"approve-public_notice": "on"}).status_code == 302
    # no extension pending (decided by another meanwhile, or none asked): the leader's page is out of date
    late = client.post(f"/supervision/{listing.pk}/decide_extension/", {"decide_extension-decision": "approve"})
    assert late.status_code == 409 and "当前状态不能执行该操作" in late.content.decode()
    # the unit sees the listing and reports progress; deciding an extension is not its part
    client_as(client, world, "enterprise")
    refused = client.post(f"/supervision/{listing.pk}/decide_extension/", {"decide_extension-decision": "approve"})
    assert refused.status_code == 403 and "职责不能办理此项" in refused.content.decode()
    listing.refresh_from_db()
    assert listing.status == "listed" and not listing.hazard.extensions.exists()
