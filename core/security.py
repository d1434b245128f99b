"""Security log helpers."""

from .models import SecurityLog
from .request_context import current_request_id


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def log_security(kind: str, *, request=None, user=None, username: str = "", **detail) -> SecurityLog:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return SecurityLog.objects.create(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user else ""),
        ip=client_ip(request),
        detail=detail,
        request_id=current_request_id(),
    )
