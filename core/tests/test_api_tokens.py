"""Machine tokens: obtain with a password, expire, refresh (old one dies), revoke; a password
change or a deactivation revokes every token; the token endpoint and the API are throttled."""

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db
J = "application/json"
PASSWORD = "Correct-Horse-9"


@pytest.fixture
def user(world):
    u = world.user("commerce")
    u.set_password(PASSWORD)
    u.save()
    return u


def obtain(client, username, password=PASSWORD):
    return client.post("/api/v1/auth/token/", {"username": username, "password": password}, content_type=J)


def me(client, token):
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")


def test_obtain_use_refresh_revoke(client, user):
    assert obtain(client, user.username, "wrong").status_code == 400
    r = obtain(client, user.username)
    assert r.status_code == 201
    token, expiry = r.json()["token"], datetime.datetime.fromisoformat(r.json()["expiry"])
    assert datetime.timedelta(hours=11) < expiry - timezone.now() <= datetime.timedelta(hours=12)
    assert me(client, token).status_code == 200
    r = client.post("/api/v1/auth/token/refresh/", HTTP_AUTHORIZATION=f"Token {token}")
    assert r.status_code == 201
    new = r.json()["token"]
    assert me(client, token).status_code == 401 and me(client, new).status_code == 200
    assert client.post("/api/v1/auth/token/revoke/", HTTP_AUTHORIZATION=f"Token {new}").status_code == 204
    r = me(client, new)
    assert r.status_code == 401 and r["WWW-Authenticate"].startswith("Token")


def test_token_expires(client, user):
    import time_machine

    token = obtain(client, user.username).json()["token"]
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=12, minutes=1)):
        assert me(client, token).status_code == 401


def test_password_change_and_deactivation_revoke_tokens(client, user):
    a = obtain(client, user.username).json()["token"]
    user.set_password("Another-Horse-10")
    user.save()
    assert me(client, a).status_code == 401
    b = obtain(client, user.username, "Another-Horse-10").json()["token"]
    user.last_login = timezone.now()
    user.save()  # an unrelated change keeps the token
    assert me(client, b).status_code == 200
    user.is_active = False
    user.save()
    assert me(client, b).status_code == 401
    assert obtain(client, user.username, "Another-Horse-10").status_code == 400


def test_token_endpoint_is_throttled_per_address(client, user):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "token": "3/min"}
    old = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates
    try:
        codes = [obtain(client, user.username, "wrong").status_code for _ in range(4)]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = old
    assert codes == [400, 400, 400, 429]



def test_api_is_throttled_per_user(client, world):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    old = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "user": "2/min"}
    try:
        client.force_login(world.user("commerce"))
        codes = [client.get("/api/v1/me/").status_code for _ in range(3)]
        client.force_login(world.user("housing"))  # another user from the same address is not blocked by it
        other = client.get("/api/v1/me/").status_code
    finally:
        SimpleRateThrottle.THROTTLE_RATES = old
    assert codes == [200, 200, 429] and other == 200


def test_a_call_reads_its_token_user_and_scope_in_one_query(client, user, django_assert_num_queries):
    """Token, user, membership, organisation, region: one query (knox read every token of the user
    and then each relation on its own)."""
    from accounts.scope import scope_for
    from core.api_security import TokenAuthentication

    token = obtain(client, user.username).json()["token"]
    with django_assert_num_queries(1):
        found, auth = TokenAuthentication().authenticate_credentials(token.encode())
        scope = found.membership.organisation.region.code, found.membership.role
    assert found.pk == user.pk and auth.user_id == user.pk
    assert scope == (user.membership.organisation.region.code, user.membership.role)
    assert scope_for(found).region_code == user.membership.organisation.region.code


def test_expired_tokens_are_refused_and_removed(client, user):
    """The presented expired token is refused and deleted at once; the user's other expired tokens
    are removed when a new token is issued (they are refused anyway whenever presented)."""
    import time_machine
    from knox.models import AuthToken

    first = obtain(client, user.username).json()["token"]
    second = obtain(client, user.username).json()["token"]
    assert AuthToken.objects.filter(user=user).count() == 2
    later = timezone.now() + datetime.timedelta(hours=12, minutes=1)
    with time_machine.travel(later):
        assert me(client, first).status_code == 401
        assert AuthToken.objects.filter(user=user).count() == 1  # the presented one is gone
        third = obtain(client, user.username).json()["token"]
        assert AuthToken.objects.filter(user=user).count() == 1  # the other expired one went with the new issue
        assert me(client, second).status_code == 401 and me(client, third).status_code == 200


