"""Client address from a configured number of trusted proxies; the tip captcha is checked before
the rate counter, so nobody can exhaust the counter of an address without solving captchas."""

import pytest
from django.test import RequestFactory

from core.security import client_ip


@pytest.mark.parametrize("count,xff,remote,expected", [
    (0, "6.6.6.6", "198.51.100.9", "198.51.100.9"),              # no proxy: the header is ignored
    (1, "6.6.6.6, 203.0.113.7", "127.0.0.1", "203.0.113.7"),      # spoofed first entry ignored
    (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "127.0.0.1", "203.0.113.7"),
    (1, "", "127.0.0.1", "127.0.0.1"),                            # not proxied after all
    (1, "not-an-ip", "127.0.0.1", "127.0.0.1"),
])
def test_client_ip_from_trusted_proxies(settings, count, xff, remote, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=xff, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


def test_wrong_captchas_do_not_use_up_the_rate_limit(client, world, settings):
    from tips.models import Tip
    from tips.tests.test_views import form_data

    settings.TRUSTED_PROXY_COUNT = 1
    settings.TIP_RATE_LIMIT_PER_HOUR = 2
    settings.TIPS_CAPTCHA_TEST_ANSWER = "7"
    behind_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    attacker, victim = {"HTTP_X_FORWARDED_FOR": "203.0.113.66"}, {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for _ in range(10):  # the attacker hammers the form without solving the captcha
        r = client.post("/public/tips/new/", form_data(world, captcha="0"), **behind_proxy, **attacker)
        assert r.status_code == 400 and "验证码" in r.content.decode()
    # the same address can still submit (the wrong captchas were not counted) …
    assert client.post("/public/tips/new/", form_data(world), **behind_proxy, **attacker).status_code == 200
    assert client.post("/public/tips/new/", form_data(world), **behind_proxy, **attacker).status_code == 200
    assert client.post("/public/tips/new/", form_data(world), **behind_proxy, **attacker).status_code == 429
    # … and another person behind the same proxy is not blocked by the attacker's counter
    assert client.post("/public/tips/new/", form_data(world), **behind_proxy, **victim).status_code == 200
    assert Tip.objects.count() == 3
