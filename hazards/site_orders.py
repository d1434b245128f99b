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
from .alerts import notify_compulsory_measure, notify_site_order
from .asof import check_not_before, check_not_future
from .models import CompulsoryMeasure, Hazard, SiteOrder

LAW = "《中华人民共和国安全生产法》第六十五条第一款第（三）项"
ART_70_CITATION = "《中华人民共和国安全生产法》第七十条"
#: 安全生产法 (2021) 第七十条, as quoted from the law (not one of the seed documents: docs/hazards.md marks it R)
ART_70 = ("负有安全生产监督管理职责的部门依法对存在重大事故隐患的生产经营单位作出停产停业、停止施工、停止使用相关设施或者"
          "设备的决定，生产经营单位应当依法执行，及时消除事故隐患。生产经营单位拒不执行，有发生生产安全事故的现实危险的，"
          "在保证安全的前提下，经本部门主要负责人批准，负有安全生产监督管理职责的部门可以采取通知有关单位停止供电、停止供应"
          "民用爆炸物品等措施，强制生产经营单位履行决定。通知应当采用书面形式，有关单位应当予以配合。负有安全生产监督管理职责"
          "的部门依照前款规定采取停止供电措施，除有危及生产安全的紧急情形外，应当提前二十四小时通知生产经营单位。生产经营单位"
          "依法履行行政决定、采取相应措施消除事故隐患的，负有安全生产监督管理职责的部门应当及时解除前款规定的措施。")
#: the refusal to anyone but the 主要负责人 (第七十条: "经本部门主要负责人批准"), on pages, API and services alike
PRINCIPAL_ONLY = f"强制措施须经本部门主要负责人批准，由主要负责人办理（{ART_70_CITATION}）。"
#: how long before power is stopped the unit must be told (第七十条第二款), save in an emergency
POWER_NOTICE = datetime.timedelta(hours=24)


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
        notify_site_order(hazard, order)
    return order


def enforceable(order: SiteOrder) -> bool:
    """第七十条 enforces a decision to stop production or business, or the use of facilities (停产停业、停止
    使用相关设施或者设备): an order in force that ordered 暂时停产停业 or 停止使用 (not one that only withdrew
    the workers), with no compulsory measures in force yet, while its hazard is a major one not yet eliminated
    (第七十条 is for a unit "存在重大事故隐患"; once it is 销号 the order waits for its 审查 and lifting, not for force)."""
    return (order.lifted_on is None and (order.halt or order.stop_use)
            and not any(m.lifted_on is None for m in order.compulsory_measures.all())  # prefetched on the page
            and orderable(order.hazard))


def may_approve_compulsion(actor, hazard: Hazard) -> bool:
    """The department competent for the hazard, through its 主要负责人 (the 负责人 role; a superuser)."""
    from accounts.models import Membership

    if not can_order(actor, hazard):
        return False
    return actor.is_superuser or actor.membership.role == Membership.Role.LEADER


def take_compulsory_measures(actor, order: SiteOrder, *, stop_power: bool = False, stop_explosives: bool = False,
                             other_measures: str = "", notified_units: str = "", defiance: str = "", danger: str = "",
                             takes_effect_at: datetime.datetime | None = None,
                             enterprise_notified_at: datetime.datetime | None = None, emergency: bool = False,
                             emergency_reason: str = "", decided_on: datetime.date | None = None) -> CompulsoryMeasure:
    """强制措施 (安全生产法 第七十条) against a unit defying ``order``: approved by the department's
    主要负责人 (the actor), the units concerned notified in writing (``notified_units``) to stop the power
    or the civil explosives, or another measure; the unit's defiance and the real danger written; power
    stopped no sooner than 24 hours after the unit was told, unless an emergency endangering safety is
    written. One set in force per order; a ``hazard.compulsory_measure`` event on the hazard."""
    hazard = order.hazard
    _require(actor, hazard)
    if not may_approve_compulsion(actor, hazard):
        raise NotPermitted(PRINCIPAL_ONLY)
    fields = compulsion_fields(
        actor, actor.membership.organisation, floor=order.ordered_on, floor_name="现场处理措施决定日期", stop_power=stop_power,
        stop_explosives=stop_explosives, other_measures=other_measures, notified_units=notified_units,
        defiance=defiance, danger=danger, takes_effect_at=takes_effect_at, enterprise_notified_at=enterprise_notified_at,
        emergency=emergency, emergency_reason=emergency_reason, decided_on=decided_on)
    with transaction.atomic():
        lock(hazard)  # one set in force per order; the order as re-read under the lock
        order = SiteOrder.objects.get(pk=order.pk)
        if not (order.lifted_on is None and (order.halt or order.stop_use)):
            raise ServiceError("强制措施只用于尚未解除的责令暂时停产停业或者停止使用相关设施、设备的决定"
                               f"（{ART_70_CITATION}）。", "stop_power")
        if order.compulsory_measures.in_force().exists():
            raise ServiceError("该现场处理措施已有未解除的强制措施。", "stop_power")
        if not orderable(hazard):  # as re-read under the lock: eliminated (销号), voided or merged meanwhile
            raise ServiceError(f"强制措施只用于尚未消除的重大事故隐患（{ART_70_CITATION}）：该隐患的状态为“{hazard.get_status_display()}”，"
                               "请审查后解除现场处理措施。", "stop_power")
        measure = CompulsoryMeasure.objects.create(site_order=order, **fields)
        record(actor, "hazard.compulsory_measure", hazard, note="；".join(measure.measures),
               data={"site_order": order.pk, **compulsion_event(measure)})
        notify_compulsory_measure(hazard, measure)
    return measure