def test_throttle_counters_are_seen_by_another_worker_process(client, user):
    """gunicorn runs several processes: a limit reached in one must hold in the others, so the
    counters cannot live in a per-process cache. Two refused passwords here, then another Python
    process asks the same throttle (3/min) for the same address: the third request passes there and
    the fourth is refused until the first leaves the window (the token endpoint's throttle keeps
    DRF's sliding log: a hard cap per window against password guessing)."""
    import json
    import subprocess
    import sys

    from django.conf import settings
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    old = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "token": "3/min"}
    try:
        for _ in range(2):
            assert obtain(client, user.username, "wrong").status_code == 400
    finally:
        SimpleRateThrottle.THROTTLE_RATES = old
    code = ("import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); "
            "django.setup(); from django.test import RequestFactory; from core.api_security import TokenObtainThrottle; "
            "TokenObtainThrottle.rate = '3/min'; request = RequestFactory().post('/api/v1/auth/token/'); "
            "answers = []\nfor _ in range(2):\n    t = TokenObtainThrottle(); answers.append([t.allow_request(request, None), "
            "t.wait()])\nprint(json.dumps(answers))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.BASE_DIR,
                         timeout=60, check=True)
    (third_ok, _), (fourth_ok, wait) = json.loads(out.stdout.strip().splitlines()[-1])
    assert third_ok is True and fourth_ok is False and 0 < wait <= 60  # the window, less the time since the first


def test_the_throttle_counters_file_is_opened_once_not_at_every_request(client, user, monkeypatch):
    """Django closes every cache when a request ends; the counters' SQLite file stays open from one
    API request to the next (reopening it cost ~1.5 ms of CPU a request), and the counters still
    count: the user's four requests leave four steps of the user's limit taken."""
    import sqlite3

    import diskcache.core
    from django.core.cache import caches

    token = obtain(client, user.username).json()["token"]
    assert me(client, token).status_code == 200  # the file is open in this thread now
    opened = []
    monkeypatch.setattr(diskcache.core.sqlite3, "connect", lambda *a, **k: opened.append(a) or sqlite3.connect(*a, **k))
    due_before = caches["throttle"].get(f"throttle_user_{user.pk}")
    for _ in range(4):
        assert me(client, token).status_code == 200
    assert opened == []
    from rest_framework.settings import api_settings

    limit, period = api_settings.DEFAULT_THROTTLE_RATES["user"].split("/")
    step = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]] / int(limit)
    assert caches["throttle"].get(f"throttle_user_{user.pk}") >= due_before + 4 * step - 1e-6


def _on_a_clock(throttle_class, rate: str):
    """``throttle_class`` at ``rate`` on a clock the test moves (``clock[0]``, seconds), its
    counters cleared."""
    from django.core.cache import caches

    caches["throttle"].clear()
    clock = [1_000_000.0]
    return type("Clocked", (throttle_class,), {"rate": rate, "timer": staticmethod(lambda: clock[0])}), clock


def test_throttle_allows_the_rate_at_once_then_one_request_a_step(settings):
    """The counter of a caller (core.api_security.SharedCounters): with a limit of 4 a minute, four
    requests at the same instant pass and the fifth is refused for 15 s (one step); 15 s later one
    more passes and the next is refused again; a minute after the last request the whole limit is
    there again. Expected from the rate alone (a burst of N, then one request a step = 60 s / N)."""
    from django.test import RequestFactory

    from core.api_security import AddressThrottle

    Throttle, clock = _on_a_clock(AddressThrottle, "4/min")
    request = RequestFactory().get("/api/v1/me/", REMOTE_ADDR="10.9.8.7")

    def ask():
        t = Throttle()
        return t.allow_request(request, None), t.wait()

    assert [ask()[0] for _ in range(4)] == [True] * 4
    refused, wait = ask()
    assert refused is False and wait == pytest.approx(15)
    clock[0] += 14.9
    assert ask()[0] is False
    clock[0] += 0.1
    assert ask()[0] is True and ask()[0] is False
    clock[0] += 60
    assert [ask()[0] for _ in range(5)] == [True] * 4 + [False]
    other = RequestFactory().get("/api/v1/me/", REMOTE_ADDR="10.9.8.6")  # another address has its own counter
    assert Throttle().allow_request(other, None) is True


def test_the_token_endpoint_refuses_a_whole_window_after_its_limit():
    """Password guessing: the token endpoint's throttle caps every window at its limit (DRF's
    sliding log), not only the sustained rate — 3 a minute: after three attempts, none passes 20 s
    (one step of the API's counters) or 59 s later; 60 s after them the limit is back."""
    from django.test import RequestFactory

    from core.api_security import TokenObtainThrottle

    Throttle, clock = _on_a_clock(TokenObtainThrottle, "3/min")
    request = RequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR="10.9.8.5")
    assert [Throttle().allow_request(request, None) for _ in range(4)] == [True, True, True, False]
    clock[0] += 20
    assert Throttle().allow_request(request, None) is False
    clock[0] += 39
    assert Throttle().allow_request(request, None) is False
    clock[0] += 1.01
    assert Throttle().allow_request(request, None) is True
