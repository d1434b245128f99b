"""生产经营单位 (enterprises): the registry every hazard, inspection and case hangs on."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import RegionCodes
from core.querysets import ScopedQuerySet, ThroughEnterpriseQuerySet

from .validators import validate_credit_code


class EnterpriseQuerySet(ScopedQuerySet):
    enterprise_field = "pk"
    sector_field = "sectors"
    sector_m2m = True


class Enterprise(RegionCodes):
    """A production or business unit, placed at a township. ``high_risk`` is derived from its
    sectors unless ``high_risk_override`` says otherwise (with a reason)."""

    class Status(models.TextChoices):
        OPERATING = "operating", "正常经营"
        SUSPENDED = "suspended", "停产整顿"
        CLOSED = "closed", "关闭"

    class Scale(models.TextChoices):
        ABOVE = "above", "规上"
        BELOW = "below", "规下"

    class StandardisationGrade(models.TextChoices):
        GRADE1 = "1", "一级"
        GRADE2 = "2", "二级"
        GRADE3 = "3", "三级"
        NONE = "none", "未达标"

    name = models.CharField("单位名称", max_length=150, db_index=True)
    # character n-grams of the name (hazards.search.tokens), kept by the writers of ``name``;
    # GIN-indexed on PostgreSQL so the ledger's text search finds enterprises without a scan
    name_tokens = models.TextField("名称检索词", blank=True, default="", editable=False)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code])
    region = models.ForeignKey("regions.Region", verbose_name="所在乡镇（街道）", on_delete=models.PROTECT, related_name="enterprises")
    address = models.CharField("地址", max_length=200, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    sectors = models.ManyToManyField("accounts.Sector", verbose_name="行业领域", related_name="enterprises")
    high_risk = models.BooleanField("高危行业企业", default=False, db_index=True)
    high_risk_override = models.BooleanField("人工认定高危", null=True, blank=True)
    high_risk_reason = models.CharField("认定理由", max_length=200, blank=True)
    scale = models.CharField("规模", max_length=8, choices=Scale.choices, default=Scale.BELOW)
    #: the largest 从业人员数 a unit may have (the form, the API, the services and the import check this
    #: one bound): the column is a 32-bit integer on PostgreSQL; China's largest employers count a few
    #: hundred thousand
    MAX_EMPLOYEES = 10_000_000

    employees = models.PositiveIntegerField("从业人员数", default=0)
    legal_representative = models.CharField("法定代表人", max_length=60, blank=True)
    principal_name = models.CharField("主要负责人", max_length=60, blank=True)
    principal_phone = models.CharField("主要负责人电话", max_length=20, blank=True)
    controller_name = models.CharField("实际控制人", max_length=60, blank=True)
    controller_phone = models.CharField("实际控制人电话", max_length=20, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPERATING, db_index=True)
    standardisation_grade = models.CharField("安全生产标准化等级", max_length=4, choices=StandardisationGrade.choices, default=StandardisationGrade.NONE)
    # Cross-cutting standards apply when flagged (工贸 art.2: hazchem, fire, gas, special equipment).
    uses_hazchem = models.BooleanField("涉及危险化学品", default=False)
    fire_key_unit = models.BooleanField("消防安全重点单位", default=False)
    uses_gas = models.BooleanField("使用燃气", default=False)
    has_special_equipment = models.BooleanField("使用特种设备", default=False)
    organisation = models.OneToOneField("accounts.Organisation", verbose_name="登录单位", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="enterprise")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "生产经营单位"
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["county_code", "status"], name="enterprise_county_status_idx")]

    def __str__(self) -> str:
        return self.name


#: the refusal of a 从业人员数 out of bounds (the form, the API and the services say the same)
EMPLOYEES_REFUSAL = f"从业人员数须为0至{Enterprise.MAX_EMPLOYEES}的整数。"


class SafetyManager(models.Model):
    """A safety manager (安全管理人员) of an enterprise."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="safety_managers")
    name = models.CharField("姓名", max_length=60)
    phone = models.CharField("电话", max_length=20, blank=True)
    full_time = models.BooleanField("专职", default=True)
    certificate_no = models.CharField("安全管理人员证书号", max_length=40, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "安全管理人员"

    def __str__(self) -> str:
        return self.name


class EngagementQuerySet(ThroughEnterpriseQuerySet):
    """Engagements are seen with their enterprise (its region, and for an industry department its
    sectors); an agency sees only its own engagements, never another agency's."""

    enterprise_path = "enterprise"

    def visible_to(self, user):
        from accounts.scope import scope_for

        qs = super().visible_to(user)
        scope = scope_for(user)
        if scope.kind == "agency":
            qs = qs.filter(agency_id=scope.organisation_id)
        return qs

    def in_force(self, day=None):
        """In force on ``day`` (default today): start ≤ day and (no end or day ≤ end). One ended
        before its start (end < start) is in force on no day at all."""
        day = day or timezone.localdate()
        return self.filter(start__lte=day).filter(models.Q(end__isnull=True) | models.Q(end__gte=day))

    def cancelled(self):
        """Ended before they started (end < start): they never grant a day."""
        return self.filter(end__lt=models.F("start"))


class Engagement(models.Model):
    """A third-party agency engaged by (or for) an enterprise; the agency sees only these, and only
    while one is in force. Rows are written by ``services.engage_agency`` / ``end_engagement`` and
    never deleted: an engagement that stops early gets an ``end`` and an ``end_reason``."""

    class EngagedBy(models.TextChoices):
        ENTERPRISE = "enterprise", "企业委托"
        GOVERNMENT = "government", "政府购买服务"

    class State(models.TextChoices):
        IN_FORCE = "in_force", "委托中"
        NOT_STARTED = "not_started", "尚未开始"
        ENDED = "ended", "已结束"

    agency = models.ForeignKey("accounts.Organisation", verbose_name="第三方机构", on_delete=models.PROTECT,
                               related_name="engagements")
    enterprise = models.ForeignKey(Enterprise, verbose_name="生产经营单位", on_delete=models.PROTECT, related_name="engagements")
    engaged_by = models.CharField("委托方", max_length=12, choices=EngagedBy.choices, default=EngagedBy.ENTERPRISE)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    end_reason = models.TextField("提前结束理由", blank=True)  # whole: a closure's reason is quoted in it

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "第三方服务委托"
        ordering = ["-start", "-id"]

    def __str__(self) -> str:
        return f"{self.agency} · {self.enterprise}"

    def state(self, day=None) -> str:
        day = day or timezone.localdate()
        if self.end is not None and self.end < self.start:  # ended before it started: never in force
            return self.State.ENDED
        if self.start > day:
            return self.State.NOT_STARTED
        if self.end is not None and self.end < day:
            return self.State.ENDED
        return self.State.IN_FORCE

    def state_label(self, day=None) -> str:
        return self.State(self.state(day)).label


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The uploader's own import jobs (a superuser sees every one)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self if user.is_superuser else self.filter(created_by=user)


class ImportJob(models.Model):
    """One upload of an enterprise file (xlsx/csv): a dry run or a real run, its progress and
    its per-row errors ``[{"row": 5, "column": "统一社会信用代码", "reason": "…"}]``.
    Visible only to the user who uploaded it (and superusers)."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "处理中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.CASCADE, related_name="+")
    file = models.FileField("文件", upload_to="imports/enterprises/%Y/%m/")
    file_name = models.CharField("文件名", max_length=200)
    dry_run = models.BooleanField("试运行", default=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField("总行数", default=0)
    processed = models.PositiveIntegerField("已处理", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    message = models.CharField("说明", max_length=300, blank=True)
    parent = models.ForeignKey("self", verbose_name="对应试运行", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name}（{'试运行' if self.dry_run else '导入'}）"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(self.processed * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
