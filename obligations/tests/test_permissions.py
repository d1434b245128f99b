"""Permission matrix for every obligations page and API endpoint."""

import datetime

import pytest
from django.utils import timezone

from core.testing import check_matrix
from obligations import services

TODAY = timezone.localdate()
GOV_ALL = {"committee": 200, "emergency": 200, "township": 200}


def test_dashboard_opens_for_every_logged_in_user(client, world):
    check_matrix(client, world, "/obligations/", {"anon": "login", **GOV_ALL, "commerce": 200, "other_region": 200,
                                                  "enterprise": 200, "agency": 200, "nobody": 200})


def test_enterprise_detail_is_scoped(client, world):
    url = f"/obligations/enterprise/{world.ent_construction.pk}/"
    check_matrix(client, world, url, {"anon": "login", "committee": 200, "emergency": 200, "housing": 200,
                                      "commerce": 404, "other_region": 404, "enterprise": 404, "enterprise_other": 200,
                                      "agency": 404, "nobody": 404})


@pytest.mark.parametrize("kind", ["check", "list", "staffing", "worker", "permit", "outsourcing", "drill", "cost"])
def test_add_pages_only_for_the_enterprises_own_staff(client, world, kind):
    url = f"/obligations/enterprise/{world.ent_commerce.pk}/add/{kind}/"
    check_matrix(client, world, url, {"anon": "login", "enterprise": 200, "enterprise_safety": 200, "committee": 403,
                                      "commerce": 403, "enterprise_other": 404, "other_region": 404, "nobody": 404})


def test_unknown_kind_and_bad_input_never_500(client, world):
    client.force_login(world.user("enterprise"))
    base = f"/obligations/enterprise/{world.ent_commerce.pk}"
    assert client.get(f"{base}/add/nothing/").status_code == 404
    response = client.post(f"{base}/add/drill/", {"kind": "special", "plan": "", "held_on": "2026-13-45", "participants": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("plan", "held_on", "participants", "scenario"):
        assert f'data-field="{field}"' in html
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    response = client.post(f"{base}/add/drill/", {"kind": "special", "plan": "p", "held_on": future, "scenario": "s",
                                                  "participants": 3})
    assert 'data-field="held_on"' in response.content.decode()


def test_permit_form_refuses_uncertified_worker_on_the_field(client, world):
    w = services.add_special_worker(None, world.ent_commerce, name="赵电工", operation="electrician", certificate_no="T9",
                                    issued_on=TODAY - datetime.timedelta(days=100))
    client.force_login(world.user("enterprise"))
    response = client.post(f"/obligations/enterprise/{world.ent_commerce.pk}/add/permit/", {
        "kind": "hot_work", "operation": "welding", "number": "DH-9", "work_on": TODAY.isoformat(), "location": "仓库",
        "approved_by": "安全员", "workers": [w.pk]})
    html = response.content.decode()
    assert response.status_code == 400 and 'data-field="workers"' in html and "电工作业" in html


def test_remarks_by_government_in_scope_only(client, world):
    url = f"/obligations/enterprise/{world.ent_commerce.pk}/remark/"
    check_matrix(client, world, url, {"anon": "login", "commerce": 302, "enterprise": 403, "housing": 404,
                                      "other_region": 404}, method="post", data={"topic": "演练", "text": "请尽快组织演练"})
    from obligations.models import Remark

    assert Remark.objects.filter(enterprise=world.ent_commerce).count() == 1


API = ["checks", "lists", "staffing", "workers", "permits", "outsourcing", "drills", "costs"]


@pytest.mark.parametrize("name", API)
def test_api_lists_need_authentication(client, world, name):
    check_matrix(client, world, f"/api/v1/obligations/{name}/", {"anon": (401, 403), "enterprise": 200, "committee": 200,
                                                                  "nobody": 200})


def test_api_detail_and_summary_scoped(client, world):
    drill = services.add_drill(None, world.ent_construction, plan="预案", held_on=TODAY, scenario="坍塌", participants=20)
    check_matrix(client, world, f"/api/v1/obligations/drills/{drill.pk}/", {
        "anon": (401, 403), "committee": 200, "housing": 200, "commerce": 404, "other_region": 404, "enterprise": 404,
        "enterprise_other": 200, "agency": 404})
    check_matrix(client, world, f"/api/v1/obligations/summary/{world.ent_construction.pk}/", {
        "anon": (401, 403), "housing": 200, "commerce": 404, "other_region": 404, "enterprise": 404, "enterprise_other": 200})


def test_api_list_is_filtered_by_scope(client, world):
    services.add_drill(None, world.ent_construction, plan="预案", held_on=TODAY, scenario="坍塌", participants=20)
    services.add_drill(None, world.ent_commerce, plan="预案", held_on=TODAY, scenario="火灾", participants=20)
    client.force_login(world.user("commerce"))
    assert client.get("/api/v1/obligations/drills/").json()["count"] == 1
    client.force_login(world.user("committee"))
    assert client.get("/api/v1/obligations/drills/").json()["count"] == 2


def test_an_empty_remark_is_refused_on_the_enterprise_page_with_400_naming_the_field(client, world):
    from obligations.models import Remark

    client.force_login(world.user("commerce"))
    response = client.post(f"/obligations/enterprise/{world.ent_commerce.pk}/remark/", {"topic": "演练", "text": ""})
    html = response.content.decode()
    assert response.status_code == 400 and 'data-field="text"' in html and "必填" in html
    assert "演练" in html  # what was typed is kept on the form
    assert not Remark.objects.exists()
