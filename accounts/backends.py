"""Model backend with lock-out after repeated failed logins."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.models import SecurityLog
from core.security import log_security


def is_locked_out(username: str) -> bool:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    last_success = (
        SecurityLog.objects.filter(username=username, kind=SecurityLog.Kind.LOGIN, created_at__gte=since)
        .order_by("-created_at").values_list("created_at", flat=True).first()
    )
    failures = SecurityLog.objects.filter(username=username, kind=SecurityLog.Kind.LOGIN_FAILED, created_at__gte=since)
    if last_success:
        failures = failures.filter(created_at__gt=last_success)
    return failures.count() >= settings.LOGIN_FAILURE_LIMIT


class LockoutModelBackend(ModelBackend):
    """Refuses any login (even with the right password) while the user name is locked out."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and is_locked_out(username):
            log_security(SecurityLog.Kind.LOCKED_OUT, request=request, username=username)
            raise PermissionDenied("locked out")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username:
            log_security(SecurityLog.Kind.LOGIN_FAILED, request=request, username=username)
        return user
