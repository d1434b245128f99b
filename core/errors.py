"""Chinese pages for the framework's own refusals (CSRF failure); 400/403/404/500 are templates."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """An expired or missing CSRF token: explain in Chinese, keep the status 403."""
    return render(request, "403_csrf.html", status=403)
