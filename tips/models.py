"""举报奖励 models: public tips, their attachments, rewards, reward policy, deadlines,
holidays and the rate-limit trail. Reporter identities are stored only encrypted (Fernet)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from accidents import workflow as accident_workflow
from core.models import RegionCodes

from . import workflow
from .querysets import DEADLINE_FIELD_BY_STATE, TipQuerySet

#: the largest sum of money (元) a fine or reward column holds (numeric(12, 2)): the forms and
#: ``services`` refuse more — beyond the column it was a 500 on PostgreSQL
MAX_MONEY = Decimal("9999999999.99")


class Tip(RegionCodes):
    """A public (or hotline) tip about a hazard. The tracking code is stored only as a SHA-256
    hash plus a short prefix; the reporter's identity only as Fernet tokens."""

    class Status(models.TextChoices):
        SUBMITTED = workflow.SUBMITTED, "已提交"
        ACCEPTED = workflow.ACCEPTED, "已受理"
        VERIFYING = workflow.VERIFYING, "核查中"
        VERIFIED = workflow.VERIFIED, "已核查"
        REWARD_DECIDED = workflow.REWARD_DECIDED, "已决定奖励"
        CLOSED = workflow.CLOSED, "已办结"
        TRANSFERRED = workflow.TRANSFERRED, "已移交"

    class Result(models.TextChoices):
        TRUE = workflow.RESULT_TRUE, "属实"
        PARTLY = workflow.RESULT_PARTLY, "部分属实"
        UNFOUNDED = workflow.RESULT_UNFOUNDED, "不属实"

    class Channel(models.TextChoices):
        ONLINE = "online", "网上举报"
        HOTLINE = "hotline", "12350热线"

    tracking_prefix = models.CharField("查询码前缀", max_length=4, db_index=True)
    tracking_hash = models.CharField("查询码摘要", max_length=64, unique=True)
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    region = models.ForeignKey("regions.Region", verbose_name="所在乡镇（街道）", on_delete=models.PROTECT, related_name="+")
    address = models.CharField("地址", max_length=200)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="被举报单位", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    enterprise_name = models.CharField("被举报单位名称", max_length=150, blank=True)
    sector = models.ForeignKey("accounts.Sector", verbose_name="行业领域", on_delete=models.PROTECT, related_name="+")
    content = models.TextField("举报内容")
    anonymous = models.BooleanField("匿名举报", default=True)
    internal_whistleblower = models.BooleanField("企业内部吹哨人", default=False)
    reporter_name_enc = models.TextField("举报人姓名（密文）", blank=True)
    reporter_phone_enc = models.TextField("举报人电话（密文）", blank=True)
    reporter_contact_enc = models.TextField("其他联系方式（密文）", blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    status_changed_at = models.DateTimeField("状态变更时间", default=timezone.now)
    assigned_org = models.ForeignKey("accounts.Organisation", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+")
    result = models.CharField("核查结果", max_length=10, choices=Result.choices, blank=True)
    result_note = models.TextField("核查情况", blank=True)
    feedback = models.TextField("向举报人反馈", blank=True)
    no_reward_reason = models.TextField("未予奖励的理由", blank=True,
                                        help_text="核查属实、符合奖励条件而未奖励即办结的理由（应奖尽奖）")
    transfer_unit = models.CharField("移交单位", max_length=120, blank=True)
    transfer_reason = models.TextField("移交理由", blank=True)
    duplicate_of = models.ForeignKey("self", verbose_name="重复举报", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="duplicates")
    hazard = models.ForeignKey("hazards.Hazard", verbose_name="关联隐患", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    fine_amount = models.DecimalField("罚款金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    accept_deadline = models.DateField("受理期限", null=True, blank=True)
    handle_deadline = models.DateField("办理期限", null=True, blank=True)
    reward_deadline = models.DateField("奖励决定期限", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    verified_at = models.DateTimeField("核查时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    # 延期办理 (≤ 30 days, once, approved by the next level — 上一级, tips.routing.next_level_office),
    # 向举报人反馈 (within 10 days of closing = verification, ``verified_at``; docs/tips.md), 复查 (the
    # reporter disputes, after the feedback)
    extended_days = models.PositiveSmallIntegerField("延长办理天数", default=0)
    extension_reason = models.TextField("延期理由", blank=True)
    extension_requested_days = models.PositiveSmallIntegerField("申请延长天数", default=0)
    extension_requested_at = models.DateTimeField("延期申请时间", null=True, blank=True)
    extension_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="延期申请人", null=True, blank=True,
                                               on_delete=models.SET_NULL, related_name="+")
    extension_approver = models.ForeignKey("accounts.Organisation", verbose_name="延期审批单位（上一级）", null=True,
                                           blank=True, on_delete=models.PROTECT, related_name="+")
    extension_decided_at = models.DateTimeField("延期审批时间", null=True, blank=True)
    extension_decision_note = models.TextField("延期审批意见", blank=True)
    extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="延期批准人", null=True, blank=True,
                                              on_delete=models.SET_NULL, related_name="+")
    feedback_due = models.DateField("反馈期限", null=True, blank=True)
    feedback_at = models.DateTimeField("反馈时间", null=True, blank=True)
    review_requested_at = models.DateTimeField("申请复查时间", null=True, blank=True)
    # who decides the 复查: the next level (上一级) above the unit that handled the tip, fixed when the
    # reporter asks (tips.handling.review_body); never a unit that handled it
    review_org = models.ForeignKey("accounts.Organisation", verbose_name="复查单位（上一级）", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    review_reason = models.TextField("复查理由", blank=True)
    review_due = models.DateField("复查期限", null=True, blank=True)
    review_result = models.TextField("复查结论", blank=True)
    review_decided_at = models.DateTimeField("复查办结时间", null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = TipQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "举报"
        ordering = ["-submitted_at", "-id"]
        permissions = [("reveal_identity", "查看举报人身份")]
        indexes = [models.Index(fields=["assigned_org", "status"], name="tip_org_status_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"JB{self.county_code or '000000'}-{self.pk or 0:06d}"

    @property
    def current_deadline(self):
        field = DEADLINE_FIELD_BY_STATE.get(self.status)
        return getattr(self, field) if field else None

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        d = self.current_deadline
        return d is not None and d < today

    @property
    def extension_pending(self) -> bool:
        return self.extension_requested_at is not None and self.extension_decided_at is None

    @property
    def has_identity(self) -> bool:
        return bool(self.reporter_name_enc or self.reporter_phone_enc or self.reporter_contact_enc)


class TipAttachment(models.Model):
    """A photo or video uploaded with a tip (type checked by magic bytes)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "照片"
        VIDEO = "video", "视频"

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    file = models.FileField("文件", upload_to="tips/%Y/%m/")
    content_type = models.CharField("格式", max_length=40)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "举报附件"
        ordering = ["id"]


ACCIDENT_GRADES = [(accident_workflow.GENERAL, "一般事故"), (accident_workflow.LARGER, "较大事故"),
                   (accident_workflow.MAJOR, "重大事故"), (accident_workflow.ESPECIALLY_MAJOR, "特别重大事故")]


class RewardPolicy(models.Model):
    """奖励标准 (data): a percentage of the fine with a floor and a cap, or a fixed amount;
    ``internal_topup_percent`` is added for internal whistle-blowers (员工报、企业查、区级核、分级奖),
    before the cap ``max_amount`` unless ``topup_above_cap``."""

    class Kind(models.TextChoices):
        PERCENT_OF_FINE = "percent", "按罚款比例"
        FIXED = "fixed", "固定金额"
        PER_DEATH = "death", "按查实死亡人数（瞒报谎报事故）"

    code = models.CharField("代码", max_length=40, db_index=True)
    version = models.PositiveSmallIntegerField("版本", default=1)
    effective_from = models.DateField("施行日期", default=datetime.date(2018, 1, 4),
                                      help_text="自该日起作出的奖励决定适用本版本")
    name = models.CharField("名称", max_length=80)
    kind = models.CharField("计算方式", max_length=8, choices=Kind.choices)
    percent = models.DecimalField("比例（%）", max_digits=5, decimal_places=2, default=0)
    min_amount = models.DecimalField("最低（元）", max_digits=12, decimal_places=2, default=0)
    max_amount = models.DecimalField("最高（元）", max_digits=12, decimal_places=2, default=0)
    fixed_amount = models.DecimalField("固定金额/每名死亡人员金额（元）", max_digits=12, decimal_places=2, default=0)
    internal_topup_percent = models.DecimalField("内部吹哨人上浮（%）", max_digits=5, decimal_places=2, default=20)
    # RULES.md §1: the national cap "at most 30 万元" (V) bounds the reward; the +20 % for internal
    # whistle-blowers is a local top-up (P) applied before it — unless a jurisdiction's row says so
    topup_above_cap = models.BooleanField("内部吹哨人上浮可超过最高额", default=False,
                                          help_text="否则先上浮、再以最高金额封顶")
    # the accident grade a per-death standard is for (瞒报谎报一般/较大/重大/特别重大事故): checked against the
    # verified deaths (国务院令第493号 art. 3, accidents.rules.grade_of) when a reward is decided
    accident_grade = models.CharField("事故等级（按死亡人数奖励的标准）", max_length=20, blank=True,
                                      choices=ACCIDENT_GRADES)
    basis = models.CharField("依据", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "举报奖励标准"
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="reward_policy_code_version")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_force(cls, code: str, on: datetime.date):
        """The version of ``code`` in force on ``on`` (latest effective_from ≤ on), or None."""
        return cls.objects.filter(code=code, effective_from__lte=on).order_by("-effective_from", "-version").first()

    @classmethod
    def in_force_ids(cls, on: datetime.date) -> list[int]:
        seen, ids = set(), []
        for p in cls.objects.filter(effective_from__lte=on, is_active=True).order_by("code", "-effective_from", "-version"):
            if p.code not in seen:
                seen.add(p.code)
                ids.append(p.pk)
        return ids


class Reward(models.Model):
    """One reward line of a tip (line 1: the reporter; line 2: the 一案双奖 second reward).
    Decided by the handling unit, approved by a leader other than the decider, then paid."""

    class Status(models.TextChoices):
        DECIDED = "decided", "待审批"
        APPROVED = "approved", "已批准"
        PAID = "paid", "已发放"

    class Line(models.TextChoices):
        REPORTER = "reporter", "举报人奖励"
        SECOND = "second", "一案双奖"

    tip = models.ForeignKey(Tip, on_delete=models.PROTECT, related_name="rewards")
    line = models.CharField("奖励项", max_length=8, choices=Line.choices, default=Line.REPORTER)
    beneficiary = models.CharField("受奖对象", max_length=120, blank=True)
    policy = models.ForeignKey(RewardPolicy, verbose_name="奖励标准", on_delete=models.PROTECT, related_name="+")
    fine_amount = models.DecimalField("罚款金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField("奖励金额（元）", max_digits=12, decimal_places=2)
    organisation = models.ForeignKey("accounts.Organisation", verbose_name="奖励单位", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DECIDED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("决定时间", default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    paid_on = models.DateField("发放日期", null=True, blank=True, db_index=True)
    method = models.CharField("发放方式", max_length=40, blank=True)
    collected = models.BooleanField("已领取", default=False)
    collect_note = models.CharField("领取方式说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "举报奖励"
        ordering = ["tip", "line"]
        constraints = [models.UniqueConstraint(fields=["tip", "line"], name="reward_tip_line_unique")]


class DeadlineRule(models.Model):
    """Deadline of a tip stage in working or calendar days (``calendar_days``; data; defaults in
    tips.deadlines.DEFAULTS)."""

    class Stage(models.TextChoices):
        ACCEPT = "accept", "受理"
        HANDLE = "handle", "办理（自受理起）"
        # "after the case closes" (荆州: 举报事项核查处理结束后): the end of the tip's handling, which in the
        # tip workflow is the ``verify`` transition (Tip.verified_at) — docs/tips.md "Closing of the case"
        REWARD = "reward", "奖励决定（自核查处理结束起）"
        DELISTING = "delisting", "挂牌督办摘牌验收（自申请起）"
        # 湖北 2011 / DOMAIN.md §3.2: on-site acceptance of a listed hazard within 10 days of the
        # enterprise's request (its 整改完成 submission) — supervision.extensions.acceptance_due
        LISTED_ACCEPT = "listed_accept", "挂牌督办隐患现场验收（自提交整改完成起）"
        EXTENSION = "extension", "办理延长（最多）"
        # 办结 here too is the end of the handling (verification), not the tip's ``closed`` state
        FEEDBACK = "feedback", "向举报人反馈（自核查办结起）"
        REVIEW_REQUEST = "review_request", "申请复查（自反馈起）"
        REVIEW = "review", "复查办结（自申请起）"

    stage = models.CharField("环节", max_length=16, choices=Stage.choices, unique=True)
    working_days = models.PositiveSmallIntegerField("天数")
    calendar_days = models.BooleanField("按自然日计算", default=False, help_text="否则按工作日（含法定节假日调整）计算")
    basis = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "举报办理期限"

    def __str__(self) -> str:
        return f"{self.get_stage_display()}：{self.working_days}{'日' if self.calendar_days else '个工作日'}"


class Holiday(models.Model):
    """A public holiday (or, with ``is_workday``, a make-up working weekend day 调休)."""

    date = models.DateField("日期", unique=True)
    name = models.CharField("名称", max_length=40, blank=True)
    is_workday = models.BooleanField("调休上班", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "节假日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name or ''}{'（调休上班）' if self.is_workday else ''}".strip()


class TipAttempt(models.Model):
    """One public submission or lookup attempt, for per-address rate limiting. Only a keyed hash of
    the address is stored, and only for the rate-limit window (``services.RATE_WINDOW``): the
    periodic job ``tips.purge_attempts`` deletes older rows — with the key, a digest of an IPv4
    address can be reversed by trying all 2^32 addresses. No tip refers to an attempt."""

    class Kind(models.TextChoices):
        SUBMIT = "submit", "提交"
        TRACK = "track", "查询"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    ip_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "举报访问记录"
        indexes = [models.Index(fields=["kind", "ip_hash", "created_at"], name="tipattempt_idx")]
