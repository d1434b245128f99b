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
