"""WSGI entry point (gunicorn config.wsgi). Refuses to start without SECRET_KEY and
TIP_IDENTITY_KEY (and on any other system-check error): core.startup."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from core.startup import check_or_refuse  # noqa: E402 - needs the configured apps

check_or_refuse()
