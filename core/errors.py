"""Chinese pages for the framework's own refusals (CSRF failure, an address no view can read,
something the server cannot do just now); 400/403/404/500 are templates."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string


def bad_address(request, reason: str) -> HttpResponseBadRequest:
    """The 400 page with ``reason``: a request whose address (path, query) no view can read — not a
    form's refusal, whose status is ``core.forms.form_status``'s."""
    return HttpResponseBadRequest(render_to_string("400.html", {"reason": reason}, request))


def unavailable(request, reason: str, *, alternative: tuple[str, str] | None = None) -> HttpResponse:
    """The 503 page with ``reason``: the request is sound but the server cannot answer it just now
    (a PDF LibreOffice cannot make); ``alternative`` = (label, url) of what the user can have instead."""
    context = {"reason": reason, "alternative": {"label": alternative[0], "url": alternative[1]} if alternative else None}
    return HttpResponse(render_to_string("503.html", context, request), status=503)


def csrf_failure(request, reason=""):
    """An expired or missing CSRF token: explain in Chinese, keep the status 403."""
    return render(request, "403_csrf.html", status=403)