def compulsion_event(measure) -> dict:
    """What the event of a 强制措施 records (beside the decision it enforces)."""
    return {"compulsory_measure": measure.pk, "measures": measure.measures, "notified_units": measure.notified_units,
            "decided_on": measure.decided_on.isoformat(), "takes_effect_at": measure.takes_effect_at.isoformat(),
            "emergency": measure.emergency}


def compulsion_fields(actor, org, *, floor: datetime.date, floor_name: str, stop_power: bool = False,
                      stop_explosives: bool = False, other_measures: str = "", notified_units: str = "",
                      defiance: str = "", danger: str = "", takes_effect_at: datetime.datetime | None = None,
                      enterprise_notified_at: datetime.datetime | None = None, emergency: bool = False,
                      emergency_reason: str = "", decided_on: datetime.date | None = None) -> dict:
    """The checks of 第七十条 on a 强制措施, whichever decision it enforces (approved not before ``floor``,
    the day of that decision, named ``floor_name``): a measure, the units told in writing, the defiance,
    the real danger, when it takes effect (not before the approval), the notice to the unit (a fact: not in
    the future, not after the effect; 24 hours before a power stop unless an emergency is written). Returns
    the record's values, the approving 主要负责人 (``actor``) and the deciding unit ``org`` included;
    ServiceError on its field."""
    other_measures, notified_units = (other_measures or "").strip(), (notified_units or "").strip()
    defiance, danger, emergency_reason = (defiance or "").strip(), (danger or "").strip(), (emergency_reason or "").strip()
    if not (stop_power or stop_explosives or other_measures):
        raise ServiceError("请至少选择一项措施（停止供电、停止供应民用爆炸物品或其他措施）。", "stop_power")
    if not notified_units:
        raise ServiceError("请写明书面通知的有关单位（如供电企业、民用爆炸物品供应单位）。", "notified_units")
    if not defiance:
        raise ServiceError("请写明生产经营单位拒不执行决定的情形。", "defiance")
    if not danger:
        raise ServiceError("请写明有发生生产安全事故的现实危险。", "danger")
    if takes_effect_at is None:
        raise ServiceError("请填写措施实施时间。", "takes_effect_at")
    decided_on = check_not_future(decided_on or timezone.localdate(), "decided_on", "批准日期")
    check_not_before(decided_on, floor, "decided_on", "批准日期", floor_name)
    if timezone.localdate(takes_effect_at) < decided_on:
        raise ServiceError("措施实施时间不能早于批准日期。", "takes_effect_at")
    if enterprise_notified_at is not None and enterprise_notified_at > timezone.now():
        raise ServiceError("通知生产经营单位的时间不能晚于现在（请在通知后登记）。", "enterprise_notified_at")
    if enterprise_notified_at is not None and enterprise_notified_at > takes_effect_at:
        raise ServiceError("通知生产经营单位的时间不能晚于措施实施时间。", "enterprise_notified_at")
    if emergency and not emergency_reason:
        raise ServiceError("请写明危及生产安全的紧急情形。", "emergency_reason")
    if stop_power and not emergency:
        if enterprise_notified_at is None:
            raise ServiceError("停止供电应当提前二十四小时通知生产经营单位：请填写通知时间"
                               f"（危及生产安全的紧急情形除外，{ART_70_CITATION}第二款）。", "enterprise_notified_at")
        if takes_effect_at - enterprise_notified_at < POWER_NOTICE:
            raise ServiceError("停止供电应当提前二十四小时通知生产经营单位：实施时间须在通知后二十四小时以后"
                               f"（危及生产安全的紧急情形除外，{ART_70_CITATION}第二款）。", "takes_effect_at")
    return {"stop_power": bool(stop_power), "stop_explosives": bool(stop_explosives), "other_measures": other_measures,
            "notified_units": notified_units, "defiance": defiance, "danger": danger, "decided_on": decided_on,
            "approved_by": actor if actor.is_authenticated else None,
            "approved_by_name": (actor.get_full_name() or actor.get_username())[:60],
            "decided_by_org": org, "enterprise_notified_at": enterprise_notified_at,
            "takes_effect_at": takes_effect_at, "emergency": bool(emergency),
            "emergency_reason": emergency_reason if emergency else ""}


