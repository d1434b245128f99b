"""The account pages: every page and action for every kind of persona (the rule's administrators in
and out of scope — another sector, township, district, enterprise — officers, anonymous), the flows
as a user walks them, and what the pages show (Chinese, no codes)."""

import re

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Membership
from core.models import Event
from core.testing import check_matrix, client_as

User = get_user_model()
PASSWORD = "Zq7-anquan-2026"

# who manages 鑫隆's safety manager's account (docs/accounts.md) — the answers of every page about it
IN_SCOPE = ["admin", "committee_lead", "province_lead", "emergency_lead", "commerce_lead", "township_lead", "enterprise"]
OUT_OF_SCOPE = ["committee", "commerce", "emergency", "township", "housing", "housing_lead", "township_other_lead",
                "other_region", "other_region_lead", "other_committee_lead", "enterprise_other", "enterprise_safety",
                "agency", "agency_lead", "nobody"]


def expect(ok, refused=404):
    return {"anon": "login", **{p: ok for p in IN_SCOPE}, **{p: refused for p in OUT_OF_SCOPE}}


def visible_text(response) -> str:
    """What a reader sees: the page without its tags (option values and attributes are not shown)."""
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def _target(world):
    return world.user("enterprise_safety")


def test_the_account_list_opens_for_administrators_only(client, leads):
    administrators = {"admin", "committee_lead", "province_lead", "emergency_lead", "commerce_lead", "housing_lead",
                      "township_lead", "township_other_lead", "other_region_lead", "other_committee_lead",
                      "enterprise", "enterprise_other", "agency_lead"}
    others = {"committee", "commerce", "emergency", "township", "housing", "other_region", "enterprise_safety",
              "agency", "nobody"}
    check_matrix(client, leads, "/accounts/users/", {"anon": "login", **{p: 200 for p in administrators},
                                                     **{p: 404 for p in others}})


@pytest.mark.parametrize("persona, sees, not_sees", [
    ("commerce_lead", {"qy_xinlong_aq", "hb_shangwu"}, {"qy_jinjian", "hb_yingji", "jd_guangfudao", "hd_yingji"}),
    ("committee_lead", {"qy_xinlong_aq", "hb_shangwu", "jd_guangfudao", "qy_jinjian"}, {"hd_yingji", "tj_anweiban"}),
    ("enterprise", {"qy_xinlong", "qy_xinlong_aq"}, {"qy_jinjian", "hb_shangwu"}),
    ("housing_lead", {"qy_jinjian", "hb_zhujian"}, {"qy_xinlong_aq", "hb_shangwu"}),
    ("other_region_lead", {"hd_yingji"}, {"qy_xinlong_aq", "hb_shangwu"}),
])
def test_the_list_shows_exactly_the_accounts_in_scope(client, leads, persona, sees, not_sees):
    client_as(client, leads, persona)
    response = client.get("/accounts/users/", {"page": 1})
    names = {m.user.username for m in response.context["page_obj"].paginator.object_list}
    assert sees <= names and not (not_sees & names), names


def test_the_list_filters_and_shows_no_codes(client, world):
    from accounts import services

    services.deactivate_user(world.user("enterprise"), _target(world).membership, reason="离职")
    client_as(client, world, "committee_lead")
    org = world.user("enterprise").membership.organisation
    response = client.get("/accounts/users/", {"organisation": org.pk, "active": "false"})
    assert [m.user.username for m in response.context["rows"]] == ["qy_xinlong_aq"]
    text = visible_text(response)
    assert "安全管理人员" in text and "已停用" in text and "safety_manager" not in text
    assert "主要负责人" in client.get("/accounts/users/", {"role": "principal"}).content.decode()
    bad = client.get("/accounts/users/", {"organisation": world.org("other_emergency").pk})
    assert bad.status_code == 400 and "河东区应急管理局" not in bad.content.decode()


@pytest.mark.parametrize("suffix", ["", "deactivate/", "password/"])
def test_each_account_page_is_404_outside_the_scope(client, leads, suffix):
    check_matrix(client, leads, f"/accounts/users/{_target(leads).pk}/{suffix}", expect(200))


def test_reactivate_page_matrix(client, leads):
    from accounts import services

    services.deactivate_user(None, _target(leads).membership, reason="离职")
    # the deactivated holder itself is logged out at once
    check_matrix(client, leads, f"/accounts/users/{_target(leads).pk}/reactivate/",
                 {**expect(200), "enterprise_safety": "login"})


