"""A background job as the user sees it: what it is, who asked, how far it got, its result.

The queue (django-q2, see docs/architecture.md) only carries ``jobs.runner.run(job_id)``; the
state lives here so a page can show progress, a dead worker can be detected (``heartbeat_at``)
and the result can be downloaded later by its owner only."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .querysets import JobQuerySet

#: the reason a download gives when a finished job's result file is no longer in the storage
RESULT_MISSING = "结果文件已不存在（可能已被清理，或文件存储暂不可用）：请重新提交该任务。"


class Job(models.Model):
    """One run of a registered job kind (``jobs.registry``) for one user."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "处理中"
        RETRYING = "retrying", "等待重试"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=64)
    title = models.CharField("名称", max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True,
                              on_delete=models.CASCADE, related_name="+")
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    max_attempts = models.PositiveSmallIntegerField("最多尝试次数", default=3)
    summary = models.JSONField("结果摘要", default=dict, blank=True)
    result = models.FileField("结果文件", upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField("结果文件名", max_length=200, blank=True)
    result_type = models.CharField("结果类型", max_length=100, blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    #: the start of the latest attempt or share (a long job re-queues itself to go on): the queue's
    #: timeout and the dead-worker sweep read it; pages show ``first_started_at`` as 开始时间 and this
    #: one, when later, as 本次开始 — the admin uses the same words
    started_at = models.DateTimeField("本次开始时间", null=True, blank=True,
                                      help_text="最近一次重试或最近一段（长任务分段继续）的开始时间")
    #: the start of the first attempt, set once by ``services.claim`` (pages: 开始时间)
    first_started_at = models.DateTimeField("开始时间", null=True, blank=True, help_text="任务第一次开始执行的时间")
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)
    retry_at = models.DateTimeField("重试时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_recent_idx"),
                   models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def result_link(self):
        """``(label, url)`` of the page that shows this finished job's result, if its kind has one."""
        from .registry import link_for

        return link_for(self) if self.status == self.Status.DONE else None

    @property
    def follow_up(self):
        """The next step its page offers the owner, if its kind has one (``registry.follow_up_for``)."""
        from .registry import follow_up_for

        return follow_up_for(self)

    @property
    def first_start(self):
        """When the job first started, as its pages show it (开始时间); ``started_at`` for a row
        written before ``first_started_at`` existed and not backfilled."""
        return self.first_started_at or self.started_at

    @property
    def latest_start(self):
        """The start of the current share or attempt (本次开始) when it is not the first start."""
        first = self.first_start
        return self.started_at if self.started_at and first and self.started_at != first else None

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(self.done * 100 / self.total)) if self.total else 0
