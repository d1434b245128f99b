"""强制措施 (安全生产法 第七十条) enforcing a case's 责令停产停业整顿 the unit defies: "负有安全生产监督管理职责的
部门依法对存在重大事故隐患的生产经营单位作出停产停业……的决定，生产经营单位应当依法执行……生产经营单位拒不执行，有发生
生产安全事故的现实危险的，在保证安全的前提下，经本部门主要负责人批准，……可以采取通知有关单位停止供电、停止供应民用
爆炸物品等措施" (the whole text: ``hazards.site_orders.ART_70``, marked R). The same record and checks as for a
hazard's 现场处理措施 (``hazards.site_orders.compulsion_fields``): approved by the 主要负责人 (the 负责人 role) of
the department handling the case, one set in force per decision, lifted by the department as soon as the unit
complies — and before the 复产 that lifts the suspension. The article is for a unit "存在重大事故隐患": the case
must concern a major hazard not yet eliminated (its 关联隐患 重大, not 销号), which the measures enforce the
elimination of. Called as ``enforcement.services.*``."""

import datetime

from django.db import transaction

from core.events import record
from core.services import NotPermitted, ServiceError, lock
from hazards.alerts import notify_compulsion
from hazards.site_orders import (
    ART_70_CITATION,
    PRINCIPAL_ONLY,
    compulsion_event,
    compulsion_fields,
    compulsion_lift_checks,
    lift_measure,
    orderable,
)

from .models import Case, Decision, SuspensionCompulsion

DEFIED = "责令停产停业整顿决定"


def in_force(decision: Decision) -> bool:
    """A 责令停产停业整顿 still in force: effective, not lifted by an effective 复产 decision."""
    return (decision.kind == Decision.Kind.SUSPENSION and decision.status == Decision.Status.EFFECTIVE
            and not any(r.status == Decision.Status.EFFECTIVE for r in decision.lifted_by.all()))


#: the refusal when the case concerns no major hazard not yet eliminated (第七十条: "对存在重大事故隐患的生产经营单位")
NO_MAJOR_HAZARD = (f"强制措施只用于对存在重大事故隐患的生产经营单位作出的责令停产停业整顿决定（{ART_70_CITATION}）："
                   "本案未关联尚未销号的重大事故隐患。")


def concerns_major_hazard(case) -> bool:
    """The case's 关联隐患 is a major hazard not yet eliminated (已登记, 整改中, 待验收): what 第七十条's measures
    enforce the elimination of. A case without one (a fine for a missing ledger, a general hazard) has none."""
    return case.hazard_id is not None and orderable(case.hazard)


def may_compel(actor, case) -> bool:
    """The department handling the case, through its 主要负责人 (the 负责人 role; a superuser)."""
    from accounts.models import Membership

    from .services import can_handle

    if actor is None or not actor.is_authenticated or not can_handle(actor, case):
        return False
    return actor.is_superuser or actor.membership.role == Membership.Role.LEADER


def enforceable(decision: Decision) -> bool:
    """A suspension in force with no 强制措施 in force yet (its measures prefetched on the page), of a case
    concerning a major hazard not yet eliminated."""
    return (in_force(decision) and not any(m.lifted_on is None for m in decision.compulsory_measures.all())
            and concerns_major_hazard(decision.case))


def _tell(case, measure, *, lifted: bool = False) -> None:
    notify_compulsion(case.enterprise, case, f"/enforcement/cases/{case.pk}/", case.number, measure, defied=DEFIED,
                      lifted=lifted)


def take_suspension_measures(actor, decision: Decision, **fields) -> SuspensionCompulsion:
    """强制措施 against a unit defying the case's 责令停产停业整顿 ``decision``: the 主要负责人 of the department
    handling the case approves; ``fields`` as ``compulsion_fields`` checks them (not before the decision's
    day). One set in force per decision; a ``case.compulsory_measure`` event on the case; the unit is told."""
    from .services import _decision_org, _require_handler

    case = decision.case
    _require_handler(actor, case)
    if not may_compel(actor, case):
        raise NotPermitted(PRINCIPAL_ONLY)
    # the deciding unit: the 主要负责人's department (a superuser without one acts for the department handling the case)
    values = compulsion_fields(actor, _decision_org(actor, case), floor=decision.decided_on, floor_name="责令停产停业整顿决定日期", **fields)
    with transaction.atomic():
        lock(case)  # one set in force per decision; the decision as re-read under the lock (复产 and 撤销 take it too)
        decision = Decision.objects.get(pk=decision.pk)
        if not in_force(decision):
            raise ServiceError(f"强制措施只用于尚未解除的责令停产停业整顿决定（{ART_70_CITATION}）。", "stop_power")
        if decision.compulsory_measures.in_force().exists():
            raise ServiceError("该责令停产停业整顿决定已有未解除的强制措施。", "stop_power")
        if not concerns_major_hazard(Case.objects.select_related("hazard").get(pk=case.pk)):  # as it stands under the lock
            raise ServiceError(NO_MAJOR_HAZARD, "stop_power")
        measure = SuspensionCompulsion.objects.create(suspension=decision, **values)
        record(actor, "case.compulsory_measure", case, note="；".join(measure.measures),
               data={"decision": decision.pk, **compulsion_event(measure)})
        _tell(case, measure)
    return measure


def lift_suspension_measures(actor, measure: SuspensionCompulsion, *, note: str = "",
                             lifted_on: datetime.date | None = None) -> SuspensionCompulsion:
    """及时解除 (第七十条第二款) once the unit performs the decision and takes the measures that eliminate the
    hazard — written in ``note``; on ``lifted_on`` (default today; not before the approval); the department
    handling the case; compare-and-set on ``lifted_on``, a ``case.compulsory_measure_lifted`` event."""
    from .services import _require_handler

    case = measure.suspension.case
    _require_handler(actor, case)
    note, lifted_on = compulsion_lift_checks(measure, note, lifted_on)
    with transaction.atomic():
        lift_measure(actor, measure, case, "case.compulsory_measure_lifted", lifted_on, lift_note=note)
        _tell(case, measure, lifted=True)
    return measure


def check_none_in_force(decision: Decision, what: str) -> None:
    """A 复产 or a 撤销 of ``decision`` (a suspension) waits for its 强制措施 to be lifted (call under the case's lock)."""
    if decision.kind == Decision.Kind.SUSPENSION and decision.compulsory_measures.in_force().exists():
        raise ServiceError(f"该责令停产停业整顿决定的强制措施（停止供电等）尚未解除，请先解除后再{what}"
                           f"（{ART_70_CITATION}）。", "reason")
