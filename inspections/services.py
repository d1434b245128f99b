"""The only code that writes inspection rows. Findings reach the hazard ledger only through
``hazards.services.register_hazard`` (channel "inspection", source "inspections.record:<pk>") or,
for a finding the inspector matched to a hazard already in the ledger, ``hazards.services.add_source``
(``inspections.matching``)."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation
from accounts.permissions import actor_org, membership
from core.events import record as record_event
from core.services import NotPermitted, ServiceError, StaleState, lock
from core.uploads import accept as accept_upload
from enterprises.models import Enterprise

from . import checklist, frequency
from .draw import draw as pure_draw
from .models import (
    SPOT_FIELDS,
    Addendum,
    Conflict,
    Draw,
    InspectorProfile,
    Plan,
    Record,
    RecordInspector,
    RecordItem,
    SpotCheck,
    Visit,
)

#: writer modules split out of this one (services are the only writers; see core/tests/test_writers.py):
#: review.py: 整改复查 batches and conclusions (uses the helpers here)
#: redraw.py: 重新抽取 requests and their approval (the only path to a second draw of a plan)
#: matching.py: a finding that is a hazard already in the ledger (a source of it, not a new hazard)
SERVICE_MODULES = ("review", "redraw", "matching")

GOVERNMENT_KINDS = (Organisation.Kind.COMMITTEE, Organisation.Kind.DEPARTMENT, Organisation.Kind.TOWNSHIP)


# ---------------------------------------------------------------- who may act

def acting_org(actor) -> Organisation | None:
    """The actor's government organisation when they may write, else None."""
    m = membership(actor)
    org = actor_org(actor)
    if org is None or not m.can_write or org.kind not in GOVERNMENT_KINDS or not org.is_active:
        return None
    return org


def can_inspect(actor) -> bool:
    return acting_org(actor) is not None


def can_plan(actor) -> bool:
    org = acting_org(actor)
    return org is not None and org.kind == Organisation.Kind.DEPARTMENT


def _require_org(actor, *, department: bool = False) -> Organisation:
    org = acting_org(actor)
    if org is None or (department and org.kind != Organisation.Kind.DEPARTMENT):
        raise NotPermitted("只有负有安全监管职责的部门经办人员可以办理。" if department else "只有政府部门经办人员可以办理。")
    return org


def nameable_inspectors(actor):
    """The accounts ``actor`` may name as a record's inspectors (``core.api.VisibleRecordField``'s
    scope for ``inspectors``): someone who may not record an inspection names nobody (403, as
    ``create_record`` answers), and only accounts of units in the actor's scope
    (``accounts.scope.people_visible_to``) — an account elsewhere is not found, never named back."""
    from accounts.scope import people_visible_to

    _require_org(actor)
    return people_visible_to(actor)


def _require_enterprise(actor, enterprise) -> None:
    if not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise NotPermitted("该单位不在您的管辖范围内。")


def inspectors_of(org) -> list:
    """Users of ``org`` marked as inspectors, ordered by id (the draw's inspector pool)."""
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(
        membership__organisation=org, membership__is_inspector=True, is_active=True).order_by("pk"))


# ---------------------------------------------------------------- plans and draws

def create_plan(actor, *, title: str, year: int, planned_count: int, month: int | None = None, sectors=(),
                high_risk_only: bool = False, townships=(), standardisation_grades=(), max_per_enterprise: int | None = None) -> Plan:
    org = _require_org(actor, department=True)
    if not (title or "").strip():
        raise ServiceError("请填写计划名称。", "title")
    if month is not None and not 1 <= month <= 12:
        raise ServiceError("月份须在1到12之间。", "month")
    if not 1 <= planned_count <= Plan.MAX_PLANNED:
        raise ServiceError(f"计划检查家次须在1到{Plan.MAX_PLANNED}之间。", "planned_count")
    if max_per_enterprise is not None and not 1 <= max_per_enterprise <= Plan.MAX_PER_YEAR:
        raise ServiceError(f"同一企业年度检查上限须在1到{Plan.MAX_PER_YEAR}次之间，或留空按频次上限表。", "max_per_enterprise")
    bad = [g for g in standardisation_grades if g not in Enterprise.StandardisationGrade.values]
    if bad:
        raise ServiceError("标准化等级无效。", "standardisation_grades")
    for t in townships:
        if t.level != "township" or not t.path.startswith(org.region.path):
            raise ServiceError("目标乡镇须在本部门辖区内。", "townships")
    with transaction.atomic():
        plan = Plan(department=org, title=title.strip(), year=year, month=month, high_risk_only=high_risk_only,
                    standardisation_grades=list(standardisation_grades), planned_count=planned_count,
                    max_per_enterprise=max_per_enterprise, created_by=actor)
        plan.set_region_codes(org.region)
        plan.save()
        plan.sectors.set(sectors)
        plan.townships.set(townships)
        record_event(actor, "inspection.plan_created", plan, data={"planned_count": planned_count})
    return plan


