"""The measures a department takes on a major hazard: 现场处理措施 (安全生产法 第六十五条第一款第（三）项)
and the 强制措施 that enforce them (第七十条). Models of the hazards app (imported by ``hazards.models``)."""

from django.conf import settings
from django.db import models

from .models import Hazard


class InForceQuerySet(models.QuerySet):
    """Measures that are lifted on a day (``lifted_on``): a 现场处理措施, a 强制措施."""

    def in_force(self):
        """Measures taken and not lifted (for a 现场处理措施: no review agreed to resume yet)."""
        return self.filter(lifted_on__isnull=True)

    def held(self):
        """The ids of what such measures in force hold (a subquery): the hazards of 现场处理措施 and of their
        强制措施, the cases of a 责令停产停业整顿's 强制措施 (``held_path`` of the model). The lists' filters
        (``site_order`` / ``compulsion``) and the home cards that link to them count the same."""
        return self.in_force().values(self.model.held_path)


class SiteOrder(models.Model):
    """现场处理措施 of a major hazard (安全生产法 第六十五条第一款第（三）项): where the hazard cannot be
    kept safe before or while it is eliminated, the department orders the workers out of the danger
    zone, a temporary stop of production or business, or the stop of the facilities and equipment
    concerned; production resumes only after the hazard is eliminated and the department reviewed
    and agreed (``lifted_on``, ``lift_opinion``). Not a penalty (行政处罚法 第九条 names 责令停产停业 as
    one; this is the measure of the inspection): it needs no case. Written only by
    ``hazards.site_orders``; read through its hazard (scoped)."""

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="site_orders")
    withdraw_workers = models.BooleanField("责令从危险区域内撤出作业人员", default=False)
    halt = models.BooleanField("责令暂时停产停业", default=False)
    stop_use = models.BooleanField("责令停止使用相关设施、设备", default=False)
    facilities = models.CharField("停止使用的设施、设备", max_length=200, blank=True)
    reason = models.TextField("理由（排除前或者排除过程中无法保证安全的情形）")
    ordered_on = models.DateField("决定日期")
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    ordered_by_org = models.ForeignKey("accounts.Organisation", verbose_name="决定机关", on_delete=models.PROTECT,
                                       related_name="+")
    lifted_on = models.DateField("解除日期（经审查同意恢复）", null=True, blank=True)
    lift_opinion = models.TextField("审查意见", blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    objects = InForceQuerySet.as_manager()
    held_path = "hazard_id"  # InForceQuerySet.held: the hazard an order holds

    class Meta:
        verbose_name = verbose_name_plural = "现场处理措施"
        ordering = ["-ordered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.hazard.number} 现场处理措施（{self.ordered_on:%Y-%m-%d}）"

    @property
    def number(self) -> str:
        return f"{self.hazard.number}-XC{self.pk or 0:02d}"

    @property
    def measures(self) -> list[str]:
        """The measures ordered, as the law words them."""
        return [label for on, label in ((self.withdraw_workers, "从危险区域内撤出作业人员"), (self.halt, "暂时停产停业"),
                                        (self.stop_use, f"停止使用{self.facilities or '相关设施、设备'}")) if on]


class CompulsionFields(models.Model):
    """What a 强制措施 of 安全生产法 第七十条 records, whichever decision it enforces — a 现场处理措施 of a hazard
    (``CompulsoryMeasure``) or a case's 责令停产停业整顿 (``enforcement.SuspensionCompulsion``): the measures, the
    units told in writing, the defiance and the danger, the 主要负责人's approval, the notice to the unit and
    when they take effect, an emergency, and their lifting. Checked by ``hazards.site_orders.compulsion_fields``."""

    stop_power = models.BooleanField("通知有关单位停止供电", default=False)
    stop_explosives = models.BooleanField("通知有关单位停止供应民用爆炸物品", default=False)
    other_measures = models.CharField("其他强制措施", max_length=200, blank=True)
    notified_units = models.CharField("书面通知的有关单位", max_length=200)
    defiance = models.TextField("生产经营单位拒不执行的情形")
    danger = models.TextField("有发生生产安全事故的现实危险")
    decided_on = models.DateField("批准日期")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准人（本部门主要负责人）", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_by_name = models.CharField("批准人姓名", max_length=60)
    decided_by_org = models.ForeignKey("accounts.Organisation", verbose_name="决定机关", on_delete=models.PROTECT,
                                       related_name="+")
    enterprise_notified_at = models.DateTimeField("通知生产经营单位的时间", null=True, blank=True)
    takes_effect_at = models.DateTimeField("措施实施时间")
    emergency = models.BooleanField("危及生产安全的紧急情形", default=False)
    emergency_reason = models.TextField("紧急情形", blank=True)
    lifted_on = models.DateField("解除日期", null=True, blank=True)
    lift_note = models.TextField("履行决定、消除隐患的情况", blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    objects = InForceQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def measures(self) -> list[str]:
        """The measures, as the law words them."""
        return ([m for flag, m in ((self.stop_power, "停止供电"), (self.stop_explosives, "停止供应民用爆炸物品")) if flag]
                + ([self.other_measures] if self.other_measures else []))


class CompulsoryMeasure(CompulsionFields):
    """强制措施 to enforce a 现场处理措施 the unit defies (安全生产法 第七十条, quoted in
    ``hazards.site_orders.ART_70``): with the approval of the department's 主要负责人, the department
    notifies the units concerned in writing to stop supplying power, or civil explosives, or takes a
    like measure; power is stopped no sooner than 24 hours after the unit was told, save in an emergency
    endangering safety; the measures are lifted as soon as the unit complies and eliminates the hazard.
    Written only by ``hazards.site_orders``; read through its order's hazard (scoped)."""

    site_order = models.ForeignKey(SiteOrder, verbose_name="现场处理措施", on_delete=models.PROTECT,
                                   related_name="compulsory_measures")
    held_path = "site_order__hazard_id"  # InForceQuerySet.held: the hazard under the order it enforces

    class Meta:
        verbose_name = verbose_name_plural = "强制措施（停止供电等）"
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.site_order.hazard.number} 强制措施（{self.decided_on:%Y-%m-%d}）"

    @property
    def number(self) -> str:
        return f"{self.site_order.number}-QZ{self.pk or 0:02d}"
