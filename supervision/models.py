"""挂牌督办 (listed supervision) of major hazards, and the enterprise's progress reports."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from . import workflow
from .querysets import ListingQuerySet, ProgressReportQuerySet


class Listing(models.Model):
    """One 挂牌督办 of a major hazard by a province / city / county 安委会 (its office proposes, a
    leader approves). Visible to whoever can see the hazard. ``overdue`` is derived, never stored."""

    class Status(models.TextChoices):
        PROPOSED = workflow.PROPOSED, "拟挂牌（待审批）"
        LISTED = workflow.LISTED, "挂牌督办中"
        DELISTING_REQUESTED = workflow.DELISTING_REQUESTED, "申请摘牌"
        DELISTED = workflow.DELISTED, "已摘牌"
        DECLINED = workflow.DECLINED, "不予挂牌"

    class Level(models.TextChoices):
        PROVINCE = "province", "省级挂牌"
        CITY = "city", "市级挂牌"
        COUNTY = "county", "县级挂牌"

    hazard = models.ForeignKey("hazards.Hazard", verbose_name="重大事故隐患", on_delete=models.PROTECT, related_name="listings")
    level = models.CharField("挂牌层级", max_length=10, choices=Level.choices, db_index=True)
    listing_body = models.ForeignKey("accounts.Organisation", verbose_name="挂牌单位", on_delete=models.PROTECT, related_name="listings_issued")
    responsible_department = models.ForeignKey("accounts.Organisation", verbose_name="督办责任部门", on_delete=models.PROTECT,
                                               related_name="listings_responsible")
    deadline = models.DateField("整改期限", db_index=True)
    requirements = models.TextField("督办要求")
    #: the 进展报告周期 a listing may ask for, in days (the propose form, the API and
    #: ``services.propose_listing`` check this one bound): the column is a small integer, and a number
    #: beyond it was a 500 on PostgreSQL
    MIN_REPORT_EVERY_DAYS = 1
    MAX_REPORT_EVERY_DAYS = 366

    report_every_days = models.PositiveSmallIntegerField("进展报告周期（天）", default=30,
                                                         help_text="默认每月报告一次（RULES.md §2）")
    status = models.CharField("状态", max_length=24, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    notice_number = models.CharField("通知书文号", max_length=60, blank=True)
    public_notice = models.BooleanField("向社会公告", default=True)
    published_at = models.DateTimeField("公告时间", null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField("提出时间", default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField("挂牌时间", null=True, blank=True)
    decline_reason = models.TextField("不予挂牌理由", blank=True)
    delisting_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="摘牌申请人", null=True, blank=True,
                                               on_delete=models.SET_NULL, related_name="+")
    delisting_requested_at = models.DateTimeField("摘牌申请时间", null=True, blank=True)
    delisting_note = models.TextField("摘牌申请说明", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="摘牌审批人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("摘牌审批时间", null=True, blank=True)
    decision_reason = models.TextField("摘牌审批意见", blank=True)
    delisted_at = models.DateTimeField("摘牌时间", null=True, blank=True)
    delisting_published_at = models.DateTimeField("摘牌公告时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "挂牌督办"
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["status", "deadline"], name="listing_status_deadline_idx")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.notice_number or self.number}"

    @property
    def number(self) -> str:
        return f"GP-{self.pk or 0:06d}"

    def is_active(self) -> bool:
        return self.status in workflow.ACTIVE_STATES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        # as ListingQuerySet.overdue: once the hazard is accepted and 销号 what is left is 摘牌
        return self.status in workflow.SUPERVISED_STATES and self.deadline < today and self.hazard.is_open()

    def overdue_days(self, today=None) -> int:
        today = today or timezone.localdate()
        return (today - self.deadline).days if self.is_overdue(today) else 0

    def latest_report(self):
        return self.progress_reports.order_by("-date", "-id").first()


#: the refusal of a 进展报告周期 out of bounds: the form, the API and the service say the same
REPORT_EVERY_DAYS_REFUSAL = f"进展报告周期须在{Listing.MIN_REPORT_EVERY_DAYS}至{Listing.MAX_REPORT_EVERY_DAYS}天之间。"


#: 完成比例 0–100 %: the form, the API, the service and the check constraint (ProgressReport.MAX_PERCENTAGE)
MAX_PERCENTAGE = 100


class ProgressReport(models.Model):
    """A periodic progress report (整改进展) of the enterprise on a listed hazard."""

    listing = models.ForeignKey(Listing, verbose_name="挂牌督办", on_delete=models.PROTECT, related_name="progress_reports")
    date = models.DateField("报告日期")
    text = models.TextField("整改进展")
    MAX_PERCENTAGE = MAX_PERCENTAGE
    percentage = models.PositiveSmallIntegerField("完成比例（%）")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报告人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("提交时间", default=timezone.now)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "督办进展报告"
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(percentage__lte=MAX_PERCENTAGE), name="progress_percentage_max_100")]

    def __str__(self) -> str:
        return f"{self.listing} {self.date} {self.percentage}%"


PERCENTAGE_REFUSAL = f"完成比例须为0至{ProgressReport.MAX_PERCENTAGE}之间的整数。"