def plan_pool(plan: Plan, actor) -> list[int]:
    """Ordered ids of the enterprises the plan may draw: visible to the actor, operating, matching
    the target filters and below their yearly frequency cap (``frequency.capped``: the rule table's
    row for the enterprise's class and 标准化 grade, or the plan's own limit when lower)."""
    qs = Enterprise.objects.visible_to(actor).filter(status=Enterprise.Status.OPERATING)
    sector_ids = list(plan.sectors.values_list("pk", flat=True))
    if sector_ids:
        qs = qs.filter(sectors__in=sector_ids)
    if plan.high_risk_only:
        qs = qs.filter(high_risk=True)
    township_ids = list(plan.townships.values_list("pk", flat=True))
    if township_ids:
        qs = qs.filter(region_id__in=township_ids)
    if plan.standardisation_grades:
        qs = qs.filter(standardisation_grade__in=plan.standardisation_grades)
    ids = sorted(set(qs.values_list("pk", flat=True)))
    full = frequency.capped(plan.department, plan.year, ids, on=timezone.localdate(), plan_max=plan.max_per_enterprise)
    return [i for i in ids if i not in full]


def conflict_pairs(inspector_ids, enterprise_ids) -> list[list[int]]:
    """Recusal as (inspector, enterprise) pairs: declared conflicts plus 'not in the inspector's
    own township'."""
    pairs = set(Conflict.objects.filter(inspector_id__in=inspector_ids, enterprise_id__in=enterprise_ids)
                .values_list("inspector_id", "enterprise_id"))
    homes = dict(InspectorProfile.objects.filter(user_id__in=inspector_ids, home_township__isnull=False)
                 .values_list("user_id", "home_township_id"))
    if homes:
        for ent_id, region_id in Enterprise.objects.filter(pk__in=enterprise_ids).values_list("pk", "region_id"):
            for ins, home in homes.items():
                if home == region_id:
                    pairs.add((ins, ent_id))
    return sorted([list(p) for p in pairs])


def _refuse_recused(inspectors, enterprise) -> None:
    """The draw's recusal rule (``conflict_pairs``: declared conflicts and the inspector's home
    township) holds for every record, drawn or not; the refusal names the inspector and the ground."""
    recused = {i for i, _ in conflict_pairs([u.pk for u in inspectors], [enterprise.pk])}
    if not recused:
        return
    declared = dict(Conflict.objects.filter(enterprise=enterprise, inspector_id__in=recused)
                    .values_list("inspector_id", "reason"))
    reasons = []
    for u in inspectors:
        if u.pk in recused:
            name = u.get_full_name() or u.username
            reasons.append(f"{name}已申报与该单位回避（{declared[u.pk]}）" if u.pk in declared
                           else f"{name}居住在该单位所在的乡镇（街道）")
    raise ServiceError(f"{'；'.join(reasons)}，须回避，不能检查该单位。", "inspectors", code="recusal")


