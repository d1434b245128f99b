"""The Django admin keeps working for users and memberships, but never deletes an account: the
law-kept records (events, signatures, acceptances, decisions) name the people who acted."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.testing import admin_change_data

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_the_user_and_membership_admin_pages_open_for_a_superuser(client, world):
    client.force_login(world.user("admin"))
    target = world.user("enterprise_safety")
    for url in ("/admin/auth/user/", f"/admin/auth/user/{target.pk}/change/", "/admin/auth/user/add/",
                "/admin/accounts/membership/", f"/admin/accounts/membership/{target.membership.pk}/change/"):
        assert client.get(url).status_code == 200, url


def test_a_superuser_deactivates_in_the_admin_and_cannot_delete(client, world):
    admin = world.user("admin")
    target = world.user("enterprise_safety")
    client.force_login(admin)
    data = admin_change_data(admin, target)
    data.pop("is_active", None)  # unticked
    for name in ("last_login", "date_joined"):  # split date + time widgets in the user admin
        value = getattr(User.objects.get(pk=target.pk), name)
        data.pop(name, None)
        if value is not None:
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")
    response = client.post(f"/admin/auth/user/{target.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:800]
    assert not User.objects.get(pk=target.pk).is_active
    assert client.get(f"/admin/auth/user/{target.pk}/delete/").status_code == 403
    assert client.post(f"/admin/auth/user/{target.pk}/delete/", {"post": "yes"}).status_code == 403
    changelist = client.get("/admin/auth/user/").content.decode()
    assert 'value="delete_selected"' not in changelist
    assert User.objects.filter(pk=target.pk).exists()


def test_a_role_is_not_changed_in_the_admin_without_its_event(client, world):
    """Every change of an account writes its event in the same transaction (docs/accounts.md): the
    membership admin is read-only and sends the superuser to the account page (the services), so a
    role posted there either stays as it was or was changed with its ``user.role_changed`` event."""
    from core.models import Event

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
