"""企业主体责任 models."""

from django.db import models  # noqa: F401
