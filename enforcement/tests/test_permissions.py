"""Permission matrix for every enforcement page and API endpoint."""

import pytest

from core.testing import check_matrix
from enforcement import services

from .helpers import article, entity, notified_case

ALL = ["committee", "emergency", "commerce", "housing", "township", "other_region", "enterprise", "agency", "nobody"]
# a case opened by 商务局 on 鑫隆商贸 (商贸, 光复道街道)
SEE_COMMERCE_CASE = {
    "anon": "login", "committee": 200, "emergency": 200, "emergency2": 200, "commerce": 200, "commerce_lead": 200,
    "township": 200, "enterprise": 200, "enterprise_safety": 200,
    "housing": 404, "township_other": 404, "other_region": 404, "enterprise_other": 404, "agency": 404, "nobody": 404,
}


@pytest.fixture
def case(world):
    c = notified_case(world)
    services.decide_penalty(world.user("commerce"), c, party=entity(c), article=article(102), amount=30000)
    return c


@pytest.mark.parametrize("url", ["/enforcement/", "/enforcement/credit/", "/enforcement/typical/"])
def test_lists_open_to_every_logged_in_user(client, world, url):
    check_matrix(client, world, url, {"anon": "login", **{p: 200 for p in ALL}})


def test_accountability_is_government_only(client, world):
    check_matrix(client, world, "/enforcement/accountability/", {
        "anon": "login", "committee": 200, "emergency": 200, "commerce": 200, "township": 200, "other_region": 200,
        "enterprise": 404, "agency": 404, "nobody": 404})


def test_open_page(client, world):
    check_matrix(client, world, "/enforcement/cases/new/", {
        "anon": "login", "commerce": 200, "emergency": 200, "enterprise": 404, "agency": 404, "nobody": 404})


def test_case_detail_matrix(client, world, case):
    check_matrix(client, world, f"/enforcement/cases/{case.pk}/", SEE_COMMERCE_CASE)


def test_construction_case_is_hidden_from_commerce(client, world):
    c = notified_case(world, persona="emergency", ent=world.ent_construction)
    check_matrix(client, world, f"/enforcement/cases/{c.pk}/", {
        "emergency": 200, "housing": 200, "committee": 200, "commerce": 404, "other_region": 404,
        "enterprise_other": 200, "enterprise": 404})
    check_matrix(client, world, f"/api/v1/cases/{c.pk}/", {"housing": 200, "commerce": 404, "enterprise_other": 200})


def test_case_action_matrix(client, world, case):
    url = f"/enforcement/cases/{case.pk}/transfer/"  # an action the case's stage (告知) offers
    data = {"transfer-party": case.parties.get(role="principal").pk, "transfer-reason": "涉嫌危险作业罪",
            "transfer-transfer_to": "天津市公安局河北分局"}
    check_matrix(client, world, url, {
        "anon": "login", "commerce": 302, "commerce_lead": 302, "emergency": 403, "committee": 403, "township": 403,
        "enterprise": 403, "housing": 404, "other_region": 404, "agency": 404, "nobody": 404}, method="post", data=data)


def test_document_matrix(client, world, case):
    d = case.decisions.get()
    check_matrix(client, world, f"/enforcement/decisions/{d.pk}/document/", SEE_COMMERCE_CASE)


def test_api_matrix(client, world, case):
    check_matrix(client, world, "/api/v1/cases/", {"anon": (401, 403), **{p: 200 for p in ALL}})
    api_detail = {k: v for k, v in SEE_COMMERCE_CASE.items() if k != "anon"} | {"anon": (401, 403)}
    check_matrix(client, world, f"/api/v1/cases/{case.pk}/", api_detail)
    d = case.decisions.get()
    check_matrix(client, world, f"/api/v1/decisions/{d.pk}/", api_detail)
    for url in ("/api/v1/decisions/", "/api/v1/credit-listings/", "/api/v1/typical-cases/"):
        check_matrix(client, world, url, {"anon": (401, 403), **{p: 200 for p in ALL}})


def test_api_penalty_matrix(client, world, case):
    url = f"/api/v1/cases/{case.pk}/penalties/"
    data = {"party": entity(case).pk, "article": article(102).pk, "amount": "1000"}
    check_matrix(client, world, url, {
        "anon": (401, 403), "commerce": 409, "emergency": 403, "enterprise": 403, "housing": 404, "other_region": 404,
        "agency": 404, "nobody": 404}, method="post", data=data, content_type="application/json")
    # commerce: the fixture's case already holds an effective penalty of this party under this article —
    # the same penalty again is 409 already_done with the decision on record (一事不再罚, issue 18)
