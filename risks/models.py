"""风险分级管控 models."""

from django.db import models  # noqa: F401
