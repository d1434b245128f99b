"""执法与信用 models."""

from django.db import models  # noqa: F401
