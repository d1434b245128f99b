"""监督检查: inspection plans, 双随机 draws, inspection records with checklists and findings,
spot-checks of enterprise self-checks, help/guidance visits and supervision checks, batch reviews."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import RegionCodes
from enterprises.models import Enterprise
from obligations.models import SourceTag

from .querysets import DepartmentOwnedQuerySet, EnterpriseLinkedQuerySet, RecordChildQuerySet


class InspectorProfile(models.Model):
    """Recusal facts about one inspector: the township they live in (rule: never inspect there)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="检查人员", on_delete=models.CASCADE,
                                related_name="inspector_profile")
    home_township = models.ForeignKey("regions.Region", verbose_name="居住乡镇（街道）", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "检查人员回避信息"

    def __str__(self) -> str:
        return str(self.user)


class Conflict(models.Model):
    """A declared conflict of interest: this inspector must not inspect this enterprise."""

    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="检查人员", on_delete=models.CASCADE,
                                  related_name="inspection_conflicts")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="生产经营单位", on_delete=models.CASCADE,
                                   related_name="inspection_conflicts")
    reason = models.CharField("回避原因", max_length=200)
    created_at = models.DateTimeField("申报时间", default=timezone.now)

    objects = EnterpriseLinkedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "回避申报"
        constraints = [models.UniqueConstraint(fields=["inspector", "enterprise"], name="inspection_conflict_unique")]


class FrequencyCap(models.Model):
    """涉企行政检查频次上限: how many times in a calendar year one department may inspect one enterprise
    on its own initiative (planned and 双随机 inspections), by the enterprise's class and 安全生产标准化
    grade — the better its grade, the fewer (国务院办公厅关于严格规范涉企行政检查的意见, 国办发〔2024〕54号:
    检查频次上限; the numbers are 山西 2025's: hazchem/metallurgy 2/4/8/12, others 1/2/4/6 for grades
    一级/二级/三级/未达标, DOMAIN.md §7, tagged P: our "high risk" is ``Enterprise.high_risk``, and the
    table is a default a province revises on the rules page). Rule table "inspection-frequency-caps"
    (core.ruletables): a draw uses the rows in force on its day. Inspections for a cause (举报核查,
    事故调查, 复查) are not capped: a record above the cap is kept and flagged, never refused."""

    high_risk = models.BooleanField("高危行业企业")
    grade = models.CharField("标准化等级", max_length=4, choices=Enterprise.StandardisationGrade.choices)
    max_per_year = models.PositiveSmallIntegerField("年度检查上限（次）")
    tag = models.CharField("来源", max_length=4, choices=SourceTag.choices, default=SourceTag.P)
    basis = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "涉企检查频次上限"
        ordering = ["-high_risk", "grade"]
        constraints = [models.UniqueConstraint(fields=["high_risk", "grade"], name="inspection_frequency_cap_unique")]

    def __str__(self) -> str:
        return f"{'高危行业' if self.high_risk else '其他行业'}·{self.get_grade_display()}"