def lift_compulsory_measures(actor, measure: CompulsoryMeasure, *, note: str = "",
                             lifted_on: datetime.date | None = None) -> CompulsoryMeasure:
    """及时解除 (第七十条第二款): the unit performs the decision and takes the measures that eliminate the
    hazard — written in ``note``; on ``lifted_on`` (default today; not before the measures were approved);
    compare-and-set on ``lifted_on``, a ``hazard.compulsory_measure_lifted`` event."""
    hazard = measure.site_order.hazard
    _require(actor, hazard)
    note, lifted_on = compulsion_lift_checks(measure, note, lifted_on)
    with transaction.atomic():
        lift_measure(actor, measure, hazard, "hazard.compulsory_measure_lifted", lifted_on, lift_note=note)
        notify_compulsory_measure(hazard, measure, lifted=True)
    return measure


def compulsion_lift_checks(measure, note: str, lifted_on: datetime.date | None) -> tuple[str, datetime.date]:
    """The checks of a 强制措施's lifting, whichever decision it enforces: not lifted yet, the unit's compliance
    written, dated not in the future and not before the approval. Returns the note and the day."""
    if measure.lifted_on is not None:
        raise ServiceError(f"该强制措施已于{measure.lifted_on:%Y-%m-%d}解除。", "note")
    note = (note or "").strip()
    if not note:
        raise ServiceError("请写明生产经营单位履行决定、消除事故隐患的情况。", "note")
    lifted_on = check_not_future(lifted_on or timezone.localdate(), "lifted_on", "解除日期")
    check_not_before(lifted_on, measure.decided_on, "lifted_on", "解除日期", "强制措施批准日期")
    return note, lifted_on


def lift_measure(actor, row, obj, verb: str, lifted_on: datetime.date, **text) -> None:
    """Lift ``row`` (a SiteOrder, or a 强制措施 of a hazard or of a case) on ``lifted_on`` with its ``text``
    (the opinion, the note): compare-and-set on it still being in force (StaleState otherwise), ``verb`` on
    ``obj`` (the hazard, the case)."""
    by = actor if actor is not None and actor.is_authenticated else None
    if type(row).objects.in_force().filter(pk=row.pk).update(lifted_on=lifted_on, lifted_by=by, **text) != 1:
        raise StaleState()
    row.lifted_on = lifted_on
    for name, value in text.items():
        setattr(row, name, value)
    key = "site_order" if isinstance(row, SiteOrder) else "compulsory_measure"
    record(actor, verb, obj, note=next(iter(text.values())),
           data={key: row.pk, "lifted_on": lifted_on.isoformat()})


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
        lock(hazard)  # no 强制措施 taken meanwhile (take_compulsory_measures holds the same lock)
        if order.compulsory_measures.in_force().exists():
            raise ServiceError(f"该现场处理措施的强制措施（停止供电等）尚未解除，请先解除（{ART_70_CITATION}）。", "opinion")
        lift_measure(actor, order, hazard, "hazard.site_order_lifted", lifted_on, lift_opinion=opinion)
        notify_site_order(hazard, order, lifted=True)
    return order