def test_an_unknown_account_is_404_for_everyone(client, world):
    check_matrix(client, world, "/accounts/users/999999/", {"admin": 404, "committee_lead": 404, "anon": "login"})


def test_editing_is_refused_outside_the_scope_and_changes_nothing(client, leads):
    world = leads
    url = f"/accounts/users/{_target(world).pk}/"
    data = {"full_name": "改名", "role": "staff", "phone": "", "email": "", "title": ""}
    check_matrix(client, world, url, {"anon": "login", **{p: 404 for p in OUT_OF_SCOPE}}, method="post", data=data)
    membership = Membership.objects.get(user=_target(world))
    assert membership.role == "safety_manager" and membership.user.first_name != "改名"
    check_matrix(client, world, url, {"commerce_lead": 302}, method="post", data=data)
    membership.refresh_from_db()
    assert membership.role == "staff" and membership.user.first_name == "改名"
    assert Event.objects.filter(verb="user.role_changed", object_id=membership.pk).exists()


@pytest.mark.parametrize("suffix, data", [
    ("deactivate/", {"reason": "离职"}),
    ("password/", {"password1": PASSWORD, "password2": PASSWORD}),
])
def test_actions_are_refused_outside_the_scope(client, leads, suffix, data):
    world = leads
    target = _target(world)
    check_matrix(client, world, f"/accounts/users/{target.pk}/{suffix}", {"anon": "login", **{p: 404 for p in OUT_OF_SCOPE}},
                 method="post", data=data)
    target.refresh_from_db()
    assert target.is_active and not target.check_password(PASSWORD)


def test_reactivating_is_refused_outside_the_scope(client, leads):
    from accounts import services

    target = _target(leads)
    services.deactivate_user(None, target.membership, reason="离职")
    check_matrix(client, leads, f"/accounts/users/{target.pk}/reactivate/",
                 {"anon": "login", **{p: 404 for p in OUT_OF_SCOPE}, "enterprise_safety": "login"},
                 method="post", data={"reason": "返岗"})
    target.refresh_from_db()
    assert not target.is_active


def test_the_create_page_matrix(client, leads):
    world = leads
    administrators = {"admin", "committee_lead", "commerce_lead", "enterprise", "enterprise_other", "housing_lead",
                      "other_region_lead", "agency_lead"}
    check_matrix(client, world, "/accounts/users/new/", {
        "anon": "login", **{p: 200 for p in administrators},
        **{p: 404 for p in ("committee", "commerce", "township", "enterprise_safety", "agency", "nobody")}})
    org = world.user("enterprise").membership.organisation
    check_matrix(client, world, f"/accounts/users/new/?organisation={org.pk}", expect(200))
    check_matrix(client, world, f"/accounts/users/new/?enterprise={world.ent_commerce.pk}", expect(200))
    check_matrix(client, world, "/accounts/users/new/?organisation=abc", {"commerce_lead": 404})


def test_creating_in_a_unit_outside_the_scope_is_refused(client, leads):
    world = leads
    org = world.user("enterprise").membership.organisation
    data = {"organisation": org.pk, "username": "intruder", "full_name": "外人", "role": "staff",
            "password1": PASSWORD, "password2": PASSWORD}
    check_matrix(client, world, "/accounts/users/new/",
                 {"housing_lead": 400, "other_region_lead": 400, "enterprise_other": 400, "township_other_lead": 400,
                  "commerce": 404, "committee": 404, "agency": 404, "anon": "login"}, method="post", data=data)
    check_matrix(client, world, f"/accounts/users/new/?enterprise={world.ent_commerce.pk}",
                 {"housing_lead": 404, "other_region_lead": 404, "enterprise_other": 404}, method="post", data=data)
    assert not User.objects.filter(username="intruder").exists()


