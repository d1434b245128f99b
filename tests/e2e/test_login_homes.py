"""Browser: two personas log in through the real login page and see their own home."""

import pytest

from core.demo import DEMO_PASSWORD
from enterprises.models import Enterprise
from tests.e2e.session import submit_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    submit_login(page, username)


def test_committee_officer_and_enterprise_principal_see_their_homes(page, live_server, tworld):
    login(page, live_server, "hb_anweiban")
    assert page.inner_text("[data-testid=home-title]") == "河北区安全生产委员会办公室 · 经办人"
    total = Enterprise.objects.visible_to(tworld.user("committee")).count()
    assert page.inner_text("[data-testid=value-enterprises]") == str(total)
    page.screenshot(path="/tmp/qingling-home-committee.png", full_page=True)
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/**")

    login(page, live_server, "qy_xinlong")
    assert page.inner_text("[data-testid=home-title]") == "天津市河北区鑫隆商贸有限公司 · 主要负责人"
    assert page.inner_text("[data-testid=value-own]") == "天津市河北区鑫隆商贸有限公司"
    assert page.locator("[data-testid=value-enterprises]").count() == 0


def test_wrong_password_shows_the_error_in_chinese(page, live_server, tworld):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "hb_anweiban")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.inner_text("[data-testid=form-errors]")


def test_after_repeated_failures_the_owner_solves_the_captcha_and_logs_in(page, live_server, tworld, settings):
    settings.LOGIN_CAPTCHA_USER_FAILURES = 2
    settings.TIPS_CAPTCHA_TEST_ANSWER = None
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("[data-testid=login-captcha]").count() == 0
    for _ in range(2):  # someone else tries the name with wrong passwords
        page.fill("#id_username", "hb_anweiban")
        page.fill("#id_password", "wrong-password")
        with page.expect_navigation():  # the answer's page, not the one the click was made on
            page.click("button[type=submit]")
    assert page.locator("[data-testid=login-captcha]").is_visible()
    width = page.evaluate("""() => new Promise((done) => {
        const img = document.getElementById('captcha-img');
        if (img.complete) { done(img.naturalWidth); return; }
        img.addEventListener('load', () => done(img.naturalWidth));
        img.addEventListener('error', () => done(-1));
    })""")
    assert width == 160  # the image is served (and allowed by the CSP)
    first = page.get_attribute("#captcha-img", "src")
    page.click("#captcha-refresh")
    assert page.get_attribute("#captcha-img", "src") != first
    settings.TIPS_CAPTCHA_TEST_ANSWER = "12"
    page.fill("#id_username", "hb_anweiban")
    page.fill("#id_password", DEMO_PASSWORD)
    page.fill("#id_captcha", "12")
    page.screenshot(path="/tmp/qingling-login-captcha.png", full_page=True)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=home-title]")
