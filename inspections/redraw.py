"""重新抽取 by request and approval: a plan's current 双随机 draw is replaced only when a member of
the department with approval rights (负责人), other than the requester, approves a request with
its reason. The new draw is made at approval, with a seed from ``secrets`` then
(``services.make_draw``), so that nobody sees the result before the decision and a redraw cannot
be repeated until a draw suits. A draw that checks have started from (a record made from it) is
not redrawn: the enterprises it named stay drawn.

A writer module (``services.SERVICE_MODULES``): every decision is compare-and-set on the request's
status, with its event in the same transaction; the request is kept whatever the decision."""

from django.db import transaction
from django.utils import timezone

from accounts.permissions import membership
from core.events import record as record_event
from core.notifications import notify
from core.services import NotPermitted, ServiceError, StaleState

from . import services
from .models import Draw, Plan, RedrawRequest

REASON_MAX = 200


# ---------------------------------------------------------------- pure guards

def request_refusal(*, has_current: bool, started: int, pending: bool) -> str | None:
    """Why a redraw may not be requested now (None: it may)."""
    if not has_current:
        return "本计划尚未抽取，请直接抽取。"
    if started:
        return f"已按本次抽取结果开展检查（{started}家），抽中的企业须检查完毕，不能重新抽取。"
    if pending:
        return "本计划已有待审批的重新抽取申请。"
    return None


def decision_refusal(*, requester_id: int, actor_id: int, can_approve: bool, same_department: bool) -> str | None:
    """Why this actor may not decide the request (None: they may)."""
    if not same_department:
        return "只能审批本部门的重新抽取申请。"
    if not can_approve:
        return "重新抽取须由本部门负责人审批。"
    if requester_id == actor_id:
        return "不能审批本人提出的重新抽取申请。"
    return None


# ---------------------------------------------------------------- writers

def _started(draw: Draw) -> int:
    return draw.records.values("enterprise_id").distinct().count()


def request_redraw(actor, plan: Plan, *, count: int, per_enterprise: int = 2, reason: str = "") -> RedrawRequest:
    """Ask for the plan's current draw to be redrawn (``count`` enterprises, ``per_enterprise``
    inspectors each); the department's approvers are told."""
    org = services._require_org(actor, department=True)
    if plan.department_id != org.pk:
        raise NotPermitted("只能为本部门的计划申请重新抽取。")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("重新抽取须说明原因。", "reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(f"原因不能超过{REASON_MAX}个字。", "reason")
    services.check_draw_counts(count, per_enterprise)
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one request at a time per plan
        current = plan.draws.filter(superseded=False).first()
        refusal = request_refusal(has_current=current is not None, started=_started(current) if current else 0,
                                  pending=plan.redraw_requests.filter(status=RedrawRequest.Status.PENDING).exists())
        if refusal:
            raise ServiceError(refusal, "reason", code="redraw_refused")
        req = RedrawRequest(plan=plan, department=org, draw=current, count=count, per_enterprise=per_enterprise,
                            reason=reason, requested_by=actor)
        req.set_region_codes(org.region)
        req.save()
        record_event(actor, "inspection.redraw_requested", req, note=reason,
                     data={"plan": plan.pk, "draw": current.pk, "count": count, "per_enterprise": per_enterprise})
        name = actor.get_full_name() or actor.username
        for user in _approvers(org, exclude=actor):
            notify(kind="inspection.redraw_requested", dedupe_key=f"redraw:{req.pk}:requested:user:{user.pk}",
                   title=f"重新抽取申请待审批：{plan.title}", body=f"{name}申请重新抽取（原因：{reason}）。",
                   url=f"/inspections/plans/{plan.pk}/", obj=req, user=user, channels=("inapp",))
    return req


def _approvers(org, *, exclude):
    from accounts.models import APPROVER_ROLES
    from supervision.alerts import org_users  # the active users of a unit with these roles

    return list(org_users(org, APPROVER_ROLES).exclude(pk=exclude.pk))


def _decide(actor, req: RedrawRequest) -> RedrawRequest:
    """The request locked, checked pending and decidable by ``actor``."""
    m = membership(actor)
    refusal = decision_refusal(requester_id=req.requested_by_id, actor_id=actor.pk,
                               can_approve=bool(m and m.can_approve and m.can_write),
                               same_department=bool(m) and m.organisation_id == req.department_id)
    if refusal:
        raise NotPermitted(refusal)
    locked = RedrawRequest.objects.select_for_update().get(pk=req.pk)
    if locked.status != RedrawRequest.Status.PENDING:
        raise StaleState("该申请已审批。")
    return locked


def approve_redraw(actor, req: RedrawRequest, *, note: str = "") -> Draw:
    """Approve: the plan is drawn again now (the current draw superseded, kept) — refused if
    checks have started from the current draw since the request."""
    with transaction.atomic():
        req = _decide(actor, req)
        started = _started(req.draw)
        if started:
            raise ServiceError(request_refusal(has_current=True, started=started, pending=False), "decision_note",
                               code="redraw_refused")
        new = services.make_draw(actor, req.plan, count=req.count, per_enterprise=req.per_enterprise, reason=req.reason,
                                 redraw=req)
        now = timezone.now()
        if RedrawRequest.objects.filter(pk=req.pk, status=RedrawRequest.Status.PENDING).update(
                status=RedrawRequest.Status.APPROVED, decided_by=actor, decided_at=now,
                decision_note=(note or "").strip()[:REASON_MAX], new_draw=new) != 1:
            raise StaleState()
        record_event(actor, "inspection.redraw_approved", req, from_state="pending", to_state="approved",
                     note=(note or "").strip(), data={"draw": req.draw_id, "new_draw": new.pk})
        _tell_requester(req, f"重新抽取申请已批准：{req.plan.title}", f"已重新抽取（第{new.pk}号抽取）。")
    return new


def refuse_redraw(actor, req: RedrawRequest, *, note: str = "") -> RedrawRequest:
    """Refuse with a reason: the current draw stands."""
    note = (note or "").strip()
    if not note:
        raise ServiceError("请填写不予批准的理由。", "decision_note")
    if len(note) > REASON_MAX:
        raise ServiceError(f"审批意见不能超过{REASON_MAX}个字。", "decision_note")
    with transaction.atomic():
        req = _decide(actor, req)
        now = timezone.now()
        if RedrawRequest.objects.filter(pk=req.pk, status=RedrawRequest.Status.PENDING).update(
                status=RedrawRequest.Status.REFUSED, decided_by=actor, decided_at=now, decision_note=note) != 1:
            raise StaleState()
        record_event(actor, "inspection.redraw_refused", req, from_state="pending", to_state="refused", note=note)
        _tell_requester(req, f"重新抽取申请未批准：{req.plan.title}", f"理由：{note}。原抽取结果继续有效。")
        req.refresh_from_db()
    return req


def _tell_requester(req: RedrawRequest, title: str, body: str) -> None:
    notify(kind="inspection.redraw_decided", dedupe_key=f"redraw:{req.pk}:decided", title=title, body=body,
           url=f"/inspections/plans/{req.plan_id}/", obj=req, user=req.requested_by, channels=("inapp",))
