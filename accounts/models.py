"""Organisations, sectors, competence and users' memberships."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.models import RegionCodes
from core.querysets import ScopedQuerySet


class Sector(models.Model):
    """行业领域 — reference data (with sub-sectors, e.g. 工贸 → 冶金). ``high_risk`` drives
    monthly principal checks, half-yearly drills and the enterprise high-risk flag: it is changed by
    ``accounts.services.set_sector_high_risk`` only, which derives its enterprises' flag again.
    ``drill_months`` (应急预案管理办法 art. 33) is a versioned rule (core.ruletables table
    "sector-drills"): revised with an effective date on the rules page, read for a date with
    ``rows_in_force`` (the live value is the one in force today)."""

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    parent = models.ForeignKey("self", verbose_name="上级行业", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    high_risk = models.BooleanField("高危行业", default=False)
    #: at least yearly (art. 33: 每年至少组织一次综合或专项应急预案演练), at most monthly
    drill_months = models.PositiveSmallIntegerField("应急演练周期（月）", default=12,
                                                    validators=[MinValueValidator(1), MaxValueValidator(12)])
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "行业领域"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def with_descendants(self) -> set[int]:
        ids = {self.pk}
        frontier = [self.pk]
        while frontier:
            frontier = list(Sector.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.update(frontier)
        return ids


class DepartmentType(models.Model):
    """Kind of government department (应急管理局, 住房城乡建设, 商务 …) — data, not code.
    ``comprehensive`` = 综合监管: sees every sector of its region."""

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    comprehensive = models.BooleanField("综合监管部门", default=False)
    enforcement = models.BooleanField("执法部门", default=True)
    default_sectors = models.ManyToManyField(Sector, verbose_name="默认主管行业", blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = verbose_name_plural = "部门类型"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(ScopedQuerySet):
    enterprise_field = "enterprise"


class Organisation(RegionCodes):
    """A unit placed at a region: committee office, department, township office, enterprise or agency."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", "安委会办公室"
        DEPARTMENT = "department", "行业部门"
        TOWNSHIP = "township", "乡镇（街道）"
        ENTERPRISE = "enterprise", "生产经营单位"
        AGENCY = "agency", "第三方机构"

    kind = models.CharField("类型", max_length=16, choices=Kind.choices, db_index=True)
    name = models.CharField("名称", max_length=120)
    code = models.CharField("编码", max_length=40, unique=True, null=True, blank=True, help_text="可选：统一社会信用代码或内部编码")
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", on_delete=models.PROTECT, related_name="organisations")
    department_type = models.ForeignKey(DepartmentType, verbose_name="部门类型", null=True, blank=True, on_delete=models.PROTECT)
    parent = models.ForeignKey("self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    phone = models.CharField("电话", max_length=40, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "机构"
        ordering = ["region__code", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_government(self) -> bool:
        return self.kind in (self.Kind.COMMITTEE, self.Kind.DEPARTMENT, self.Kind.TOWNSHIP)

    def lead_sector_ids(self) -> set[int]:
        """Sectors this department leads (with sub-sectors) — its dispatch-table scope."""
        return self.competence_sector_ids(Competence.Role.LEAD)

    def competence_sector_ids(self, role: str | None = None) -> set[int]:
        """Sectors of this department's competences (of ``role``, or any) with their sub-sectors,
        in one statement (a recursive walk down the sector tree)."""
        from django.db import connection

        where, params = "c.department_id = %s", [self.pk]
        if role is not None:
            where, params = where + " AND c.role = %s", [*params, str(role)]
        with connection.cursor() as cur:
            cur.execute(f"WITH RECURSIVE t(id) AS (SELECT c.sector_id FROM {Competence._meta.db_table} c WHERE {where} "
                        f"UNION SELECT s.id FROM {Sector._meta.db_table} s JOIN t ON s.parent_id = t.id) SELECT id FROM t", params)
            return {row[0] for row in cur.fetchall()}


class Competence(models.Model):
    """Department × sector × region: the department leads (牵头) or assists (配合) the sector there
    (管行业必须管安全). Editable by the committee office."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头负责"
        ASSIST = "assist", "配合"

    department = models.ForeignKey(Organisation, verbose_name="部门", on_delete=models.CASCADE, related_name="competences")
    sector = models.ForeignKey(Sector, verbose_name="行业领域", on_delete=models.PROTECT, related_name="competences")
    region = models.ForeignKey("regions.Region", verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("职责", max_length=8, choices=Role.choices, default=Role.LEAD)

    class Meta:
        verbose_name = verbose_name_plural = "监管职责"
        constraints = [models.UniqueConstraint(fields=["department", "sector", "region"], name="competence_unique")]

    def __str__(self) -> str:
        return f"{self.department} · {self.sector} · {self.get_role_display()}"


class Membership(models.Model):
    """A user's place: one organisation and a role in it (one membership per user)."""

    class Role(models.TextChoices):
        VIEWER = "viewer", "查看"
        OFFICER = "officer", "经办人"
        LEADER = "leader", "负责人（审批）"
        ADMIN = "admin", "单位管理员"
        PRINCIPAL = "principal", "主要负责人"
        SAFETY_MANAGER = "safety_manager", "安全管理人员"
        STAFF = "staff", "从业人员"
        EXPERT = "expert", "专家"

    GOVERNMENT_ROLES = {Role.VIEWER, Role.OFFICER, Role.LEADER, Role.ADMIN}
    ENTERPRISE_ROLES = {Role.PRINCIPAL, Role.SAFETY_MANAGER, Role.STAFF, Role.VIEWER}

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(Organisation, verbose_name="单位", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    title = models.CharField("职务", max_length=60, blank=True)
    phone = models.CharField("手机", max_length=20, blank=True)
    is_inspector = models.BooleanField("执法检查人员", default=False)
    inspector_cert = models.CharField("执法证号", max_length=40, blank=True)
    # set when an administrator resets the password (services.reset_password), cleared when the holder
    # changes it (services.change_own_password); until then the pages lead to 修改密码 and the API is
    # refused (accounts.password_change)
    must_change_password = models.BooleanField("须修改密码", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "用户身份"

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"

    @property
    def can_write(self) -> bool:
        return self.role not in (self.Role.VIEWER, self.Role.STAFF)

    @property
    def can_approve(self) -> bool:
        return self.role in APPROVER_ROLES



#: the membership roles that approve (批准): leaders and the unit's administrators
APPROVER_ROLES = (Membership.Role.LEADER, Membership.Role.ADMIN)
