"""监督检查 models."""

from django.db import models  # noqa: F401
