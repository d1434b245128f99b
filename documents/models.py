"""文书 models."""

from django.db import models  # noqa: F401
