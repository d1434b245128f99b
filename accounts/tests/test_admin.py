"""The Django admin's user and membership pages change an account only through the account services
(their rule and event) — or not at all, linking to the account page — and never delete one: the
law-kept records (events, signatures, acceptances, decisions) name the people who acted."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from accounts import account_rules as rules
from core.models import Event, SecurityLog
from core.testing import admin_change_data

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_the_user_and_membership_admin_pages_open_for_a_superuser(client, world):
    client.force_login(world.user("admin"))
    target = world.user("enterprise_safety")
    for url in ("/admin/auth/user/", f"/admin/auth/user/{target.pk}/change/", f"/admin/auth/user/{target.pk}/password/",
                "/admin/accounts/membership/", f"/admin/accounts/membership/{target.membership.pk}/change/"):
        assert client.get(url).status_code == 200, url
    # a new account is placed in a unit with a role on the account pages (create_user), not here
    assert client.get("/admin/auth/user/add/").status_code == 403


def _user_change_data(admin, target) -> dict:
    """The user admin's change form as the browser sends it back unchanged."""
    data = admin_change_data(admin, target)
    for name in ("last_login", "date_joined"):  # split date + time widgets when editable
        if name in data:
            value = getattr(User.objects.get(pk=target.pk), name)
            data.pop(name)
            if value is not None:
                local = timezone.localtime(value)
                data[f"{name}_0"], data[f"{name}_1"] = local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")
    return data


