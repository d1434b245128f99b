"""Writers of the credit records (严重失信主体名单, 信用修复) and of sector bans (行业禁入): guard,
one transaction, compare-and-set where a record moves, one event in the same transaction.
Split out of ``enforcement.services`` (listed in its SERVICE_MODULES, re-exported there, so
callers keep using ``enforcement.services``); the actor checks are that module's."""

import datetime

from django.db import models, transaction
from django.utils import timezone

from core.events import record
from core.services import NotPermitted, ServiceError, StaleState

from . import rules, services
from .models import Case, CaseParty, CreditListing, CreditRepair, SectorBan


def propose_listing(actor, *, enterprise, reason: str, start: datetime.date | None = None, duration_months: int = 36,
                    public: bool = True, case: Case | None = None) -> CreditListing:
    """拟列入严重失信主体名单 (seed 002 item 3: units "发生生产安全事故的" or "因安全生产违法行为受到行政
    处罚的"). From a case (its page, FORM_STAGES["listing"]): once decided, on an administrative
    penalty of the case in force (``services.PENALTY_KINDS``). Without a case: the enterprise has such a
    penalty in force in any case, or an accident on record."""
    org = services._government_writer(actor, enterprise)
    _check_listing_ground(enterprise, case)
    if not (reason or "").strip():
        raise ServiceError("请填写列入事由。", "reason")
    if not duration_months or int(duration_months) < 1 or int(duration_months) > 120:
        raise ServiceError("期限须为1至120个月。", "duration_months")
    start = start or timezone.localdate()
    with transaction.atomic():
        row = CreditListing.objects.create(enterprise=enterprise, case=case, reason=reason, start=start,
                                           duration_months=int(duration_months),
                                           ends_on=rules.months_after(start, int(duration_months)), public=bool(public),
                                           proposed_by=services._user(actor), organisation=services._acting_org(org, case))
        record(actor, "credit.proposed", row, to_state=row.status)
    return row


def _check_listing_ground(enterprise, case: Case | None) -> None:
    if case is not None:
        if case.enterprise_id != enterprise.pk:
            raise ServiceError("该案件的当事单位不是本单位。", "case")
        services._check_form_stage(case, "listing", "提请列入严重失信主体名单（须在作出决定之后）")
    if not _ground_holds(enterprise.pk, case):
        if case is not None:
            raise ServiceError("本案尚未对该单位作出已生效的行政处罚决定，不能提请列入严重失信主体名单"
                               "（列入对象为因安全生产违法行为受到行政处罚的生产经营单位）。", "reason")
        raise ServiceError("该单位没有已生效的行政处罚决定，也没有生产安全事故记录，不能提请列入严重失信主体名单。", "reason")


def _ground_holds(enterprise_id: int, case: Case | None) -> bool:
    """Seed 002 item 3's ground of a listing: from a case, an administrative penalty of the unit in force in
    that case (``services.PENALTY_KINDS``); without one, such a penalty in any case or an accident on record."""
    from .models import Decision

    if case is not None:
        return services.penalties_in_force(case).filter(party__kind="entity").exists()
    from accidents.models import Accident

    return (Decision.objects.filter(case__enterprise_id=enterprise_id, kind__in=services.PENALTY_KINDS,
                                    status=Decision.Status.EFFECTIVE, party__kind="entity").exists()
            or Accident.objects.filter(enterprise_id=enterprise_id).exists())


#: the note of a listing withdrawn because the penalty it rests on was revoked
WITHDRAWN_NOTE = "{number} 行政处罚决定已撤销，列入依据不复存在，移出严重失信主体名单。"


def withdraw_unfounded(actor, case: Case) -> list[int]:
    """After a 行政处罚 of ``case``'s unit is revoked (``services.revoke_decision``, in its transaction): every
    proposed or listed entry of the unit whose ground no longer holds — the case's own, or one without a case
    when the unit has no penalty in force and no accident left — is withdrawn (compare-and-set, a
    ``credit.withdrawn`` event each) and leaves the public list. Returns the ids withdrawn."""
    live = (CreditListing.Status.PROPOSED, CreditListing.Status.LISTED)
    candidates = CreditListing.objects.filter(enterprise_id=case.enterprise_id, status__in=live).filter(
        models.Q(case=case) | models.Q(case__isnull=True)).select_related("case")
    withdrawn = []
    for listing in candidates:
        if _ground_holds(case.enterprise_id, listing.case):
            continue
        old = listing.status
        if CreditListing.objects.filter(pk=listing.pk, status=old).update(status=CreditListing.Status.WITHDRAWN) != 1:
            raise StaleState()
        listing.status = CreditListing.Status.WITHDRAWN
        record(actor, "credit.withdrawn", listing, from_state=old, to_state=listing.status,
               note=WITHDRAWN_NOTE.format(number=case.number), data={"case": case.pk})
        withdrawn.append(listing.pk)
    return withdrawn


