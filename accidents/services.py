"""The only code that writes accidents. Each change: guard (workflow), one transaction,
compare-and-set on the accident's status, one event in the same transaction."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from accounts.permissions import can_approve, membership
from accounts.scope import scope_for
from core.events import record
from core.models import REGION_LEVELS
from core.services import NotPermitted, ServiceError, StaleState

from . import rules, workflow
from .models import Accident, CasualtyChange, DeadlineRule, Evaluation, Investigation, Measure, Responsibility

CODE = DeadlineRule.Code


# ---------------------------------------------------------------- who acts

def _org(actor):
    m = membership(actor)
    return m.organisation if m else None


def covers(actor, region, sector) -> bool:
    """The actor's government scope covers a township and a sector (same rule as visible_to)."""
    scope = scope_for(actor)
    if scope.everything:
        return True
    if not scope.is_government or scope.level is None:
        return False
    if region.level_codes().get(scope.level) != scope.region_code:
        return False
    return scope.allows_sector(sector.pk) or bool(scope.sector_ids and sector.parent_id in scope.sector_ids)


def _writes(actor) -> bool:
    if actor is None:
        return True
    if actor.is_superuser:
        return True
    m = membership(actor)
    return bool(m and m.can_write)


def is_investigator(actor, accident: Accident) -> bool:
    """The actor writes for the investigating government at the required level (or above):
    its committee office or its comprehensive department (应急管理局)."""
    if actor is None or getattr(actor, "is_superuser", False):
        return True
    if not _writes(actor):
        return False
    org = _org(actor)
    if org is None or not org.is_active:
        return False
    comprehensive = org.kind == Organisation.Kind.DEPARTMENT and org.department_type and org.department_type.comprehensive
    if org.kind != Organisation.Kind.COMMITTEE and not comprehensive:
        return False
    inv = getattr(accident, "investigation", None)
    level = inv.level if inv else rules.authority_level(accident.grade)
    need = REGION_LEVELS.index(rules.acting_level(level))
    have = REGION_LEVELS.index(org.region.level) if org.region.level in REGION_LEVELS else 99
    return have <= need and accident.region.level_codes().get(org.region.level) == org.region.code


def is_approver(actor, accident) -> bool:
    return is_investigator(actor, accident) and (actor is None or can_approve(actor))


def is_supervisor(actor, accident) -> bool:
    """A committee office covering the accident's region (各级安委会监督指导事故调查处理)."""
    if actor is None or getattr(actor, "is_superuser", False):
        return True
    org = _org(actor)
    return bool(org and org.kind == Organisation.Kind.COMMITTEE and _writes(actor)
                and accident.region.level_codes().get(org.region.level) == org.region.code)


def may_report(actor, *, enterprise, region, sector) -> bool:
    if actor is None or getattr(actor, "is_superuser", False):
        return True
    if not _writes(actor):
        return False
    org = _org(actor)
    if org is None:
        return False
    if org.kind == Organisation.Kind.ENTERPRISE:
        return enterprise is not None and getattr(org, "enterprise", None) is not None and org.enterprise.pk == enterprise.pk
    return covers(actor, region, sector)


# ---------------------------------------------------------------- helpers

