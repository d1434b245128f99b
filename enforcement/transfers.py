"""Writers of what the 公安机关 did with a 移送司法机关 decision — the 回执, 立案 / 不予立案 / 转送 and a
复议 request — split out of ``enforcement.services`` by responsibility (listed in its SERVICE_MODULES,
re-exported there, so callers keep using ``enforcement.services``); the actor and stage checks are that
module's. Guard, one transaction under the decision's row lock, one event in the same transaction.

《行政执法机关移送涉嫌犯罪案件的规定》(国务院令第310号, 2020年修订): 第七条 the 公安机关 signs the 回执
of the 移送书 (or forwards a case outside its jurisdiction within 24 hours and tells the transferring
organ in writing); 第八条 it notifies in writing 立案 or 不予立案; 第九条 after 不予立案 the transferring
organ may ask it within 3 days to 复议. The answer comes after the transfer, often after the case has
gone on: it is recorded in every stage a transfer can exist in, and also once the case is closed —
a closed case is not read-only here (撤销, measures, listings and typical cases follow closure too),
and the police's review may outlast the administrative case (FORM_STAGES["transfer_receipt"] …)."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.events import record
from core.services import ServiceError, StaleState, lock

from . import services
from .models import Decision, TransferOutcome


def _transfer_for_outcome(actor, decision: Decision, form: str, what: str) -> Decision:
    """The handler, the stage, and an effective 移送司法机关 decision (re-read under its row lock)."""
    case = decision.case
    services._require_handler(actor, case)
    services._check_form_stage(case, form, what)
    if decision.kind != Decision.Kind.TRANSFER:
        raise ServiceError("请选择本案的移送司法机关决定。", "decision")
    if decision.status != Decision.Status.EFFECTIVE:
        raise ServiceError("该移送决定已撤销，不能登记公安机关处理情况。", "decision")
    return decision


def _police_day(value, decision: Decision, field: str, label: str) -> datetime.date:
    """A day of the police's answer: given, not after today, not before the transfer was decided."""
    if value is None:
        raise ServiceError(f"请填写{label}。", field)
    if value > timezone.localdate():
        raise ServiceError(f"{label}不能晚于今天。", field)
    if value < decision.decided_on:
        raise ServiceError(f"{label}不能早于移送日期（{decision.decided_on:%Y-%m-%d}）。", field)
    return value


def _locked_outcome(decision: Decision) -> TransferOutcome | None:
    locked = lock(decision)
    if locked.status != Decision.Status.EFFECTIVE:
        raise StaleState()
    return TransferOutcome.objects.filter(decision=locked).first()


def record_transfer_receipt(actor, decision: Decision, *, received_on: datetime.date,
                            receiving_organ: str = "") -> TransferOutcome:
    """第七条: the 公安机关 ``receiving_organ`` — blank: the one the transfer went to (``transfer_to``, the
    移送书's addressee) — signed the 回执 of the 移送书 on ``received_on`` (not in the future, not before
    the transfer). Recorded again with other values it is corrected (not to a
    day after a written notice already recorded). One ``case.transfer_received`` event; the same
    values again write nothing."""
    _transfer_for_outcome(actor, decision, "transfer_receipt", "登记移送回执")
    receiving_organ = (receiving_organ or "").strip() or decision.transfer_to
    if not receiving_organ:  # a transfer recorded before it named its 公安机关
        raise ServiceError("请填写接收移送的公安机关。", "receiving_organ")
    if len(receiving_organ) > 100:
        raise ServiceError("接收机关名称不能超过100字。", "receiving_organ")
    received_on = _police_day(received_on, decision, "received_on", "回执签收日期")
    with transaction.atomic():
        row = _locked_outcome(decision)
        if row is not None and (row.receiving_organ, row.received_on) == (receiving_organ, received_on):
            return row
        if row is not None and row.notified_on and received_on > row.notified_on:
            raise ServiceError(f"回执签收日期不能晚于已登记的书面通知日期（{row.notified_on:%Y-%m-%d}）。", "received_on")
        if row is None:
            row = TransferOutcome.objects.create(decision=decision, receiving_organ=receiving_organ,
                                                 received_on=received_on)
        else:
            TransferOutcome.objects.filter(pk=row.pk).update(receiving_organ=receiving_organ, received_on=received_on)
            row.receiving_organ, row.received_on = receiving_organ, received_on
        record(actor, "case.transfer_received", decision.case,
               data={"decision": decision.pk, "receiving_organ": receiving_organ, "received_on": received_on.isoformat()})
    return row