class Plan(RegionCodes):
    """检查计划 of a department for a year (and optionally a month): the target pool and counts."""

    department = models.ForeignKey("accounts.Organisation", verbose_name="制定部门", on_delete=models.PROTECT,
                                   related_name="inspection_plans")
    title = models.CharField("计划名称", max_length=150)
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True)
    sectors = models.ManyToManyField("accounts.Sector", verbose_name="目标行业", blank=True, related_name="+")
    high_risk_only = models.BooleanField("仅高危行业企业", default=False)
    townships = models.ManyToManyField("regions.Region", verbose_name="目标乡镇（街道）", blank=True, related_name="+")
    standardisation_grades = models.JSONField("标准化等级", default=list, blank=True)
    #: the largest numbers a plan may hold (form and ``services.create_plan``): the columns are an integer
    #: and a small integer, and a number beyond them was a 500 on PostgreSQL
    MAX_PLANNED, MAX_PER_YEAR = 1_000_000, 366

    planned_count = models.PositiveIntegerField("计划检查家次")
    max_per_enterprise = models.PositiveSmallIntegerField(
        "同一企业年度检查上限", null=True, blank=True, default=None,
        help_text="本计划另加的频次限制（同一企业在本年度被本部门检查的最多次数）；留空则只按涉企检查频次上限表，"
                  "填写则取两者中较小者")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("制定时间", default=timezone.now)

    objects = DepartmentOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "检查计划"
        ordering = ["-year", "-month", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def done_count(self) -> int:
        return self.records.filter(status=Record.Status.LOCKED).count()

    @property
    def progress_percent(self) -> int:
        return min(100, int(self.done_count * 100 / self.planned_count)) if self.planned_count else 0


class Draw(RegionCodes):
    """One 双随机 draw: the seed, the ordered pools it drew from and the result, reproducible
    with ``inspections.draw.draw``. A redraw supersedes (never deletes) the earlier draw."""

    plan = models.ForeignKey(Plan, verbose_name="检查计划", on_delete=models.PROTECT, related_name="draws")
    department = models.ForeignKey("accounts.Organisation", verbose_name="部门", on_delete=models.PROTECT, related_name="+")
    seed = models.BigIntegerField("随机种子")
    enterprise_pool = models.JSONField("企业库（有序）", default=list)
    inspector_pool = models.JSONField("检查人员库（有序）", default=list)
    conflicts = models.JSONField("回避关系", default=list)
    #: the most inspectors a draw may send to one enterprise (form, ``services.make_draw`` and
    #: ``redraw.request_redraw``; the number of enterprises is bounded by ``Plan.MAX_PLANNED``): the
    #: column is a small integer, and a number beyond it was a 500 on PostgreSQL
    MAX_PER_ENTERPRISE = 100

    count = models.PositiveIntegerField("抽取企业数")
    per_enterprise = models.PositiveSmallIntegerField("每家检查人员数", default=2)
    result = models.JSONField("抽取结果", default=list)
    superseded = models.BooleanField("已作废（重新抽取）", default=False)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    redraw_reason = models.CharField("重新抽取原因", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("抽取时间", default=timezone.now)

    objects = DepartmentOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "双随机抽取"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} 抽取#{self.pk}"


class RedrawRequest(RegionCodes):
    """重新抽取申请: a plan's current draw is replaced only when someone other than the requester,
    with approval rights in the department (负责人), approves; the new draw is made at approval
    (its seed then, from ``secrets``), so neither the requester nor the approver sees it before.
    Kept whatever the decision (the draws' trail)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准（已重新抽取）"
        REFUSED = "refused", "未批准"

    plan = models.ForeignKey(Plan, verbose_name="检查计划", on_delete=models.PROTECT, related_name="redraw_requests")
    department = models.ForeignKey("accounts.Organisation", verbose_name="部门", on_delete=models.PROTECT, related_name="+")
    draw = models.ForeignKey(Draw, verbose_name="申请作废的抽取", on_delete=models.PROTECT, related_name="redraw_requests")
    count = models.PositiveIntegerField("抽取企业数")
    per_enterprise = models.PositiveSmallIntegerField("每家检查人员数", default=2)
    reason = models.CharField("重新抽取原因", max_length=200)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    new_draw = models.OneToOneField(Draw, verbose_name="重新抽取结果", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="approved_request")

    objects = DepartmentOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "重新抽取申请"
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["plan"], condition=models.Q(status="pending"),
                                               name="inspection_one_pending_redraw")]

    def __str__(self) -> str:
        return f"{self.plan} 重新抽取申请#{self.pk}"


class Record(models.Model):
    """现场检查记录. Locked once every inspector signed (谁检查、谁签名、谁负责); corrections
    afterwards are addenda."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", "日常检查"
        SPECIAL = "special", "专项检查"
        UNANNOUNCED = "unannounced", "四不两直"
        JOINT = "joint", "跨部门联合检查"
        EXPERT = "expert", "专家检查"

    class Status(models.TextChoices):
        DRAFT = "draft", "填写中"
        LOCKED = "locked", "已签名锁定"

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="被检查单位", on_delete=models.PROTECT,
                                   related_name="inspection_records")
    organisation = models.ForeignKey("accounts.Organisation", verbose_name="检查单位", on_delete=models.PROTECT,
                                     related_name="inspection_records")
    plan = models.ForeignKey(Plan, verbose_name="检查计划", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="records")
    draw = models.ForeignKey(Draw, verbose_name="双随机抽取", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="records")
    kind = models.CharField("检查类型", max_length=12, choices=Kind.choices, default=Kind.ROUTINE)
    inspected_on = models.DateField("检查日期")
    location = models.CharField("检查场所", max_length=200, blank=True)
    summary = models.TextField("检查情况", blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True)
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    objects = EnterpriseLinkedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "现场检查记录"
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"JC-{self.pk or 0:06d} {self.enterprise}"

    @property
    def number(self) -> str:
        return f"JC{self.inspected_on:%Y}-{self.pk or 0:06d}"

    @property
    def locked(self) -> bool:
        return self.status == self.Status.LOCKED