def check_draw_counts(count, per_enterprise) -> None:
    """A draw's numbers (a first draw or a 重新抽取 request): 1 to ``Plan.MAX_PLANNED`` enterprises,
    1 to ``Draw.MAX_PER_ENTERPRISE`` inspectors each — beyond the columns a 500 on PostgreSQL."""
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= Plan.MAX_PLANNED:
        raise ServiceError(f"抽取企业数须在1到{Plan.MAX_PLANNED}之间。", "count")
    if (isinstance(per_enterprise, bool) or not isinstance(per_enterprise, int)
            or not 1 <= per_enterprise <= Draw.MAX_PER_ENTERPRISE):
        raise ServiceError(f"每家企业的检查人员数须在1到{Draw.MAX_PER_ENTERPRISE}人之间。", "per_enterprise")


def make_draw(actor, plan: Plan, *, count: int, per_enterprise: int = 2, reason: str = "", redraw=None) -> Draw:
    """Draw for ``plan``. A plan with a current draw is drawn again only through an approved
    request (``redraw.approve_redraw`` passes it as ``redraw``); the old draw is kept, superseded.

    The seed is never chosen by a person: pools are deterministic and visible, so whoever picks the
    seed picks the result. It comes from ``secrets`` and is stored with the pools for ``replay``."""
    org = _require_org(actor, department=True)
    if plan.department_id != org.pk:
        raise NotPermitted("只能为本部门的计划抽取。")
    check_draw_counts(count, per_enterprise)
    current = plan.draws.filter(superseded=False).first()
    if current and redraw is None:
        raise ServiceError("本计划已抽取。重新抽取须提交申请并说明原因，经本部门负责人批准。", "reason",
                           code="redraw_needs_approval")
    if redraw is not None and (current is None or redraw.draw_id != current.pk):
        raise StaleState()
    enterprises = plan_pool(plan, actor)
    inspectors = [u.pk for u in inspectors_of(org)]
    conflicts = conflict_pairs(inspectors, enterprises)
    seed = secrets.randbits(48)
    result = pure_draw(seed, enterprises, inspectors, count, per_enterprise, conflicts)
    with transaction.atomic():
        new = Draw(plan=plan, department=org, seed=seed, enterprise_pool=enterprises, inspector_pool=inspectors,
                   conflicts=conflicts, count=count, per_enterprise=per_enterprise, result=result, created_by=actor,
                   redraw_reason=(reason or "").strip() if current else "")
        new.set_region_codes(org.region)
        new.save()
        if current:
            if Draw.objects.filter(pk=current.pk, superseded=False).update(superseded=True, superseded_by=new) != 1:
                raise StaleState()
            record_event(actor, "inspection.draw_superseded", current, note=reason, data={"by": new.pk})
        record_event(actor, "inspection.drawn", new, data={"seed": seed, "count": count})
    return new


def replay(draw_row: Draw) -> list[dict]:
    """Recompute a recorded draw from its seed and pool snapshot (audit)."""
    return pure_draw(draw_row.seed, draw_row.enterprise_pool, draw_row.inspector_pool, draw_row.count,
                     draw_row.per_enterprise, draw_row.conflicts)


def set_home_township(actor, *, inspector, township) -> InspectorProfile:
    """Record where an inspector lives: the draw never sends them to inspect there (回避)."""
    org = _require_org(actor, department=True)
    if inspector not in inspectors_of(org):
        raise ServiceError("只能设置本单位执法检查人员的回避信息。", "inspector")
    if township is not None and (township.level != "township" or not township.path.startswith(org.region.path)):
        raise ServiceError("请选择本辖区内的乡镇（街道）。", "township")
    with transaction.atomic():
        profile, _ = InspectorProfile.objects.get_or_create(user=inspector)
        old = profile.home_township.code if profile.home_township_id else ""
        InspectorProfile.objects.filter(pk=profile.pk).update(home_township=township)
        profile.refresh_from_db()
        record_event(actor, "inspection.home_township_set", profile, from_state=old,
                     to_state=township.code if township else "", data={"inspector": inspector.pk})
    return profile


def declare_conflict(actor, *, inspector, enterprise, reason: str) -> Conflict:
    _require_org(actor)
    _require_enterprise(actor, enterprise)
    if not (reason or "").strip():
        raise ServiceError("请填写回避原因。", "reason")
    with transaction.atomic():
        c, _ = Conflict.objects.get_or_create(inspector=inspector, enterprise=enterprise, defaults={"reason": reason.strip()})
        record_event(actor, "inspection.conflict_declared", c, data={"inspector": inspector.pk})
    return c


