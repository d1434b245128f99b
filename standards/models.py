"""判定标准 models."""

from django.db import models  # noqa: F401