def _text(value, field, label, required=True, max_length=5000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(f"请填写{label}。", field)
    if len(value) > max_length:
        raise ServiceError(f"{label}不能超过{max_length}字。", field)
    return value


def _figures(deaths, injuries, loss) -> tuple[int, int, Decimal]:
    try:
        deaths, injuries = int(deaths), int(injuries)
    except (TypeError, ValueError):
        raise ServiceError("伤亡人数须为整数。", "deaths")
    if deaths < 0:
        raise ServiceError("死亡人数不能为负数。", "deaths")
    if injuries < 0:
        raise ServiceError("重伤人数不能为负数。", "injuries")
    try:
        loss = Decimal(str(loss if loss not in (None, "") else 0))
    except InvalidOperation:
        raise ServiceError("直接经济损失须为数字（万元）。", "loss")
    if loss < 0 or loss >= Decimal("1e12"):
        raise ServiceError("直接经济损失须为不小于0的数字（万元）。", "loss")
    return deaths, injuries, loss.quantize(Decimal("0.01"))


def _cas(accident: Accident, action: str, **changes) -> None:
    """Compare-and-set the status (and other fields) of an accident."""
    old = accident.status
    new = workflow.target(action, old)
    now = timezone.now()
    fields = {"status": new, **changes}
    if new != old:
        fields["status_changed_at"] = now
    if Accident.objects.filter(pk=accident.pk, status=old).update(**fields) != 1:
        raise StaleState()
    for k, v in fields.items():
        setattr(accident, k, v)


def _facts(actor, accident, **extra) -> workflow.Facts:
    inv = getattr(accident, "investigation", None)
    return workflow.Facts(
        is_investigator=is_investigator(actor, accident), is_approver=is_approver(actor, accident),
        already_extended=bool(inv and inv.extension_days), already_escalated=bool(inv and inv.escalated),
        max_extension_days=rules.days(CODE.EXTENSION_MAX_DAYS),
        open_measures=accident.measures.exclude(status=workflow.M_CLOSED).count(), **extra)


def _guard(actor, accident, action, **extra) -> None:
    reason = workflow.refusal(accident.status, action, _facts(actor, accident, **extra))
    if reason:
        raise ServiceError(reason, None, "permission_denied" if "只有" in reason else "invalid")


# ---------------------------------------------------------------- report and 补报

def report_accident(actor, *, region, place: str, enterprise=None, enterprise_name: str = "", sector,
                    occurred_at: datetime.datetime, learned_at: datetime.datetime, deaths=0, injuries=0, loss=0,
                    summary: str, reported_at: datetime.datetime | None = None, source: str | None = None,
                    tip=None, concealed: bool = False, flag_note: str = "") -> Accident:
    """File an accident report (art. 9). The grade comes from the figures; 迟报 is set when the
    report comes after the deadline counted from when the principal learned of the accident."""
    if region is None or region.level != "township":
        raise ServiceError("请选择事故发生地所在的乡镇（街道）。", "region")
    if sector is None:
        raise ServiceError("请选择行业领域。", "sector")
    if enterprise is not None:
        if enterprise.region_id != region.pk:
            raise ServiceError("事故单位不在所选乡镇（街道）。", "enterprise")
        enterprise_name = enterprise.name
    enterprise_name = _text(enterprise_name, "enterprise_name", "事故单位名称", max_length=150)
    place = _text(place, "place", "事故地点", max_length=200)
    summary = _text(summary, "summary", "事故简要经过")
    if not may_report(actor, enterprise=enterprise, region=region, sector=sector):
        raise NotPermitted("您无权报告该单位或该地区的事故。")
    now = timezone.now()
    reported_at = reported_at or now
    if occurred_at is None or occurred_at > now:
        raise ServiceError("事故发生时间不能晚于当前时间。", "occurred_at")
    if learned_at is None or learned_at < occurred_at:
        raise ServiceError("接到报告时间不能早于事故发生时间。", "learned_at")
    if learned_at > reported_at:
        raise ServiceError("接到报告时间不能晚于报告时间。", "learned_at")
    deaths, injuries, loss = _figures(deaths, injuries, loss)
    grade = rules.grade_of(deaths, injuries, loss)
    hours = rules.days(CODE.REPORT_HOURS)
    occurred_on = timezone.localtime(occurred_at).date()
    org = _org(actor)
    if source is None:
        source = Accident.Source.ENTERPRISE if org and org.kind == Organisation.Kind.ENTERPRISE else Accident.Source.GOVERNMENT
    accident = Accident(
        region=region, place=place, enterprise=enterprise, enterprise_name=enterprise_name, sector=sector,
        occurred_at=occurred_at, learned_at=learned_at, reported_at=reported_at,
        report_due_at=workflow.report_deadline(learned_at, hours), source=source, reported_by_org=org,
        deaths=deaths, injuries=injuries, loss=loss, summary=summary, grade=grade,
        late_report=workflow.is_late(learned_at, reported_at, hours), concealed=concealed, flag_note=flag_note,
        supplement_until=workflow.supplement_until(occurred_on, rules.supplement_days(sector)),
        investigation_due=workflow.investigation_deadline(occurred_on, rules.days(CODE.INVESTIGATION_DAYS)),
        tip=tip, created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    accident.set_region_codes(region)
    with transaction.atomic():
        accident.save()
        CasualtyChange.objects.create(accident=accident, deaths=deaths, injuries=injuries, loss=loss, grade_after=grade,
                                      note="初报", by=accident.created_by)
        record(actor, "accident.reported", accident, to_state=accident.status,
               data={"grade": grade, "deaths": deaths, "injuries": injuries, "loss": str(loss),
                     "late": accident.late_report, "source": source})
        _notify_government(accident, "accident.reported", f"事故报告：{accident.enterprise_name}（{accident.get_grade_display()}）")
    return accident


def update_casualties(actor, accident: Accident, *, deaths, injuries, loss, note: str = "",
                      at: datetime.datetime | None = None) -> Accident:
    """补报 (art. 13): a change of the figures within the window (30 days; 7 for road traffic and
    fire) re-grades the accident. Later changes are refused."""
    at = at or timezone.now()
    if timezone.localtime(at).date() > accident.supplement_until:
        raise ServiceError(f"已超过补报期限（{accident.supplement_until}），伤亡人数不再变更。", "deaths")
    if accident.status in (workflow.CLOSED, workflow.EVALUATED):
        raise ServiceError("事故已批复结案，不能再补报。", None)
    if not (may_report(actor, enterprise=accident.enterprise, region=accident.region, sector=accident.sector)
            or is_investigator(actor, accident)):
        raise NotPermitted("您无权补报该事故。")
    deaths, injuries, loss = _figures(deaths, injuries, loss)
    if (deaths, injuries, loss) == (accident.deaths, accident.injuries, accident.loss):
        raise ServiceError("伤亡人数和经济损失均未变化。", "deaths")
    note = _text(note, "note", "补报说明", max_length=1000)
    grade = rules.grade_of(deaths, injuries, loss)
    before = accident.grade
    with transaction.atomic():
        changes = {"deaths": deaths, "injuries": injuries, "loss": loss, "grade": grade}
        inv = getattr(accident, "investigation", None)
        if inv is not None:  # the investigating government follows the new grade (提级 kept)
            level = rules.authority_level(grade, inv.escalated)
            if level != inv.level:
                Investigation.objects.filter(pk=inv.pk).update(level=level, authority_name=rules.authority_name(accident.region, level))
                inv.level, inv.authority_name = level, rules.authority_name(accident.region, level)
        updated = Accident.objects.filter(pk=accident.pk, status=accident.status, deaths=accident.deaths,
                                          injuries=accident.injuries, loss=accident.loss).update(**changes)
        if updated != 1:
            raise StaleState()
        for k, v in changes.items():
            setattr(accident, k, v)
        CasualtyChange.objects.create(accident=accident, at=at, deaths=deaths, injuries=injuries, loss=loss,
                                      grade_before=before, grade_after=grade, note=note,
                                      by=actor if actor is not None and actor.is_authenticated else None)
        record(actor, "accident.supplemented", accident, note=note,
               data={"deaths": deaths, "injuries": injuries, "loss": str(loss), "grade_before": before, "grade": grade})
    return accident


def set_flags(actor, accident: Accident, *, omitted: bool, false_report: bool, concealed: bool, note: str) -> Accident:
    """漏报/谎报/瞒报 findings (迟报 is computed). Only the investigating government."""
    if not is_investigator(actor, accident):
        raise NotPermitted("只有负责事故调查的单位可以认定漏报、谎报、瞒报。")
    note = _text(note, "flag_note", "认定说明", max_length=2000)
    with transaction.atomic():
        changes = {"omitted_report": omitted, "false_report": false_report, "concealed": concealed, "flag_note": note}
        if Accident.objects.filter(pk=accident.pk, status=accident.status).update(**changes) != 1:
            raise StaleState()
        for k, v in changes.items():
            setattr(accident, k, v)
        record(actor, "accident.flags_set", accident, note=note, data={"flags": accident.flags})
    return accident


def record_concealed_from_tip(actor, tip, **fields) -> Accident:
    """A tip about a concealed accident, verified: the accident record is created flagged 瞒报
    and linked to the tip. The reward rule (lane law) reads ``concealed_accident_for_tip``."""
    from tips.models import Tip

    if tip.result not in (Tip.Result.TRUE, Tip.Result.PARTLY):
        raise ServiceError("举报尚未核查属实，不能据此登记瞒报事故。", "tip")
    if Accident.objects.filter(tip=tip).exists():
        raise ServiceError("该举报已登记事故。", "tip")
    fields.setdefault("region", tip.region)
    fields.setdefault("sector", tip.sector)
    fields.setdefault("enterprise", tip.enterprise)
    fields.setdefault("enterprise_name", tip.enterprise_name)
    return report_accident(actor, source=Accident.Source.TIP, tip=tip, concealed=True,
                           flag_note=fields.pop("flag_note", "") or f"经举报{tip.number}核查属实，事故单位瞒报。", **fields)


def concealed_accident_for_tip(tip) -> Accident | None:
    """For the reward rule: the verified concealed accident a tip revealed (grade, deaths), or None."""
    return Accident.objects.filter(tip=tip, concealed=True).first()


def _notify_government(accident, kind, title) -> None:
    from django.contrib.auth import get_user_model

    from core.notifications import notify

    orgs = Organisation.objects.filter(kind=Organisation.Kind.COMMITTEE, region__code=accident.county_code)
    for user in get_user_model().objects.filter(membership__organisation__in=orgs, is_active=True):
        notify(kind=kind, dedupe_key=f"{kind}:{accident.pk}:{user.pk}", title=title, url=f"/accidents/{accident.pk}/",
               obj=accident, user=user, channels=("inapp",))



# ---------------------------------------------------------------- investigation

def start_investigation(actor, accident: Accident, *, leader_name: str, members: str) -> Investigation:
    """成立调查组 (组长负责制) at the level the grade requires."""
    leader_name = (leader_name or "").strip()
    members = (members or "").strip()
    _guard(actor, accident, "start_investigation", has_team=bool(leader_name and members))
    level = rules.authority_level(accident.grade)
    with transaction.atomic():
        _cas(accident, "start_investigation")
        inv = Investigation.objects.create(accident=accident, level=level, leader_name=leader_name[:60], members=members,
                                           authority_name=rules.authority_name(accident.region, level), lead_org=_org(actor))
        record(actor, "accident.investigation_started", accident, from_state=workflow.REPORTED, to_state=accident.status,
               data={"level": level, "leader": leader_name, "authority": inv.authority_name})
    return inv


def extend_investigation(actor, accident: Accident, *, days: int, reason: str) -> Accident:
    """art. 29: one extension of at most 60 days, approved by the investigating government."""
    reason = _text(reason, "reason", "延长理由", max_length=2000)
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
    due = workflow.investigation_deadline(occurred_on, rules.days(CODE.INVESTIGATION_DAYS), days)
    with transaction.atomic():
        if Investigation.objects.filter(pk=inv.pk, extension_days=0).update(extension_days=days, extension_reason=reason) != 1:
            raise StaleState()
        _cas(accident, "extend_investigation", investigation_due=due)
        inv.extension_days, inv.extension_reason = days, reason
        record(actor, "accident.investigation_extended", accident, note=reason, data={"days": days, "due": str(due)})
    return accident


def escalate(actor, accident: Accident, *, reason: str) -> Accident:
    """提级调查: the government one level up investigates."""
    reason = _text(reason, "reason", "提级理由", max_length=2000)
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
    note = _text(note, "note", "督办要求", max_length=2000)
    if not is_supervisor(actor, accident):
        raise NotPermitted("只有安全生产委员会办公室可以挂牌督办事故调查。")
    inv = getattr(accident, "investigation", None)
    if inv is None:
        raise ServiceError("请先成立调查组，再挂牌督办。", None)
    if accident.status not in workflow.SUPERVISION_STATES:
        raise ServiceError("当前状态下不能执行该操作。", None)
    with transaction.atomic():
        if Investigation.objects.filter(pk=inv.pk, supervised=False).update(
                supervised=True, supervised_by=_org(actor), supervised_on=timezone.localdate(), supervision_note=note) != 1:
            raise ServiceError("该事故调查已挂牌督办。", None)
        record(actor, "accident.supervision_listed", accident, note=note)
    return accident


def submit_report(actor, accident: Accident, *, cause: str, nature: str, technical_chapter: str,
                  management_chapter: str) -> Accident:
    """The investigation report, with its 技术问题专篇 and 管理问题专篇 (published in full)."""
    cause = _text(cause, "cause", "事故原因")
    nature = _text(nature, "nature", "事故性质", max_length=40)
    technical_chapter = (technical_chapter or "").strip()
    management_chapter = (management_chapter or "").strip()
    try:
        _guard(actor, accident, "submit_report", has_chapters=bool(technical_chapter and management_chapter))
    except ServiceError as exc:
        if "专篇" in exc.message:
            exc.field = "technical_chapter" if not technical_chapter else "management_chapter"
        raise
    today = timezone.localdate()
    approval = rules.days(CODE.APPROVAL_DAYS_ESPECIALLY_MAJOR if accident.grade == workflow.ESPECIALLY_MAJOR else CODE.APPROVAL_DAYS)
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
    doc_no = _text(doc_no, "doc_no", "批复文号", max_length=60)
    text = _text(text, "text", "批复意见")
    _guard(actor, accident, "approve")
    today = timezone.localdate()
    with transaction.atomic():
        _cas(accident, "approve", evaluation_due=workflow.evaluation_deadline(today, rules.days(CODE.EVALUATION_DAYS)))
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
    reason = workflow.measure_refusal(m.status, action, is_owner=_writes(actor) and _org(actor) is not None
                                      and _org(actor).pk == m.owner_org_id,
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
    texts = [(rectification or "").strip(), (prevention or "").strip(), (handling or "").strip(), (conclusion or "").strip()]
    try:
        _guard(actor, accident, "publish_evaluation", has_findings=all(texts))
    except ServiceError as exc:
        if "评估发现" in exc.message:
            exc.field = ["rectification", "prevention", "handling", "conclusion"][[bool(t) for t in texts].index(False)]
        raise
    with transaction.atomic():
        _cas(accident, "publish_evaluation")
        ev = Evaluation.objects.create(accident=accident, rectification=texts[0], prevention=texts[1], handling=texts[2],
                                       conclusion=texts[3], by_org=_org(actor))
        record(actor, "accident.evaluation_published", accident, from_state=workflow.CLOSED, to_state=accident.status,
               data={"late": bool(accident.evaluation_due and timezone.localdate() > accident.evaluation_due)})
    return ev


# ---------------------------------------------------------------- 举一反三

def launch_lesson_check(actor, accident: Accident, *, title: str, deadline: datetime.date, enterprises=None,
                        checklist: list[str] | None = None):
    """The committee office checks every operating enterprise of the accident's sector in its
    region (or a chosen set of them) against a checklist built from the exposed problems."""
    from enterprises.models import Enterprise

    from .models import LessonCheck, LessonTarget

    org = _org(actor)
    if actor is not None and not actor.is_superuser and not (
            org and org.kind == Organisation.Kind.COMMITTEE and _writes(actor)
            and accident.region.level_codes().get(org.region.level) == org.region.code):
        raise NotPermitted("只有事故发生地的安全生产委员会办公室可以发起举一反三检查。")
    title = _text(title, "title", "检查名称", max_length=150)
    if deadline is None or deadline < timezone.localdate():
        raise ServiceError("完成期限不能早于今天。", "deadline")
    items = [s.strip() for s in (checklist or []) if s and s.strip()]
    if not items:
        items = [f"{m.problem}（措施：{m.content}）" for m in accident.measures.all()]
    if not items:
        raise ServiceError("请先登记事故暴露问题，或填写检查清单。", "checklist")
    region = org.region if org is not None else accident.region
    pool = Enterprise.objects.filter(**{f"{region.level}_code": region.code}, status="operating")
    if enterprises is None:
        sector_ids = accident.sector.with_descendants()
        pool = pool.filter(sectors__in=sector_ids).distinct()
        if accident.enterprise_id:
            pool = pool.exclude(pk=accident.enterprise_id)
        chosen = list(pool)
    else:
        chosen = list(enterprises)
        allowed = set(pool.filter(pk__in=[e.pk for e in chosen]).values_list("pk", flat=True))
        if not chosen or any(e.pk not in allowed for e in chosen):
            raise ServiceError("所选单位须为本辖区内正常经营的单位。", "enterprises")
    if not chosen:
        raise ServiceError("本辖区内没有同行业领域的单位。", "enterprises")
    with transaction.atomic():
        check = LessonCheck(accident=accident, organisation=org, title=title, checklist=items, deadline=deadline,
                            created_by=actor if actor is not None and actor.is_authenticated else None)
        check.set_region_codes(region)
        check.save()
        LessonTarget.objects.bulk_create([LessonTarget(lesson=check, enterprise=e) for e in chosen])
        record(actor, "accident.lesson_check_launched", check, to_state=check.status,
               data={"accident": accident.pk, "targets": len(chosen), "items": len(items)})
    return check


def record_lesson_result(actor, target, *, note: str, hazards: list[dict] = ()):
    """Result of one enterprise's 举一反三 check; each hazard found is registered in the ledger
    with the channel 事故举一反三 and linked to the check (hence to the accident)."""
    from hazards import services as hazard_services
    from hazards.models import Hazard

    from .models import LessonTarget

    note = _text(note, "note", "检查情况", max_length=5000)
    if target.status != LessonTarget.Status.PENDING:
        raise ServiceError("该单位已完成检查。", None)
    if target.lesson.status != "open":
        raise ServiceError("该举一反三检查已结束。", None)
    with transaction.atomic():
        found = []
        for h in hazards:
            found.append(hazard_services.register_hazard(
                actor, enterprise=target.enterprise, sector=h.get("sector") or target.lesson.accident.sector,
                description=h.get("description", ""), grade=h.get("grade") or Hazard.Grade.GENERAL,
                channel=Hazard.Channel.ACCIDENT, deadline=h.get("deadline"), basis_reason=h.get("basis_reason", ""),
                source_reference=f"accidents.lessontarget:{target.pk}"))
        if LessonTarget.objects.filter(pk=target.pk, status=LessonTarget.Status.PENDING).update(
                status=LessonTarget.Status.CHECKED, note=note, checked_on=timezone.localdate(),
                checked_by=actor if actor is not None and actor.is_authenticated else None) != 1:
            raise StaleState()
        target.status = LessonTarget.Status.CHECKED
        target.note = note
        target.hazards.add(*found)
        record(actor, "accident.lesson_target_checked", target.lesson, note=note,
               data={"enterprise": target.enterprise_id, "hazards": [h.pk for h in found]})
        lesson = target.lesson
        if not lesson.targets.filter(status=LessonTarget.Status.PENDING).exists():  # last one: the check ends
            if type(lesson).objects.filter(pk=lesson.pk, status="open").update(status="closed") == 1:
                lesson.status = "closed"
                record(actor, "accident.lesson_check_closed", lesson, from_state="open", to_state="closed")
    return target
