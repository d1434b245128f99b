"""Signing a demo persona in through the real login page (登录, /accounts/login/), as a person would.

Browser tests that only need to be signed in call :func:`log_in`; a test that reaches the login page
some other way (a protected page redirecting to it) calls :func:`submit_login` on it. Tests of the
login form itself (wrong password, captcha) drive the form by hand.
"""

from core.demo import DEMO_PASSWORD

HOME = "[data-testid=home-title]"


def submit_login(page, username: str, *, wait_for: str | None = HOME) -> None:
    """On the login page the browser shows, sign in as ``username`` with the demo password, then wait
    for ``wait_for`` on the page the login lands on (``None``: do not wait)."""
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    if wait_for:
        page.wait_for_selector(wait_for)


def log_in(page, base_url: str, username: str, *, next_url: str | None = None,
           wait_for: str | None = HOME, fresh: bool = False) -> None:
    """Open ``base_url``'s login page (with ``?next=next_url``, taken as it is, when given), sign in as
    ``username`` and wait for ``wait_for`` (default: the home page's title; ``None``: do not wait).

    ``fresh`` clears the browser context's cookies first: the login page sends a browser that is
    still signed in away (``redirect_authenticated_user``), so a test that changes persona without
    logging out asks for a fresh login."""
    if fresh:
        page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    submit_login(page, username, wait_for=wait_for)
