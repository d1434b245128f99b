"""判定标准 (major-hazard determination standards) and 重点检查事项 (key inspection lists).

Reference data visible to every logged-in user (not region-scoped). Wording of every item is
our own summary, never a copy of the official text. Standards are versioned: a revision is a
new ``Standard`` row (``version`` + 1, ``is_current`` moved) with copied articles and items, so an
``Item`` once cited (e.g. by a hazard) never changes under its citation.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Verified(models.TextChoices):
    VERIFIED = "V", "已核实"
    PARTIAL = "P", "部分核实"
    REPORTED = "R", "待核实"


class StandardQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def in_force(self):
        return self.filter(is_current=True, status=Standard.Status.IN_FORCE)

    def visible_to(self, user):
        """Reference data: every logged-in user sees the whole catalogue."""
        return self if user is not None and user.is_authenticated else self.none()


class Standard(models.Model):
    """One version of a determination standard (e.g. 工贸企业重大事故隐患判定标准, 2023).

    ``code`` is stable across versions (``HAZCHEM-2017``); ``version``/``is_current`` identify the
    revision. ``supersedes`` links a newer instrument to the one it repealed (a different code).
    ``cross_cutting`` standards also apply to enterprises of other sectors through their flags
    (hazchem, fire, gas, special equipment — 工贸 art.2)."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", "现行有效"
        REPEALED = "repealed", "已废止"

    code = models.CharField("编号", max_length=40, db_index=True)
    version = models.PositiveIntegerField("版本", default=1)
    is_current = models.BooleanField("当前版本", default=True, db_index=True)
    title = models.CharField("标题", max_length=200)
    short_title = models.CharField("简称", max_length=120)
    issuer = models.CharField("发布机关", max_length=120)
    doc_number = models.CharField("文号", max_length=80, blank=True)
    adopted = models.DateField("通过日期", null=True, blank=True)
    published = models.DateField("发布日期", null=True, blank=True)
    effective = models.DateField("施行日期", null=True, blank=True)
    repealed = models.DateField("废止日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.IN_FORCE, db_index=True)
    supersedes = models.ForeignKey("self", verbose_name="替代", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="superseded_by")
    sectors = models.ManyToManyField("accounts.Sector", verbose_name="适用行业", related_name="standards")
    cross_cutting = models.BooleanField("跨行业适用", default=False)
    source_note = models.TextField("来源说明", blank=True)
    verified = models.CharField("核实状态", max_length=1, choices=Verified.choices, default=Verified.REPORTED)
    items_pending = models.BooleanField("条目待录入", default=False)
    expected_item_count = models.PositiveIntegerField("应有条目数", null=True, blank=True)
    revision_note = models.CharField("修订说明", max_length=200, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "判定标准"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="standard_code_version_unique"),
            models.UniqueConstraint(fields=["code"], condition=Q(is_current=True), name="standard_one_current"),
        ]

    def __str__(self) -> str:
        return self.short_title or self.title

    @property
    def is_verified(self) -> bool:
        return self.verified == Verified.VERIFIED

    def counted_items(self):
        return self.items.filter(counts=True)


class Article(models.Model):
    """A part of a standard (条). ``number`` "" means a flat list without articles. ``sector``
    narrows an industry article to one sub-sector (工贸 art.4 → 冶金) for checklists."""

    class Category(models.TextChoices):
        MANAGEMENT = "management", "管理类"
        INDUSTRY = "industry", "行业类"
        SPECIAL = "special", "专项类"
        GENERAL = "general", "通用"
        CATCHALL = "catchall", "兜底"

    standard = models.ForeignKey(Standard, verbose_name="标准", on_delete=models.CASCADE, related_name="articles")
    number = models.CharField("条号", max_length=40, blank=True)
    title = models.CharField("标题", max_length=120, blank=True)
    category = models.CharField("类别", max_length=12, choices=Category.choices, default=Category.GENERAL)
    sector = models.ForeignKey("accounts.Sector", verbose_name="适用子行业", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "条款"
        ordering = ["standard", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="article_number_unique")]

    def __str__(self) -> str:
        return f"第{self.number}条 {self.title}" if self.number else (self.title or "条目")


class Item(models.Model):
    """One determination item (判定情形). ``code`` is stable across versions; a hazard cites one
    Item row, i.e. one version. ``counts`` is False for catch-all clauses outside the official count."""

    standard = models.ForeignKey(Standard, verbose_name="标准", on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(Article, verbose_name="条款", on_delete=models.CASCADE, related_name="items")
    code = models.CharField("条目编码", max_length=60, db_index=True)
    number = models.CharField("序号", max_length=20, blank=True)
    official_ref = models.CharField("原文位置", max_length=80, blank=True)
    summary_zh = models.CharField("摘要", max_length=200)
    summary_en = models.CharField("英文摘要", max_length=300, blank=True)
    verified = models.CharField("核实状态", max_length=1, choices=Verified.choices, default=Verified.REPORTED)
    counts = models.BooleanField("计入条目数", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "判定条目"
        ordering = ["standard", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="item_code_unique")]

    def __str__(self) -> str:
        return f"{self.citation} {self.summary_zh}".strip()

    @property
    def citation(self) -> str:
        """Where the item stands in the official text, in Chinese (第三条第（一）项), never the internal code."""
        if self.official_ref:
            return self.official_ref
        article = self.article
        head = f"第{article.number}条" if article.number.isdigit() else (article.title or "")
        number = self.number
        tail = f"第{number}项" if number and not number.startswith(("第", "（")) else number
        return f"{head}{tail}"

    @property
    def is_verified(self) -> bool:
        return self.verified == Verified.VERIFIED


class KeyInspectionListQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def visible_to(self, user):
        return self if user is not None and user.is_authenticated else self.none()


class KeyInspectionList(models.Model):
    """重点检查事项: a sector's list of key inspection points where no national standard exists.
    Versioned like standards; a department competent for the sector publishes a new version."""

    sector = models.ForeignKey("accounts.Sector", verbose_name="行业领域", on_delete=models.PROTECT,
                               related_name="key_inspection_lists")
    title = models.CharField("标题", max_length=200)
    version = models.PositiveIntegerField("版本", default=1)
    is_current = models.BooleanField("当前版本", default=True, db_index=True)
    verified = models.CharField("核实状态", max_length=1, choices=Verified.choices, default=Verified.REPORTED)
    source_note = models.TextField("来源说明", blank=True)
    note = models.CharField("修订说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", verbose_name="发布单位", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    objects = KeyInspectionListQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "重点检查事项"
        ordering = ["sector__sort_order", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["sector", "version"], name="keylist_sector_version_unique"),
            models.UniqueConstraint(fields=["sector"], condition=Q(is_current=True), name="keylist_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


class KeyInspectionItem(models.Model):
    """One point of a key inspection list (own summary)."""

    key_list = models.ForeignKey(KeyInspectionList, verbose_name="清单", on_delete=models.CASCADE, related_name="items")
    code = models.CharField("编码", max_length=60)
    summary_zh = models.CharField("摘要", max_length=200)
    summary_en = models.CharField("英文摘要", max_length=300, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "重点检查事项条目"
        ordering = ["key_list", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["key_list", "code"], name="keyitem_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.summary_zh}"
