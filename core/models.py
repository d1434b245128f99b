"""Core models: the region-code mixin every scoped model uses, the domain event trail,
the change log of edits made outside services, the security log and the notification outbox."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .querysets import RecipientQuerySet

REGION_LEVELS = ("province", "city", "county", "township")


class RegionCodes(models.Model):
    """Denormalised region codes (one per level) of the row's place in the region tree.

    Scoping filters on exactly one of these columns with equality, which every database
    indexes well: an organisation at county 120105 sees rows whose ``county_code`` is 120105.
    """

    province_code = models.CharField("省级代码", max_length=2, blank=True, db_index=True)
    city_code = models.CharField("地级代码", max_length=4, blank=True, db_index=True)
    county_code = models.CharField("县级代码", max_length=6, blank=True, db_index=True)
    township_code = models.CharField("乡级代码", max_length=9, blank=True, db_index=True)

    class Meta:
        abstract = True

    def set_region_codes(self, region) -> None:
        """Copy the level codes of ``region`` (a ``regions.Region``) onto this row."""
        codes = region.level_codes()
        for level in REGION_LEVELS:
            setattr(self, f"{level}_code", codes.get(level, ""))

    def region_codes(self) -> dict:
        """This row's level codes as keyword arguments (``province_code=…`` …), to place a new row
        where this one is — the place as of now, kept by the new row if this one later moves."""
        return {f"{level}_code": getattr(self, f"{level}_code") for level in REGION_LEVELS}


class Event(models.Model):
    """One domain event: who did what to which object, from which state to which.

    Written only by services, inside the same transaction as the change it records
    (``core.events.record`` refuses to run outside a transaction). Never updated or deleted.
    """

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", db_index=False, db_constraint=False,  # audit column: see hazards.Hazard.Meta.indexes
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    actor_org = models.ForeignKey(
        "accounts.Organisation", verbose_name="操作单位", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", db_constraint=False,  # audit column: see hazards.Hazard.Meta.indexes
    )
    actor_role = models.CharField("角色", max_length=32, blank=True)
    verb = models.CharField("动作", max_length=64)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.BigIntegerField("对象编号")
    object_repr = models.CharField("对象", max_length=200, blank=True)
    from_state = models.CharField("原状态", max_length=32, blank=True)
    to_state = models.CharField("新状态", max_length=32, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    request_id = models.CharField("请求编号", max_length=36, blank=True)

    objects = models.QuerySet.as_manager()  # its own manager class: core.immutable guards it

    class Meta:
        verbose_name = verbose_name_plural = "业务事件"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"], name="event_object_idx")]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.verb} {self.object_repr}"


class ChangeLog(models.Model):
    """Field-level history of edits made outside the services (Django admin), NetBox style."""

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user_name = models.CharField("用户", max_length=150, blank=True)
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    pre = models.JSONField("修改前", null=True, blank=True)
    post = models.JSONField("修改后", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=36, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "变更记录"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="changelog_object_idx")]


class SecurityLog(models.Model):
    """Security-relevant happenings: logins, failures, lock-outs, role changes, exports, downloads."""

    class Kind(models.TextChoices):
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOGIN_CAPTCHA_FAILED = "login_captcha_failed", "登录验证码错误"
        LOCKED_OUT = "locked_out", "账户锁定"
        LOGOUT = "logout", "退出"
        PASSWORD_CHANGED = "password_changed", "修改密码"
        ROLE_CHANGED = "role_changed", "角色变更"
        EXPORT = "export", "导出"
        DOWNLOAD = "download", "下载"
        IDENTITY_REVEAL = "identity_reveal", "查看举报人身份"
        ACCOUNT_CREATED = "account_created", "新建账户"
        ACCOUNT_DEACTIVATED = "account_deactivated", "停用账户"
        ACCOUNT_REACTIVATED = "account_reactivated", "启用账户"
        PASSWORD_RESET = "password_reset", "重置他人密码"

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    kind = models.CharField("类型", max_length=32, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField("用户名", max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField("地址", null=True, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    request_id = models.CharField("请求编号", max_length=36, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "安全日志"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username}"


class Notification(models.Model):
    """An in-app message in a user's inbox. ``dedupe_key`` makes each alert exist at most once."""

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("类型", max_length=64)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx")]


class OutboxMessage(models.Model):
    """Every outgoing message (in-app, e-mail, SMS) is stored here before it is sent."""

    class Channel(models.TextChoices):
        INAPP = "inapp", "站内"
        EMAIL = "email", "邮件"
        SMS = "sms", "短信"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"
        SKIPPED = "skipped", "无联系方式"

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    recipient_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recipient_name = models.CharField("收件人", max_length=150, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    subject = models.CharField("主题", max_length=200)
    body = models.TextField("内容", blank=True)
    kind = models.CharField("类型", max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "发件箱"
        ordering = ["-created_at", "-id"]
        # the delivery job's chunks (core.notifications.deliver_pending: pending, id > last, in id
        # order): an index of the pending rows only, whatever the planner's statistics say — with
        # 300k messages queued after an import, stale statistics made each chunk a full scan
        indexes = [models.Index(fields=["id"], condition=models.Q(status="pending"), name="outbox_pending_idx")]

class RuleVersion(models.Model):
    """One version of one row of an editable rule table (``core.ruletables.TABLES``): the values of
    the table's versioned fields, in force from ``effective_from`` until the next version's date.
    Version 1 of every row that existed when versioning began is its value then, effective from the
    table's default date (data migration ``core/0005``). Written only by ``core.ruletables``."""

    table = models.CharField("规则表", max_length=40)
    row_id = models.BigIntegerField("条目编号")
    version = models.PositiveSmallIntegerField("版本")
    effective_from = models.DateField("施行日期")
    values = models.JSONField("取值", default=dict)
    note = models.CharField("修订说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修订人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("修订时间", default=timezone.now)
    #: when the live row was brought to this version (None: not yet in force, or not yet applied);
    #: from then on the live row *is* this version (edits outside the pages change it in place)
    applied_at = models.DateTimeField("生效时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "规则表版本"
        ordering = ["table", "row_id", "effective_from", "version"]
        permissions = [("backdate_ruleversion", "规则表修订可追溯生效（指定管理员）")]
        constraints = [
            models.UniqueConstraint(fields=["table", "row_id", "version"], name="rule_version_unique"),
            models.UniqueConstraint(fields=["table", "row_id", "effective_from"], name="rule_version_one_per_day"),
        ]
        indexes = [models.Index(fields=["table", "row_id", "effective_from"], name="rule_version_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.table}#{self.row_id} 第{self.version}版（{self.effective_from}起）"


from .api_store import IdempotencyRecord  # noqa: E402,F401  (Idempotency-Key answers, core.api_http)