# ---------------------------------------------------------------- records

def drawn_inspectors(draw_row: Draw, enterprise_id: int) -> list[int] | None:
    """The inspectors ``draw_row`` drew for the enterprise, or None when it did not draw the enterprise."""
    for row in draw_row.result:
        if row["enterprise"] == enterprise_id:
            return sorted(row["inspectors"])
    return None


def _check_draw(actor, org, draw_row: Draw, enterprise, inspectors) -> None:
    """A record made from a draw inspects a drawn enterprise with exactly the inspectors drawn for it."""
    if not Draw.objects.visible_to(actor).filter(pk=draw_row.pk).exists() or draw_row.department_id != org.pk:
        raise ServiceError("只能按本部门的双随机抽取结果检查。", "draw")
    if draw_row.superseded:
        raise ServiceError("该抽取已被重新抽取作废，请按现行抽取结果检查。", "draw")
    drawn = drawn_inspectors(draw_row, enterprise.pk)
    if drawn is None:
        raise ServiceError("该单位不在本次双随机抽取结果中。", "enterprise")
    if sorted(u.pk for u in inspectors) != drawn:
        from django.contrib.auth import get_user_model

        names = "、".join(u.get_full_name() or u.username for u in get_user_model().objects.filter(pk__in=drawn).order_by("pk"))
        raise ServiceError(f"检查人员须为本次抽取为该单位抽中的人员：{names}。", "inspectors")


def create_record(actor, *, enterprise, inspectors, inspected_on: datetime.date, kind: str = Record.Kind.ROUTINE,
                  location: str = "", summary: str = "", draw: Draw | None = None) -> Record:
    """A record; made from a 双随机 ``draw`` it must follow the draw's result and counts towards the
    draw's plan (``Record.plan`` is set from the draw, never chosen on its own)."""
    org = _require_org(actor)
    _require_enterprise(actor, enterprise)
    if kind not in Record.Kind.values:
        raise ServiceError("检查类型无效。", "kind")
    if inspected_on > timezone.localdate():
        raise ServiceError("检查日期不能晚于今天。", "inspected_on")
    inspectors = list(dict.fromkeys(inspectors))
    if not inspectors:
        raise ServiceError("至少需要一名检查人员。", "inspectors")
    for u in inspectors:
        m = Membership.objects.filter(user=u).select_related("organisation").first()
        if m is None or not m.is_inspector:
            raise ServiceError(f"{u.get_full_name() or u} 不是执法检查人员。", "inspectors")
        if kind != Record.Kind.JOINT and m.organisation_id != org.pk:
            raise ServiceError("非联合检查的检查人员须为本单位人员。", "inspectors")
    _refuse_recused(inspectors, enterprise)
    if draw is not None:
        _check_draw(actor, org, draw, enterprise, inspectors)
    with transaction.atomic():
        if draw is not None:
            draw = lock(draw)  # serialised: two inspectors starting the same drawn check make one record
            if draw.superseded:
                raise StaleState()
            done = Record.objects.filter(draw=draw, enterprise=enterprise).first()
            if done is not None:
                raise ServiceError(f"已按本次抽取对该单位建立检查记录（{done.number}）。", "enterprise")
        rec = Record.objects.create(enterprise=enterprise, organisation=org, kind=kind, inspected_on=inspected_on,
                                    location=location, summary=summary, plan=draw.plan if draw else None, draw=draw,
                                    created_by=actor)
        RecordInspector.objects.bulk_create([RecordInspector(record=rec, user=u) for u in inspectors])
        RecordItem.objects.bulk_create([RecordItem(record=rec, sort_order=i, **line)
                                        for i, line in enumerate(checklist.lines_for(enterprise))])
        record_event(actor, "inspection.record_created", rec, to_state=rec.status,
                     data={"inspectors": [u.pk for u in inspectors], "kind": kind, "draw": draw.pk if draw else None})
    return rec