def test_a_principal_creates_a_colleagues_account_who_then_logs_in(client, world):
    client_as(client, world, "enterprise")
    org = world.user("enterprise").membership.organisation
    page = client.get(f"/accounts/users/new/?organisation={org.pk}").content.decode()
    roles = re.findall(r'<option value="([a-z_]+)"', page[page.index('name="role"'):])
    assert set(roles) == {"principal", "safety_manager", "staff", "viewer"}  # the roles of an enterprise only
    assert "执法检查人员" not in page
    response = client.post(f"/accounts/users/new/?organisation={org.pk}", {
        "organisation": org.pk, "username": "qy_xinlong_cg", "full_name": "鑫隆 仓管 王五", "role": "staff",
        "phone": "13900000099", "password1": PASSWORD, "password2": PASSWORD})
    user = User.objects.get(username="qy_xinlong_cg")
    assert response.status_code == 302 and response["Location"] == f"/accounts/users/{user.pk}/"
    assert user.membership.organisation == org and user.membership.phone == "13900000099"
    client.logout()
    assert client.login(username="qy_xinlong_cg", password=PASSWORD)


def test_form_errors_are_chinese_and_keep_the_page(client, world):
    client_as(client, world, "commerce_lead")
    org = world.org("commerce")
    response = client.post("/accounts/users/new/", {"organisation": org.pk, "username": "hb_shangwu", "full_name": "重名",
                                                     "role": "principal", "password1": "abc", "password2": "abd"})
    assert response.status_code == 400
    form = response.context["form"]
    assert "两次输入的密码不一致。" in form.errors["password2"]
    assert form.errors["role"]  # 主要负责人 is not offered to a department
    response = client.post("/accounts/users/new/", {"organisation": org.pk, "username": "hb_shangwu", "full_name": "重名",
                                                     "role": "officer", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 400 and "登录名已被使用。" in response.context["form"].errors["username"]
    response = client.post("/accounts/users/new/", {"organisation": org.pk, "username": "weakling", "full_name": "弱",
                                                     "role": "officer", "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 400 and response.context["form"].errors["password1"]
    assert re.search(r"[\u4e00-\u9fff]", response.context["form"].errors["password1"][0])


def test_opening_an_enterprises_first_account_from_its_page(client, world):
    ent = world.ent_commerce2  # 海河之星超市: no login unit yet
    client_as(client, world, "commerce_lead")
    detail = client.get(f"/enterprises/{ent.pk}/").content.decode()
    assert 'data-testid="enterprise-new-account-link"' in detail and "开通账户" in detail
    page = client.get(f"/accounts/users/new/?enterprise={ent.pk}")
    assert page.status_code == 200 and 'data-testid="opens-unit"' in page.content.decode()
    response = client.post(f"/accounts/users/new/?enterprise={ent.pk}", {
        "username": "qy_haihe", "full_name": "超市 主要负责人", "role": "principal", "password1": PASSWORD,
        "password2": PASSWORD})
    assert response.status_code == 302
    ent.refresh_from_db()
    assert User.objects.get(username="qy_haihe").membership.organisation_id == ent.organisation_id
    client_as(client, world, "housing")
    assert 'enterprise-new-account-link' not in client.get(f"/enterprises/{world.ent_construction.pk}/").content.decode()


def test_deactivate_reset_and_reactivate_as_a_user_does(client, world):
    target = _target(world)
    client_as(client, world, "enterprise")
    page = client.get(f"/accounts/users/{target.pk}/").content.decode()
    for testid in ("deactivate-link", "password-link"):
        assert f'data-testid="{testid}"' in page
    assert client.post(f"/accounts/users/{target.pk}/deactivate/", {"reason": ""}).status_code == 400
    assert client.post(f"/accounts/users/{target.pk}/deactivate/", {"reason": "已离职"}).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    page = client.get(f"/accounts/users/{target.pk}/").content.decode()
    assert 'data-testid="reactivate-link"' in page and "停用账户" in page and "已离职" in page  # the timeline
    assert client.get(f"/accounts/users/{target.pk}/deactivate/").status_code == 302  # already: back to the page
    assert client.post(f"/accounts/users/{target.pk}/reactivate/", {"reason": "返岗"}).status_code == 302
    mismatch = client.post(f"/accounts/users/{target.pk}/password/", {"password1": PASSWORD, "password2": "x"})
    assert mismatch.status_code == 400
    assert client.post(f"/accounts/users/{target.pk}/password/", {"password1": PASSWORD, "password2": PASSWORD}).status_code == 302
    target.refresh_from_db()
    assert target.is_active and target.check_password(PASSWORD)
    verbs = list(Event.objects.filter(object_type="accounts.membership", object_id=target.membership.pk)
                 .values_list("verb", flat=True))
    assert verbs[-3:] == ["user.deactivated", "user.reactivated", "user.password_reset"]


def test_ones_own_account_page_offers_no_lock_out(client, world):
    lead = world.user("commerce_lead")
    client_as(client, world, "commerce_lead")
    page = client.get(f"/accounts/users/{lead.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "这是您本人的账户" in html
    assert "deactivate-link" not in html and "password-link" not in html
    assert page.context["form"].fields["role"].disabled
    for suffix in ("deactivate/", "password/"):
        response = client.get(f"/accounts/users/{lead.pk}/{suffix}")
        assert response.status_code == 403
    assert client.post(f"/accounts/users/{lead.pk}/deactivate/", {"reason": "x"}).status_code == 403
    # a forged role in the post is ignored (the field is disabled), the details are saved
    client.post(f"/accounts/users/{lead.pk}/", {"full_name": "吴敏", "role": "officer", "phone": "13911110000",
                                                "email": "", "title": "科长", "is_inspector": "on",
                                                "inspector_cert": "12010500012"})
    lead.membership.refresh_from_db()
    assert lead.membership.role == "leader" and lead.membership.phone == "13911110000"
    assert User.objects.get(pk=lead.pk).is_active


def test_the_menu_entry_is_shown_to_administrators_only(client, world):
    for persona, shown in [("committee_lead", True), ("enterprise", True), ("admin", True), ("committee", False),
                           ("commerce", False), ("enterprise_safety", False), ("agency", False)]:
        client_as(client, world, persona)
        html = client.get("/").content.decode()
        menu = re.search(r'data-testid="menu">(.*?)</ul>', html, re.S).group(1)
        assert ('href="/accounts/users/"' in menu) is shown, persona


def test_the_organisation_page_links_to_its_accounts_for_administrators(client, world):
    url = f"/accounts/organisations/{world.org('commerce').pk}/"
    client_as(client, world, "committee_lead")
    assert 'data-testid="org-new-account-link"' in client.get(url).content.decode()
    client_as(client, world, "commerce")
    assert 'data-testid="org-new-account-link"' not in client.get(url).content.decode()


def test_the_account_page_shows_words_not_codes(client, world):
    from accounts import services

    target = _target(world)
    services.change_role(world.user("enterprise"), target.membership, "staff")
    client_as(client, world, "enterprise")
    text = visible_text(client.get(f"/accounts/users/{target.pk}/"))
    assert "安全管理人员 → 从业人员" in text
    for code in ("safety_manager", "staff", "accounts.membership", "user.role_changed"):
        assert code not in text


def test_the_unit_picker_offers_only_the_units_one_manages(client, leads):
    world = leads
    xinlong = world.user("enterprise").membership.organisation
    for persona, expected in [("commerce_lead", {"河北区商务局", xinlong.name}),
                              ("enterprise", {xinlong.name}),
                              ("housing_lead", {"河北区住房和建设委员会", "天津市津建第三建筑工程有限公司"}),
                              ("other_region_lead", {"河东区应急管理局"}),
                              ("commerce", set()), ("agency", set())]:
        client_as(client, world, persona)
        names = {r["text"] for r in client.get("/pickers/account-units/?q=").json()["results"]}
        assert names == expected, persona
    client_as(client, world, "committee_lead")
    names = {r["text"] for r in client.get("/pickers/account-units/?q=街道").json()["results"]}
    assert "光复道街道办事处" in names and "河东区应急管理局" not in names


def test_the_account_page_shows_its_whole_history_not_the_latest_twenty(client, world):
    from accounts import services

    membership = Membership.objects.get(user=_target(world))
    principal = world.user("enterprise")
    for i in range(12):  # 24 changes, each with its event
        services.deactivate_user(principal, membership, reason=f"第{i}次停用")
        services.reactivate_user(principal, membership, reason=f"第{i}次启用")
    recorded = Event.objects.filter(object_type="accounts.membership", object_id=membership.pk).count()
    assert recorded >= 24
    client_as(client, world, "committee_lead")
    response = client.get(f"/accounts/users/{_target(world).pk}/")
    assert len(list(response.context["events"])) == recorded
    text = visible_text(response)
    assert "第0次停用" in text and "第11次启用" in text  # the first change and the last
