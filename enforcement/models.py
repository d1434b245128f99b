"""执法与信用: cases, parties, decisions (penalty, 不予处罚, 停产整顿, 移送, 按日连续处罚),
enterprise measures, typical cases, accountability, notices, credit list, repairs and bans."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from accidents.models import GRADE_CHOICES as ACCIDENT_GRADES
from core.models import RegionCodes
from hazards.measure_models import CompulsionFields

from . import workflow
from .querysets import CaseQuerySet, DecisionQuerySet, EnterpriseScopedQuerySet, OwnRegionQuerySet, PlacedQuerySet
from .transfer_clock import RECONSIDERATION_DAYS  # 第九条's 3 days (the transfer's time limits live there)

USER = settings.AUTH_USER_MODEL
ORG = "accounts.Organisation"


class PenaltyArticle(models.Model):
    """One penalty clause of 安全生产法 (2021) with its fine ranges (元) for the entity and for
    responsible persons — reference data loaded by migration (DOMAIN.md §5.1). A null range
    means the clause does not fine that party; a null minimum means "up to the maximum"."""

    article = models.PositiveSmallIntegerField("条")
    item = models.CharField("款/项", max_length=20, blank=True)
    conduct = models.CharField("违法行为", max_length=200)
    entity_min = models.DecimalField("单位罚款下限（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    entity_max = models.DecimalField("单位罚款上限（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    person_min = models.DecimalField("个人罚款下限（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    person_max = models.DecimalField("个人罚款上限（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    party_roles = models.CharField("适用当事人身份", max_length=120, blank=True,
                                   help_text="逗号分隔的当事人身份（entity, principal, other_head, safety_manager, other）；"
                                             "空表示凡设有罚款幅度的一方均可适用")

    class PriorOrder(models.TextChoices):
        """What the clause presupposes (安全生产法 "责令限期改正……逾期未改正的，处……" / "拒不执行的……"):
        an earlier correction order in the same case, whose deadline has passed / that was not executed."""
        NONE = "", "无"
        OVERDUE = "overdue", "须先行责令限期改正且逾期未改正"
        REFUSED = "refused", "须先行责令改正且拒不执行"

    prior_order = models.CharField("处罚前提", max_length=10, blank=True, default="", choices=PriorOrder.choices,
                                   help_text="逾期未改正、拒不执行的罚款须以本案先行作出的责令改正为前提")
    order_article = models.ForeignKey("self", verbose_name="责令改正所依据的条款", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      help_text="先行的责令改正须依据该条款作出（空表示本案任一责令改正）")
    # 安全生产法 arts. 95, 96: "处上一年年收入百分之…的罚款" — a person's fine as a share of the income
    # the officer records on the decision (the money range is computed from it)
    income_percent_min = models.DecimalField("个人罚款下限（上一年年收入的百分比）", max_digits=5, decimal_places=2,
                                             null=True, blank=True)
    income_percent_max = models.DecimalField("个人罚款上限（上一年年收入的百分比）", max_digits=5, decimal_places=2,
                                             null=True, blank=True)
    suspension = models.BooleanField("可责令停产停业整顿", default=False,
                                     help_text="该条款规定了责令停产停业整顿（第九十四条、第九十七条、第一百零一条逾期未改正的，"
                                               "第九十九条情节严重的，第一百零二条拒不执行的）；停产整顿决定须依据这样的条款作出")
    accident_grade = models.CharField("适用的事故等级", max_length=20, blank=True, default="", choices=ACCIDENT_GRADES,
                                      help_text="按事故等级处罚的条款（第九十五条、第一百一十四条各项）；"
                                                "案件关联事故的，须与事故等级一致")

    class Meta:
        verbose_name = verbose_name_plural = "处罚依据条款"
        ordering = ["sort_order", "article", "item"]
        constraints = [models.UniqueConstraint(fields=["article", "item"], name="penalty_article_unique")]

    def __str__(self) -> str:
        return f"安全生产法第{self.article}条{self.item}：{self.conduct}"

    @property
    def citation(self) -> str:
        return f"《中华人民共和国安全生产法》第{self.article}条{self.item}"

    def roles(self) -> set[str]:
        return {r.strip() for r in self.party_roles.split(",") if r.strip()}

    def fines_the_unit_and_its_persons(self) -> bool:
        """一案双罚: the clause punishes the unit and fines its 直接负责的主管人员和其他直接责任人员 for
        the unit's act (arts. 97, 99, 101, 102) — its roles name the unit and persons. A clause for a
        person's own duty (art. 94 the principal, art. 96 other heads) does not."""
        roles = self.roles()
        return CaseParty.Role.ENTITY in roles and bool(roles - {CaseParty.Role.ENTITY})

    @property
    def fines_by_income(self) -> bool:
        """Arts. 95, 96 (accident): the person's fine is a share of the previous year's income."""
        return self.income_percent_max is not None

    def range_for(self, party_kind: str, income=None):
        """The fine range (元) for the party; a clause fining a share of the income needs ``income``
        (without it: no range)."""
        if party_kind == CaseParty.Kind.ENTITY:
            return self.entity_min, self.entity_max
        if self.fines_by_income:
            if income is None:
                return None, None
            cent = Decimal("0.01")
            share = lambda pct: (Decimal(income) * Decimal(pct) / 100).quantize(cent)  # noqa: E731
            return share(self.income_percent_min or 0), share(self.income_percent_max)
        return self.person_min, self.person_max