def _require_editable(actor, rec: Record) -> None:
    _require_org(actor)
    _require_enterprise(actor, rec.enterprise)
    if rec.locked:
        raise ServiceError("检查记录已由全部检查人员签名锁定，不能修改；如需更正请添加补正说明。", "record", code="locked")
    if rec.inspectors.filter(signed_at__isnull=False).exists():
        raise ServiceError("已有检查人员签名，记录不能再修改。", "record", code="locked")


def update_record(actor, rec: Record, **fields) -> Record:
    _require_editable(actor, rec)
    allowed = {"location", "summary", "kind"}
    with transaction.atomic():
        changed = {k: v for k, v in fields.items() if k in allowed}
        if Record.objects.filter(pk=rec.pk, status=Record.Status.DRAFT).update(**changed) != 1:
            raise StaleState()
        rec.refresh_from_db()
        record_event(actor, "inspection.record_updated", rec, data={"fields": sorted(changed)})
    return rec


def set_item(actor, item: RecordItem, *, result: str, note: str = "", grade: str = "",
             deadline: datetime.date | None = None, photo=None) -> RecordItem:
    """Answer one checklist line. A hazard needs a description and a grade (重大 also a deadline)."""
    from hazards.models import Hazard

    _require_editable(actor, item.record)
    if result not in RecordItem.Result.values:
        raise ServiceError("检查结论无效。", "result")
    note = (note or "").strip()
    if result == RecordItem.Result.NA and not note:
        raise ServiceError("选择“不适用”须说明理由。", "note")
    if result == RecordItem.Result.HAZARD:
        if not note:
            raise ServiceError("发现隐患时须描述隐患情况。", "note")
        if grade not in Hazard.Grade.values:
            raise ServiceError("请选择隐患等级。", "grade")
        if grade == Hazard.Grade.MAJOR and deadline is None:
            raise ServiceError("重大隐患须确定整改期限。", "deadline")
        if deadline is not None and deadline < item.record.inspected_on:
            raise ServiceError("整改期限不能早于检查日期。", "deadline")
    else:
        grade, deadline = "", None
    if photo is not None:
        photo = accept_upload(photo, "inspection_photo").content  # core upload policy
    with transaction.atomic():
        item.result, item.note, item.grade, item.deadline = result, note, grade, deadline
        if result != RecordItem.Result.HAZARD:  # no finding, nothing to match to the ledger
            item.existing_hazard, item.new_hazard_confirmed = None, False
        if photo is not None:
            item.photo = photo
        item.save()
        record_event(actor, "inspection.item_set", item.record, data={"item": item.pk, "result": result})
    return item


def answer_remaining(actor, rec: Record, *, result: str = RecordItem.Result.CONFORM) -> int:
    """The inspector states that every line not yet answered conforms: one explicit act, one event.
    Only 符合 can be given in bulk — 不适用 needs a reason per line and a hazard a description."""
    _require_editable(actor, rec)
    if result != RecordItem.Result.CONFORM:
        raise ServiceError("只能将未检查的项目批量确认为“符合”。", "result")
    with transaction.atomic():
        count = rec.items.filter(result=RecordItem.Result.PENDING).update(result=result)
        if count:
            record_event(actor, "inspection.items_answered", rec, data={"result": result, "count": count})
    return count


def add_finding(actor, rec: Record, *, text: str, note: str, grade: str, deadline=None, photo=None,
                existing_hazard=None) -> RecordItem:
    """A hazard outside the generated checklist; ``existing_hazard``: it is that hazard of the
    enterprise's ledger (``matching.match_finding``)."""
    from .matching import match_finding

    _require_editable(actor, rec)
    if not (text or "").strip():
        raise ServiceError("请填写检查内容。", "text")
    with transaction.atomic():
        item = RecordItem.objects.create(record=rec, text=text.strip()[:300], sort_order=10000 + rec.items.count())
        set_item(actor, item, result=RecordItem.Result.HAZARD, note=note, grade=grade, deadline=deadline, photo=photo)
        if existing_hazard is not None:
            match_finding(actor, item, hazard=existing_hazard)
    return item


