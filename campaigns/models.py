"""专项行动与调度: campaigns and their phases, the leadership activity log, frozen dispatch-table
submissions, the five-colour board's rule sets and weekly snapshots, enterprise statistics reports."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import RegionCodes

from .querysets import ActivityQuerySet, BoardSnapshotQuerySet, CampaignQuerySet, SubmissionQuerySet


class Campaign(RegionCodes):
    """A campaign (专项行动) issued by one organisation for a region, with a weekly reporting cadence
    (every ``report_weekday`` before ``report_time`` from ``first_report_date``)."""

    name = models.CharField("名称", max_length=120)
    issuer = models.ForeignKey("accounts.Organisation", verbose_name="印发单位", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    first_report_date = models.DateField("首次报送日期")
    report_weekday = models.PositiveSmallIntegerField("报送星期（0=周一）", default=0)
    report_time = models.TimeField("报送截止时间", default="12:00")
    targets = models.JSONField("目标", default=dict, blank=True, help_text='e.g. {"2024": {"rectification_rate": 90}}')
    units = models.ManyToManyField("accounts.Organisation", verbose_name="参加单位", blank=True, related_name="campaigns")
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "专项行动"
        ordering = ["-start", "id"]

    def __str__(self) -> str:
        return self.name

    WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

    def deadline(self, week):
        """The reporting deadline of the week starting on Monday ``week``: its ``report_weekday`` at
        ``report_time`` (Asia/Shanghai)."""
        import datetime

        from hazards.asof import ZONE

        day = week + datetime.timedelta(days=self.report_weekday)
        at = self.report_time if isinstance(self.report_time, datetime.time) else datetime.time.fromisoformat(str(self.report_time))
        return datetime.datetime.combine(day, at, tzinfo=ZONE)

    @property
    def deadline_label(self) -> str:
        at = self.report_time.strftime("%H:%M") if hasattr(self.report_time, "strftime") else str(self.report_time)[:5]
        return f"每{self.WEEKDAYS[self.report_weekday]}{at}前报送"

    def target_rate(self, year: int, default=None):
        value = (self.targets or {}).get(str(year), {}).get("rectification_rate")
        return default if value is None else value


class Phase(models.Model):
    """One phase of a campaign (动员部署, 自查自改和督导帮扶 …) with its dates."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField("阶段", max_length=60)
    start = models.DateField("开始")
    end = models.DateField("结束")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "行动阶段"
        ordering = ["campaign", "sort_order", "start"]

    def __str__(self) -> str:
        return self.name


class Activity(RegionCodes):
    """Leadership activity log (组织领导情况) of one unit: the source of rows 4.1–4.4, 4.6, 4.7."""

    class Kind(models.TextChoices):
        STUDY = "study", "组织专题学习安全生产十五条硬措施"
        RESEARCH = "research", "党政主要负责同志专题研究"
        ONSITE = "onsite", "有关负责同志现场督导检查"
        PREACH = "preach", "有关负责同志到企业宣讲"
        MEDIA = "media", "依托媒体设置并播放安全生产专题栏目"
        INSPECTORS = "inspectors", "配备专兼职技术检查员（当前人数）"
        SUPERVISION = "supervision", "组织开展督导检查"

    unit = models.ForeignKey("accounts.Organisation", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    date = models.DateField("日期")
    participants = models.TextField("参加人员", blank=True)
    summary = models.TextField("内容", blank=True)
    #: the largest 人数 an activity may record (form and ``services.record_activity``): the column is
    #: an integer, and a number beyond it was a 500 on PostgreSQL
    MAX_COUNT = 100_000

    count = models.PositiveIntegerField("人数", null=True, blank=True, help_text="仅用于技术检查员人数")
    attachment = models.FileField("附件", upload_to="campaigns/activities/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "组织领导活动"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()} {self.date}"


class Submission(RegionCodes):
    """A frozen, versioned dispatch table of one unit for one campaign: values, as-of time,
    submitter and time. Never updated; a correction is a new version."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey("accounts.Organisation", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    week = models.DateField("报送周（周一）", db_index=True)
    version = models.PositiveIntegerField("版本", default=1)
    as_of = models.DateTimeField("统计截止时间")
    values = models.JSONField("数据")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_by_name = models.CharField("报送人", max_length=150, blank=True)
    submitted_at = models.DateTimeField("报送时间", default=timezone.now)
    note = models.CharField("更正说明", max_length=200, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "调度表报送"
        ordering = ["-submitted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "week", "version"], name="submission_version_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.week} v{self.version}"


class BoardRuleSet(models.Model):
    """The five-colour board's configurable thresholds (one active row; defaults in campaigns.board)."""

    name = models.CharField("名称", max_length=60, default="默认规则")
    rules = models.JSONField("规则", default=dict, blank=True)
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "五色图规则"

    def __str__(self) -> str:
        return self.name


class BoardSnapshot(RegionCodes):
    """One weekly row of the board: a sub-region's colour and figures that week (idempotent)."""

    class Colour(models.TextChoices):
        RED = "red", "红"
        ORANGE = "orange", "橙"
        YELLOW = "yellow", "黄"
        BLUE = "blue", "蓝"
        GREEN = "green", "绿"

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    week = models.DateField("周（周一）")
    colour = models.CharField("颜色", max_length=8, choices=Colour.choices)
    figures = models.JSONField("数据", default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    objects = BoardSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "五色图周快照"
        ordering = ["-week", "region__code"]
        constraints = [models.UniqueConstraint(fields=["region", "week"], name="board_snapshot_unique")]


class EnterpriseReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Exactly the reports of the enterprises the user may see."""
        from enterprises.models import Enterprise

        return self.filter(enterprise__in=Enterprise.objects.visible_to(user).values("pk"))


class EnterpriseReport(RegionCodes):
    """隐患排查治理情况统计分析报表 (16号令): quarterly by the 15th of the next quarter's first month,
    annual (``quarter`` 0) by 31 January. Figures are frozen from the ledger when submitted."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="生产经营单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度（0=年度）")
    due = models.DateField("报送期限")
    figures = models.JSONField("统计数据", default=dict)
    remarks = models.TextField("分析说明", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("报送时间", default=timezone.now)

    objects = EnterpriseReportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "企业隐患统计报表"
        ordering = ["-year", "-quarter", "enterprise_id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year", "quarter"], name="enterprise_report_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}{'年度' if not self.quarter else f'Q{self.quarter}'}"

    @property
    def late(self) -> bool:
        return timezone.localtime(self.submitted_at).date() > self.due
