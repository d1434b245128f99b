"""Login, logout, password change and the security log (throttles: test_login_throttle.py)."""

from core.demo import DEMO_PASSWORD
from core.models import SecurityLog


def test_anonymous_user_is_sent_to_login(client, world):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_login_with_demo_password_reaches_home_and_is_logged(client, world):
    response = client.post("/accounts/login/", {"username": "hb_anweiban", "password": DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    assert "河北区安全生产委员会办公室" in response.content.decode()
    assert SecurityLog.objects.filter(kind="login", username="hb_anweiban").exists()


def test_wrong_password_is_refused_with_a_clear_message(client, world):
    response = client.post("/accounts/login/", {"username": "hb_anweiban", "password": "wrong"})
    assert response.status_code == 400
    assert "用户名或密码错误" in response.content.decode()
    assert SecurityLog.objects.filter(kind="login_failed", username="hb_anweiban").count() == 1


def test_logout_is_post_only_and_logged(client, world):
    client.force_login(world.user("committee"))
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert SecurityLog.objects.filter(kind="logout", username="hb_anweiban").exists()


def test_password_change(client, world):
    client.force_login(world.user("commerce"))
    response = client.post("/accounts/password/", {
        "old_password": DEMO_PASSWORD, "new_password1": "An0ther-Secret-2026", "new_password2": "An0ther-Secret-2026"})
    assert response.status_code == 302
    assert SecurityLog.objects.filter(kind="password_changed", username="hb_shangwu").exists()


def test_role_change_is_in_the_event_trail_and_security_log(world):
    from accounts import services
    from core.models import Event

    membership = world.user("commerce").membership
    services.change_role(world.user("commerce_lead"), membership, "viewer")
    assert Event.objects.filter(verb="user.role_changed", from_state="officer", to_state="viewer").exists()
    assert SecurityLog.objects.filter(kind="role_changed").exists()


def test_set_inspector_writes_an_event_and_refuses_enterprise_staff(world):
    import pytest

    from accounts import services
    from core.models import Event
    from core.services import ServiceError

    m = world.user("township").membership
    services.set_inspector(world.user("committee_lead"), m, is_inspector=True, cert="12010599999")
    m.refresh_from_db()
    assert m.is_inspector and m.inspector_cert == "12010599999"
    assert Event.objects.filter(verb="user.inspector_set", to_state="True").exists()
    with pytest.raises(ServiceError):
        services.set_inspector(None, world.user("enterprise").membership, is_inspector=True)
