"""Request id and login-required middleware."""

import uuid

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

from .request_context import request_id_var

# Paths reachable without logging in (the public tip form lives under /public/).
PUBLIC_PREFIXES = ("/accounts/login/", "/public/", "/static/", "/api/", "/healthz", "/favicon.ico")


class RequestIdMiddleware:
    """Give every request an id (or take a sane X-Request-ID), echo it in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if 8 <= len(incoming) <= 36 and incoming.replace("-", "").isalnum() else uuid.uuid4().hex
        request.request_id = rid
        token = request_id_var.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = rid
        return response


class LoginRequiredMiddleware:
    """Anonymous users are sent to the login page for every non-public page.

    The API answers 401/403 itself (DRF), so it is excluded here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            if not request.path.startswith("/admin/"):
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
