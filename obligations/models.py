"""企业主体责任 (enterprise obligations): principal-led checks and studies, responsibility lists,
safety organisation, special-operation workers and permits, outsourcing, drills, safety costs.

Frequencies, staffing thresholds and cost rates are data (``ObligationRule``, ``StaffingRule``,
``CostRateTable``/``CostRate``), loaded by a data migration from RULES.md §5–6 and editable.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models

from .querysets import EnterpriseRowQuerySet, RuleQuerySet


class SourceTag(models.TextChoices):
    V = "V", "V 已核对原文"
    P = "P", "P 部分核对"
    R = "R", "R 本平台默认"
    SEED = "seed", "调度通知"


class ObligationRule(models.Model):
    """A configurable number (months, years, days, employees) keyed by a stable code,
    e.g. ``principal_check_months_high_risk`` = 1. ``tag`` says where the default came from."""

    code = models.CharField("代码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=120)
    value = models.PositiveIntegerField("数值")
    tag = models.CharField("来源", max_length=4, choices=SourceTag.choices, default=SourceTag.R)
    note = models.CharField("说明", max_length=200, blank=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "主体责任规则"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} = {self.value}"


class StaffingRule(models.Model):
    """Safety organisation / staff requirement for enterprises with at least ``min_employees``
    (high-risk or not). The applicable rule is the matching one with the largest threshold."""

    high_risk = models.BooleanField("高危行业")
    min_employees = models.PositiveIntegerField("从业人员不少于")
    institution_required = models.BooleanField("须设安全管理机构")
    full_time_min = models.PositiveSmallIntegerField("专职安全管理人员不少于", default=0)
    any_manager_min = models.PositiveSmallIntegerField("专兼职安全管理人员不少于", default=1)
    tag = models.CharField("来源", max_length=4, choices=SourceTag.choices, default=SourceTag.R)
    note = models.CharField("说明", max_length=200, blank=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "安全管理机构和人员配备规则"
        ordering = ["high_risk", "min_employees"]
        constraints = [models.UniqueConstraint(fields=["high_risk", "min_employees"], name="staffing_rule_unique")]

    def __str__(self) -> str:
        return f"{'高危行业' if self.high_risk else '其他行业'}·从业人员{self.min_employees}人以上"


class EnterpriseRecord(models.Model):
    """Common columns: the enterprise, who entered it and when."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="生产经营单位", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = EnterpriseRowQuerySet.as_manager()

    class Meta:
        abstract = True


class PrincipalCheck(EnterpriseRecord):
    """主要负责人带队检查 or 专题研究 (the principal's special study of the hazard work)."""

    class Kind(models.TextChoices):
        CHECK = "check", "主要负责人带队检查"
        STUDY = "study", "主要负责人专题研究"

    kind = models.CharField("类型", max_length=8, choices=Kind.choices, default=Kind.CHECK)
    held_on = models.DateField("日期")
    leader = models.CharField("带队/主持人", max_length=60)
    participants = models.CharField("参加人员", max_length=300)
    findings = models.TextField("发现问题/研究结论", blank=True)
    hazard_ids = models.JSONField("登记的隐患编号", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "主要负责人检查和专题研究"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class ResponsibilityList(EnterpriseRecord):
    """全员安全生产责任清单 or 分管负责人职责清单: uploaded file or written text."""

    class Kind(models.TextChoices):
        ALL_STAFF = "all_staff", "全员安全生产责任清单"
        DEPUTY = "deputy", "分管负责人职责清单"

    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    title = models.CharField("标题", max_length=120)
    text = models.TextField("内容", blank=True)
    file = models.FileField("文件", upload_to="obligations/lists/%Y/", blank=True)
    issued_on = models.DateField("印发日期")

    class Meta:
        verbose_name = verbose_name_plural = "安全生产责任清单"
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.issued_on}"


class SafetyOrganisation(EnterpriseRecord):
    """The enterprise's safety institution (机构) and managers, as of ``as_of`` (latest row counts)."""

    has_institution = models.BooleanField("已设置安全管理机构", default=False)
    institution_name = models.CharField("机构名称", max_length=120, blank=True)
    #: the most 安全管理人员 of either kind a row may record (form, API and
    #: ``services.set_safety_organisation``): the columns are small integers
    MAX_MANAGERS = 10_000

    full_time_managers = models.PositiveSmallIntegerField("专职安全管理人员", default=0)
    part_time_managers = models.PositiveSmallIntegerField("兼职安全管理人员", default=0)
    as_of = models.DateField("填报日期")

    class Meta:
        verbose_name = verbose_name_plural = "安全管理机构和人员"
        ordering = ["-as_of", "-id"]

    def __str__(self) -> str:
        return f"安全管理机构 {self.as_of}"


#: the refusal of a number of 安全管理人员 out of bounds (form, API and service say the same)
MANAGERS_REFUSAL = f"人数须为0到{SafetyOrganisation.MAX_MANAGERS}之间的整数。"


