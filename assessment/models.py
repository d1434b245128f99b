"""安全生产目标责任考评: each year's indicator set with its veto rules, the assessment of each
subordinate region (township office) and member department, their indicator scores with the
evidence behind each computed figure, reviewer adjustments and 述职 records."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import RegionCodes

from . import workflow
from .querysets import AssessmentQuerySet, IndicatorSetQuerySet, ThroughAssessmentQuerySet

ORG = "accounts.Organisation"


class IndicatorSet(RegionCodes):
    """One year's indicators of a committee office, with the rating thresholds (data)."""

    class Status(models.TextChoices):
        DRAFT = workflow.DRAFT, "制定中"
        COMPUTED = workflow.COMPUTED, "已计算"
        FINALISED = workflow.FINALISED, "已确定"

    #: the most points a set's indicators may weigh together (the forms, the API and
    #: ``services.add_indicator``): a unit's 总分 reaches the sum of the weights (adjustments, 缺项折算)
    #: and is a numeric(7, 2) column — beyond it a 500 on PostgreSQL
    MAX_TOTAL_WEIGHT = Decimal("1000")

    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("名称", max_length=150)
    organisation = models.ForeignKey(ORG, verbose_name="考评组织单位", on_delete=models.PROTECT, related_name="+")
    excellent_min = models.DecimalField("优秀最低分", max_digits=6, decimal_places=2, default=90)
    good_min = models.DecimalField("良好最低分", max_digits=6, decimal_places=2, default=80)
    pass_min = models.DecimalField("合格最低分", max_digits=6, decimal_places=2, default=60)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField("制定时间", default=timezone.now)
    # the latest computation asked for (a jobs.Job of kind assessment.compute): a second request
    # while it is queued or running gets this one instead of starting another (services.start_compute)
    computation = models.ForeignKey("jobs.Job", verbose_name="最近一次计算任务", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = IndicatorSetQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "考评指标体系"
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="indicatorset_org_year")]

    def __str__(self) -> str:
        return f"{self.year}年 {self.name}"

    def thresholds(self) -> workflow.Thresholds:
        return workflow.Thresholds(self.excellent_min, self.good_min, self.pass_min)


class Indicator(models.Model):
    """One indicator: weight, computed from platform data (source + bands) or scored by hand."""

    class Kind(models.TextChoices):
        COMPUTED = "computed", "系统计算"
        MANUAL = "manual", "人工评分"

    class Source(models.TextChoices):
        MAJOR_RECTIFICATION_RATE = "major_rectification_rate", "重大事故隐患整改率"
        HAZARDS_OVERDUE = "hazards_overdue", "超期未整改隐患数"
        HAZARDS_LISTED = "hazards_listed", "挂牌督办重大隐患数"
        INSPECTIONS = "inspections", "监督检查家次"
        SPOT_CHECKS = "spot_checks", "企业自查自改抽查家次"
        DISPATCH_SUBMISSIONS = "dispatch_submissions", "调度表报送周次"
        ENFORCEMENT_CASES = "enforcement_cases", "执法立案数"
        TIPS_CLOSED_RATE = "tips_closed_rate", "举报办结率"
        ACCIDENT_DEATHS = "accident_deaths", "生产安全事故死亡人数"

    class Direction(models.TextChoices):
        HIGHER = "higher", "越高越好"
        LOWER = "lower", "越低越好"

    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField("指标名称", max_length=100)
    weight = models.DecimalField("分值", max_digits=6, decimal_places=2)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    source = models.CharField("数据来源", max_length=32, choices=Source.choices, blank=True)
    direction = models.CharField("方向", max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    #: the largest 界值 (either sign) a 评分档次 may have: an indicator's value is a numeric(12, 4)
    #: column, so no value reaches beyond it — and a limit must stay a finite number in the JSON
    #: ("1e400" became Infinity: invalid JSON to PostgreSQL, a failed CHECK on SQLite — a 500)
    MAX_BAND_LIMIT = Decimal("99999999")

    bands = models.JSONField("评分档次", default=list, blank=True,
                             help_text='[{"limit": 0.95, "score": 100}, …] 按顺序取第一个满足的档次（得分为分值的百分比）')
    sort = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "考评指标"
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def clean_band(cls, limit, score) -> dict:
        """One 评分档次 as it is stored: ``{"limit": float, "score": float}`` from a 界值 that is a finite
        number within ``MAX_BAND_LIMIT`` and a 得分百分比 from 0 to 100 — else ValueError with the
        Chinese reason (the form, the serializer and ``services.add_indicator`` say which band)."""
        try:
            if isinstance(limit, bool) or isinstance(score, bool):
                raise InvalidOperation
            limit, score = Decimal(str(limit)), Decimal(str(score))
        except (InvalidOperation, ValueError, TypeError):
            raise ValueError("格式不正确：界值和得分百分比须为数字") from None
        if not (limit.is_finite() and score.is_finite()):
            raise ValueError("格式不正确：界值和得分百分比须为数字")
        if not 0 <= score <= 100:
            raise ValueError("得分百分比须在0至100之间")
        if abs(limit) > cls.MAX_BAND_LIMIT:
            raise ValueError(f"界值须在-{cls.MAX_BAND_LIMIT}至{cls.MAX_BAND_LIMIT}之间")
        return {"limit": float(limit), "score": float(score)}


class VetoRule(models.Model):
    """一票否优 / 一票否决: an accident of ``grade`` or above in the unit's area (department: its
    sectors) during the year."""

    class Effect(models.TextChoices):
        NO_EXCELLENT = workflow.NO_EXCELLENT, "一票否优"
        VETO = workflow.VETO, "一票否决"

    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="vetoes")
    min_grade = models.CharField("事故等级（及以上）", max_length=20,
                                 choices=[("larger", "较大事故"), ("major", "重大事故"), ("especially_major", "特别重大事故")])
    effect = models.CharField("效果", max_length=16, choices=Effect.choices)

    class Meta:
        verbose_name = verbose_name_plural = "否决规则"


