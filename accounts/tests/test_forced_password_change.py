"""After an administrator resets a password (重置密码), its holder must change it (修改密码) before
anything else: an administrator who typed the password knows it. Browser-free, with Django's test
client, as the user does it: log in with the reset password, be led to 修改密码, change it, go on.
The API refuses the account until then (docs/accounts.md, accounts/password_change.py)."""

import pytest

from accounts import services
from core.demo import DEMO_PASSWORD
from core.models import Event

pytestmark = pytest.mark.django_db

RESET = "Ch0ngzhi-2026-mima"  # the password the administrator sets (and knows)
OWN = "Zhiyou-Wo-Zhidao-7"  # the one the holder chooses


@pytest.fixture
def reset(world):
    """鑫隆's principal resets its safety manager's password; returns the safety manager."""
    target = world.user("enterprise_safety")
    services.reset_password(world.user("enterprise"), target.membership, password=RESET)
    target.refresh_from_db()
    return target


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_reset_is_an_event_and_marks_the_account(world, reset):
    membership = reset.membership
    membership.refresh_from_db()
    assert membership.must_change_password is True
    event = Event.objects.get(verb="user.password_reset", object_type="accounts.membership", object_id=membership.pk)
    assert event.actor == world.user("enterprise") and event.data == {"must_change_password": True}


def test_after_a_reset_every_page_leads_to_the_password_change_until_it_is_changed(client, world, reset):
    response = _login(client, "qy_xinlong_aq", RESET)
    assert response.status_code == 302
    for url in ("/", "/hazards/", "/accounts/profile/", f"/enterprises/{world.ent_commerce.pk}/", "/inbox/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/accounts/password/", url
    # an htmx request (a poll, a picker) is told to load the page as a whole
    response = client.get("/hazards/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/accounts/password/"
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and "管理员已重置您的密码" in page.content.decode()
    # the public pages are not the account's: the tip form opens as for anyone
    assert client.get("/public/tips/new/").status_code == 200

    # the same password again is not a change: refused on the field, still pending
    same = client.post("/accounts/password/", {"old_password": RESET, "new_password1": RESET, "new_password2": RESET})
    assert same.status_code == 400
    assert same.context["form"].errors["new_password1"] == ["新密码不能与当前密码相同。"]
    assert client.get("/").status_code == 302

    changed = client.post("/accounts/password/", {"old_password": RESET, "new_password1": OWN, "new_password2": OWN})
    assert changed.status_code == 302
    membership = reset.membership
    membership.refresh_from_db()
    assert membership.must_change_password is False
    assert client.get("/").status_code == 200  # the same session goes on
    event = Event.objects.get(verb="user.password_changed", object_id=membership.pk)
    assert event.actor == reset and event.data == {"forced": True} and OWN not in str(event.data)


def test_logout_stays_open(client, reset):
    _login(client, "qy_xinlong_aq", RESET)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


def test_the_api_refuses_the_account_until_the_password_is_changed(client, reset):
    from core.api_auth import issue

    obtain = client.post("/api/v1/auth/token/", {"username": "qy_xinlong_aq", "password": RESET},
                         content_type="application/json")
    assert obtain.status_code == 403 and obtain.json()["code"] == "password_change_required"
    assert "修改密码" in obtain.json()["message"]
    # a token however obtained, and the page's session, are refused alike
    token = issue(reset)["token"]
    by_token = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert by_token.status_code == 403 and by_token.json()["code"] == "password_change_required"
    _login(client, "qy_xinlong_aq", RESET)
    by_session = client.get("/api/v1/me/")
    assert by_session.status_code == 403 and by_session.json()["code"] == "password_change_required"

    services.change_own_password(reset, password=OWN)
    client.logout()
    again = client.post("/api/v1/auth/token/", {"username": "qy_xinlong_aq", "password": OWN},
                        content_type="application/json")
    assert again.status_code == 201
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {again.json()['token']}").status_code == 200


def test_an_ordinary_change_is_an_event_too_and_nobody_else_is_concerned(client, world):
    officer = world.user("commerce")
    client.force_login(officer)
    assert client.get("/").status_code == 200  # no reset, nothing pending
    response = client.post("/accounts/password/", {"old_password": DEMO_PASSWORD, "new_password1": OWN,
                                                   "new_password2": OWN})
    assert response.status_code == 302
    event = Event.objects.get(verb="user.password_changed", object_id=officer.membership.pk)
    assert event.actor == officer and event.data == {"forced": False}
