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


NUL = "\x00"
NUL_REASON = "不能含有空字符（\\0）"


def nul_in_address(request) -> str | None:
    """The part of the address holding a NUL character — ``path`` or the query parameter's name — or None.
    No code, id or search of this project contains one, and PostgreSQL cannot compare text with one
    (a DataError, i.e. a 500, wherever such a value reached a query)."""
    if NUL in request.path_info:
        return "path"
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "") or "query"
    return None


class NulRefusalMiddleware:
    """A path or query parameter with a NUL character answers 400 with the parameter and the reason
    in Chinese (the API's error body, or the site's 400 page) before any view reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = nul_in_address(request)
        if where is None:
            return self.get_response(request)
        message = f"请求地址有误：{'地址' if where == 'path' else where}{NUL_REASON}。"
        if request.path_info.startswith("/api/"):
            from django.http import JsonResponse

            from .api import error_body

            return JsonResponse(error_body("invalid", message, {where: [NUL_REASON]}), status=400,
                                json_dumps_params={"ensure_ascii": False})
        from .errors import bad_address

        return bad_address(request, message)
