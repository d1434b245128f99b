"""Request id middleware. (Login is required by django.contrib.auth.middleware.LoginRequiredMiddleware;
public views are marked with django.contrib.auth.decorators.login_not_required.)"""

import uuid

from .request_context import request_id_var


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


class FileMissingMiddleware:
    """A download whose stored file is gone (``core.files.FileMissing``) answers 410 with the
    reason in Chinese, on the site's error page, instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from .files import FileMissing

        if isinstance(exception, FileMissing):
            return render(request, "410.html", {"reason": exception.message}, status=410)
        return None
