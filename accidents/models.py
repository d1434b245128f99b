"""生产安全事故: the accident report, its casualty changes (补报), the investigation, the
responsibility decisions, the exposed-problem measures, the one-year evaluation and the
举一反三 checks. The legal numbers (grade thresholds, deadlines, who investigates) are rows of
rule tables, loaded by a data migration and editable by administrators."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import RegionCodes

from . import workflow
from .querysets import AccidentQuerySet, LessonCheckQuerySet, LessonTargetQuerySet, ThroughAccidentQuerySet

ORG = "accounts.Organisation"
USER = settings.AUTH_USER_MODEL
GRADE_CHOICES = [(workflow.GENERAL, "一般事故"), (workflow.LARGER, "较大事故"), (workflow.MAJOR, "重大事故"),
                 (workflow.ESPECIALLY_MAJOR, "特别重大事故")]


class GradeThreshold(models.Model):
    """Minimum figures of one grade (493号令 art. 3; "以上"包括本数). Any one figure reaching the
    minimum gives the grade; 一般 is what reaches none."""

    grade = models.CharField("事故等级", max_length=20, choices=GRADE_CHOICES, unique=True)
    min_deaths = models.PositiveIntegerField("死亡人数下限")
    min_injuries = models.PositiveIntegerField("重伤人数下限（含急性工业中毒）")
    min_loss = models.DecimalField("直接经济损失下限（万元）", max_digits=14, decimal_places=2)
    basis = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "事故等级标准"

    def as_threshold(self) -> workflow.Threshold:
        return workflow.Threshold(self.grade, self.min_deaths, self.min_injuries, self.min_loss)


class DeadlineRule(models.Model):
    """A legal time limit (data). ``code`` names the limit; ``amount`` is in hours or days."""

    class Code(models.TextChoices):
        REPORT_HOURS = "report_hours", "单位负责人报告时限（小时）"
        SUPPLEMENT_DAYS = "supplement_days", "伤亡人数补报期限（日）"
        INVESTIGATION_DAYS = "investigation_days", "提交调查报告期限（日）"
        EXTENSION_MAX_DAYS = "extension_max_days", "调查期限最长延长（日）"
        APPROVAL_DAYS = "approval_days", "批复期限（日）"
        APPROVAL_DAYS_ESPECIALLY_MAJOR = "approval_days_em", "特别重大事故批复期限（日）"
        EVALUATION_DAYS = "evaluation_days", "结案后评估期限（日）"

    code = models.CharField("时限", max_length=24, choices=Code.choices, unique=True)
    amount = models.PositiveIntegerField("数值")
    basis = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "事故办理时限"

    def __str__(self) -> str:
        return f"{self.get_code_display()}：{self.amount}"

    @classmethod
    def value(cls, code: str) -> int:
        return cls.objects.get(code=code).amount


class AccidentType(models.TextChoices):
    """事故类别: the twenty categories of GB 6441-1986《企业职工伤亡事故分类》 (section 5.4, 按致害原因)
    plus 道路交通事故 as its own type — a road traffic accident is investigated and counted under the
    road traffic safety law (道路交通安全法 art. 119), and 493号令 art. 13 gives it its own 补报
    window; GB 6441's 车辆伤害 is an injury by a vehicle inside the workplace (厂内机动车辆). The empty
    value 未填写 is only for reports filed before the type existed (migration accidents/0003); a
    new report must choose one of the others."""

    UNSPECIFIED = "", "未填写"
    OBJECT_STRIKE = "object_strike", "物体打击"
    VEHICLE = "vehicle", "车辆伤害"
    MACHINERY = "machinery", "机械伤害"
    LIFTING = "lifting", "起重伤害"
    ELECTRIC_SHOCK = "electric_shock", "触电"
    DROWNING = "drowning", "淹溺"
    SCALD = "scald", "灼烫"
    FIRE = "fire", "火灾"
    FALL = "fall", "高处坠落"
    COLLAPSE = "collapse", "坍塌"
    ROOF_FALL = "roof_fall", "冒顶片帮"
    WATER_INRUSH = "water_inrush", "透水"
    BLASTING = "blasting", "放炮"
    EXPLOSIVES = "explosives", "火药爆炸"
    GAS_EXPLOSION = "gas_explosion", "瓦斯爆炸"
    BOILER_EXPLOSION = "boiler_explosion", "锅炉爆炸"
    VESSEL_EXPLOSION = "vessel_explosion", "容器爆炸"
    OTHER_EXPLOSION = "other_explosion", "其它爆炸"
    POISONING = "poisoning", "中毒和窒息"
    OTHER = "other", "其它伤害"
    ROAD_TRAFFIC = "road_traffic", "道路交通事故"


#: the types a report may choose (everything but 未填写)
REPORTABLE_TYPES = [(value, label) for value, label in AccidentType.choices if value]

#: The bound of a chapter of the investigation report (技术问题专篇, 管理问题专篇) and of a part of the
#: one-year evaluation: sections of a published report, longer than a note (``core.text.TEXT_MAX``).
CHAPTER_MAX = 50_000
#: Services' bounds of texts the forms and the API declare too (the longer: ``core.text.TEXT_MAX``).
TEXT_BOUNDS = {"enterprise_name": 150, "place": 200, "leader_name": 60, "nature": 40, "doc_no": 60,
               "classify_note": 1000, "supplement_note": 1000, "reclassify_reason": 1000,
               "extend_reason": 2000, "escalate_reason": 2000, "supervise_note": 2000, "flag_note": 2000}


class SupplementWindow(models.Model):
    """An accident type with its own 补报 window (493号令 art. 13 ¶2: 道路交通事故、火灾事故 7 days);
    every other type has the general ``DeadlineRule`` ``supplement_days``. A versioned rule table
    ("accident-supplement-windows", core.ruletables): an accident uses the row in force on the day
    it occurred."""

    accident_type = models.CharField("事故类别", max_length=20, choices=REPORTABLE_TYPES, unique=True)
    days = models.PositiveIntegerField("补报期限（日）")
    basis = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "特殊补报期限（按事故类别）"
        ordering = ["accident_type"]

    def __str__(self) -> str:
        return self.get_accident_type_display()


class InvestigationAuthority(models.Model):
    """Who investigates an accident of a grade (493号令 art. 19): the people's government at a
    region level ("state" = 国务院或其授权部门)."""

    class Level(models.TextChoices):
        COUNTY = "county", "县级人民政府"
        CITY = "city", "设区的市级人民政府"
        PROVINCE = "province", "省级人民政府"
        STATE = "state", "国务院或国务院授权的有关部门"

    grade = models.CharField("事故等级", max_length=20, choices=GRADE_CHOICES, unique=True)
    level = models.CharField("调查主体", max_length=10, choices=Level.choices)
    basis = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "事故调查主体"


class Accident(RegionCodes):
    """One production-safety accident. The grade is computed from the figures on every change,
    never chosen; ``late_report`` is computed from the report deadline; 漏报/谎报/瞒报 are findings
    of the government. Status changes only through ``accidents.services``."""

    class Status(models.TextChoices):
        REPORTED = workflow.REPORTED, "已报告"
        INVESTIGATING = workflow.INVESTIGATING, "调查中"
        REPORT_SUBMITTED = workflow.REPORT_SUBMITTED, "调查报告已提交"
        CLOSED = workflow.CLOSED, "已批复结案"
        EVALUATED = workflow.EVALUATED, "评估已公开"

    class Source(models.TextChoices):
        ENTERPRISE = "enterprise", "事故单位报告"
        GOVERNMENT = "government", "政府部门报告"
        TIP = "tip", "举报核实"

    region = models.ForeignKey("regions.Region", verbose_name="发生地乡镇（街道）", on_delete=models.PROTECT, related_name="+")
    place = models.CharField("事故地点", max_length=200)
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="事故单位", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="accidents")
    enterprise_name = models.CharField("事故单位名称", max_length=150)
    sector = models.ForeignKey("accounts.Sector", verbose_name="行业领域", on_delete=models.PROTECT, related_name="+")
    accident_type = models.CharField("事故类别", max_length=20, choices=AccidentType.choices, blank=True, default="",
                                     db_index=True)
    occurred_at = models.DateTimeField("发生时间")
    learned_at = models.DateTimeField("单位负责人接到报告时间")
    reported_at = models.DateTimeField("报告时间", default=timezone.now)
    report_due_at = models.DateTimeField("报告时限")
    source = models.CharField("报告来源", max_length=12, choices=Source.choices)
    reported_by_org = models.ForeignKey(ORG, verbose_name="报告单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    #: the most deaths / injuries one accident may record (forms, API and ``acting._figures``): the
    #: columns are integers, and a number beyond them was a 500 on PostgreSQL
    MAX_CASUALTIES = 100_000

    deaths = models.PositiveIntegerField("死亡人数（含失踪）", default=0)
    injuries = models.PositiveIntegerField("重伤人数（含急性工业中毒）", default=0)
    loss = models.DecimalField("直接经济损失（万元）", max_digits=14, decimal_places=2, default=0)
    summary = models.TextField("事故简要经过")
    grade = models.CharField("事故等级", max_length=20, choices=GRADE_CHOICES, db_index=True)
    late_report = models.BooleanField("迟报", default=False)
    omitted_report = models.BooleanField("漏报", default=False)
    false_report = models.BooleanField("谎报", default=False)
    concealed = models.BooleanField("瞒报", default=False)
    flag_note = models.TextField("迟报漏报谎报瞒报认定说明", blank=True)
    supplement_until = models.DateField("补报截止日期")
    investigation_due = models.DateField("调查报告提交期限")
    approval_due = models.DateField("批复期限", null=True, blank=True)
    evaluation_due = models.DateField("评估期限", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.REPORTED, db_index=True)
    status_changed_at = models.DateTimeField("状态变更时间", default=timezone.now)
    tip = models.ForeignKey("tips.Tip", verbose_name="来源举报", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = AccidentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "生产安全事故"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["county_code", "occurred_at"], name="accident_county_time_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.enterprise_name}"

    @property
    def number(self) -> str:
        return f"SG{self.county_code or '000000'}-{self.pk or 0:05d}"

    @property
    def flags(self) -> list[str]:
        return [label for on, label in ((self.late_report, "迟报"), (self.omitted_report, "漏报"),
                                        (self.false_report, "谎报"), (self.concealed, "瞒报")) if on]

    def investigation_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status in (workflow.REPORTED, workflow.INVESTIGATING) and self.investigation_due < today


class CasualtyChange(models.Model):
    """One change of the figures (初报 and each 补报), with the grade before and after."""

    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField("时间", default=timezone.now)
    deaths = models.PositiveIntegerField("死亡人数")
    injuries = models.PositiveIntegerField("重伤人数")
    loss = models.DecimalField("直接经济损失（万元）", max_digits=14, decimal_places=2)
    grade_before = models.CharField("原等级", max_length=20, choices=GRADE_CHOICES, blank=True)
    grade_after = models.CharField("新等级", max_length=20, choices=GRADE_CHOICES)
    note = models.TextField("说明", blank=True)
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ThroughAccidentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "伤亡补报"
        ordering = ["at", "id"]


class Investigation(models.Model):
    """The investigation of one accident: authority (by grade, one level up when 提级), team and
    leader (组长负责制), deadline with at most one extension, 挂牌督办, the report with its technical
    and management chapters, and the 批复."""

    accident = models.OneToOneField(Accident, on_delete=models.CASCADE, related_name="investigation")
    level = models.CharField("调查主体层级", max_length=10, choices=InvestigationAuthority.Level.choices)
    authority_name = models.CharField("负责调查的人民政府", max_length=120)
    lead_org = models.ForeignKey(ORG, verbose_name="牵头单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    leader_name = models.CharField("调查组组长", max_length=60)
    members = models.TextField("调查组成员")
    started_on = models.DateField("成立日期", default=timezone.localdate)
    extension_days = models.PositiveIntegerField("延长天数", default=0)
    extension_reason = models.TextField("延长理由", blank=True)
    escalated = models.BooleanField("提级调查", default=False)
    escalation_reason = models.TextField("提级理由", blank=True)
    supervised = models.BooleanField("挂牌督办", default=False)
    supervised_by = models.ForeignKey(ORG, verbose_name="督办单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    supervised_on = models.DateField("督办日期", null=True, blank=True)
    supervision_note = models.TextField("督办要求", blank=True)
    cause = models.TextField("事故原因", blank=True)
    nature = models.CharField("事故性质", max_length=40, blank=True)
    technical_chapter = models.TextField("技术问题专篇", blank=True)
    management_chapter = models.TextField("管理问题专篇", blank=True)
    report_submitted_on = models.DateField("调查报告提交日期", null=True, blank=True)
    approved_on = models.DateField("批复日期", null=True, blank=True)
    approval_doc_no = models.CharField("批复文号", max_length=60, blank=True)
    approval_text = models.TextField("批复意见", blank=True)

    objects = ThroughAccidentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "事故调查"


class Responsibility(models.Model):
    """A responsibility decision of the 批复: against the enterprise or a person, linked to the
    enforcement case and/or the accountability record that carries it out."""

    class Kind(models.TextChoices):
        ENTERPRISE_PENALTY = "enterprise_penalty", "对事故单位行政处罚"
        PERSON_PENALTY = "person_penalty", "对责任人员行政处罚"
        ACCOUNTABILITY = "accountability", "对公职人员问责"
        CRIMINAL = "criminal", "移送司法机关"

    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="responsibilities")
    kind = models.CharField("处理类型", max_length=20, choices=Kind.choices)
    subject = models.CharField("处理对象", max_length=120)
    measure = models.CharField("处理意见", max_length=200)
    case = models.ForeignKey("enforcement.Case", verbose_name="执法案件", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    accountability = models.ForeignKey("enforcement.Accountability", verbose_name="问责记录", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ThroughAccidentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "责任追究"
        ordering = ["id"]


class Measure(models.Model):
    """事故暴露问题整改措施: a problem the accident exposed and the measure against it, with an
    owner and a deadline; tracked like a hazard (open → pending acceptance → closed; overdue is
    derived from the deadline)."""

    class Status(models.TextChoices):
        OPEN = workflow.M_OPEN, "整改中"
        PENDING = workflow.M_PENDING, "待验收"
        CLOSED = workflow.M_CLOSED, "已验收"

    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="measures")
    problem = models.TextField("暴露问题")
    content = models.TextField("整改措施")
    owner_org = models.ForeignKey(ORG, verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    owner_name = models.CharField("责任人", max_length=60)
    deadline = models.DateField("完成期限")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    completion_note = models.TextField("完成情况", blank=True)
    review_note = models.TextField("验收意见", blank=True)
    closed_at = models.DateTimeField("验收时间", null=True, blank=True)

    objects = ThroughAccidentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "事故暴露问题整改措施"
        ordering = ["deadline", "id"]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status != workflow.M_CLOSED and self.deadline < today


class Evaluation(models.Model):
    """结案后一年内的评估: findings on the rectification of the exposed problems, the preventive
    measures and the handling of the people responsible; published to the public."""

    accident = models.OneToOneField(Accident, on_delete=models.CASCADE, related_name="evaluation")
    rectification = models.TextField("问题整改情况")
    prevention = models.TextField("防范措施落实情况")
    handling = models.TextField("责任人处理情况")
    conclusion = models.TextField("评估结论")
    published_at = models.DateTimeField("公开时间", default=timezone.now)
    by_org = models.ForeignKey(ORG, verbose_name="评估单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = ThroughAccidentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "事故整改评估"


class LessonCheck(RegionCodes):
    """举一反三: a targeted check of same-sector (or chosen) enterprises of a region, launched from
    an accident by the committee office, with a checklist built from the exposed problems."""

    class Status(models.TextChoices):
        OPEN = "open", "进行中"
        CLOSED = "closed", "已结束"

    accident = models.ForeignKey(Accident, verbose_name="事故", on_delete=models.PROTECT, related_name="lesson_checks")
    organisation = models.ForeignKey(ORG, verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("检查名称", max_length=150)
    checklist = models.JSONField("检查清单", default=list)
    deadline = models.DateField("完成期限")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("发起时间", default=timezone.now)

    objects = LessonCheckQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "举一反三检查"
        ordering = ["-created_at", "-id"]


class LessonTarget(models.Model):
    """One enterprise of a 举一反三 check; the hazards found carry the channel 事故举一反三."""

    class Status(models.TextChoices):
        PENDING = "pending", "待检查"
        CHECKED = "checked", "已检查"

    lesson = models.ForeignKey(LessonCheck, on_delete=models.CASCADE, related_name="targets")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="生产经营单位", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING)
    note = models.TextField("检查情况", blank=True)
    checked_on = models.DateField("检查日期", null=True, blank=True)
    checked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    hazards = models.ManyToManyField("hazards.Hazard", verbose_name="发现隐患", blank=True, related_name="lesson_targets")

    objects = LessonTargetQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "举一反三检查对象"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["lesson", "enterprise"], name="lesson_target_unique")]