class RecordInspector(models.Model):
    """An inspector of a record and their signature."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="inspectors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="检查人员", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField("签名时间", null=True, blank=True)

    objects = RecordChildQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "检查人员签名"
        constraints = [models.UniqueConstraint(fields=["record", "user"], name="record_inspector_unique")]


class RecordItem(models.Model):
    """One checklist line: a standard item, a key-inspection item or a free line; its result."""

    class Result(models.TextChoices):
        PENDING = "pending", "未检查"
        CONFORM = "conform", "符合"
        HAZARD = "hazard", "存在隐患"
        NA = "na", "不适用"

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="items")
    standard_item = models.ForeignKey("standards.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    key_item = models.ForeignKey("standards.KeyInspectionItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.CharField("检查内容", max_length=300)
    result = models.CharField("结论", max_length=8, choices=Result.choices, default=Result.PENDING)
    note = models.TextField("说明", blank=True)
    grade = models.CharField("隐患等级", max_length=8, blank=True)
    deadline = models.DateField("整改期限", null=True, blank=True)
    photo = models.FileField("照片", upload_to="inspections/photos/%Y/%m/", blank=True, max_length=200)
    hazard = models.ForeignKey("hazards.Hazard", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The finding is a hazard already in the enterprise's ledger (e.g. one it self-reported and is
    # rectifying): chosen while the record is a draft (inspections.matching); when the record locks
    # the finding becomes a source of that hazard (``hazard`` = it) instead of a new hazard.
    existing_hazard = models.ForeignKey("hazards.Hazard", verbose_name="台账中的同一隐患", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    # The inspector confirmed that the finding is a new hazard although an open hazard of the
    # enterprise cites the same 判定标准 item (otherwise signing asks first: inspections.matching).
    new_hazard_confirmed = models.BooleanField("确认为新发现隐患", default=False)
    sort_order = models.PositiveIntegerField(default=0)

    objects = RecordChildQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "检查项目"
        ordering = ["record", "sort_order", "id"]


class Addendum(models.Model):
    """A correction appended to a locked record."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="addenda")
    text = models.TextField("补正内容")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("时间", default=timezone.now)

    objects = RecordChildQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "检查记录补正"
        ordering = ["created_at", "id"]


SPOT_QUESTIONS = {
    "2.2": "企业主要负责人未按要求亲自研究排查整治工作",
    "2.3": "企业主要负责人未带队检查",
    "2.4": "企业未制定分管负责人职责清单",
    "2.5": "企业未依法建立安全管理机构和配足安全管理人员",
    "2.6": "电焊等特种作业岗位人员无证上岗作业",
    "2.7": "外包外租安全管理混乱",
    "2.8": "未按规定开展应急演练、员工不熟悉逃生出口",
    "2.9": "未按规定比例提取安全生产费用",
}
SPOT_FIELDS = {code: "q" + code.replace(".", "_") for code in SPOT_QUESTIONS}