class Operation(models.TextChoices):
    """特种作业类别 (总局令第30号 目录, the ones met outside mines)."""

    ELECTRICIAN = "electrician", "电工作业"
    WELDING = "welding", "焊接与热切割作业"
    HEIGHT = "height", "高处作业"
    REFRIGERATION = "refrigeration", "制冷与空调作业"
    HAZCHEM = "hazchem", "危险化学品安全作业"
    FIREWORKS = "fireworks", "烟花爆竹安全作业"
    METALLURGY = "metallurgy", "冶金（有色）生产安全作业"


class SpecialWorker(EnterpriseRecord):
    """特种作业人员 with his 特种作业操作证 (valid 6 years, 复审 every 3 years)."""

    name = models.CharField("姓名", max_length=60)
    id_tail = models.CharField("身份证后四位", max_length=4, blank=True)
    operation = models.CharField("作业类别", max_length=16, choices=Operation.choices)
    certificate_no = models.CharField("证书编号", max_length=40)
    issued_on = models.DateField("初领/换证日期")
    expires_on = models.DateField("有效期至")
    reviewed_on = models.DateField("最近复审日期", null=True, blank=True)
    review_due_on = models.DateField("复审到期日")

    class Meta:
        verbose_name = verbose_name_plural = "特种作业人员"
        ordering = ["expires_on", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_operation_display()}）"

    def valid_for(self, operation: str, on: datetime.date) -> bool:
        return self.operation == operation and self.issued_on <= on <= self.expires_on and on <= self.review_due_on


