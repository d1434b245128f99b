"""隐患台账 models."""

from django.db import models  # noqa: F401
