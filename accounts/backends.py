"""Model backend with the login throttles of ``accounts.throttle`` (captcha, not a hard lock)."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from core.models import SecurityLog
from core.security import log_security

from . import throttle


class LoginThrottled(PermissionDenied):
    """Authentication refused before the password was checked; ``reason`` is
    ``"address_blocked"`` or ``"captcha_required"``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _note(request, reason: str) -> None:
    # django.contrib.auth.authenticate() turns PermissionDenied into "no user"; the login form
    # reads the reason from the request to show the right message.
    if request is not None:
        request._login_throttled = reason


class ThrottledModelBackend(ModelBackend):
    """Refuses without checking the password while the address is blocked, or while the captcha
    is required and the caller has not had it solved (``throttle.mark_captcha_passed``).
    Every wrong password is written to the security log, which is what the throttles count."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username", "")
        if throttle.address_blocked(request):
            _note(request, "address_blocked")
            log_security(SecurityLog.Kind.LOCKED_OUT, request=request, username=username or "", scope="address")
            raise LoginThrottled("address_blocked")
        if not throttle.captcha_passed(request) and throttle.captcha_required(request, username or ""):
            _note(request, "captcha_required")
            raise LoginThrottled("captcha_required")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username:
            log_security(SecurityLog.Kind.LOGIN_FAILED, request=request, username=username)
        return user

    def get_user(self, user_id):
        """The session's user with its membership, organisation, region and department type in the
        same statement: every page asks for them (scope, menu, the acting unit) — four lookups in one."""
        from django.contrib.auth import get_user_model

        model = get_user_model()
        try:
            user = model._default_manager.select_related(
                "membership__organisation__region", "membership__organisation__department_type").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


# Old dotted path kept so that a deployment's settings naming it keep working.
LockoutModelBackend = ThrottledModelBackend