def _sector_for(actor, rec: Record, item: RecordItem):
    from accounts.models import Sector
    from accounts.scope import scope_for
    from hazards.acting import allowed_sectors

    allowed = allowed_sectors(rec.enterprise)
    scope = scope_for(actor)
    candidates = []
    if item.standard_item_id:
        candidates += list(item.standard_item.standard.sectors.values_list("pk", flat=True))
    if item.key_item_id:
        candidates.append(item.key_item.key_list.sector_id)
    candidates += sorted(rec.enterprise.sectors.values_list("pk", flat=True))
    for pk in candidates:
        if pk in allowed and scope.allows_sector(pk):
            return Sector.objects.get(pk=pk)
    for pk in sorted(allowed):
        if scope.allows_sector(pk):
            return Sector.objects.get(pk=pk)
    raise ServiceError("无法确定隐患所属行业领域。", "record")


def _register_findings(actor, rec: Record) -> None:
    from hazards.models import Hazard
    from hazards.services import register_hazard

    from .matching import link_findings, reported_at

    link_findings(actor, rec)  # findings matched to a ledger hazard: a source of it, not a new hazard
    at = reported_at(rec)  # the inspection day, not the day the record was signed
    for item in rec.items.filter(result=RecordItem.Result.HAZARD, hazard__isnull=True).select_related(
            "standard_item__standard", "key_item__key_list"):
        basis_reason = ""
        if item.grade == Hazard.Grade.MAJOR and item.standard_item_id is None:
            basis_reason = f"现场检查认定：{item.text}"
        # A 判定标准 item is cited only by a 重大 hazard (an item *is* a major hazard by definition,
        # hazards.grading); a 一般 finding on that checklist line does not cite it.
        basis_item = item.standard_item if item.grade == Hazard.Grade.MAJOR else None
        hazard = register_hazard(
            actor, enterprise=rec.enterprise, sector=_sector_for(actor, rec, item), description=item.note,
            grade=item.grade, channel=Hazard.Channel.INSPECTION, found_on=rec.inspected_on,
            location=rec.location, basis_item=basis_item, basis_reason=basis_reason, deadline=item.deadline,
            source_reference=f"inspections.record:{rec.pk}", reported_at=at,
            finder_name=", ".join(ri.user.get_full_name() or ri.user.username for ri in rec.inspectors.all()),
        )
        RecordItem.objects.filter(pk=item.pk, hazard__isnull=True).update(hazard=hazard)


def sign(actor, rec: Record) -> Record:
    """The actor signs as one of the record's inspectors; the last signature locks the record
    and files its findings in the hazard ledger."""
    _require_org(actor)
    _require_enterprise(actor, rec.enterprise)
    mine = rec.inspectors.filter(user=actor).first()
    if mine is None:
        raise NotPermitted("只有本记录的检查人员可以签名。")
    if mine.signed_at is not None:
        raise ServiceError("您已签名。", "record")
    pending = rec.items.filter(result=RecordItem.Result.PENDING).count()
    if pending:
        raise ServiceError(f"尚有{pending}项未填写检查结论。请逐项填写（不适用的须说明理由），"
                           "或确认其余各项均符合后再签名。", "record", code="unanswered")
    if not rec.inspectors.filter(signed_at__isnull=False).exists():  # the first signature freezes the record
        from .matching import refuse_before_signing

        refuse_before_signing(actor, rec)  # a finding that may be a hazard already in the ledger: ask first
    now = timezone.now()
    with transaction.atomic():
        rec = lock(rec)  # serialised: the last of two simultaneous signatures sees the other and locks the record
        if RecordInspector.objects.filter(pk=mine.pk, signed_at__isnull=True).update(signed_at=now) != 1:
            raise StaleState()
        record_event(actor, "inspection.signed", rec)
        if not rec.inspectors.filter(signed_at__isnull=True).exists():
            if Record.objects.filter(pk=rec.pk, status=Record.Status.DRAFT).update(status=Record.Status.LOCKED, locked_at=now) != 1:
                raise StaleState()
            rec.refresh_from_db()
            _register_findings(actor, rec)
            record_event(actor, "inspection.locked", rec, from_state=Record.Status.DRAFT, to_state=Record.Status.LOCKED)
    rec.refresh_from_db()
    return rec


