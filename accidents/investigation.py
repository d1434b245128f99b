"""Accident investigation (调查组, 延期, 提级, 挂牌督办, 调查报告, 批复, 责任追究), the exposed
problems tracked like hazards (整改措施) and the one-year evaluation. Part of the accident services
(re-exported by ``accidents.services``, listed in its SERVICE_MODULES): guard, one transaction,
compare-and-set on the accident's status, one event in the same transaction."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.permissions import actor_org
from core.events import record
from core.services import NotPermitted, ServiceError, StaleState

from . import rules, workflow
from .acting import CODE, _cas, _guard, _text, _writes, is_investigator, is_supervisor
from .models import CHAPTER_MAX, TEXT_BOUNDS, Accident, Evaluation, Investigation, Measure, Responsibility

# ---------------------------------------------------------------- investigation

def start_investigation(actor, accident: Accident, *, leader_name: str, members: str) -> Investigation:
    """成立调查组 (组长负责制) at the level the grade requires."""
    leader_name = _text(leader_name, "leader_name", "调查组组长", required=False, max_length=TEXT_BOUNDS["leader_name"])
    members = _text(members, "members", "调查组成员", required=False)
    _guard(actor, accident, "start_investigation", has_team=bool(leader_name and members))
    level = rules.authority_level(accident.grade)
    with transaction.atomic():
        _cas(accident, "start_investigation")
        inv = Investigation.objects.create(accident=accident, level=level, leader_name=leader_name, members=members,
                                           authority_name=rules.authority_name(accident.region, level), lead_org=actor_org(actor))
        record(actor, "accident.investigation_started", accident, from_state=workflow.REPORTED, to_state=accident.status,
               data={"level": level, "leader": leader_name, "authority": inv.authority_name})
    return inv


def extend_investigation(actor, accident: Accident, *, days: int, reason: str) -> Accident:
    """art. 29: one extension of at most 60 days, approved by the investigating government."""
    reason = _text(reason, "reason", "延长理由", max_length=TEXT_BOUNDS["extend_reason"])
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ServiceError("延长天数须为整数。", "days")
    try:
        _guard(actor, accident, "extend_investigation", extension_days=days)
    except ServiceError as exc:
        if "延长期限" in exc.message:
            exc.field = "days"
        raise
    inv = accident.investigation
    occurred_on = timezone.localtime(accident.occurred_at).date()
    due = workflow.investigation_deadline(occurred_on, rules.days(CODE.INVESTIGATION_DAYS, occurred_on), days)
    with transaction.atomic():
        if Investigation.objects.filter(pk=inv.pk, extension_days=0).update(extension_days=days, extension_reason=reason) != 1:
            raise StaleState()
        _cas(accident, "extend_investigation", investigation_due=due)
        inv.extension_days, inv.extension_reason = days, reason
        record(actor, "accident.investigation_extended", accident, note=reason, data={"days": days, "due": str(due)})
    return accident


def escalate(actor, accident: Accident, *, reason: str) -> Accident:
    """提级调查: the government one level up investigates."""
    reason = _text(reason, "reason", "提级理由", max_length=TEXT_BOUNDS["escalate_reason"])
    inv = getattr(accident, "investigation", None)
    level = inv.level if inv else rules.authority_level(accident.grade)
    up = rules.UP.get(level)
    facts_extra = {"has_parent_level": up is not None}
    if accident.status == workflow.REPORTED:
        raise ServiceError("请先成立调查组，再提级调查。", None)
    _guard(actor, accident, "escalate", **facts_extra)
    with transaction.atomic():
        if Investigation.objects.filter(pk=inv.pk, escalated=False).update(
                escalated=True, escalation_reason=reason, level=up, authority_name=rules.authority_name(accident.region, up)) != 1:
            raise StaleState()
        _cas(accident, "escalate")
        record(actor, "accident.escalated", accident, note=reason, data={"from": level, "to": up})
    return accident


def list_supervision(actor, accident: Accident, *, note: str) -> Accident:
    """挂牌督办 of the investigation by a committee office covering the accident."""
    note = _text(note, "note", "督办要求", max_length=TEXT_BOUNDS["supervise_note"])
    if not is_supervisor(actor, accident):
        raise NotPermitted("只有安全生产委员会办公室可以挂牌督办事故调查。")
    inv = getattr(accident, "investigation", None)
    if inv is None:
        raise ServiceError("请先成立调查组，再挂牌督办。", None)
    if accident.status not in workflow.SUPERVISION_STATES:
        raise ServiceError("当前状态下不能执行该操作。", None)
    with transaction.atomic():
        if Investigation.objects.filter(pk=inv.pk, supervised=False).update(
                supervised=True, supervised_by=actor_org(actor), supervised_on=timezone.localdate(), supervision_note=note) != 1:
            raise ServiceError("该事故调查已挂牌督办。", None)
        record(actor, "accident.supervision_listed", accident, note=note)
    return accident


def submit_report(actor, accident: Accident, *, cause: str, nature: str, technical_chapter: str,
                  management_chapter: str) -> Accident:
    """The investigation report, with its 技术问题专篇 and 管理问题专篇 (published in full)."""
    cause = _text(cause, "cause", "事故原因")
    nature = _text(nature, "nature", "事故性质", max_length=TEXT_BOUNDS["nature"])
    technical_chapter = _text(technical_chapter, "technical_chapter", "技术问题专篇", required=False, max_length=CHAPTER_MAX)
    management_chapter = _text(management_chapter, "management_chapter", "管理问题专篇", required=False, max_length=CHAPTER_MAX)
    try:
        _guard(actor, accident, "submit_report", has_chapters=bool(technical_chapter and management_chapter))
    except ServiceError as exc:
        if "专篇" in exc.message:
            exc.field = "technical_chapter" if not technical_chapter else "management_chapter"
        raise
    today = timezone.localdate()
    approval = rules.days(CODE.APPROVAL_DAYS_ESPECIALLY_MAJOR if accident.grade == workflow.ESPECIALLY_MAJOR else CODE.APPROVAL_DAYS,
                          rules.occurred_on(accident))
    with transaction.atomic():
        _cas(accident, "submit_report", approval_due=today + datetime.timedelta(days=approval))
        Investigation.objects.filter(pk=accident.investigation.pk).update(
            cause=cause, nature=nature, technical_chapter=technical_chapter, management_chapter=management_chapter,
            report_submitted_on=today)
        record(actor, "accident.report_submitted", accident, from_state=workflow.INVESTIGATING, to_state=accident.status,
               data={"late": today > accident.investigation_due})
    accident.investigation.refresh_from_db()
    return accident


def approve(actor, accident: Accident, *, doc_no: str, text: str) -> Accident:
    """批复: closes the case; the one-year evaluation falls due from today."""
    doc_no = _text(doc_no, "doc_no", "批复文号", max_length=TEXT_BOUNDS["doc_no"])
    text = _text(text, "text", "批复意见")
    _guard(actor, accident, "approve")
    today = timezone.localdate()
    with transaction.atomic():
        _cas(accident, "approve", evaluation_due=workflow.evaluation_deadline(today, rules.days(CODE.EVALUATION_DAYS, rules.occurred_on(accident))))
        Investigation.objects.filter(pk=accident.investigation.pk).update(approved_on=today, approval_doc_no=doc_no,
                                                                         approval_text=text)
        record(actor, "accident.approved", accident, from_state=workflow.REPORT_SUBMITTED, to_state=accident.status,
               note=doc_no)
    accident.investigation.refresh_from_db()
    return accident


def add_responsibility(actor, accident: Accident, *, kind: str, subject: str, measure: str, case=None,
                       accountability=None) -> Responsibility:
    """A responsibility decision of the 批复, linked to its enforcement case / accountability record."""
    if not is_investigator(actor, accident):
        raise NotPermitted("只有负责事故调查的单位可以登记责任追究。")
    if accident.status not in (workflow.REPORT_SUBMITTED, workflow.CLOSED, workflow.EVALUATED):
        raise ServiceError("调查报告提交后才能登记责任追究。", None)
    if kind not in Responsibility.Kind.values:
        raise ServiceError("请选择处理类型。", "kind")
    subject = _text(subject, "subject", "处理对象", max_length=120)
    measure = _text(measure, "measure", "处理意见", max_length=200)
    if case is not None and accident.enterprise_id and case.enterprise_id != accident.enterprise_id:
        raise ServiceError("所选执法案件的当事单位不是事故单位。", "case")
    with transaction.atomic():
        row = Responsibility.objects.create(accident=accident, kind=kind, subject=subject, measure=measure, case=case,
                                            accountability=accountability)
        record(actor, "accident.responsibility_added", accident, note=f"{subject}：{measure}",
               data={"kind": kind, "case": case.pk if case else None,
                     "accountability": accountability.pk if accountability else None})
    return row


# ---------------------------------------------------------------- exposed problems (tracked like hazards)

def add_measure(actor, accident: Accident, *, problem: str, content: str, owner_org, owner_name: str,
                deadline: datetime.date) -> Measure:
    if not is_investigator(actor, accident):
        raise NotPermitted("只有负责事故调查的单位可以登记整改措施。")
    if accident.status not in (workflow.INVESTIGATING, workflow.REPORT_SUBMITTED, workflow.CLOSED):
        raise ServiceError("当前状态下不能登记整改措施。", None)
    problem = _text(problem, "problem", "暴露问题")
    content = _text(content, "content", "整改措施")
    owner_name = _text(owner_name, "owner_name", "责任人", max_length=60)
    if owner_org is None:
        raise ServiceError("请选择责任单位。", "owner_org")
    if deadline is None or deadline < timezone.localdate():
        raise ServiceError("完成期限不能早于今天。", "deadline")
    with transaction.atomic():
        m = Measure.objects.create(accident=accident, problem=problem, content=content, owner_org=owner_org,
                                   owner_name=owner_name, deadline=deadline)
        record(actor, "accident.measure_added", m, to_state=m.status, data={"accident": accident.pk, "owner": owner_org.pk})
    return m


def _measure_transition(actor, m: Measure, action: str, note: str, **changes) -> Measure:
    accident = m.accident
    reason = workflow.measure_refusal(m.status, action, is_owner=_writes(actor) and actor_org(actor) is not None
                                      and actor_org(actor).pk == m.owner_org_id,
                                      is_investigator=is_investigator(actor, accident), note=note or "")
    if reason:
        raise ServiceError(reason, "note", "permission_denied" if "只有" in reason else "invalid")
    old, new = m.status, workflow.MEASURE_TRANSITIONS[action][1]
    with transaction.atomic():
        if Measure.objects.filter(pk=m.pk, status=old).update(status=new, **changes) != 1:
            raise StaleState()
        m.status = new
        for k, v in changes.items():
            setattr(m, k, v)
        record(actor, f"accident.measure_{action}", m, from_state=old, to_state=new, note=note)
    return m


def submit_measure(actor, m: Measure, *, note: str) -> Measure:
    return _measure_transition(actor, m, "submit_completion", note, completion_note=(note or "").strip())


def accept_measure(actor, m: Measure, *, note: str = "") -> Measure:
    return _measure_transition(actor, m, "accept", note, review_note=(note or "").strip(), closed_at=timezone.now())


def reject_measure(actor, m: Measure, *, note: str) -> Measure:
    return _measure_transition(actor, m, "reject", note, review_note=(note or "").strip())


# ---------------------------------------------------------------- one-year evaluation

def publish_evaluation(actor, accident: Accident, *, rectification: str, prevention: str, handling: str,
                       conclusion: str) -> Evaluation:
    """The evaluation within one year of closing, published (seed 003 (十八))."""
    texts = [_text(value, field, label, required=False, max_length=CHAPTER_MAX) for value, field, label in (
        (rectification, "rectification", "问题整改情况"), (prevention, "prevention", "防范措施落实情况"),
        (handling, "handling", "责任人处理情况"), (conclusion, "conclusion", "评估结论"))]
    try:
        _guard(actor, accident, "publish_evaluation", has_findings=all(texts))
    except ServiceError as exc:
        if "评估发现" in exc.message:
            exc.field = ["rectification", "prevention", "handling", "conclusion"][[bool(t) for t in texts].index(False)]
        raise
    with transaction.atomic():
        _cas(accident, "publish_evaluation")
        ev = Evaluation.objects.create(accident=accident, rectification=texts[0], prevention=texts[1], handling=texts[2],
                                       conclusion=texts[3], by_org=actor_org(actor))
        record(actor, "accident.evaluation_published", accident, from_state=workflow.CLOSED, to_state=accident.status,
               data={"late": bool(accident.evaluation_due and timezone.localdate() > accident.evaluation_due)})
    return ev