def _listing_transition(actor, listing: CreditListing, old: str, new: str, verb: str, note: str = "") -> CreditListing:
    with transaction.atomic():
        if CreditListing.objects.filter(pk=listing.pk, status=old).update(status=new) != 1:
            raise StaleState()
        listing.status = new
        record(actor, verb, listing, from_state=old, to_state=new, note=note)
    return listing


def confirm_listing(actor, listing: CreditListing) -> CreditListing:
    """A leader confirms the proposal: the entity is listed."""
    services._government_writer(actor, listing.enterprise)
    if not services._is_super(actor) and not actor.membership.can_approve:
        raise NotPermitted("列入名单须由负责人审批。")
    if listing.status != CreditListing.Status.PROPOSED:
        raise ServiceError("只有拟列入的记录可以确认列入。", "status")
    if not _ground_holds(listing.enterprise_id, listing.case):  # revoked since it was proposed
        raise ServiceError("列入依据的行政处罚决定已撤销，不能确认列入严重失信主体名单。", "status")
    return _listing_transition(actor, listing, CreditListing.Status.PROPOSED, CreditListing.Status.LISTED, "credit.listed")


def expire_listing(actor, listing: CreditListing) -> CreditListing:
    services._government_writer(actor, listing.enterprise)
    if listing.status != CreditListing.Status.LISTED or listing.ends_on >= timezone.localdate():
        raise ServiceError("名单期限尚未届满。", "status")
    return _listing_transition(actor, listing, CreditListing.Status.LISTED, CreditListing.Status.EXPIRED, "credit.expired")


def apply_repair(actor, listing: CreditListing, *, statement: str) -> CreditRepair:
    """信用修复申请 — by the enterprise itself or recorded by an officer on its behalf."""
    from enterprises.models import Enterprise

    if not services._is_super(actor) and not Enterprise.objects.visible_to(actor).filter(pk=listing.enterprise_id).exists():
        raise NotPermitted()
    if listing.status != CreditListing.Status.LISTED:
        raise ServiceError("只有已列入名单的记录可以申请信用修复。", "statement")
    if not (statement or "").strip():
        raise ServiceError("请填写修复申请说明。", "statement")
    if listing.repairs.filter(status=CreditRepair.Status.PENDING).exists():
        raise ServiceError("已有待审核的修复申请。", "statement")
    with transaction.atomic():
        repair = CreditRepair.objects.create(listing=listing, statement=statement, applied_by=services._user(actor))
        record(actor, "credit.repair_applied", listing, data={"repair": repair.pk})
    return repair


def decide_repair(actor, repair: CreditRepair, *, approve: bool, note: str = "") -> CreditRepair:
    """信用修复决定 — by someone other than the proposer of the listing and the applicant."""
    services._government_writer(actor, repair.listing.enterprise)
    uid = getattr(actor, "pk", None)
    if uid is not None and uid in (repair.listing.proposed_by_id, repair.applied_by_id):
        raise ServiceError("信用修复须由列入提出人和申请人以外的人员审核。", "approve")
    new = CreditRepair.Status.APPROVED if approve else CreditRepair.Status.DENIED
    with transaction.atomic():
        if CreditRepair.objects.filter(pk=repair.pk, status=CreditRepair.Status.PENDING).update(
                status=new, decided_by=services._user(actor), decided_at=timezone.now(), decision_note=note) != 1:
            raise StaleState()
        repair.status = new
        record(actor, "credit.repair_decided", repair.listing, note=note, data={"repair": repair.pk, "approve": bool(approve)})
        if approve:
            _listing_transition(actor, repair.listing, CreditListing.Status.LISTED, CreditListing.Status.REPAIRED,
                                "credit.repaired", note)
    return repair