class LeniencyPolicy(models.Model):
    """A jurisdiction's switch for proposing 不予处罚 on self-found, reported, rectifying hazards.
    The nearest row up the region tree applies; with no row the policy is on."""

    region = models.OneToOneField("regions.Region", verbose_name="区划", on_delete=models.CASCADE, related_name="+")
    enabled = models.BooleanField("自查自报自改不予处罚", default=True)
    note = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "不予处罚政策"

    def __str__(self) -> str:
        return f"{self.region} {'开启' if self.enabled else '关闭'}"


class Case(RegionCodes):
    """立案: one enforcement case against one enterprise, from filing to closing.
    ``origin`` is a generic reference ("inspections.finding:12", "tips.tip:5", "hazards.hazard:3").
    Its region codes are the enterprise's place when the case was filed: the case, its decisions,
    its number and its place in the dispatch figures stay there if the enterprise later moves
    (as a hazard keeps the place it was registered in)."""

    class Stage(models.TextChoices):
        FILED = workflow.FILED, "立案"
        INVESTIGATING = workflow.INVESTIGATING, "调查取证"
        NOTIFIED = workflow.NOTIFIED, "告知"
        DECIDED = workflow.DECIDED, "决定"
        EXECUTING = workflow.EXECUTING, "执行"
        CLOSED = workflow.CLOSED, "结案"

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="当事单位", on_delete=models.PROTECT, related_name="cases")
    hazard = models.ForeignKey("hazards.Hazard", verbose_name="关联隐患", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    origin = models.CharField("案件来源", max_length=80, blank=True)
    title = models.CharField("案由", max_length=200)
    facts = models.TextField("违法事实", blank=True)
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices, default=Stage.FILED, db_index=True)
    opened_by_org = models.ForeignKey(ORG, verbose_name="立案单位", on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(USER, verbose_name="承办人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    opened_on = models.DateField("立案日期", default=timezone.localdate)
    closed_on = models.DateField("结案日期", null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "执法案件"
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title[:30]}"

    @property
    def number(self) -> str:
        return f"AJ{self.county_code or '000000'}-{self.pk or 0:06d}"


class CaseParty(models.Model):
    """当事人: the entity (the enterprise) or a person with a role in it."""

    class Kind(models.TextChoices):
        ENTITY = "entity", "单位"
        PERSON = "person", "个人"

    class Role(models.TextChoices):
        ENTITY = "entity", "生产经营单位"
        PRINCIPAL = "principal", "主要负责人"
        OTHER_HEAD = "other_head", "其他负责人"
        SAFETY_MANAGER = "safety_manager", "安全生产管理人员"
        OTHER = "other", "其他直接责任人员"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    role = models.CharField("身份", max_length=16, choices=Role.choices)
    name = models.CharField("姓名/名称", max_length=150)
    position = models.CharField("职务", max_length=60, blank=True)
    # a person's 公民身份号码 (core.idnumber: validated, shown masked); rows 3.5/3.9 count persons by it
    id_number = models.CharField("公民身份号码", max_length=18, blank=True, default="")

    class Meta:
        verbose_name = verbose_name_plural = "当事人"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"


#: 安全生产法 第六十五条第一款第（三）项: "重大事故隐患排除后，经审查同意，方可恢复生产经营和使用"
RESUMPTION_BASIS = "第65条第一款(三)"


class Decision(models.Model):
    """A decision in a case about one party. Penalties carry a catalogue article and an amount
    (元) within the article's range for that party; 不予处罚 is not a penalty."""

    class Kind(models.TextChoices):
        PENALTY = "penalty", "行政处罚"
        NO_PENALTY = "no_penalty", "不予行政处罚"
        SUSPENSION = "suspension", "责令停产停业整顿"
        RESUMPTION = "resumption", "复产复查决定"
        TRANSFER = "transfer", "移送司法机关"
        DAILY_FINE = "daily_fine", "按日连续处罚"

    class Status(models.TextChoices):
        EFFECTIVE = "effective", "已生效"
        REVOKED = "revoked", "已撤销"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    party = models.ForeignKey(CaseParty, verbose_name="当事人", on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField("决定类型", max_length=12, choices=Kind.choices, db_index=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.EFFECTIVE)
    article = models.ForeignKey(PenaltyArticle, verbose_name="处罚依据", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, default=0)
    income = models.DecimalField("上一年年收入（元）", max_digits=14, decimal_places=2, null=True, blank=True,
                                 help_text="按上一年年收入比例罚款的条款（安全生产法第九十五条、第九十六条）")
    reason = models.TextField("理由", blank=True)
    dangerous_ops = models.BooleanField("涉嫌危险作业罪", default=False)
    transfer_to = models.CharField(
        "移送的公安机关", max_length=100, blank=True, default="",
        help_text="移送司法机关：接收移送的同级公安机关（《行政执法机关移送涉嫌犯罪案件的规定》第三条），移送书的主送机关；"
                  "其他决定为空")
    correction_ordered_on = models.DateField("责令改正日期", null=True, blank=True,
                                             help_text="作出责令改正之日；按日连续处罚自其次日起计算（安全生产法第一百一十二条）")
    correction_deadline = models.DateField("改正期限", null=True, blank=True)
    base = models.ForeignKey("self", verbose_name="原处罚决定", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="daily_fines", help_text="按日连续处罚所依据的原罚款决定")
    corrected_on = models.DateField("改正日期", null=True, blank=True)
    lifts = models.ForeignKey("self", verbose_name="解除的停产整顿决定", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="lifted_by",
                              help_text="复产复查决定：经复查同意恢复生产经营而解除的责令停产停业整顿决定；其他决定为空")
    act_on = models.DateField("违法行为发生日期", null=True, blank=True,
                              help_text="罚款幅度适用违法行为发生时的规定，作出决定时的规定较轻的适用新规定（行政处罚法第三十七条）")
    decided_on = models.DateField("决定日期", default=timezone.localdate, db_index=True)
    decided_by = models.ForeignKey(USER, verbose_name="决定人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by_org = models.ForeignKey(ORG, verbose_name="决定机关", null=True, on_delete=models.PROTECT, related_name="+")

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "处理决定"
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.party.name}"

    @property
    def number(self) -> str:
        return f"{self.case.number}-{self.pk or 0:03d}"

    @property
    def basis(self) -> str:
        """The 依据 cell of the case page: the clause of a fine or a suspension; a 复产 decision rests on
        安全生产法 第六十五条第一款第（三）项 (经审查同意，方可恢复生产经营)."""
        if self.article_id is not None:
            return f"第{self.article.article}条{self.article.item}"
        return RESUMPTION_BASIS if self.kind == self.Kind.RESUMPTION else ""


class SuspensionCompulsion(CompulsionFields):
    """强制措施 (安全生产法 第七十条) enforcing a case's 责令停产停业整顿 that the unit defies: the same record as
    for a hazard's 现场处理措施 (``hazards.CompulsoryMeasure``, ``CompulsionFields``), approved by the 主要负责人
    of the department handling the case; lifted as soon as the unit complies, and before the 复产 that lifts
    the suspension. Written only by ``enforcement.compulsion``; read through its decision's case (scoped)."""

    suspension = models.ForeignKey(Decision, verbose_name="责令停产停业整顿决定", on_delete=models.PROTECT,
                                   related_name="compulsory_measures")
    held_path = "suspension__case_id"  # InForceQuerySet.held: the case whose suspension it enforces

    class Meta:
        verbose_name = verbose_name_plural = "强制措施（责令停产停业整顿）"
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.suspension.number} 强制措施（{self.decided_on:%Y-%m-%d}）"

    @property
    def number(self) -> str:
        return f"{self.suspension.number}-QZ{self.pk or 0:02d}"


class TransferOutcome(models.Model):
    """What the 公安机关 did with a 移送司法机关 decision (《行政执法机关移送涉嫌犯罪案件的规定》,
    国务院令第310号, 2020年修订): 第七条 it signs the 回执 of the 移送书 (or forwards within 24 hours a
    case not in its jurisdiction, telling the transferring organ in writing); 第八条 it notifies the
    transferring organ in writing of 立案 or 不予立案; 第九条 on a 不予立案 notice the transferring organ
    may within 3 days ask it to 复议.

    Shape: a row of its own, one to one with the transfer decision, not columns on ``Decision``:
    these facts exist for transfers only (seven columns empty on every other kind of decision), they
    are the police's answer recorded later, not part of the decision (a decision allows no change but
    its status and ``corrected_on``), and "no row" says plainly "nothing recorded yet". Written only
    by ``services.record_transfer_receipt`` / ``record_transfer_outcome`` / ``request_reconsideration``;
    read through the decision (scoped by ``Decision.objects.visible_to``, hidden from enterprises)."""

    class Outcome(models.TextChoices):
        FILED = "filed", "立案"
        NOT_FILED = "not_filed", "不予立案"
        FORWARDED = "forwarded", "转送有管辖权的机关"

    decision = models.OneToOneField(Decision, verbose_name="移送决定", on_delete=models.PROTECT,
                                    related_name="transfer_outcome")
    receiving_organ = models.CharField("接收机关", max_length=100)
    received_on = models.DateField("回执签收日期")
    outcome = models.CharField("公安机关处理结果", max_length=10, choices=Outcome.choices, blank=True, default="")
    notified_on = models.DateField("书面通知日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True, default="")
    reconsideration_requested_on = models.DateField("提请复议日期", null=True, blank=True,
                                                    help_text="不予立案的，移送机关可以自接到通知之日起3日内提请复议（第九条）")
    reconsideration_result = models.CharField("复议结果", max_length=300, blank=True, default="")

    class Meta:
        verbose_name = verbose_name_plural = "移送案件公安机关处理情况"

    def __str__(self) -> str:
        return f"{self.decision} {self.receiving_organ} {self.get_outcome_display() or '已签收'}"

    @property
    def reconsideration_late(self) -> bool:
        """复议 asked more than the 3 days 第九条 gives after the 不予立案 notice (recorded all the same)."""
        return bool(self.reconsideration_requested_on and self.notified_on
                    and (self.reconsideration_requested_on - self.notified_on).days > RECONSIDERATION_DAYS)




class EnterpriseMeasure(RegionCodes):
    """曝光 / 约谈 / 联合惩戒 of an enterprise, placed where it was taken: its case's place when it
    belongs to a case, otherwise the enterprise's place on that day."""

    class Kind(models.TextChoices):
        EXPOSURE = "exposure", "曝光"
        INTERVIEW = "interview", "约谈"
        JOINT_PUNISHMENT = "joint_punishment", "联合惩戒"

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="measures")
    kind = models.CharField("措施", max_length=20, choices=Kind.choices)
    date = models.DateField("日期", default=timezone.localdate)
    note = models.CharField("说明", max_length=300, blank=True)
    organisation = models.ForeignKey(ORG, verbose_name="实施单位", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = PlacedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "曝光约谈联合惩戒"
        ordering = ["-date", "-id"]


class TypicalCase(RegionCodes):
    """公布的典型执法案例 (with the 危险作业罪 flag), placed where its case was filed."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="typical")
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("案例简介")
    dangerous_ops = models.BooleanField("危险作业罪案例", default=False)
    published_on = models.DateField("公布日期", default=timezone.localdate)
    organisation = models.ForeignKey(ORG, verbose_name="公布单位", on_delete=models.PROTECT, related_name="+")
    #: the day it was withdrawn (撤回) because the outcome it published was revoked (``services.revoke_decision``);
    #: kept, off the public page, and counted in 3.8 only at cut-offs before that day
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdrawal_reason = models.CharField("撤回原因", max_length=200, blank=True)

    objects = PlacedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "典型执法案例"
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Accountability(RegionCodes):
    """责任倒查: an official held accountable (person, measure, date)."""

    person_name = models.CharField("被问责人", max_length=60)
    id_number = models.CharField("公民身份号码", max_length=18, blank=True, default="")  # core.idnumber
    person_position = models.CharField("职务", max_length=100, blank=True)
    measure = models.CharField("问责方式", max_length=100)
    reason = models.TextField("事由", blank=True)
    date = models.DateField("日期", default=timezone.localdate)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(ORG, verbose_name="实施单位", on_delete=models.PROTECT, related_name="+")

    objects = OwnRegionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "责任倒查追责问责"
        ordering = ["-date", "-id"]


class OversightNotice(RegionCodes):
    """约谈通报街道及部门: an interview or notice addressed to a township or department."""

    class Kind(models.TextChoices):
        INTERVIEW = "interview", "约谈"
        NOTICE = "notice", "通报"

    target = models.ForeignKey(ORG, verbose_name="对象单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("方式", max_length=12, choices=Kind.choices)
    date = models.DateField("日期", default=timezone.localdate)
    reason = models.TextField("事由", blank=True)
    organisation = models.ForeignKey(ORG, verbose_name="实施单位", on_delete=models.PROTECT, related_name="+")

    objects = OwnRegionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "约谈通报街道及部门"
        ordering = ["-date", "-id"]


class CreditListing(models.Model):
    """严重失信主体名单 entry: proposed → listed → repaired / expired; proposed or listed → withdrawn when the
    行政处罚 it rests on is revoked (``credit.withdraw_unfounded``)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "拟列入"
        LISTED = "listed", "已列入"
        REPAIRED = "repaired", "已信用修复"
        EXPIRED = "expired", "期满移出"
        WITHDRAWN = "withdrawn", "依据撤销移出"

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField("列入事由")
    start = models.DateField("起始日期", default=timezone.localdate)
    duration_months = models.PositiveSmallIntegerField("期限（月）", default=36)
    # the last day in force (rules.months_after(start, duration_months)), written with them by the
    # service so that "in force on a day" is a filter in SQL (the public list pages it)
    ends_on = models.DateField("期满日期", editable=False)
    public = models.BooleanField("向社会公开", default=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    proposed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(ORG, verbose_name="提出单位", on_delete=models.PROTECT, related_name="+")

    objects = EnterpriseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "严重失信主体名单"
        ordering = ["-start", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_status_display()}"


class CreditRepair(models.Model):
    """信用修复 application and its decision (decided by someone other than the proposer)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "准予修复"
        DENIED = "denied", "不予修复"

    listing = models.ForeignKey(CreditListing, on_delete=models.PROTECT, related_name="repairs")
    statement = models.TextField("修复申请说明")
    applied_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    applied_at = models.DateTimeField(default=timezone.now)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "信用修复"
        ordering = ["-applied_at", "-id"]


class SectorBan(models.Model):
    """行业禁入 of a unit's 主要负责人 (安全生产法 第九十四条第二款): after a criminal penalty or a 撤职处分, five
    years from the end of the sentence or the day of the 处分, as the principal of any production unit; for
    responsibility for a 重大 or 特别重大 accident, for life, as the principal of a unit of the same sector.
    The term follows from the ground (``credit.ban_person``); rows recorded before the ground was required
    have none."""

    class Term(models.TextChoices):
        FIVE_YEARS = "five_years", "五年内不得担任"
        LIFETIME = "lifetime", "终身不得担任"

    class Ground(models.TextChoices):
        CRIMINAL = "criminal", "受刑事处罚"
        DISMISSAL = "dismissal", "受撤职处分"
        ACCIDENT = "accident", "对重大、特别重大生产安全事故负有责任"

    #: the term each ground carries (第九十四条第二款)
    TERMS = {Ground.CRIMINAL: Term.FIVE_YEARS, Ground.DISMISSAL: Term.FIVE_YEARS, Ground.ACCIDENT: Term.LIFETIME}

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    person_name = models.CharField("人员", max_length=60)
    ground = models.CharField("禁入依据", max_length=12, choices=Ground.choices, blank=True)
    accident = models.ForeignKey("accidents.Accident", verbose_name="负有责任的事故", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    #: the 本行业 a lifetime ban bars: the accident's 行业领域, recorded with the ban (the unit's sectors may change)
    sector = models.ForeignKey("accounts.Sector", verbose_name="禁入行业", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    term = models.CharField("期限", max_length=12, choices=Term.choices)
    start = models.DateField("起始日期", default=timezone.localdate,
                             help_text="刑罚执行完毕之日、受处分之日，或终身禁入的决定之日")
    reason = models.TextField("事由", blank=True)
    organisation = models.ForeignKey(ORG, verbose_name="决定单位", on_delete=models.PROTECT, related_name="+")

    @property
    def ends_on(self):
        """The last day of a five-year ban (None: for life). "五年内" counted from ``start``: the day before its
        fifth anniversary (29 February counts to 28 February)."""
        if self.term != self.Term.FIVE_YEARS:
            return None
        try:
            anniversary = self.start.replace(year=self.start.year + 5)
        except ValueError:
            anniversary = self.start.replace(year=self.start.year + 5, day=28) + datetime.timedelta(days=1)
        return anniversary - datetime.timedelta(days=1)

    def in_force(self, today) -> bool:
        return self.start <= today and (self.ends_on is None or today <= self.ends_on)

    def __str__(self):
        if self.term == self.Term.LIFETIME:
            scope = f"本行业（{self.sector.name}）" if self.sector_id else "本行业"
        else:
            scope = "任何"
        until = f"（{self.start:%Y-%m-%d}至{self.ends_on:%Y-%m-%d}）" if self.ends_on else f"（自{self.start:%Y-%m-%d}起）"
        return f"{self.person_name}{self.get_term_display()}{scope}生产经营单位的主要负责人{until}"

    objects = EnterpriseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "行业禁入"
        ordering = ["-start", "-id"]
