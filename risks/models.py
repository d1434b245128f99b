"""风险分级管控 (双重预防): risk points of an enterprise, their assessments by LEC / LS / direct
judgement against versioned band tables (data, tagged with their source variant), the four
levels and colours, and the controlling tier per level (configurable)."""

from django.conf import settings
from django.db import models

from .querysets import EnterpriseRowQuerySet, RuleQuerySet


class Level(models.TextChoices):
    MAJOR = "major", "重大风险"
    LARGE = "large", "较大风险"
    GENERAL = "general", "一般风险"
    LOW = "low", "低风险"


COLOURS = {"major": ("红", "#d9001b"), "large": ("橙", "#f59a23"), "general": ("黄", "#f5d000"), "low": ("蓝", "#1e6fd9")}
LEVEL_ORDER = {"major": 4, "large": 3, "general": 2, "low": 1}


class Method(models.TextChoices):
    LEC = "lec", "作业条件危险性分析法（LEC）"
    LS = "ls", "风险矩阵法（LS）"
    DIRECT = "direct", "直接判定"


class BandTable(models.Model):
    """A versioned score → level table for one method, e.g. LEC variant A v1. Publishing a new
    version never changes stored assessments: each keeps the table it was scored with."""

    method = models.CharField("方法", max_length=8, choices=Method.choices)
    code = models.CharField("代码", max_length=30)
    version = models.PositiveSmallIntegerField("版本", default=1)
    name = models.CharField("名称", max_length=120)
    source = models.CharField("来源（变体）", max_length=200)
    is_default = models.BooleanField("该方法默认使用", default=False)
    published_at = models.DateTimeField("发布时间", auto_now_add=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "风险分级标准"
        ordering = ["method", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="band_table_version")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Band(models.Model):
    """Scores ≥ ``min_score`` (and below the next band's minimum) get ``level``."""

    table = models.ForeignKey(BandTable, on_delete=models.CASCADE, related_name="bands")
    level = models.CharField("等级", max_length=8, choices=Level.choices)
    min_score = models.DecimalField("分值下限（含）", max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "分级区间"
        ordering = ["table", "-min_score"]


class ControlTier(models.Model):
    """分级管控层级 per level (DOMAIN.md §4.1: varies by province → data)."""

    level = models.CharField("等级", max_length=8, choices=Level.choices, unique=True)
    tier = models.CharField("管控层级", max_length=120)
    note = models.CharField("说明", max_length=200, blank=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "管控层级"

    def __str__(self) -> str:
        return f"{self.get_level_display()}：{self.tier}"


class RiskPoint(models.Model):
    """风险点 with the register columns serving the four lists (基础/防控/责任/应急)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="生产经营单位", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("编号（一点一号）", max_length=40)
    name = models.CharField("风险点名称", max_length=120)
    category = models.CharField("风险类别", max_length=60)
    location = models.CharField("具体位置", max_length=200)
    hazard_factors = models.TextField("危险有害因素")
    consequences = models.CharField("可能导致的后果", max_length=200, blank=True)
    #: the 经度 / 纬度 a point may have (the form, the API and ``services.create_risk_point`` check them)
    LONGITUDE_RANGE = (-180, 180)
    LATITUDE_RANGE = (-90, 90)

    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    control_measures = models.TextField("管控措施", blank=True)
    monitoring = models.CharField("监测监控", max_length=200, blank=True)
    review_on = models.DateField("下次评估日期", null=True, blank=True)
    responsible_unit = models.CharField("责任单位（部门）", max_length=120, blank=True)
    responsible_person = models.CharField("责任人", max_length=60, blank=True)
    responsible_phone = models.CharField("责任人电话", max_length=20, blank=True)
    supervising_department = models.CharField("监管部门及人员", max_length=120, blank=True)
    emergency_plan = models.CharField("应急预案", max_length=150, blank=True)
    emergency_resources = models.TextField("应急队伍、物资、疏散路线及救援力量", blank=True)
    level = models.CharField("当前等级", max_length=8, choices=Level.choices, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = EnterpriseRowQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "风险点"
        ordering = ["enterprise", "code"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "code"], name="risk_point_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def colour(self) -> str:
        return COLOURS.get(self.level, ("", ""))[0]


class RiskAssessment(models.Model):
    """One assessment: method, raw factors, score, the band table (version) and resulting level."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    risk_point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="assessments")
    method = models.CharField("方法", max_length=8, choices=Method.choices)
    factor_l = models.DecimalField("L", max_digits=6, decimal_places=2, null=True, blank=True)
    factor_e = models.DecimalField("E", max_digits=6, decimal_places=2, null=True, blank=True)
    factor_c = models.DecimalField("C", max_digits=6, decimal_places=2, null=True, blank=True)
    factor_s = models.DecimalField("S", max_digits=6, decimal_places=2, null=True, blank=True)
    score = models.DecimalField("分值", max_digits=10, decimal_places=2, null=True, blank=True)
    band_table = models.ForeignKey(BandTable, verbose_name="分级标准（版本）", null=True, blank=True, on_delete=models.PROTECT)
    level = models.CharField("等级", max_length=8, choices=Level.choices)
    reason = models.TextField("判定理由", blank=True)
    assessed_on = models.DateField("评估日期")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assessed_by_org = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EnterpriseRowQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "风险评估"
        ordering = ["-assessed_on", "-id"]

    @property
    def colour(self) -> str:
        return COLOURS[self.level][0]
