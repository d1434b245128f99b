"""Security log helpers and the client address."""

import ipaddress

from django.conf import settings

from .models import SecurityLog
from .request_context import current_request_id
from .text import json_safe


def client_ip(request) -> str | None:
    """The client's address. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies (each appending the
    address it received the request from to X-Forwarded-For), the client is the entry the
    outermost trusted proxy appended: ``X-Forwarded-For[-N]``; entries before it are whatever the
    client claimed and are ignored. With 0 (the default, no proxy) REMOTE_ADDR is used."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < count:
        return remote  # not (fully) proxied: the header cannot be trusted
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def log_security(kind: str, *, request=None, user=None, username: str = "", **detail) -> SecurityLog:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return SecurityLog.objects.create(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user else ""),
        ip=client_ip(request),
        detail=json_safe(detail),  # details may carry raw request input (an export's filters)
        request_id=current_request_id(),
    )
