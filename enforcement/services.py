"""The only code that writes enforcement records: guard, one transaction, compare-and-set on
the case stage, one event in the same transaction."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from accounts.permissions import actor_org
from core import idnumber
from core.events import record
from core.services import NotPermitted, ServiceError, StaleState, lock
from hazards.asof import check_not_before, check_not_future

from . import workflow
from .models import (
    Case,
    CaseParty,
    Decision,
)

# ---------------------------------------------------------------- who may act

_org = actor_org


def _is_super(actor) -> bool:
    return actor is None or (actor.is_authenticated and actor.is_superuser)


def _government_writer(actor, enterprise=None, kinds=("department",)) -> Organisation | None:
    """The acting organisation of a government writer who can see ``enterprise``; refuses others."""
    if _is_super(actor):
        return _org(actor)
    m = getattr(actor, "membership", None)
    if not actor.is_authenticated or m is None or not m.can_write or m.organisation.kind not in kinds:
        raise NotPermitted("您没有办理该执法事项的权限。")
    if enterprise is not None:
        from enterprises.models import Enterprise

        if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
            raise NotPermitted("该单位不在您的管辖范围内。")
    return m.organisation


def can_handle(actor, case: Case) -> bool:
    """Writers of a case: members (with write rights) of the department that opened it."""
    if actor is None or (actor.is_authenticated and actor.is_superuser):
        return True
    m = getattr(actor, "membership", None)
    return bool(actor.is_authenticated and m and m.can_write and m.organisation_id == case.opened_by_org_id)


def _require_handler(actor, case: Case) -> None:
    if not can_handle(actor, case):
        raise NotPermitted("只有立案单位的执法人员可以办理该案件。")


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _acting_org(org, case: Case | None) -> Organisation:
    """Who takes a measure, a listing or a ban: the writer's organisation; for a superuser acting
    without one, the department that filed the case; with neither it cannot be recorded."""
    org = org or (case.opened_by_org if case is not None else None)
    if org is None:
        raise ServiceError("超级用户须以单位身份办理（或在案件中办理）。", "organisation")
    return org


def _decision_org(actor, case):
    return _org(actor) or case.opened_by_org


# ---------------------------------------------------------------- cases

def open_case(actor, *, enterprise, title: str, facts: str = "", hazard=None, origin: str = "",
              opened_on: datetime.date | None = None) -> Case:
    """立案. The enterprise becomes the entity party; its principal (if known) a person party."""
    org = _government_writer(actor, enterprise)
    title = (title or "").strip()
    if not title:
        raise ServiceError("请填写案由。", "title")
    if hazard is not None and hazard.enterprise_id != enterprise.pk:
        raise ServiceError("关联隐患不属于该单位。", "hazard")
    if hazard is not None and not origin:
        origin = f"hazards.hazard:{hazard.pk}"
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise ServiceError("立案日期不能晚于今天。", "opened_on")
    if org is None:
        raise ServiceError("请指定立案单位。", "opened_by_org")
    with transaction.atomic():
        case = Case.objects.create(enterprise=enterprise, hazard=hazard, origin=origin[:80], title=title, facts=facts,
                                   opened_by_org=org, opened_by=_user(actor), opened_on=opened_on,
                                   **enterprise.region_codes())  # the case stays where it was filed
        CaseParty.objects.create(case=case, kind=CaseParty.Kind.ENTITY, role=CaseParty.Role.ENTITY, name=enterprise.name)
        if enterprise.principal_name:
            CaseParty.objects.create(case=case, kind=CaseParty.Kind.PERSON, role=CaseParty.Role.PRINCIPAL,
                                     name=enterprise.principal_name, position="主要负责人")
        record(actor, "case.opened", case, to_state=case.stage, data={"enterprise": enterprise.pk, "origin": case.origin})
    return case


def add_party(actor, case: Case, *, name: str, role: str, position: str = "", id_number: str = "") -> CaseParty:
    """当事人 are identified while the case is filed and investigated (FORM_STAGES["party"]): the
    告知 and the decisions address the parties known by then. ``id_number``: the person's 公民身份号码
    when known (core.idnumber; the event keeps it masked)."""
    _require_handler(actor, case)
    _check_form_stage(case, "party", "增加当事人（当事人须在调查取证阶段查明）")
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写当事人姓名。", "name")
    if role not in CaseParty.Role.values or role == CaseParty.Role.ENTITY:
        raise ServiceError("当事人身份无效。", "role")
    id_number = idnumber.clean(id_number)
    with transaction.atomic():
        party = CaseParty.objects.create(case=case, kind=CaseParty.Kind.PERSON, role=role, name=name, position=position,
                                         id_number=id_number)
        record(actor, "case.party_added", case, data={"party": party.pk, "name": name, "role": role,
                                                      "id_number": idnumber.masked(id_number)})
    return party


def set_party_id_number(actor, case: Case, *, party: CaseParty, id_number: str) -> CaseParty:
    """Record (or correct) a person party's 公民身份号码 while the case is open — the principal's
    party is created from the enterprise's record with a name only, and the number is often known
    only when the person is transferred (FORM_STAGES["party_id"]). One ``case.party_identified``
    event with the masked numbers before and after."""
    _require_handler(actor, case)
    _check_form_stage(case, "party_id", "登记当事人身份号码")
    if party.case_id != case.pk or party.kind != CaseParty.Kind.PERSON:
        raise ServiceError("请选择本案的个人当事人。", "party")
    id_number = idnumber.clean(id_number)
    if not id_number:
        raise ServiceError("请填写公民身份号码。", "id_number")
    with transaction.atomic():
        locked = lock(party)
        if locked.id_number == id_number:
            return locked
        before = locked.id_number
        CaseParty.objects.filter(pk=locked.pk).update(id_number=id_number)
        locked.id_number = id_number
        record(actor, "case.party_identified", case,
               data={"party": locked.pk, "name": locked.name, "from": idnumber.masked(before), "to": idnumber.masked(id_number)})
    return locked


def case_context(case: Case, *, has_note: bool) -> workflow.Context:
    """What the stage guards read: an effective decision exists; an effective 按日连续处罚 is still running
    (no correction day) or a 责令停产停业整顿 is still in force (no 复产, not revoked) — the case is not
    closed then."""
    from django.db.models import Count

    counts = case.decisions.filter(status=Decision.Status.EFFECTIVE).aggregate(
        n=Count("id"), running=Count("id", filter=Q(kind=Decision.Kind.DAILY_FINE, corrected_on__isnull=True)),
        suspensions=Count("id", filter=Q(kind=Decision.Kind.SUSPENSION)))
    suspended = counts["suspensions"] > 0 and case.decisions.suspensions_in_force().exists()
    return workflow.Context(has_decision=counts["n"] > 0, has_note=has_note, daily_fine_running=counts["running"] > 0,
                            suspension_in_force=suspended)


def advance(actor, case: Case, action: str, *, note: str = "") -> Case:
    """Move the case along the transition table (compare-and-set on the stage)."""
    _require_handler(actor, case)
    with transaction.atomic():
        # the guards read the decisions under the case lock the decision writers hold: no suspension or
        # daily fine is decided between the check and the move
        lock(case)
        ctx = case_context(case, has_note=bool(note.strip()))
        reason = workflow.refusal(case.stage, action, ctx)
        if reason:
            raise ServiceError(reason, "action")
        old, new = case.stage, workflow.target_state(case.stage, action)
        updates = {"stage": new}
        if new == workflow.CLOSED:
            updates["closed_on"] = timezone.localdate()
        if Case.objects.filter(pk=case.pk, stage=old).update(**updates) != 1:
            raise StaleState()
        for k, v in updates.items():
            setattr(case, k, v)
        record(actor, f"case.{action}", case, from_state=old, to_state=new, note=note)
    return case


# ---------------------------------------------------------------- decisions

def _check_form_stage(case: Case, form: str, what: str) -> None:
    """The stages in which the case's page offers ``form`` (workflow.FORM_STAGES) are the stages
    in which the service does it."""
    stages = workflow.FORM_STAGES[form]
    if case.stage not in stages:
        raise ServiceError(f"案件当前阶段（{case.get_stage_display()}）不能{what}。", "kind")


def _party(case: Case, party) -> CaseParty:
    if party is None or party.case_id != case.pk:
        raise ServiceError("请选择本案当事人。", "party")
    return party


def _amount(value, field="amount") -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ServiceError("请填写有效金额。", field)
    if not amount.is_finite() or amount <= 0:
        raise ServiceError("金额须大于零。", field)
    return amount.quantize(Decimal("0.01"))


def _not_before(day: datetime.date, floor: datetime.date | None, what: str, floor_name: str, field: str) -> None:
    """A case's dated fact is not dated before the step it follows (行政处罚法 第五十四条 立案 first, then
    the investigation and the decision, 第五十七条): a decision or a measure of the case not before its
    filing day, a typical case not before its closing day (``hazards.asof.check_not_before``)."""
    check_not_before(day, floor, field, what, floor_name)


def _create_decision(actor, case, party, kind, *, verb, note: str = "", event_data: dict | None = None,
                     **fields) -> Decision:
    _not_before(fields.get("decided_on") or timezone.localdate(), case.opened_on, "决定日期", "立案日期", "decided_on")
    # under the case lock ``advance`` holds: a decision is not added to a case closing meanwhile (its 结案 guards
    # read the decisions — a suspension or daily fine in force — under the same lock)
    stage = case.stage
    if lock(case).stage != stage:
        raise StaleState()
    decision = Decision.objects.create(case=case, party=party, kind=kind, decided_by=_user(actor),
                                       decided_by_org=_decision_org(actor, case), **fields)
    record(actor, verb, case, note=note, data={"decision": decision.pk, "kind": kind, "party": party.name,
                                               "amount": str(decision.amount), **(event_data or {})})
    return decision


def _decided_on(value) -> datetime.date:
    return check_not_future(value or timezone.localdate(), "decided_on", "决定日期")


#: 行政处罚法 第五十九条: a 行政处罚决定书 states the 违法事实 and the 法律依据 — a suspension is a penalty
#: (第九条 责令停产停业), so it names its clause of 安全生产法 as a fine does
SUSPENSION_BASIS = "《中华人民共和国行政处罚法》第五十九条"


def check_suspension_article(case: Case, article, decided_on: datetime.date) -> datetime.date:
    """The clause a 责令停产停业整顿 rests on: chosen, one that orders it (``PenaltyArticle.suspension``,
    catalogue.SUSPENSIONS) in the version in force on the day of the act and on the decision day
    (行政处罚法 第三十七条: a clause that did not order it then, or no longer does, is not applied),
    with the earlier correction order its 逾期未改正 / 拒不执行 presupposes (``check_prior_order``,
    as for its fine). Returns the day of the act: the day the 逾期 / 拒不执行 began, else the filing day."""
    from core.ruletables import in_force

    from .penalties import ART_37, check_prior_order

    if article is None:
        raise ServiceError(f"请选择责令停产停业整顿的法律依据（{SUSPENSION_BASIS}）。", "article")
    began = check_prior_order(case, article, decided_on)
    act_on = began or min(case.opened_on, decided_on)
    orders = [(when, bool(version and version.suspension)) for when, version in (
        (f"违法行为发生时（{act_on:%Y-%m-%d}）", in_force("penalty-articles", article, act_on)),
        (f"作出决定时（{decided_on:%Y-%m-%d}）", in_force("penalty-articles", article, decided_on)))]
    if not any(ordered for _, ordered in orders):
        raise ServiceError(f"{article.citation}（{article.conduct}）未规定责令停产停业整顿，不能依据该条款作出停产整顿决定。",
                           "article")
    for when, ordered in orders:  # ordered on one day only: the law of the act, unless the decision's is lighter
        if not ordered:
            raise ServiceError(f"{when}{article.citation}（{article.conduct}）未规定责令停产停业整顿，"
                               f"不能依据该条款作出停产整顿决定（{ART_37}）。", "article")
    return act_on


def order_suspension(actor, case: Case, *, article, reason: str, correction_deadline: datetime.date | None = None,
                     decided_on: datetime.date | None = None) -> Decision:
    """责令停产停业整顿 (decided on ``decided_on``, default today, never in the future) under ``article``,
    a clause that orders it (``check_suspension_article``): the enterprise becomes suspended. It is an
    administrative penalty of the unit: not after a 不予行政处罚 of the unit in the same case; while the
    不予处罚 proposal stands, its written reason is also the reason the proposal is not taken (on its
    event, as a fine's)."""
    from enterprises.models import Enterprise
    from enterprises.services import set_enterprise_status

    from . import rules

    _require_handler(actor, case)
    _check_form_stage(case, "suspension", "责令停产整顿（须在告知之后、进入执行之前）")
    if not (reason or "").strip():
        raise ServiceError("请填写停产整顿的理由。", "reason")
    ent = Enterprise.objects.get(pk=case.enterprise_id)
    if ent.status != Enterprise.Status.OPERATING:
        raise ServiceError(f"该单位当前状态为“{ent.get_status_display()}”，不能责令停产整顿。", "reason")
    decided_on = _decided_on(decided_on)
    if correction_deadline is not None and correction_deadline < decided_on:
        raise ServiceError("整改期限不能早于停产整顿决定日期。", "correction_deadline")
    entity = case.parties.get(kind=CaseParty.Kind.ENTITY)
    if case.decisions.filter(party=entity, kind=Decision.Kind.NO_PENALTY, status=Decision.Status.EFFECTIVE).exists():
        raise ServiceError("本案已对该单位作出不予行政处罚决定，不能再责令停产停业整顿（行政处罚）"
                           "（《中华人民共和国行政处罚法》第三十三条）。", "article")
    act_on = check_suspension_article(case, article, decided_on)
    set_aside = rules.leniency_proposed(case)  # the written reason is also why the proposal is not taken
    with transaction.atomic():
        decision = _create_decision(actor, case, entity, Decision.Kind.SUSPENSION, verb="case.suspension",
                                    note=f"未采纳不予行政处罚建议的理由：{reason.strip()}" if set_aside else "",
                                    event_data={"article": article.citation,
                                                **({"leniency_set_aside": reason.strip()} if set_aside else {})},
                                    article=article, act_on=act_on,
                                    reason=reason, correction_deadline=correction_deadline, decided_on=decided_on)
        set_enterprise_status(actor, ent, Enterprise.Status.SUSPENDED, note=f"{case.number} 责令停产整顿",
                              decision=decision)
    return decision


def suspension_in_force(case: Case) -> Decision | None:
    """The case's 停产整顿 decision still in force: effective and not lifted by an effective 复产
    decision (the latest such, should a case have ordered a second one after a resumption)."""
    return case.decisions.suspensions_in_force().order_by("-decided_on", "-pk").first()


def resume(actor, case: Case, *, reason: str, decided_on: datetime.date | None = None) -> Decision:
    """复产复查 (decided on ``decided_on``, the day of the review — default today, never in the future):
    after review, a suspended enterprise resumes operating — only while the case executes its
    decisions, under a suspension in force, once the case's major hazard is eliminated (验收销号), and
    not dated before the suspension it lifts nor before that 销号: 安全生产法 第六十五条第一款第（三）项
    ("重大事故隐患排除后，经审查同意，方可恢复生产经营"), DOMAIN.md (pass → 核销 and resume). The decision
    names the suspension it lifts (``Decision.lifts``); its document is the 整改复查意见书. The unit
    operates again unless an order of another of its cases is in force too."""
    from enterprises.models import Enterprise
    from enterprises.services import set_enterprise_status
    from hazards import workflow as hazard_workflow

    _require_handler(actor, case)
    _check_form_stage(case, "resume", "作出复产决定")
    if not (reason or "").strip():
        raise ServiceError("请填写复查意见。", "reason")
    ent = Enterprise.objects.get(pk=case.enterprise_id)
    lifted = suspension_in_force(case)
    if ent.status != Enterprise.Status.SUSPENDED or lifted is None:
        raise ServiceError("该单位未在本案中被责令停产整顿。", "reason")
    hazard = case.hazard if case.hazard_id is not None else None
    if hazard is not None and hazard.status != hazard_workflow.CLOSED:
        raise ServiceError(f"本案的事故隐患（{hazard.number}）尚未验收销号，复查不能通过。", "reason")
    decided_on = _decided_on(decided_on)
    _not_before(decided_on, lifted.decided_on, "复查日期", "责令停产停业整顿决定日期", "decided_on")
    if hazard is not None and hazard.closed_at is not None:
        _not_before(decided_on, timezone.localdate(hazard.closed_at), "复查日期", f"事故隐患{hazard.number}的销号日期",
                    "decided_on")
    entity = case.parties.get(kind=CaseParty.Kind.ENTITY)
    with transaction.atomic():
        lock(case)  # no 强制措施 taken meanwhile (take_suspension_measures holds the same lock)
        check_none_in_force(lifted, "复产")
        # the unit operates again unless another case's order is still in force (a revoked 复产 put it back)
        elsewhere = _suspended_elsewhere(ent.pk, lifted)
        decision = _create_decision(actor, case, entity, Decision.Kind.RESUMPTION, verb="case.resumption", reason=reason,
                                    decided_on=decided_on, lifts=lifted,
                                    event_data={"lifts": lifted.pk, "still_suspended": elsewhere})
        if not elsewhere:
            set_enterprise_status(actor, ent, Enterprise.Status.OPERATING, note=f"{case.number} 复查合格，恢复生产经营",
                                  decision=decision)
    return decision


def _suspended_elsewhere(enterprise_id: int, revoked: Decision) -> bool:
    """Another 停产整顿 decision of the enterprise is still in force: effective and not lifted by an
    effective 复产 decision."""
    return (Decision.objects.filter(case__enterprise_id=enterprise_id, kind=Decision.Kind.SUSPENSION,
                                    status=Decision.Status.EFFECTIVE).exclude(pk=revoked.pk)
            .exclude(lifted_by__status=Decision.Status.EFFECTIVE).exists())


def revoke_decision(actor, decision: Decision, *, reason: str) -> Decision:
    """撤销 an effective decision (compare-and-set on its status; one ``case.revoked`` event). The
    revoked decision stops counting (dispatch, 一案双罚, closure grounds). Revoking a 停产整顿
    decision ends the suspension it imposed: a suspended enterprise operates again (its own
    ``enterprise.status`` event) unless another suspension of it is still in force; revoking a 复产
    decision puts the suspension it lifted back in force (the enterprise is suspended again). A fine
    that a 按日连续处罚 builds on is revoked only after that daily fine. Revoking a 行政处罚 of the unit withdraws
    the 严重失信 listings that rested on it (``credit.withdraw_unfounded``, same transaction)."""
    from enterprises.models import Enterprise
    from enterprises.services import set_enterprise_status

    case = decision.case
    _require_handler(actor, case)
    _check_form_stage(case, "revoke", "撤销决定")
    if decision.status != Decision.Status.EFFECTIVE:
        raise ServiceError("该决定已撤销。", "decision")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写撤销理由。", "reason")
    if decision.kind == Decision.Kind.PENALTY and decision.daily_fines.filter(status=Decision.Status.EFFECTIVE).exists():
        raise ServiceError("该罚款决定已作出按日连续处罚，请先撤销按日连续处罚决定。", "decision")
    with transaction.atomic():
        lock(case)  # no 强制措施 taken meanwhile (take_suspension_measures holds the same lock)
        check_none_in_force(decision, "撤销")
        if Decision.objects.filter(pk=decision.pk, status=Decision.Status.EFFECTIVE).update(
                status=Decision.Status.REVOKED) != 1:
            raise StaleState()
        decision.status = Decision.Status.REVOKED
        lifted = False
        if decision.kind == Decision.Kind.SUSPENSION:
            ent = Enterprise.objects.select_for_update().get(pk=case.enterprise_id)
            if ent.status == Enterprise.Status.SUSPENDED and not _suspended_elsewhere(ent.pk, decision):
                set_enterprise_status(actor, ent, Enterprise.Status.OPERATING,
                                      note=f"{case.number} 停产整顿决定已撤销，解除停产整顿", decision=decision)
                lifted = True
        restored = False
        if decision.kind == Decision.Kind.RESUMPTION and decision.lifts_id is not None:
            # the review's approval is void: the suspension it lifted is in force again
            ent = Enterprise.objects.select_for_update().get(pk=case.enterprise_id)
            if ent.status == Enterprise.Status.OPERATING and suspension_in_force(case) is not None:
                set_enterprise_status(actor, ent, Enterprise.Status.SUSPENDED,
                                      note=f"{case.number} 复产复查决定已撤销，继续停产停业整顿", decision=decision)
                restored = True
        withdrawn = []
        if decision.kind in PENALTY_KINDS and decision.party.kind == CaseParty.Kind.ENTITY:
            from .credit import withdraw_unfounded  # the listings resting on it leave the 严重失信 list

            withdrawn = withdraw_unfounded(actor, case)
        # a typical case published on the outcome now revoked is withdrawn with it (kept, off the public page)
        typical = withdraw_unfounded_typical(actor, case)
        record(actor, "case.revoked", case, note=reason,
               data={"decision": decision.pk, "kind": decision.kind, "party": decision.party.name,
                     "suspension_lifted": lifted, "suspension_restored": restored, "listings_withdrawn": withdrawn,
                     "typical_withdrawn": typical})
    return decision


TRANSFER_TO_MAX = Decision._meta.get_field("transfer_to").max_length


def transfer(actor, case: Case, *, party: CaseParty, reason: str, transfer_to: str, dangerous_ops: bool = False,
             decided_on: datetime.date | None = None) -> Decision:
    """移送司法机关 of a person (with the 危险作业罪 flag) to the 公安机关 ``transfer_to`` — 同级公安机关
    (国务院令第310号第三条), the 移送书's addressee — on ``decided_on`` (default today, never in the future)."""
    _require_handler(actor, case)
    _check_form_stage(case, "transfer", "移送司法机关（须在调查取证之后）")
    party = _party(case, party)
    if party.kind != CaseParty.Kind.PERSON:
        raise ServiceError("移送司法机关的对象须为个人。", "party")
    if not (reason or "").strip():
        raise ServiceError("请填写移送理由。", "reason")
    transfer_to = (transfer_to or "").strip()
    if not transfer_to:
        raise ServiceError("请填写接收移送的公安机关（同级公安机关，如“天津市公安局河北分局”）。", "transfer_to")
    if len(transfer_to) > TRANSFER_TO_MAX:
        raise ServiceError(f"公安机关名称不能超过{TRANSFER_TO_MAX}字。", "transfer_to")
    decided_on = _decided_on(decided_on)
    with transaction.atomic():
        return _create_decision(actor, case, party, Decision.Kind.TRANSFER, verb="case.transfer", reason=reason,
                                dangerous_ops=bool(dangerous_ops), decided_on=decided_on, transfer_to=transfer_to,
                                event_data={"transfer_to": transfer_to})


# ---------------------------------------------------------------- penalties in force

#: 行政处罚 among a case's decisions (行政处罚法 art. 9: 罚款; 责令停产停业): what a 严重失信 listing
#: rests on (seed 002 item 3 "因安全生产违法行为受到行政处罚的生产经营单位") and a typical case reports
PENALTY_KINDS = (Decision.Kind.PENALTY, Decision.Kind.DAILY_FINE, Decision.Kind.SUSPENSION)


def penalties_in_force(case: Case):
    """The case's effective administrative penalties (PENALTY_KINDS)."""
    return case.decisions.filter(kind__in=PENALTY_KINDS, status=Decision.Status.EFFECTIVE)


# ---------------------------------------------------------------- split writers (credit, measures, penalties, transfers)

#: writer modules split out of this one (services are the only writers; core/tests/test_writers.py),
#: re-exported here so callers keep using ``enforcement.services``: measures.py — 曝光/约谈/联合惩戒, 典型执法案例,
#: 责任倒查, 约谈/通报 of subordinate offices; credit.py — 失信名单, 信用修复, 行业禁入;
#: penalties.py — 行政处罚, 不予处罚, 按日连续处罚 and 改正; transfers.py — what the 公安机关 did with a
#: 移送司法机关 (回执, 立案 / 不予立案 / 转送, 复议); compulsion.py — 强制措施 (第七十条) enforcing a 责令停产停业整顿
SERVICE_MODULES = ("compulsion", "credit", "measures", "penalties", "transfers")

from .compulsion import check_none_in_force, lift_suspension_measures, take_suspension_measures  # noqa: E402, F401  (re-exported)
from .credit import (  # noqa: E402, F401  (after the helpers it uses; re-exported)
    apply_repair,
    ban_person,
    confirm_listing,
    decide_repair,
    expire_listing,
    propose_listing,
)
from .measures import (  # noqa: E402, F401  (after the helpers it uses; re-exported)
    add_measure,
    outcome_in_force,
    publish_typical,
    record_accountability,
    record_notice,
    withdraw_unfounded_typical,
)
from .penalties import (  # noqa: E402, F401  (after the helpers it uses; re-exported)
    ART_112,
    ROLE_LABELS,
    check_amount,
    check_role,
    daily_fine,
    daily_fine_total,
    decide_no_penalty,
    decide_penalty,
    is_double_penalty,
    record_correction,
)
from .transfers import (  # noqa: E402, F401  (after the helpers it uses; re-exported)
    record_transfer_outcome,
    record_transfer_receipt,
    request_reconsideration,
)