def add_addendum(actor, rec: Record, *, text: str) -> Addendum:
    _require_org(actor)
    _require_enterprise(actor, rec.enterprise)
    if not (text or "").strip():
        raise ServiceError("请填写补正内容。", "text")
    if not rec.inspectors.filter(user=actor).exists() and rec.organisation_id != actor.membership.organisation_id:
        raise NotPermitted("只有检查单位人员可以补正。")
    with transaction.atomic():
        a = Addendum.objects.create(record=rec, text=text.strip(), author=actor)
        record_event(actor, "inspection.addendum", rec, note=text.strip())
    return a


# ---------------------------------------------------------------- spot-checks and visits

def record_spot_check(actor, *, enterprise, checked_on: datetime.date, answers: dict | None = None,
                      notes: dict | None = None, via_permit_records: bool = False, contractor_unqualified: bool = False,
                      no_agreement: bool = False, unclear_duties: bool = False, not_unified: bool = False) -> SpotCheck:
    """``answers`` maps "2.2".."2.9" → True when the problem was found (2.7 is derived from its
    four sub-conditions when any of them is given)."""
    org = _require_org(actor)
    _require_enterprise(actor, enterprise)
    if checked_on > timezone.localdate():
        raise ServiceError("抽查日期不能晚于今天。", "checked_on")
    answers = {k: bool(v) for k, v in (answers or {}).items()}
    unknown = set(answers) - set(SPOT_FIELDS)
    if unknown:
        raise ServiceError(f"未知的抽查问题：{', '.join(sorted(unknown))}", "answers")
    subs = [contractor_unqualified, no_agreement, unclear_duties, not_unified]
    answers["2.7"] = any(subs) or answers.get("2.7", False)
    if via_permit_records and not answers.get("2.6"):
        answers["2.6"] = True
    notes = {k: str(v).strip() for k, v in (notes or {}).items() if k in SPOT_FIELDS and str(v).strip()}
    with transaction.atomic():
        sc = SpotCheck(enterprise=enterprise, organisation=org, checked_on=checked_on, notes=notes, created_by=actor,
                       q2_6_via_permit_records=via_permit_records, q2_7_contractor_unqualified=contractor_unqualified,
                       q2_7_no_agreement=no_agreement, q2_7_unclear_duties=unclear_duties, q2_7_not_unified=not_unified)
        for code, field in SPOT_FIELDS.items():
            setattr(sc, field, answers.get(code, False))
        sc.save()
        record_event(actor, "inspection.spot_check", sc, data={"answers": sc.answers()})
    return sc


def record_visit(actor, *, kind: str, visited_on: datetime.date, content: str, township=None, enterprise=None,
                 target_organisation=None) -> Visit:
    org = _require_org(actor)
    if kind not in Visit.Kind.values:
        raise ServiceError("类型无效。", "kind")
    if visited_on > timezone.localdate():
        raise ServiceError("日期不能晚于今天。", "visited_on")
    if not (content or "").strip():
        raise ServiceError("请填写内容。", "content")
    if kind == Visit.Kind.HELP_TOWNSHIP:
        if township is None or township.level != "township" or not township.path.startswith(org.region.path):
            raise ServiceError("请选择本辖区内的乡镇（街道）。", "township")
        enterprise = target_organisation = None
    elif kind == Visit.Kind.HELP_ENTERPRISE:
        if enterprise is None:
            raise ServiceError("请选择企业。", "enterprise")
        _require_enterprise(actor, enterprise)
        township = target_organisation = None
    else:
        if target_organisation is None or target_organisation.kind not in GOVERNMENT_KINDS or \
                not target_organisation.region.path.startswith(org.region.path) or target_organisation.pk == org.pk:
            raise ServiceError("请选择被督导的下级政府或部门。", "target_organisation")
        township = enterprise = None
    with transaction.atomic():
        v = Visit(organisation=org, kind=kind, visited_on=visited_on, content=content.strip(), township=township,
                  enterprise=enterprise, target_organisation=target_organisation, created_by=actor)
        v.set_region_codes(org.region)
        v.save()
        record_event(actor, "inspection.visit", v, data={"kind": kind})
    return v