class Assessment(models.Model):
    """The assessment of one unit (township office or member department) in a set."""

    class Rating(models.TextChoices):
        EXCELLENT = workflow.EXCELLENT, "优秀"
        GOOD = workflow.GOOD, "良好"
        PASS = workflow.PASS, "合格"
        FAIL = workflow.FAIL, "不合格"

    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey(ORG, verbose_name="被考评单位", on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField("总分", max_digits=7, decimal_places=2, default=0)
    rating = models.CharField("等次", max_length=10, choices=Rating.choices, blank=True)
    veto_note = models.CharField("否决情况", max_length=200, blank=True)
    rank = models.PositiveSmallIntegerField("排名", null=True, blank=True)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "考评结果"
        ordering = ["rank", "id"]
        constraints = [models.UniqueConstraint(fields=["indicator_set", "unit"], name="assessment_set_unit")]

    def __str__(self) -> str:
        return f"{self.indicator_set} {self.unit}"


class Score(models.Model):
    """One indicator's score for one unit: the computed value with its evidence (object ids), and a
    reviewer adjustment that always carries a reason (also in the event trail). A rate with nothing
    to count has no value and no score (不适用): it is left out of the total (workflow.total_of)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField("指标值", max_digits=12, decimal_places=4, null=True, blank=True)
    # None: not scored — a rate indicator with nothing to count (0 of 0) is not applicable to the unit
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, default=0, null=True, blank=True)
    evidence = models.JSONField("依据数据", default=dict, blank=True)
    adjusted_score = models.DecimalField("调整后得分", max_digits=6, decimal_places=2, null=True, blank=True)
    adjust_reason = models.TextField("调整理由", blank=True)

    objects = ThroughAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "指标得分"
        ordering = ["indicator__sort", "indicator_id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="score_assessment_indicator")]

    @property
    def final(self):
        """The points that count: the adjustment, else the computed score; None when not scored."""
        return self.adjusted_score if self.adjusted_score is not None else self.score


class Debrief(models.Model):
    """述职: a leader's report on work-safety duties, attached to the unit's assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="debriefs")
    leader_name = models.CharField("述职人", max_length=60)
    position = models.CharField("职务", max_length=100)
    held_on = models.DateField("述职日期")
    content = models.TextField("述职内容")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ThroughAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "述职记录"
        ordering = ["-held_on", "id"]
