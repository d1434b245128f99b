"""Permission matrix: who sees an accident of 鑫隆商贸 (commerce, 光复道街道, 河北区)."""

import pytest

from core.testing import check_matrix

pytestmark = pytest.mark.django_db


def test_detail_matrix(client, world, report):
    a = report()
    check_matrix(client, world, f"/accidents/{a.pk}/", {
        "committee": 200, "province": 200, "emergency": 200, "commerce": 200, "township": 200,
        "housing": 404, "township_other": 404, "other_region": 404, "enterprise": 200, "enterprise_safety": 200,
        "enterprise_other": 404, "agency": 404, "nobody": 404, "anon": "login",
    })


def test_list_matrix_shows_scope(client, world, report):
    report()
    for persona, visible in {"committee": True, "commerce": True, "housing": False, "other_region": False,
                             "enterprise": True, "enterprise_other": False, "nobody": False}.items():
        from core.testing import client_as

        client_as(client, world, persona)
        body = client.get("/accidents/").content.decode()
        assert ("鑫隆商贸" in body) == visible, persona


def test_report_page_matrix(client, world):
    check_matrix(client, world, "/accidents/new/", {
        "committee": 200, "commerce": 200, "enterprise": 200, "agency": 403, "nobody": 403, "anon": "login"})


def test_action_out_of_scope_is_404(client, world, report):
    a = report()
    check_matrix(client, world, f"/accidents/{a.pk}/start_investigation/", {
        "other_region": 404, "enterprise_other": 404, "housing": 404, "anon": "login"},
        method="post", data={"leader_name": "x", "members": "y"})


def test_api_matrix(client, world, report):
    a = report()
    check_matrix(client, world, f"/api/v1/accidents/{a.pk}/", {
        "committee": 200, "commerce": 200, "enterprise": 200, "housing": 404, "other_region": 404,
        "enterprise_other": 404, "nobody": 404, "anon": (401, 403)})


def test_lesson_pages_government_only(client, world, report):
    import datetime

    from django.utils import timezone

    from accidents import services

    a = report()
    services.start_investigation(world.user("committee"), a, leader_name="张", members="应急局")
    services.add_measure(world.user("committee"), a, problem="p", content="c", owner_org=world.org("commerce"),
                         owner_name="刘", deadline=timezone.localdate() + datetime.timedelta(days=3))
    check = services.launch_lesson_check(world.user("committee"), a, title="举一反三",
                                         deadline=timezone.localdate() + datetime.timedelta(days=3))
    check_matrix(client, world, f"/accidents/lessons/{check.pk}/", {
        "committee": 200, "commerce": 200, "emergency": 200, "housing": 404, "other_region": 404,
        "enterprise": 404, "nobody": 404, "anon": "login"})
