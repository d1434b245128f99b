"""Login throttles: a captcha step instead of a hard lock for the account owner.

Why not django-axes: its model is a hard lock-out (optionally per user, address or both); a
captcha there is only a custom lock-out page that resets the counters, so an attacker who
solves it would also clear the victim's record. The counting below needs nothing beyond the
security log that every login already writes (``core.SecurityLog``), so no extra table.

Rules (all counts are *password* failures, ``login_failed`` rows, within
``LOGIN_THROTTLE_WINDOW_MINUTES``; a wrong captcha is logged as ``login_captcha_failed`` and
is not a password guess):

* per user name: from ``LOGIN_CAPTCHA_USER_FAILURES`` failures since that name's last
  successful login, every attempt for that name needs the captcha. The owner who solves it
  logs in as usual — failures by someone else never lock the owner out.
* per address: from ``LOGIN_CAPTCHA_ADDRESS_FAILURES`` failures from one client address (any
  names — password spraying), every attempt from that address needs the captcha.
* per address, hard: from ``LOGIN_BLOCK_ADDRESS_FAILURES`` failures the address is refused
  outright until the window has passed. Only the attacking address is blocked, never a name.

The client address is ``core.security.client_ip`` (honours the configured trusted proxies).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from core.middleware import NUL
from core.models import SecurityLog
from core.security import client_ip

# Set on the request by the login form after a solved captcha; the backend checks it so that
# any other caller of authenticate() (API, admin) cannot bypass the captcha step.
CAPTCHA_PASSED_ATTR = "_login_captcha_passed"


def _window_start():
    return timezone.now() - timedelta(minutes=settings.LOGIN_THROTTLE_WINDOW_MINUTES)


def user_failures(username: str) -> int:
    """Password failures for ``username`` in the window since its last successful login. A name with a NUL
    character has none (no account has such a name; PostgreSQL could not even compare it)."""
    if not username or NUL in username:
        return 0
    since = _window_start()
    last_success = (
        SecurityLog.objects.filter(username=username, kind=SecurityLog.Kind.LOGIN, created_at__gte=since)
        .order_by("-created_at").values_list("created_at", flat=True).first()
    )
    failures = SecurityLog.objects.filter(username=username, kind=SecurityLog.Kind.LOGIN_FAILED, created_at__gte=since)
    if last_success:
        failures = failures.filter(created_at__gt=last_success)
    return failures.count()


def address_failures(ip: str | None) -> int:
    """Password failures from ``ip`` in the window (any user name; a success does not reset it)."""
    if not ip:
        return 0
    return SecurityLog.objects.filter(ip=ip, kind=SecurityLog.Kind.LOGIN_FAILED, created_at__gte=_window_start()).count()


def address_blocked(request) -> bool:
    return address_failures(client_ip(request)) >= settings.LOGIN_BLOCK_ADDRESS_FAILURES


def captcha_required(request, username: str = "") -> bool:
    """True when this attempt (this address, this user name) must solve the captcha first."""
    return (
        address_failures(client_ip(request)) >= settings.LOGIN_CAPTCHA_ADDRESS_FAILURES
        or user_failures(username) >= settings.LOGIN_CAPTCHA_USER_FAILURES
    )


def captcha_passed(request) -> bool:
    return bool(request is not None and getattr(request, CAPTCHA_PASSED_ATTR, False))


def mark_captcha_passed(request) -> None:
    setattr(request, CAPTCHA_PASSED_ATTR, True)
