"""专项行动与调度 models."""

from django.db import models  # noqa: F401
