"""The hazard ledger (隐患台账): hazards, their sources, plans, acceptances, extensions, evidence."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import RegionCodes

from . import workflow
from .querysets import SELF_CHANNELS, HazardQuerySet


def hazard_number(county_code, pk) -> str:
    """The hazard's number (YH + county code + id), also for rows read as plain values."""
    return f"YH{county_code or '000000'}-{pk or 0:07d}"


class Hazard(RegionCodes):
    """One hazard of one enterprise. Status changes only through ``hazards.services`` (compare-
    and-set + event). ``overdue`` is derived from the deadline, never stored."""

    class Status(models.TextChoices):
        REGISTERED = workflow.REGISTERED, "已登记"
        RECTIFYING = workflow.RECTIFYING, "整改中"
        PENDING_ACCEPTANCE = workflow.PENDING_ACCEPTANCE, "待验收"
        CLOSED = workflow.CLOSED, "已销号"
        MERGED = workflow.MERGED, "已合并"
        VOID = workflow.VOID, "已作废"

    class Grade(models.TextChoices):
        GENERAL = workflow.GENERAL, "一般"
        MAJOR = workflow.MAJOR, "重大"

    class Category(models.TextChoices):
        #: a registration that did not say (an imported ledger without the column, an API client
        #: without the field, a hazard filed from an inspection, a tip, a principal's check or an
        #: accident's lessons): stored as not stated rather than as a class nobody chose. The
        #: registration page makes the user choose one of the three (``STATED_CATEGORIES``).
        UNSTATED = "", "未注明"
        BEHAVIOUR = "behaviour", "人的不安全行为"
        STATE = "state", "物的不安全状态"
        MANAGEMENT = "management", "管理缺陷"

    class Channel(models.TextChoices):
        SELF_CHECK = "self_check", "企业自查"
        ENTERPRISE_THIRD_PARTY = "enterprise_third_party", "企业委托第三方"
        INSPECTION = "inspection", "部门检查"
        SUPERVISION = "supervision", "督导检查"
        TIP = "tip", "举报核实"
        GOVERNMENT_THIRD_PARTY = "government_third_party", "政府购买服务第三方"
        ACCIDENT = "accident", "事故举一反三"

    # Scoping columns of core.RegionCodes without their own single-column (and, on PostgreSQL, LIKE)
    # indexes: scoping filters them with equality and the composite indexes below lead with them.
    # grade, channel and status likewise rely on the composites: a write to this table maintains
    # every index (issue 15: 37 of them slowed imports and the alert pass's schedule updates).
    # Likewise province_code (hazard_prov_sector_idx leads with it), city_code (a plain b-tree,
    # hazard_city_idx: no varchar_pattern_ops twin — no reader filters it with LIKE), and the
    # enterprise key (hazard_enterprise_status_idx leads with it): each single-column index was a
    # prefix of a composite one; EXPLAIN at 10^6 hazards (docs/performance.md, B3) shows the same
    # plans on the composites without them. The sector key is read with a region (the county and
    # province sector indexes), never alone (see Meta.indexes).
    province_code = models.CharField("省级代码", max_length=2, blank=True)
    city_code = models.CharField("地级代码", max_length=4, blank=True)
    county_code = models.CharField("县级代码", max_length=6, blank=True)
    township_code = models.CharField("乡级代码", max_length=9, blank=True)
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="生产经营单位", on_delete=models.PROTECT,
                                   related_name="hazards", db_index=False)
    sector = models.ForeignKey("accounts.Sector", verbose_name="行业领域", on_delete=models.PROTECT, related_name="hazards",
                               db_index=False)
    location = models.CharField("隐患部位", max_length=200, blank=True)
    description = models.TextField("隐患描述")
    # character n-grams of description + location (hazards.search), GIN-indexed on PostgreSQL
    search_tokens = models.TextField("检索词", blank=True, default="", editable=False)
    category = models.CharField("隐患类别", max_length=12, choices=Category.choices, default=Category.UNSTATED, blank=True)
    grade = models.CharField("隐患等级", max_length=8, choices=Grade.choices)
    sub_grade = models.CharField("地方细分等级", max_length=20, blank=True)
    basis_item = models.ForeignKey("standards.Item", verbose_name="判定依据", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="hazards", db_index=False)  # partial index below
    basis_reason = models.TextField("无对应条款时的判定理由", blank=True)
    channel = models.CharField("发现渠道", max_length=24, choices=Channel.choices)
    found_on = models.DateField("发现日期")
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发现人", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", db_index=False, db_constraint=False)  # audit column: see Meta.indexes
    finder_name = models.CharField("发现人（单位）", max_length=120, blank=True)
    deadline = models.DateField("整改期限", null=True, blank=True, db_index=True)
    original_deadline = models.DateField("原定整改期限", null=True, blank=True)
    responsible_person = models.CharField("整改责任人", max_length=60, blank=True)
    responsible_phone = models.CharField("责任人电话", max_length=20, blank=True)
    stop_production = models.BooleanField("需停产停业整改", default=False)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.REGISTERED)
    status_changed_at = models.DateTimeField("状态变更时间", default=timezone.now)
    # 双报告: to the competent department and to the workers' congress
    reported_to = models.ForeignKey("accounts.Organisation", verbose_name="报告主管部门", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", db_index=False)
    reported_at = models.DateTimeField("报告主管部门时间", null=True, blank=True)
    reported_to_congress_at = models.DateTimeField("报告职代会时间", null=True, blank=True)
    merged_into = models.ForeignKey("self", verbose_name="合并至", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_hazards", db_index=False)  # partial index below
    first_reported_at = models.DateTimeField("最早报告时间", default=timezone.now, db_index=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重新打开次数", default=0)
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   db_index=False, db_constraint=False)  # audit column: see Meta.indexes
    created_by_org = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", db_index=False, db_constraint=False)

    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "隐患"
        ordering = ["-first_reported_at", "-id"]
        # Every index is paid by every registration and import row (issue 15, B3: an import's rows go
        # into each of them). Measured on the province benchmark's reads (pg_stat_user_indexes after
        # B1, B2, B6, B5, B7): no query used the single-column indexes Django adds by default on
        # found_by, created_by, created_by_org, reported_to, closed_at, nor (sector, status, deadline)
        # (a sector across every region: the prov/county sector indexes serve every scope), so they
        # are not kept. The ledger's 判定依据 filter and a hazard's merged duplicates look up rows that
        # have the value: partial indexes of those rows only (an open, uncited hazard enters neither).
        # The audit columns — who registered or found a hazard, for which unit, which unit reported a
        # source (HazardSource.organisation), and who acted in an event (core.Event.actor/actor_org)
        # — keep no database foreign-key constraint either: users and units are never deleted (they
        # are deactivated; the admin deletes no account), Django's on_delete still applies through the
        # ORM, the finder's and the actor's names are kept beside the ids (finder_name, Event.actor_name),
        # and the constraints' checks at commit cost an import ~0.1 s per 5,000 rows
        # (issue 15, B3: the deferred checks of six audit columns, measured on the province data).
        # The columns the law and the workflow rely on (enterprise, sector, 判定依据, merged_into,
        # reported_to, the hazard of a source or schedule) keep theirs.
        indexes = [
            models.Index(fields=["basis_item"], condition=models.Q(basis_item__isnull=False), name="hazard_basis_item_idx"),
            models.Index(fields=["merged_into"], condition=models.Q(merged_into__isnull=False), name="hazard_merged_into_idx"),
            models.Index(fields=["city_code"], name="hazard_city_idx"),  # a city's scope (equality)
            models.Index(fields=["county_code", "status", "deadline"], name="hazard_county_status_idx"),
            models.Index(fields=["township_code", "status"], name="hazard_township_status_idx"),
            models.Index(fields=["enterprise", "status"], name="hazard_enterprise_status_idx"),
            models.Index(fields=["grade", "channel", "first_reported_at"], name="hazard_dispatch_idx"),
            # a department's ledger and its daily digest: county × its sectors × status, by deadline
            models.Index(fields=["county_code", "sector", "status", "deadline"], name="hazard_county_sector_idx"),
            # the ledger's default order (newest first) inside a scope, without filtering a whole
            # index walk (EXPLAIN at province scale: "Rows Removed by Filter" on first_reported_at)
            models.Index(fields=["county_code", "first_reported_at", "id"], name="hazard_county_reported_idx"),
            models.Index(fields=["county_code", "sector", "first_reported_at", "id"], name="hazard_cty_sector_rep_idx"),
            # open / overdue counts of the home cards and the province-wide ledger (index-only)
            models.Index(fields=["status", "deadline"], name="hazard_status_deadline_idx"),
            # dispatch section 一 (hazards.asof.major_rows_sql): a county's / department's 重大 hazards
            # in a campaign period without walking the county's whole index (~0.5 % of the rows)
            models.Index(fields=["county_code", "first_reported_at"], condition=models.Q(grade="major"),
                         name="hazard_major_county_idx"),
            # the ledger filtered by sector and status above a county (a province or city code):
            # count and deadline order from the index alone (EXPLAIN at 10^6 hazards: a bitmap heap
            # scan of 53k rows over 32k pages for ?region=42&sector=commerce&status=rectifying&overdue)
            models.Index(fields=["province_code", "sector", "status", "deadline"], name="hazard_prov_sector_idx"),
            # the daily digest (hazards.alerts.send_daily_digests): the open hazards of each county ×
            # sector in (deadline, id) order with their enterprise, so its window (counts + first 30
            # per cell) reads this index alone in order, without a sort or a heap visit (EXPLAIN at
            # 10^6 hazards: 374k open due rows fetched from 63k heap pages and sorted on disk, 1.9 s)
            models.Index(fields=["county_code", "sector", "deadline", "id", "enterprise"], name="hazard_open_digest_idx",
                         condition=models.Q(status__in=workflow.OPEN_STATES)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(grade="major") | models.Q(basis_item__isnull=False) | ~models.Q(basis_reason=""),
                name="hazard_major_has_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.description[:30]}"

    @property
    def number(self) -> str:
        return hazard_number(self.county_code, self.pk)

    @property
    def next_alert_on(self):
        """The date the next deadline alert falls due (``AlertSchedule``), None when none is
        scheduled. Before the hazard is saved: the value ``build_hazard`` set, which its writer
        (services.register_hazard / register_many) stores in the schedule with the hazard."""
        if self.pk is None or "_next_alert_on" in self.__dict__ and self._state.adding:
            return self.__dict__.get("_next_alert_on")
        return AlertSchedule.objects.filter(hazard_id=self.pk).values_list("next_alert_on", flat=True).first()

    @next_alert_on.setter
    def next_alert_on(self, value) -> None:
        self.__dict__["_next_alert_on"] = value

    def is_open(self) -> bool:
        return self.status in workflow.OPEN_STATES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open() and self.deadline is not None and self.deadline < today

    def completed_by_deadline(self) -> bool:
        """The unit finished within its deadline (Asia/Shanghai days): closed by it, or a completion it
        submitted by it that was accepted or still awaits the department's decision — a slow acceptance is
        not the unit's delay (one sent back, 验收不通过, was not a completion). False without a deadline."""
        if self.deadline is None:
            return False
        if self.closed_at is not None and timezone.localtime(self.closed_at).date() <= self.deadline:
            return True
        from .asof import end_of

        return self.acceptances.filter(decision__in=(Acceptance.Decision.ACCEPTED, Acceptance.Decision.PENDING),
                                       submitted_at__lte=end_of(self.deadline)).exists()

    @property
    def is_self_found(self) -> bool:
        return self.channel in SELF_CHANNELS

    def leniency_marker(self) -> bool:
        """Self-found, reported (双报告: to the department and to the workers' congress, 安全生产法
        art. 41), under effective rectification with a plan (seed 000 三(三)2(1)①): within its deadline,
        or past it only while a completion submitted by then awaits the department's acceptance."""
        return (
            self.is_self_found and self.reported_at is not None and self.reported_to_congress_at is not None
            and self.status in (workflow.RECTIFYING, workflow.PENDING_ACCEPTANCE)
            and hasattr(self, "plan") and (not self.is_overdue() or self.completed_by_deadline())
        )


#: the longest text each field of a registration takes: a column's own limit, and for the two
#: free-text columns a limit of the product's (a description longer than a page is not a hazard
#: description, and PostgreSQL's search index takes at most about 60,000 characters of it)
TEXT_LIMITS = {"description": 5000, "basis_reason": 2000,
               **{name: Hazard._meta.get_field(name).max_length
                  for name in ("location", "responsible_person", "responsible_phone", "sub_grade", "finder_name")}}


#: the classes a user chooses among (the registration page, the import's 隐患类别 column, the API's
#: ``category``): every class but 未注明, which is what a registration that did not say stores
STATED_CATEGORIES = [(value, label) for value, label in Hazard.Category.choices if value]


class AlertSchedule(models.Model):
    """Scheduling of a hazard's deadline alerts (Healthchecks' alert_after): the date its next
    7-day / 1-day / overdue alert falls due; None once the last one went out or the hazard left
    the open states. Not a status: overdue stays derived from the deadline.

    A narrow side table, not a column of ``Hazard``: the daily pass moves it for every due hazard
    (100k rows after importing an old ledger), and an UPDATE of a hazard row writes an entry in
    each of the hazard table's ~25 indexes (a changed indexed column: no HOT update) and clears its
    page's all-visible bit (the digest's index-only scans then visit the heap). Here an UPDATE
    touches a 3-column row and two indexes. Written by hazards.services (arming) and
    hazards.alerts (the pass)."""

    hazard = models.OneToOneField(Hazard, primary_key=True, on_delete=models.CASCADE, related_name="alert_schedule")
    next_alert_on = models.DateField("下次期限提醒日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "隐患期限提醒计划"
        indexes = [models.Index(fields=["next_alert_on"], name="alert_schedule_due_idx",
                                condition=models.Q(next_alert_on__isnull=False))]

    def __str__(self) -> str:
        return f"{self.hazard_id}: {self.next_alert_on}"


class HazardSource(models.Model):
    """One report of a hazard (self-check, inspection, tip …). A merged hazard's sources move to
    the survivor, which keeps the earliest channel."""

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="sources")
    channel = models.CharField("渠道", max_length=24, choices=Hazard.Channel.choices)
    reported_at = models.DateTimeField("报告时间", default=timezone.now)
    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     db_index=False, db_constraint=False)  # audit column, never filtered on (Hazard.Meta)
    reference = models.CharField("来源记录", max_length=80, blank=True, help_text="e.g. inspections.record:12 or tips.tip:5")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "隐患来源"
        ordering = ["reported_at", "id"]


class GovernancePlan(models.Model):
    """治理方案: the six elements required before a major hazard may be rectifying."""

    hazard = models.OneToOneField(Hazard, on_delete=models.PROTECT, related_name="plan")
    goal_tasks = models.TextField("治理的目标和任务")
    measures = models.TextField("采取的方法和措施")
    funds_materials = models.TextField("经费和物资的落实")
    #: the largest 治理资金 (万元) a plan may record (form, API and ``services.submit_plan``): the column is
    #: numeric(12, 2), and a sum beyond it was a 500 on PostgreSQL
    MAX_FUNDS = Decimal("9999999999.99")

    funds_amount = models.DecimalField("治理资金（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    responsible = models.TextField("负责治理的机构和人员")
    deadline = models.DateField("治理时限")
    safety_emergency = models.TextField("安全措施和应急预案")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "治理方案"


class Acceptance(models.Model):
    """A completion submission and its decision (验收 / 销号 or 退回)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待验收"
        ACCEPTED = "accepted", "验收通过"
        REJECTED = "rejected", "验收不通过"

    class Mode(models.TextChoices):
        ON_SITE = "on_site", "现场验收"
        DOCUMENTS = "documents", "书面验收"

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="acceptances")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    evidence_note = models.TextField("整改完成情况")
    decision = models.CharField("结论", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    mode = models.CharField("验收方式", max_length=10, choices=Mode.choices, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by_org = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField("意见/理由", blank=True)
    next_steps = models.TextField("下一步要求", blank=True)
    assessment_report = models.CharField("第三方评估报告", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "整改验收"
        ordering = ["-submitted_at", "-id"]


class ExtensionRequest(models.Model):
    """延期申请: both deadlines are kept."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        DENIED = "denied", "不予批准"
        LAPSED = "lapsed", "已失效（隐患已不在整改中）"

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField("延期理由")
    old_deadline = models.DateField("原期限", null=True)
    requested_deadline = models.DateField("申请延至")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "延期申请"
        ordering = ["-requested_at", "-id"]


def evidence_path(instance, filename):
    return f"evidence/{instance.hazard_id}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    """Photos and documents of a hazard (jpg / png / pdf, content-sniffed, SHA-256 stored).
    Served only through scoped views, never by URL."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "隐患照片"
        EVIDENCE = "evidence", "整改证据"
        DOCUMENT = "document", "文件"
        ASSESSMENT = "assessment", "第三方评估报告"

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.PHOTO)
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    exif_time = models.CharField("拍摄时间", max_length=40, blank=True)
    exif_gps = models.CharField("拍摄位置", max_length=60, blank=True)
    # Evidence review: the hazard's status when the file arrived (before/after rectification), the
    # completion submission it belongs to, and an identical file already on another hazard of the
    # same enterprise (accepted, but shown to the acceptor).
    stage = models.CharField("上传时隐患状态", max_length=20, choices=Hazard.Status.choices, blank=True)
    acceptance = models.ForeignKey(Acceptance, verbose_name="所属整改完成提交", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="attachments")
    duplicate_of = models.ForeignKey("self", verbose_name="与之相同的其他隐患附件", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]

    @property
    def is_image(self) -> bool:
        return self.content_type in ("image/jpeg", "image/png")


NO_DEADLINE = datetime.date(9999, 12, 31)  # tally key of a hazard whose deadline does not count
PAST_DEADLINE = datetime.date(1, 1, 1)  # tally key of an open hazard whose deadline fell before the tally cutoff


class TallyCounts(models.Model):
    """What every pre-aggregated count (``hazards.tallies``) is keyed by besides the region: the
    sector, grade and status; ``n`` hazards. The region columns and the key are each tally's own."""

    sector = models.ForeignKey("accounts.Sector", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    grade = models.CharField(max_length=8)
    status = models.CharField(max_length=20)
    n = models.IntegerField("隐患数", default=0)

    class Meta:
        abstract = True


class LedgerCounts(TallyCounts):
    """The ledger's counts as they stand now: also the channel, the deadline's week (or
    NO_DEADLINE / PAST_DEADLINE) and whether a closed hazard was closed on time."""

    channel = models.CharField(max_length=24)
    deadline_week = models.DateField(default=NO_DEADLINE)
    on_time = models.BooleanField(default=False)

    class Meta:
        abstract = True


class WeekCounts(TallyCounts):
    """Counts by the week (Monday, Asia/Shanghai) the hazards were first reported."""

    week = models.DateField()

    class Meta:
        abstract = True


class HazardTally(LedgerCounts):
    """Pre-aggregated counts of hazards as they stand now (``hazards.tallies``): one row per key,
    ``n`` hazards. Kept by database triggers on ``hazards_hazard`` in the writing transaction;
    rebuilt by ``tallies.rebuild`` (bulk loads, the reconcile job, ``manage.py rebuild_tallies``).

    ``deadline_week`` is the Monday of the deadline for an open hazard with a deadline, else
    NO_DEADLINE; ``on_time`` says a closed hazard was closed (Asia/Shanghai day) on or before its
    deadline."""

    county_code = models.CharField(max_length=6, blank=True)
    township_code = models.CharField(max_length=9, blank=True, db_index=True)
    province_code = models.CharField(max_length=2, blank=True, db_index=True)
    city_code = models.CharField(max_length=4, blank=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "隐患计数"
        constraints = [models.UniqueConstraint(
            fields=["county_code", "township_code", "sector", "channel", "grade", "status", "deadline_week", "on_time",
                    "province_code", "city_code"], name="hazard_tally_key")]


class HazardCountyTally(LedgerCounts):
    """``HazardTally`` without the township: the same counts summed per county (about a quarter of
    the rows at province scale), read by province, city and county-wide figures that never group or
    filter by township (``hazards.tallies.rows``). Kept by the same triggers, rebuilt with it."""

    county_code = models.CharField(max_length=6, blank=True)
    province_code = models.CharField(max_length=2, blank=True, db_index=True)
    city_code = models.CharField(max_length=4, blank=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "隐患县级计数"
        constraints = [models.UniqueConstraint(
            fields=["county_code", "sector", "channel", "grade", "status", "deadline_week", "on_time", "province_code",
                    "city_code"], name="hazard_county_tally_key")]


class HazardCityTally(LedgerCounts):
    """``HazardTally`` summed per city (a fourteenth of its rows at province scale): province and
    city-wide figures that group by city at the finest (``hazards.tallies.rows``)."""

    province_code = models.CharField(max_length=2, blank=True)
    city_code = models.CharField(max_length=4, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "隐患市级计数"
        constraints = [models.UniqueConstraint(
            fields=["province_code", "city_code", "sector", "channel", "grade", "status", "deadline_week", "on_time"],
            name="hazard_city_tally_key")]


class HazardCityWeekTally(WeekCounts):
    """``HazardWeekTally`` summed per city: the province and city-wide weekly trend (its key starts
    with the week, so the last weeks are one index range)."""

    province_code = models.CharField(max_length=2, blank=True)
    city_code = models.CharField(max_length=4, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "隐患市级周计数"
        constraints = [models.UniqueConstraint(fields=["week", "province_code", "city_code", "sector", "grade", "status"],
                                               name="hazard_city_week_tally_key")]


class HazardTallyCutoff(models.Model):
    """One row (id 1): open hazards whose deadline falls before ``past_before`` (a Monday) are
    counted under the single deadline key ``PAST_DEADLINE`` instead of their deadline's week
    (``hazards.tallies.fold`` moves it forward each week). No row, or NULL: nothing is collapsed."""

    past_before = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "隐患计数逾期归并点"


class HazardWeekTally(WeekCounts):
    """Counts of hazards by the week (Monday, Asia/Shanghai) they were first reported: the
    statistics' weekly trend. Kept and rebuilt with ``HazardTally``."""

    county_code = models.CharField(max_length=6, blank=True)
    township_code = models.CharField(max_length=9, blank=True, db_index=True)
    province_code = models.CharField(max_length=2, blank=True, db_index=True)
    city_code = models.CharField(max_length=4, blank=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "隐患周计数"
        constraints = [models.UniqueConstraint(
            fields=["county_code", "township_code", "sector", "grade", "status", "week", "province_code", "city_code"],
            name="hazard_week_tally_key")]
        indexes = [models.Index(fields=["week"], name="hazard_week_tally_week_idx")]  # the trend's last weeks


class LedgerImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The committed imports of the user's importing scope (``hazards.import_records.scope_key``:
        their unit); a superuser sees every one."""
        from .import_records import scope_key

        if user is None or not user.is_authenticated:
            return self.none()
        return self if user.is_superuser else self.filter(scope=scope_key(user))


class LedgerImport(models.Model):
    """A committed ledger import: the SHA-256 of the file's bytes in the importing scope (the
    importer's unit), so that the same file imported again there is noticed before it duplicates
    every hazard (``hazards.import_records``). Written in the transaction that writes the hazards."""

    sha256 = models.CharField("文件摘要（SHA-256）", max_length=64)
    scope = models.CharField("导入范围", max_length=40)  # "org:<id>", or "user:<id>" for a user without a unit
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("导入人姓名", max_length=150, blank=True)
    organisation = models.ForeignKey("accounts.Organisation", verbose_name="导入单位", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    job = models.ForeignKey("jobs.Job", verbose_name="导入任务", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    file_name = models.CharField("文件名", max_length=200, blank=True)
    rows = models.PositiveIntegerField("行数", default=0)
    created = models.PositiveIntegerField("导入隐患数", default=0)
    repeated = models.ForeignKey("self", verbose_name="确认重复导入的前次导入", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    committed_at = models.DateTimeField("导入时间", default=timezone.now)

    objects = LedgerImportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "隐患台账导入记录"
        ordering = ["-committed_at", "-id"]
        indexes = [models.Index(fields=["scope", "sha256"], name="ledger_import_scope_hash_idx")]

    def __str__(self) -> str:
        return f"{self.file_name or self.sha256[:12]}（{self.actor_name}）"


# 现场处理措施 and 强制措施 (安全生产法 第六十五条第一款第（三）项, 第七十条) live beside: hazards/measure_models.py
from .measure_models import CompulsoryMeasure, InForceQuerySet, SiteOrder  # noqa: E402,F401
