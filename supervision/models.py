"""挂牌督办 models."""

from django.db import models  # noqa: F401