#: 安全生产法 第九十四条第二款 (the ground of every ban, cited in its refusals)
ART_94 = "《中华人民共和国安全生产法》第九十四条第二款"


def ban_person(actor, case: Case, *, person_name: str, ground: str, start: datetime.date | None = None,
               reason: str = "", accident=None) -> SectorBan:
    """行业禁入 of the unit's 主要负责人 on a ground of 第九十四条第二款, the term following from it
    (``SectorBan.TERMS``): a criminal penalty or a 撤职处分 bars for five years from ``start`` (the end of the
    sentence, the day of the 处分: required, not in the future); responsibility for a 重大 or 特别重大
    accident of the unit (``accident``, one the actor sees) bars for life from ``start`` (default today), as the
    principal of a unit of the accident's 行业领域 (recorded with the ban: the unit's sectors may change).
    Recorded in a case of the unit by its handler, from its decision on (``FORM_STAGES["ban"]``), of one of the
    case's 主要负责人 parties — so the person is known to have been the unit's principal. The same ban is not
    recorded twice."""
    from accidents import workflow as accident_workflow
    from accidents.models import Accident
    from hazards.asof import check_not_future

    enterprise = case.enterprise
    org = services._government_writer(actor, enterprise)
    services._require_handler(actor, case)
    services._check_form_stage(case, "ban", "登记行业禁入（须在作出决定之后）")
    person_name = (person_name or "").strip()
    if not person_name:
        raise ServiceError("请填写人员姓名。", "person_name")
    if not case.parties.filter(role=CaseParty.Role.PRINCIPAL, name=person_name).exists():
        raise ServiceError(f"行业禁入的对象是生产经营单位的主要负责人：{person_name}不是本案的主要负责人当事人（{ART_94}）。",
                           "person_name")
    if ground not in SectorBan.Ground.values:
        raise ServiceError(f"请选择行业禁入的依据（{ART_94}）。", "ground")
    if ground == SectorBan.Ground.ACCIDENT:
        grades = (accident_workflow.MAJOR, accident_workflow.ESPECIALLY_MAJOR)
        if accident is None or not Accident.objects.visible_to(actor).filter(pk=accident.pk).exists():
            raise ServiceError(f"请选择该负责人负有责任的重大、特别重大生产安全事故（{ART_94}）。", "accident")
        if accident.enterprise_id != enterprise.pk:
            raise ServiceError(f"所选事故（{accident.enterprise_name}）不是本单位的事故。", "accident")
        if accident.grade not in grades:
            raise ServiceError(f"终身行业禁入适用于对重大、特别重大生产安全事故负有责任的主要负责人，所选事故为"
                               f"{accident.get_grade_display()}（{ART_94}）。", "accident")
        start = check_not_future(start or timezone.localdate(), "start", "禁入起始日期")
    else:
        accident = None  # a five-year ban rests on the sentence or the 处分, not on an accident
        if start is None:
            what = "刑罚执行完毕之日" if ground == SectorBan.Ground.CRIMINAL else "受处分之日"
            raise ServiceError(f"请填写{what}：五年禁入自该日起计算（{ART_94}）。", "start")
        start = check_not_future(start, "start", "禁入起始日期")
    term = SectorBan.TERMS[ground]
    with transaction.atomic():
        services.lock(enterprise)  # two officers recording the same ban: one is recorded
        if SectorBan.objects.filter(enterprise=enterprise, person_name=person_name, ground=ground, start=start,
                                    accident=accident).exists():
            raise ServiceError(f"{person_name}的该项行业禁入已登记。", "person_name")
        ban = SectorBan.objects.create(enterprise=enterprise, case=case, person_name=person_name, ground=ground,
                                       accident=accident, sector=accident.sector if accident else None, term=term, reason=(reason or "").strip(), start=start,
                                       organisation=services._acting_org(org, case))
        record(actor, "credit.ban", enterprise, data={"ban": ban.pk, "person": ban.person_name, "term": term,
                                                      "ground": ground, "start": start.isoformat(),
                                                      "accident": accident.pk if accident else None,
                                                      "sector": ban.sector.code if ban.sector_id else None})
    return ban