def record_transfer_outcome(actor, decision: Decision, *, outcome: str, notified_on: datetime.date,
                            note: str = "") -> TransferOutcome:
    """第八条 (立案 / 不予立案) or 第七条 (转送有管辖权的机关): what the 公安机关 notified in writing on
    ``notified_on`` — only once its 回执 is recorded, not before the day it signed it. Once a 复议 is
    recorded the 不予立案 it answers stays. One ``case.transfer_outcome`` event; the same values again
    write nothing."""
    _transfer_for_outcome(actor, decision, "transfer_outcome", "登记公安机关处理结果")
    if outcome not in TransferOutcome.Outcome.values:
        raise ServiceError("请选择公安机关的处理结果。", "outcome")
    notified_on = _police_day(notified_on, decision, "notified_on", "书面通知日期")
    note = (note or "").strip()
    if len(note) > 300:
        raise ServiceError("说明不能超过300字。", "note")
    with transaction.atomic():
        row = _locked_outcome(decision)
        if row is None:
            raise ServiceError("请先登记公安机关签收移送书回执的情况。", "outcome")
        if notified_on < row.received_on:
            raise ServiceError(f"书面通知日期不能早于回执签收日期（{row.received_on:%Y-%m-%d}）。", "notified_on")
        if (row.outcome, row.notified_on, row.note) == (outcome, notified_on, note):
            return row
        if row.reconsideration_requested_on is not None:
            if outcome != TransferOutcome.Outcome.NOT_FILED:
                raise ServiceError("已登记对不予立案提请复议，处理结果不能再改。", "outcome")
            if notified_on > row.reconsideration_requested_on:
                raise ServiceError(f"书面通知日期不能晚于已登记的提请复议日期（{row.reconsideration_requested_on:%Y-%m-%d}）。",
                                   "notified_on")
        TransferOutcome.objects.filter(pk=row.pk).update(outcome=outcome, notified_on=notified_on, note=note)
        row.outcome, row.notified_on, row.note = outcome, notified_on, note
        record(actor, "case.transfer_outcome", decision.case, note=note,
               data={"decision": decision.pk, "outcome": outcome, "notified_on": notified_on.isoformat()})
    return row


def request_reconsideration(actor, decision: Decision, *, requested_on: datetime.date,
                            result: str = "") -> TransferOutcome:
    """第九条: after a 不予立案 notice the transferring organ asked the 公安机关 to 复议 on ``requested_on``
    (not before the notice); ``result`` the 复议结果 when known (recorded again with the same day once it
    comes). 第九条 gives 3 days from the notice: a later request is recorded all the same (the law sets
    no sanction on the record, and the fact happened), flagged ``TransferOutcome.reconsideration_late`` and
    shown 逾期办理 among the case page's time limits (``enforcement.transfer_clock``). One ``case.transfer_reconsideration`` event; the same
    values again write nothing."""
    _transfer_for_outcome(actor, decision, "reconsideration", "登记提请复议")
    result = (result or "").strip()
    if len(result) > 300:
        raise ServiceError("复议结果不能超过300字。", "result")
    with transaction.atomic():
        row = _locked_outcome(decision)
        if row is None or row.outcome != TransferOutcome.Outcome.NOT_FILED:
            raise ServiceError("公安机关书面通知不予立案后，方可提请复议。", "requested_on")
        requested_on = _police_day(requested_on, decision, "requested_on", "提请复议日期")
        if requested_on < row.notified_on:
            raise ServiceError(f"提请复议日期不能早于不予立案的书面通知日期（{row.notified_on:%Y-%m-%d}）。", "requested_on")
        if (row.reconsideration_requested_on, row.reconsideration_result) == (requested_on, result):
            return row
        TransferOutcome.objects.filter(pk=row.pk).update(reconsideration_requested_on=requested_on,
                                                         reconsideration_result=result)
        row.reconsideration_requested_on, row.reconsideration_result = requested_on, result
        record(actor, "case.transfer_reconsideration", decision.case, note=result,
               data={"decision": decision.pk, "requested_on": requested_on.isoformat(), "result": result,
                     "late": row.reconsideration_late})
    return row