class WorkPermit(EnterpriseRecord):
    """本企业 动火作业票 / 特殊作业票 naming the certified workers who do the work."""

    class Kind(models.TextChoices):
        HOT_WORK = "hot_work", "动火作业"
        HEIGHT = "height", "高处作业"
        TEMP_POWER = "temp_power", "临时用电作业"
        CONFINED = "confined", "受限空间作业"
        OTHER = "other", "其他特殊作业"

    kind = models.CharField("作业票类型", max_length=12, choices=Kind.choices)
    operation = models.CharField("所需特种作业类别", max_length=16, choices=Operation.choices)
    number = models.CharField("作业票编号", max_length=40)
    work_on = models.DateField("作业日期")
    location = models.CharField("作业地点", max_length=120)
    approved_by = models.CharField("审批人", max_length=60)
    workers = models.ManyToManyField(SpecialWorker, verbose_name="作业人员", related_name="permits")

    class Meta:
        verbose_name = verbose_name_plural = "作业票"
        ordering = ["-work_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Outsourcing(EnterpriseRecord):
    """外包外租: the four conditions of dispatch row 2.7; any missing one makes it 'chaotic'."""

    class Kind(models.TextChoices):
        OUTSOURCING = "outsourcing", "外包"
        LEASING = "leasing", "外租"

    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    counterpart = models.CharField("承包/承租单位", max_length=150)
    scope = models.CharField("项目/场所", max_length=200, blank=True)
    qualification_ok = models.BooleanField("具备安全生产条件或相应资质", default=False)
    agreement_signed = models.BooleanField("签订安全生产管理协议", default=False)
    duties_defined = models.BooleanField("明确各自安全生产管理职责", default=False)
    unified_management = models.BooleanField("纳入本单位统一协调管理", default=False)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "外包外租"
        ordering = ["-start", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.counterpart}"

    @property
    def missing_conditions(self) -> list[str]:
        return [self._meta.get_field(f).verbose_name for f in
                ("qualification_ok", "agreement_signed", "duties_defined", "unified_management") if not getattr(self, f)]

    @property
    def chaotic(self) -> bool:
        return bool(self.missing_conditions)

    def active_on(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


class EmergencyDrill(EnterpriseRecord):
    """应急演练: plan, date, scenario, participants, evaluation."""

    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", "综合应急预案演练"
        SPECIAL = "special", "专项应急预案演练"
        ONSITE = "onsite", "现场处置方案演练"

    kind = models.CharField("演练类型", max_length=16, choices=Kind.choices, default=Kind.SPECIAL)
    plan = models.CharField("应急预案", max_length=150)
    held_on = models.DateField("演练日期")
    scenario = models.CharField("演练情景", max_length=200)
    #: the most 参演人数 a drill may record (form, API and ``services.add_drill``)
    MAX_PARTICIPANTS = 100_000

    participants = models.PositiveIntegerField("参演人数")
    evaluation = models.TextField("评估总结", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "应急演练"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.held_on}"


#: the refusal of a 参演人数 out of bounds (form, API and service say the same)
PARTICIPANTS_REFUSAL = f"参演人数须在1至{EmergencyDrill.MAX_PARTICIPANTS}人之间。"


class CostRateTable(models.Model):
    """A versioned safety-cost rate table (e.g. 财资〔2022〕136号); one is current."""

    code = models.CharField("代码", max_length=40)
    version = models.PositiveSmallIntegerField("版本", default=1)
    name = models.CharField("名称", max_length=120)
    effective_from = models.DateField("施行日期")
    is_current = models.BooleanField("现行", default=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "安全生产费用提取标准"
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="cost_rate_table_version")]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


#: the industries of the 安全生产费用 extraction rates (财资〔2022〕136号), as the pages name them
COST_INDUSTRIES = [("hazchem", "危险品生产与储存"), ("construction", "建设工程施工"), ("fireworks", "烟花爆竹"),
                   ("coal", "煤炭生产（按原煤产量，元/吨）"), ("noncoal_mine", "非煤矿山开采（按开采量，元/吨）"),
                   ("other", "其他行业（标准待补充）")]


class CostRate(models.Model):
    """One band of a rate table. ``marginal`` bands apply each rate to the slice of the base in
    [lower, upper) (超额累退); ``flat`` applies one rate to the whole base (e.g. 建安工程造价)."""

    class Method(models.TextChoices):
        MARGINAL = "marginal", "超额累退"
        FLAT = "flat", "固定比例"
        PER_TON = "per_ton", "按产量（元/吨）"

    table = models.ForeignKey(CostRateTable, on_delete=models.CASCADE, related_name="rates")
    industry = models.CharField("行业", max_length=40)
    category = models.CharField("类别", max_length=60, blank=True)
    method = models.CharField("方式", max_length=8, choices=Method.choices)
    lower = models.DecimalField("下限（元）", max_digits=16, decimal_places=2, default=0)
    upper = models.DecimalField("上限（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    rate_percent = models.DecimalField("比例（%）", max_digits=6, decimal_places=3)
    unit_rate = models.DecimalField("每吨提取标准（元/吨）", max_digits=8, decimal_places=2, null=True, blank=True,
                                    help_text="按产量提取（煤矿、非煤矿山）时使用")
    tag = models.CharField("来源", max_length=4, choices=SourceTag.choices, default=SourceTag.V)

    class Meta:
        verbose_name = verbose_name_plural = "提取比例"
        ordering = ["table", "industry", "category", "lower"]

    def __str__(self) -> str:
        where = dict(COST_INDUSTRIES).get(self.industry, self.industry) + (f"·{self.category}" if self.category else "")
        if self.method == self.Method.PER_TON:
            return f"{where} 每吨{self.unit_rate.normalize():f}元"
        band = (f"（{_yuan(self.lower)}以上{f'至{_yuan(self.upper)}' if self.upper is not None else ''}）"
                if self.method == self.Method.MARGINAL else "")
        return f"{where} {self.get_method_display()}{band} {self.rate_percent.normalize():f}%"


def _yuan(amount) -> str:
    """An amount as a page says it: 1000万元, 2.5亿元, 5000元."""
    for unit, size in (("亿元", 100_000_000), ("万元", 10_000)):
        if amount >= size:
            return f"{(amount / size).normalize():f}{unit}"
    return f"{amount.normalize():f}元"


class SafetyCostExtraction(EnterpriseRecord):
    """安全生产费用提取: period, base, declared ratio, extracted amount, use; the required
    amount is computed from the current rate table when recorded and kept with its table."""

    #: the largest sum (元; for coal and non-coal mines the base is an output in tonnes) a row may hold —
    #: 10万亿, beyond any unit's revenue: the forms, the API and ``services.add_cost_extraction`` refuse
    #: more, also a 应提取金额 computed beyond it (a computed one beyond the numeric(16, 2) columns was a
    #: 500 on PostgreSQL). Fifteen significant digits: SQLite keeps a decimal as a double and reads it
    #: back to 15 digits, so 99999999999999.99 (the column's own end) came back as 1E+14 and failed to
    #: read (an InvalidOperation)
    MAX_AMOUNT = Decimal("9999999999999.99")
    #: the largest 企业提取比例 (%): a share of the base (the column, numeric(6, 3), ends at 999.999)
    MAX_RATIO_PERCENT = Decimal("100")

    FIRST_YEAR = 2000  # the earliest year recorded (a later one than today is refused too)
    year = models.PositiveSmallIntegerField("年度")
    industry = models.CharField("适用行业", max_length=40)
    category = models.CharField("类别", max_length=60, blank=True)
    base = models.DecimalField("计提依据（元）", max_digits=16, decimal_places=2)
    ratio_percent = models.DecimalField("企业提取比例（%）", max_digits=6, decimal_places=3, null=True, blank=True)
    amount = models.DecimalField("提取金额（元）", max_digits=16, decimal_places=2)
    used_amount = models.DecimalField("使用金额（元）", max_digits=16, decimal_places=2, default=0)
    use = models.TextField("使用情况", blank=True)
    rate_table = models.ForeignKey(CostRateTable, verbose_name="依据标准", null=True, blank=True, on_delete=models.PROTECT)
    required_amount = models.DecimalField("应提取金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "安全生产费用提取"
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.year}年安全生产费用"

    @property
    def below_required(self) -> bool:
        return self.required_amount is not None and self.amount < self.required_amount


class Remark(EnterpriseRecord):
    """A government officer's remark on an enterprise's obligation records (read-only users
    may not change the enterprise's records, only comment)."""

    topic = models.CharField("事项", max_length=40)
    text = models.TextField("意见")

    class Meta:
        verbose_name = verbose_name_plural = "监管意见"
        ordering = ["-created_at", "-id"]
