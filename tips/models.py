"""举报奖励 models."""

from django.db import models  # noqa: F401
