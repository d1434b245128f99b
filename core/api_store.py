"""Stored answers for ``Idempotency-Key`` (kept 24 h): a retried create or action gets the first
answer back instead of doing the work twice. Imported by core.models so Django sees the model."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

KEEP = datetime.timedelta(hours=24)


class IdempotencyRecord(models.Model):
    """One (caller, key) pair: the request's fingerprint and, once done, the answer given."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField("幂等键", max_length=200)
    fingerprint = models.CharField("请求指纹", max_length=64)
    status_code = models.PositiveSmallIntegerField("状态码", null=True, blank=True)  # None = in progress
    body = models.JSONField("应答", null=True, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        app_label = "core"
        verbose_name = verbose_name_plural = "幂等请求"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_user_key")]

    def __str__(self):
        return f"{self.user_id}:{self.key}"
