"""现场处理措施 of a major hazard (安全生产法 第六十五条第一款第（三）项: "对检查中发现的事故隐患，应当责令
立即排除；重大事故隐患排除前或者排除过程中无法保证安全的，应当责令从危险区域内撤出作业人员，责令暂时停产停业
或者停止使用相关设施、设备；重大事故隐患排除后，经审查同意，方可恢复生产经营和使用"): the department orders
the measures, and lifts them once the hazard is eliminated (销号) and reviewed. Called as ``services.*``."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.events import record
from core.services import NotPermitted, ServiceError, StaleState, lock

from . import workflow
from .acting import actor_kind
from .asof import check_not_before, check_not_future
from .models import Hazard, SiteOrder

LAW = "《中华人民共和国安全生产法》第六十五条第一款第（三）项"


def can_order(actor, hazard: Hazard) -> bool:
    """A department competent for the hazard (its region and sector, a writer) may order and lift."""
    return actor is not None and actor_kind(actor, hazard) == "department"


def _require(actor, hazard: Hazard) -> None:
    if not can_order(actor, hazard):
        raise NotPermitted("只有负责该隐患的行业主管部门可以责令采取或解除现场处理措施。")


def orderable(hazard: Hazard) -> bool:
    """The measures are for a major hazard not yet eliminated (已登记, 整改中, 待验收)."""
    return hazard.grade == "major" and hazard.status in workflow.OPEN_STATES


def open_site_order(hazard: Hazard) -> SiteOrder | None:
    """The hazard's measures in force (ordered, not lifted)."""
    return hazard.site_orders.in_force().first()


def order_site_measures(actor, hazard: Hazard, *, withdraw_workers: bool = False, halt: bool = False,
                        stop_use: bool = False, facilities: str = "", reason: str = "",
                        ordered_on: datetime.date | None = None) -> SiteOrder:
    """责令撤出作业人员 / 暂时停产停业 / 停止使用相关设施、设备 for a major hazard not yet eliminated, on
    ``ordered_on`` (default today; not in the future, not before the hazard was found). One set of
    measures in force per hazard; a ``hazard.site_order`` event on the hazard."""
    _require(actor, hazard)
    if not (withdraw_workers or halt or stop_use):
        raise ServiceError("请至少选择一项措施。", "halt")
    facilities, reason = (facilities or "").strip(), (reason or "").strip()
    if stop_use and not facilities:
        raise ServiceError("请写明停止使用的设施、设备。", "facilities")
    if not reason:
        raise ServiceError("请写明排除前或者排除过程中无法保证安全的情形。", "reason")
    ordered_on = check_not_future(ordered_on or timezone.localdate(), "ordered_on", "决定日期")
    check_not_before(ordered_on, hazard.found_on, "ordered_on", "决定日期", "隐患发现日期")
    with transaction.atomic():
        lock(hazard)  # one order at a time per hazard; its grade and state as re-read under the lock
        if not orderable(hazard):
            raise ServiceError("只能对尚未销号的重大事故隐患责令采取现场处理措施（" + LAW + "）。", "halt")
        if open_site_order(hazard) is not None:
            raise ServiceError("该隐患已有未解除的现场处理措施。", "halt")
        order = SiteOrder.objects.create(
            hazard=hazard, withdraw_workers=bool(withdraw_workers), halt=bool(halt), stop_use=bool(stop_use),
            facilities=facilities if stop_use else "", reason=reason, ordered_on=ordered_on,
            ordered_by=actor if actor is not None and actor.is_authenticated else None,
            ordered_by_org=actor.membership.organisation)
        record(actor, "hazard.site_order", hazard, note="；".join(order.measures),
               data={"site_order": order.pk, "measures": order.measures, "ordered_on": ordered_on.isoformat()})
    return order


def lift_site_order(actor, order: SiteOrder, *, opinion: str = "", lifted_on: datetime.date | None = None) -> SiteOrder:
    """经审查同意，恢复生产经营和使用: only once the hazard is eliminated (验收销号), on ``lifted_on``
    (default today; not before the order nor before the 销号), with the review's opinion; compare-and-set
    on ``lifted_on``, a ``hazard.site_order_lifted`` event."""
    hazard = order.hazard
    _require(actor, hazard)
    if order.lifted_on is not None:
        raise ServiceError(f"该现场处理措施已于{order.lifted_on:%Y-%m-%d}解除。", "opinion")
    if hazard.status != workflow.CLOSED or hazard.closed_at is None:
        raise ServiceError(f"重大事故隐患排除（验收销号）后，经审查同意，方可恢复生产经营和使用（{LAW}）。", "opinion")
    opinion = (opinion or "").strip()
    if not opinion:
        raise ServiceError("请填写审查意见。", "opinion")
    closed_on = timezone.localdate(hazard.closed_at)
    lifted_on = check_not_future(lifted_on or timezone.localdate(), "lifted_on", "解除日期")
    check_not_before(lifted_on, max(order.ordered_on, closed_on), "lifted_on", "解除日期",
                     "隐患销号日期" if closed_on >= order.ordered_on else "措施决定日期")
    with transaction.atomic():
        if SiteOrder.objects.in_force().filter(pk=order.pk).update(  # compare-and-set: still in force
                lifted_on=lifted_on, lift_opinion=opinion,
                lifted_by=actor if actor is not None and actor.is_authenticated else None) != 1:
            raise StaleState()
        order.lifted_on, order.lift_opinion = lifted_on, opinion
        record(actor, "hazard.site_order_lifted", hazard, note=opinion,
               data={"site_order": order.pk, "lifted_on": lifted_on.isoformat()})
    return order