def test_the_admin_neither_deactivates_renames_nor_deletes_an_account_it_links_to_the_account_page(client, world):
    """停用 needs a reason and writes ``user.deactivated`` (deactivate_user); a name is ``user.updated``
    (update_account): the user admin shows both read-only and sends the superuser to the account page,
    so a posted change leaves the account as it was and writes nothing."""
    admin = world.user("admin")
    target = world.user("enterprise_safety")
    client.force_login(admin)
    events = Event.objects.count()
    data = _user_change_data(admin, target) | {"first_name": "改名", "email": "x@example.invalid"}
    data.pop("is_active", None)  # unticked
    response = client.post(f"/admin/auth/user/{target.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:800]
    target.refresh_from_db()
    assert target.is_active and target.first_name != "改名" and target.email != "x@example.invalid"
    assert Event.objects.count() == events
    page = client.get(f"/admin/auth/user/{target.pk}/change/").content.decode()
    assert f'href="/accounts/users/{target.pk}/"' in page
    assert client.get(f"/admin/auth/user/{target.pk}/delete/").status_code == 403
    assert client.post(f"/admin/auth/user/{target.pk}/delete/", {"post": "yes"}).status_code == 403
    changelist = client.get("/admin/auth/user/").content.decode()
    assert 'value="delete_selected"' not in changelist
    assert User.objects.filter(pk=target.pk).exists()


def test_a_password_typed_in_the_admin_is_a_reset_the_holder_must_change(client, world):
    admin = world.user("admin")
    target = world.user("enterprise_safety")
    client.force_login(admin)
    new = "Xq7-admin-reset-2931"
    response = client.post(f"/admin/auth/user/{target.pk}/password/", {"password1": new, "password2": new,
                                                                         "set-password": "1"})
    assert response.status_code == 302, response.content.decode()[:1500]
    target.refresh_from_db()
    assert target.check_password(new)
    assert target.membership.must_change_password  # the administrator knows it
    event = Event.objects.get(verb="user.password_reset", object_type="accounts.membership",
                              object_id=target.membership.pk)
    assert event.actor == admin and new not in str(event.data)
    assert SecurityLog.objects.filter(kind=SecurityLog.Kind.PASSWORD_RESET, username=admin.username).exists()


def test_the_admin_refuses_a_weak_password_and_one_it_cannot_force_a_change_of(client, world):
    """The validators hold, and an account without a unit (the superuser's own here) has no
    membership to carry the forced change: refused under the field, nothing written."""
    admin = world.user("admin")
    target = world.user("enterprise_safety")
    client.force_login(admin)
    events = Event.objects.count()
    weak = client.post(f"/admin/auth/user/{target.pk}/password/", {"password1": "123", "password2": "123"})
    assert weak.status_code == 200
    new = "Xq7-admin-reset-2931"
    own = client.post(f"/admin/auth/user/{admin.pk}/password/", {"password1": new, "password2": new})
    assert own.status_code == 200 and "不属于任何单位" in own.content.decode()
    admin.refresh_from_db()
    target.refresh_from_db()
    assert not admin.check_password(new) and not target.check_password("123")
    assert Event.objects.count() == events


def test_staff_and_superuser_flags_and_permissions_set_in_the_admin_leave_one_event(client, world):
    admin = world.user("admin")
    target = world.user("commerce")
    client.force_login(admin)
    perm = Permission.objects.get(content_type__app_label="core", codename="backdate_ruleversion")
    data = _user_change_data(admin, target) | {"is_staff": "on", "user_permissions": [str(perm.pk)]}
    response = client.post(f"/admin/auth/user/{target.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:1500]
    target = User.objects.get(pk=target.pk)
    assert target.is_staff and target.has_perm("core.backdate_ruleversion")
    event = Event.objects.get(verb="user.privileges_changed", object_id=target.membership.pk)
    assert event.actor == admin and (event.from_state, event.to_state) == ("", "staff")
    assert event.data["changes"]["permissions"] == [[], ["core.backdate_ruleversion"]]
    assert SecurityLog.objects.filter(kind=SecurityLog.Kind.ROLE_CHANGED, username=admin.username).exists()


def test_the_identity_permission_set_in_the_admin_goes_through_its_designation(client, world):
    """Who may reveal a whistle-blower's identity is designated by set_identity_revealer (government
    staff only, its own event), also when the permission is ticked in the admin."""
    admin = world.user("admin")
    client.force_login(admin)
    perm = Permission.objects.get(content_type__app_label="tips", codename="reveal_identity")
    staff = world.user("enterprise_safety")
    refused = client.post(f"/admin/auth/user/{staff.pk}/change/",
                          _user_change_data(admin, staff) | {"user_permissions": [str(perm.pk)]})
    assert refused.status_code == 200 and "只有政府部门的人员" in refused.content.decode()
    assert not User.objects.get(pk=staff.pk).has_perm("tips.reveal_identity")
    officer = world.user("commerce")
    response = client.post(f"/admin/auth/user/{officer.pk}/change/",
                           _user_change_data(admin, officer) | {"user_permissions": [str(perm.pk)]})
    assert response.status_code == 302
    assert User.objects.get(pk=officer.pk).has_perm("tips.reveal_identity")
    assert Event.objects.filter(verb="user.revealer_set", object_id=officer.membership.pk, actor=admin).exists()
    assert not Event.objects.filter(verb="user.privileges_changed", object_id=officer.membership.pk).exists()


def test_a_superuser_does_not_withdraw_its_own_rights_in_the_admin(client, world):
    admin = world.user("admin")
    client.force_login(admin)
    data = _user_change_data(admin, admin)
    data.pop("is_superuser", None)  # unticked
    response = client.post(f"/admin/auth/user/{admin.pk}/change/", data)
    assert response.status_code == 200 and rules.PRIVILEGES_SELF in response.content.decode()
    assert User.objects.get(pk=admin.pk).is_superuser
    assert not Event.objects.filter(verb="user.privileges_changed").exists()


def test_a_role_is_not_changed_in_the_admin_without_its_event(client, world):
    """Every change of an account writes its event in the same transaction (docs/accounts.md): the
    membership admin is read-only and sends the superuser to the account page (the services), so a
    role posted there either stays as it was or was changed with its ``user.role_changed`` event."""
    admin = world.user("admin")
    membership = world.user("commerce").membership
    before = (membership.role, membership.is_inspector, membership.title)
    assert before[0] == "officer" and before[2] != "科长"
    client.force_login(admin)
    url = f"/admin/accounts/membership/{membership.pk}/change/"
    data = admin_change_data(admin, membership) | {"role": "leader", "title": "科长"}
    client.post(url, data)
    membership.refresh_from_db()
    changed = Event.objects.filter(object_type="accounts.membership", object_id=membership.pk,
                                   verb__in=("user.role_changed", "user.inspector_set", "user.updated"))
    assert (membership.role, membership.is_inspector, membership.title) == before or changed.exists()
    page = client.get(url).content.decode()
    assert f'href="/accounts/users/{membership.user_id}/"' in page  # where the account is changed
    # no account is added or removed there either (new accounts and 停用 are the account pages')
    assert client.get("/admin/accounts/membership/add/").status_code == 403
    assert client.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"}).status_code == 403
    assert type(membership).objects.filter(pk=membership.pk).exists()


def test_the_admin_password_page_offers_no_way_to_disable_password_login(client, world):
    """Django's page has a “禁用基于密码的验证” button (unset-password) and a usable_password
    choice; no service disables a password (停用 closes an account), so the page shows neither —
    Django's own strings and control names, not read from our template."""
    client.force_login(world.user("admin"))
    target = world.user("enterprise_safety")
    page = client.get(f"/admin/auth/user/{target.pk}/password/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="password1"' in html and 'name="password2"' in html and 'name="set-password"' in html
    for control in ('name="unset-password"', 'name="usable_password"', "禁用基于密码的验证", "基于密码的验证",
                    "Disable password-based authentication", "unusable_password_field"):
        assert control not in html, control


@pytest.mark.parametrize("post", [
    {"usable_password": "false", "unset-password": "1"},
    {"usable_password": "false", "password1": "", "password2": ""},
    {"usable_password": "false", "set-password": "1"},
])
def test_posting_the_disable_choice_never_disables_the_password(client, world, post):
    admin = world.user("admin")
    target = world.user("enterprise_safety")
    target.set_password("Old-pass-7781-kq")
    target.save(update_fields=["password"])
    client.force_login(admin)
    events = Event.objects.count()
    response = client.post(f"/admin/auth/user/{target.pk}/password/", post)
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.has_usable_password() and target.check_password("Old-pass-7781-kq")
    assert Event.objects.count() == events
