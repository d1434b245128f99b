"""Refuse to serve without the secrets the application cannot work without.

``manage.py`` runs Django's system checks before every command, but a WSGI server (gunicorn
config.wsgi) does not: without this, gunicorn started without ``TIP_IDENTITY_KEY`` and every
named tip answered 500. ``config/wsgi.py`` calls ``check_or_refuse()`` before serving.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

DEV_SECRET_MARK = "dev-insecure"


def startup_errors() -> list[str]:
    problems = []
    key = getattr(settings, "SECRET_KEY", "")
    if not key or (DEV_SECRET_MARK in key and not getattr(settings, "DEV", False)):
        problems.append("SECRET_KEY is not set (or is the development key).")
    for message in checks.run_checks():
        if message.level >= checks.ERROR:
            problems.append(f"{message.id}: {message.msg}")
    return problems


def check_or_refuse() -> None:
    problems = startup_errors()
    if problems:
        raise ImproperlyConfigured("Refusing to serve: " + " ".join(problems))