class SpotCheck(models.Model):
    """对企业自查自改进行抽查检查 (dispatch 2.1–2.9): True = problem found."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="被抽查单位", on_delete=models.PROTECT,
                                   related_name="spot_checks")
    # indexed with the day (spotcheck_org_day_idx): the dispatch table counts a unit's or a region's
    # checks over a period, and a lookup by unit alone uses the same index's prefix
    organisation = models.ForeignKey("accounts.Organisation", verbose_name="抽查单位", on_delete=models.PROTECT, related_name="+",
                                     db_index=False)
    checked_on = models.DateField("抽查日期")
    q2_2 = models.BooleanField(SPOT_QUESTIONS["2.2"], default=False)
    q2_3 = models.BooleanField(SPOT_QUESTIONS["2.3"], default=False)
    q2_4 = models.BooleanField(SPOT_QUESTIONS["2.4"], default=False)
    q2_5 = models.BooleanField(SPOT_QUESTIONS["2.5"], default=False)
    q2_6 = models.BooleanField(SPOT_QUESTIONS["2.6"], default=False)
    q2_6_via_permit_records = models.BooleanField("通过作业票记录发现", default=False)
    q2_7_contractor_unqualified = models.BooleanField("承包承租单位不具备安全生产条件或相应资质", default=False)
    q2_7_no_agreement = models.BooleanField("未签订安全生产管理协议", default=False)
    q2_7_unclear_duties = models.BooleanField("安全生产管理职责不明确", default=False)
    q2_7_not_unified = models.BooleanField("未纳入统一协调管理", default=False)
    q2_7 = models.BooleanField(SPOT_QUESTIONS["2.7"], default=False, help_text="任一子情形成立即为是")
    q2_8 = models.BooleanField(SPOT_QUESTIONS["2.8"], default=False)
    q2_9 = models.BooleanField(SPOT_QUESTIONS["2.9"], default=False)
    notes = models.JSONField("问题说明", default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("填报时间", default=timezone.now)

    objects = EnterpriseLinkedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "自查自改抽查"
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["organisation", "checked_on"], name="spotcheck_org_day_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} 抽查 {self.checked_on}"

    def answers(self) -> dict:
        return {code: getattr(self, field) for code, field in SPOT_FIELDS.items()}


class Visit(RegionCodes):
    """帮扶指导 (to a township or an enterprise) or 督导检查 (of lower governments / departments)."""

    class Kind(models.TextChoices):
        HELP_TOWNSHIP = "help_township", "帮扶指导街道"
        HELP_ENTERPRISE = "help_enterprise", "帮扶指导企业"
        SUPERVISION = "supervision", "督导检查"

    organisation = models.ForeignKey("accounts.Organisation", verbose_name="开展单位", on_delete=models.PROTECT,
                                     related_name="inspection_visits", db_index=False)  # visit_org_day_idx
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    visited_on = models.DateField("日期")
    township = models.ForeignKey("regions.Region", verbose_name="乡镇（街道）", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    target_organisation = models.ForeignKey("accounts.Organisation", verbose_name="被督导单位", null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    content = models.TextField("内容")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("填报时间", default=timezone.now)

    objects = DepartmentOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "帮扶指导与督导检查"
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["organisation", "visited_on"], name="visit_org_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visited_on}"


class ReviewBatch(RegionCodes):
    """A batch of rectified hazards imported for on-site review (整改复查)."""

    organisation = models.ForeignKey("accounts.Organisation", verbose_name="复查单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("名称", max_length=150)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("导入时间", default=timezone.now)

    objects = DepartmentOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "整改复查批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ReviewTask(models.Model):
    """One hazard to review in a batch, assigned to an inspector, with its conclusion."""

    class Conclusion(models.TextChoices):
        PENDING = "pending", "待复查"
        PASSED = "passed", "整改到位"
        FAILED = "failed", "整改不到位"

    batch = models.ForeignKey(ReviewBatch, on_delete=models.CASCADE, related_name="tasks")
    hazard = models.ForeignKey("hazards.Hazard", verbose_name="隐患", on_delete=models.PROTECT, related_name="+")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="复查人员", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    conclusion = models.CharField("复查结论", max_length=8, choices=Conclusion.choices, default=Conclusion.PENDING)
    note = models.TextField("复查意见", blank=True)
    photo = models.FileField("照片", upload_to="inspections/reviews/%Y/%m/", blank=True, max_length=200)
    reviewed_at = models.DateTimeField("复查时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "整改复查任务"
        constraints = [models.UniqueConstraint(fields=["batch", "hazard"], name="review_task_unique")]
