"""The only code that writes hazards. Every transition: guard (workflow.refusal), one
transaction, compare-and-set on the status, one event in the same transaction."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.permissions import actor_org
from accounts.scope import scope_for
from core.bulk import make
from core.events import record
from core.models import REGION_LEVELS
from core.services import NotPermitted, ServiceError, StaleState, bounded_decimal
from supervision import workflow as listing_workflow  # pure (core.workflow only): the listing states

from . import grading, workflow
from .acting import (
    _require_kind,
    actor_kind,
    allowed_sectors,
    applicable_item_ids,
    cross_cutting_sector_ids,
    default_channel,
)
from .alerts import schedule_new, set_schedule
from .models import TEXT_LIMITS, Acceptance, Attachment, ExtensionRequest, GovernancePlan, Hazard, HazardSource
from .registering import close_refusal, register_many, register_stream, registered_event_data  # noqa: F401 - the bulk writers
from .search import tokens as search_tokens

#: writer modules split out of this one (services are the only writers; see core/tests/test_writers.py):
#: alerts.py: the deadline-alert pass — its notifications and the ``next_alert_on`` bookkeeping
#: written in one transaction per batch (no hazard state changes, so no hazard event);
#: import_records.py: the record of a committed ledger import (file hash per scope), with its event
#: registering.py: many hazards at once (the ledger import: register_many, register_stream)
#: relocation.py: open hazards following an enterprise that moves township (属地管理)
#: attaching.py: photos and evidence files of a hazard (and registering one with its photo)
#: dedupe.py: one hazard however many reports — merging a duplicate, adding a report as a source
SERVICE_MODULES = ("alerts", "attaching", "dedupe", "extending", "import_records", "registering", "relocation",
                   "reporting", "site_orders")

_org = actor_org

# Choice values as sets: ``Hazard.Grade.values`` builds a new list on every access (imports check
# these for every row).
GRADES = frozenset(Hazard.Grade.values)
CATEGORIES = frozenset(Hazard.Category.values)
CHANNELS = frozenset(Hazard.Channel.values)


def first_alert_on(deadline: datetime.date | None) -> datetime.date | None:
    """When the first deadline alert (7 days before) falls due for ``deadline``."""
    return deadline - datetime.timedelta(days=7) if deadline else None


# ---------------------------------------------------------------- registration

def prime_cache(actor, enterprises, cache: dict, sectors_of: dict | None = None) -> dict:
    """Fill ``build_hazard``'s cache for many enterprises with a few queries (imports): which of
    them the actor may act on (one scoped query), and the sectors each may have hazards in.
    ``sectors_of`` (enterprise id → its Sector objects, e.g. read from the link table in one
    query) or else ``enterprises`` with ``sectors`` prefetched."""
    from core.bulk import where_in
    from enterprises.models import Enterprise

    enterprises = list(enterprises)
    visible = set()
    for qs in where_in(Enterprise.objects.visible_to(actor), "id", [e.pk for e in enterprises]):
        visible.update(qs.values_list("pk", flat=True))
    cross = cross_cutting_sector_ids()
    kind_of_actor = None
    for ent in enterprises:
        if ent.pk in visible and kind_of_actor is None:
            kind_of_actor = actor_kind(actor, ent)  # the same for every enterprise the actor can see
        cache[("kind", ent.pk)] = kind_of_actor if ent.pk in visible else None
        own = list(sectors_of.get(ent.pk, ()) if sectors_of is not None else ent.sectors.all())
        cache[("own_sectors", ent.pk)] = own  # read once: the applicable standard items follow from them too
        cache[("sectors", ent.pk)] = allowed_sectors(ent, cross, sectors=own)
    return cache


def build_hazard(actor, *, cache: dict | None = None, check_only: bool = False, **fields) -> Hazard | None:
    """Validate a registration and return the unsaved hazard (status ``registered``).

    Preconditions (``check_hazard``): the enterprise is in the actor's scope and the actor may
    write; the sector is one the enterprise may have hazards in and within the actor's sectors; a
    重大 hazard names its standard item (判定依据) or a written reason, and a deadline. ``cache`` (a
    dict kept by a batch caller) memoises the per-enterprise checks and the batch's clock (every
    hazard of an import is registered at the same instant). The actor kind is left on
    ``_actor_kind``. ``check_only`` (a dry run): every check, but no hazard is built (None is returned).
    """
    cache = cache if cache is not None else {}
    checked = check_hazard(actor, cache=cache, **fields)
    return None if check_only else make_checked(actor, checked, cache)


def check_hazard(actor, *, enterprise, sector, description: str, grade: str, channel: str | None = None,
                 found_on: datetime.date | None = None, location: str = "", category: str = Hazard.Category.UNSTATED,
                 basis_item=None, basis_reason: str = "", deadline: datetime.date | None = None,
                 responsible_person: str = "", responsible_phone: str = "", stop_production: bool = False,
                 sub_grade: str = "", finder_name: str = "", cache: dict) -> dict:
    """Every check of ``build_hazard`` (ServiceError / NotPermitted on the first that fails); returns
    the registration as checked — the values the hazard will hold, with the actor's kind and the
    registration instant — for ``make_checked``, which builds it without checking again (an
    import checks every row of a file before it builds any)."""
    key = ("kind", enterprise.pk)
    if key not in cache:
        cache[key] = actor_kind(actor, enterprise)
    kind = cache[key]
    if kind is None:
        raise NotPermitted("该隐患不在您的管辖范围内，或您没有办理权限。")
    description = (description or "").strip()
    if not description:
        raise ServiceError("请填写隐患描述。", "description")
    for name, value in (("description", description), ("location", location), ("basis_reason", basis_reason),
                        ("responsible_person", responsible_person), ("responsible_phone", responsible_phone),
                        ("sub_grade", sub_grade), ("finder_name", finder_name)):
        if value and len(value) > TEXT_LIMITS[name]:
            raise ServiceError(f"{Hazard._meta.get_field(name).verbose_name}不能超过{TEXT_LIMITS[name]}字（现为{len(value)}字）。", name)
    if grade not in GRADES:
        raise ServiceError("隐患等级须为“一般”或“重大”。", "grade")
    if category not in CATEGORIES:
        raise ServiceError("隐患类别无效。", "category")
    if not channel:
        key = ("channel", enterprise.pk)
        if key not in cache:
            cache[key] = default_channel(actor, enterprise)
        channel = cache[key]
    if channel not in CHANNELS:
        raise ServiceError("发现渠道无效。", "channel")
    engagement_channel = None
    if kind == "agency":
        key = ("channel", enterprise.pk)
        if key not in cache:
            cache[key] = default_channel(actor, enterprise)
        engagement_channel = cache[key]
    refusal = grading.channel_refusal(kind, channel, engagement_channel)
    if refusal:
        raise ServiceError(refusal, "channel")
    key = ("sectors", enterprise.pk)
    if key not in cache:
        cache[key] = allowed_sectors(enterprise)
    if sector is None or sector.pk not in cache[key]:
        raise ServiceError("行业领域与该单位的行业不符。", "sector")
    if actor is not None and not scope_for(actor).allows_sector(sector.pk):
        raise ServiceError("该行业领域不在您的监管职责范围内。", "sector")
    if ("now",) in cache:
        now, today = cache[("now",)]
    else:
        now = timezone.now()
        today = timezone.localdate(now)
    found_on = found_on or today
    if found_on > today:
        raise ServiceError("发现日期不能晚于今天。", "found_on")
    if deadline is not None and deadline < found_on:
        raise ServiceError("整改期限不能早于发现日期。", "deadline")
    refusal = grading.grade_refusal(grade, basis_item is not None, basis_reason)
    if refusal:
        raise ServiceError(refusal[1], refusal[0])
    if basis_item is not None and basis_item.pk not in applicable_item_ids(
            enterprise, cache, sectors=cache.get(("own_sectors", enterprise.pk))):
        raise ServiceError("该判定依据条款不适用于该单位：所属标准已废止或尚未施行，或不属于该单位的行业领域。", "basis_item")
    if grade == Hazard.Grade.MAJOR:
        if deadline is None:
            raise ServiceError("重大隐患须确定整改期限。", "deadline")
    return {"enterprise": enterprise, "sector": sector, "description": description, "grade": grade, "channel": channel,
            "found_on": found_on, "location": location, "category": category, "basis_item": basis_item,
            "basis_reason": basis_reason, "deadline": deadline, "responsible_person": responsible_person,
            "responsible_phone": responsible_phone, "stop_production": stop_production, "sub_grade": sub_grade,
            "finder_name": finder_name, "now": now, "kind": kind}


def make_checked(actor, checked: dict, cache: dict) -> Hazard:
    """The unsaved hazard of a registration ``check_hazard`` passed (with the same ``cache``)."""
    enterprise, sector, basis_item = checked["enterprise"], checked["sector"], checked["basis_item"]
    description, location, deadline, now = checked["description"], checked["location"], checked["deadline"], checked["now"]
    key = ("org",)
    if key not in cache:
        cache[key] = _org(actor)
    org = cache[key]
    user = actor if actor is not None and actor.is_authenticated else None
    key = ("region_codes", enterprise.region_id)  # an import's rows name a few hundred regions
    if key not in cache:
        codes = enterprise.region.level_codes()
        cache[key] = {f"{level}_code": codes.get(level, "") for level in REGION_LEVELS}
    # core.bulk.make: the same unsaved hazard as Hazard(enterprise=…, sector=…, …), without the
    # foreign-key descriptors' per-object work (imports build thousands)
    hazard = make(Hazard, {
        "enterprise_id": enterprise.pk, "sector_id": sector.pk, "description": description, "grade": checked["grade"],
        "channel": checked["channel"], "found_on": checked["found_on"], "location": location,
        "category": checked["category"], "basis_item_id": basis_item.pk if basis_item is not None else None,
        "basis_reason": checked["basis_reason"].strip(), "deadline": deadline, "original_deadline": deadline,
        "responsible_person": checked["responsible_person"], "responsible_phone": checked["responsible_phone"],
        "stop_production": checked["stop_production"], "sub_grade": checked["sub_grade"],
        "status": Hazard.Status.REGISTERED, "status_changed_at": now, "first_reported_at": now, "created_at": now,
        "found_by_id": user.pk if user is not None else None,
        "finder_name": checked["finder_name"] or (org.name if org else ""),
        "created_by_id": user.pk if user is not None else None,
        "created_by_org_id": org.pk if org is not None else None,
        **cache[key],
    }, {"enterprise": enterprise, "sector": sector, "basis_item": basis_item, "found_by": user, "created_by": user,
        "created_by_org": org})
    hazard.next_alert_on = first_alert_on(deadline)  # kept for schedule_new (hazards.AlertSchedule)
    hazard.search_tokens = search_tokens(description, location)
    hazard._actor_kind = checked["kind"]
    return hazard


def register_hazard(actor, *, source_reference: str = "", notify_people: bool = True,
                    reported_at: datetime.datetime | None = None, **fields) -> Hazard:
    """Register a hazard in the ledger (see ``build_hazard`` for the preconditions).

    ``reported_at``: when the report was made, if before it is entered — an inspection finding filed when
    its record is signed, after the inspection day (DISPATCH_TABLE.md: a hazard counts by when it was
    first reported, not by when it was typed in); never later than now nor before the day it was found.
    The hazard exists from then at every cut-off (``hazards.asof``: in its first state until its first
    event). Effects: a hazard in ``registered``, its first source, an event; for 重大, alerts to the
    principal and the actual controller.
    """
    hazard = build_hazard(actor, **fields)
    if reported_at is not None:
        from .asof import local_day

        if local_day(reported_at) < hazard.found_on:
            raise ServiceError("报告时间不能早于发现日期。", "reported_at")
        hazard.first_reported_at = min(reported_at, hazard.first_reported_at)
    with transaction.atomic():
        hazard.save()
        schedule_new([hazard])
        HazardSource.objects.create(hazard=hazard, channel=hazard.channel, reported_at=hazard.first_reported_at,
                                    organisation=_org(actor), reference=source_reference)
        record(actor, "hazard.registered", hazard, to_state=hazard.status, data=registered_event_data(hazard))
        if hazard.grade == Hazard.Grade.MAJOR and notify_people:
            from .alerts import notify_major_registered

            notify_major_registered(hazard)
    return hazard


# ---------------------------------------------------------------- transitions

def _context(hazard, actor, **facts) -> workflow.Context:
    return workflow.Context(grade=hazard.grade, unstated=not hazard.category, **facts)


def _transition(actor, hazard: Hazard, action: str, ctx: workflow.Context, *, note: str = "", data=None,
                updates: dict | None = None, expect: dict | None = None) -> Hazard:
    kind = _require_kind(actor, hazard)
    reason = workflow.refusal(hazard.status, action, kind, ctx)
    if reason:
        raise ServiceError(reason)
    old = hazard.status
    new = workflow.target_state(old, action)
    now = timezone.now()
    fields = {"status": new, **(updates or {})}
    if new != old:
        fields["status_changed_at"] = now
    # Re-arm the deadline alerts when the deadline changes or the hazard reopens; stop them when it closes.
    rearm = ...
    if new not in workflow.OPEN_STATES:
        rearm = None
    elif "deadline" in fields or old not in workflow.OPEN_STATES or (old == workflow.PENDING_ACCEPTANCE and new != old):
        # (back from 待验收: the alerts skipped while the acceptance was pending are due again)
        rearm = first_alert_on(fields.get("deadline", hazard.deadline))
    # compare-and-set on the state and on what the guard read (``expect``: e.g. the class still 未注明)
    won = Hazard.objects.filter(pk=hazard.pk, status=old, **(expect or {})).update(**fields)
    if won != 1:
        raise StaleState()
    if rearm is not ...:
        set_schedule(hazard.pk, rearm)
    hazard.refresh_from_db()
    record(actor, f"hazard.{action}", hazard, from_state=old, to_state=new, note=note, data=data or {})
    if old == workflow.RECTIFYING and new != old:
        _lapse_extensions(actor, hazard, action)
    return hazard


def _lapse_extensions(actor, hazard: Hazard, action: str) -> None:
    """A hazard that leaves 整改中 (completion submitted, 销号, merged, voided…) has no deadline
    left to extend: its pending 延期申请 lapse (kept, with an event), so that none is approved later
    against a deadline it no longer concerns and a reopened hazard can ask again."""
    lapsed = list(hazard.extensions.filter(status=ExtensionRequest.Status.PENDING).values_list("pk", flat=True))
    if not lapsed:
        return
    ExtensionRequest.objects.filter(pk__in=lapsed, status=ExtensionRequest.Status.PENDING).update(
        status=ExtensionRequest.Status.LAPSED, decided_at=timezone.now(),
        decision_note=f"隐患已{workflow.TRANSITIONS[action].label}，申请失效。")
    record(actor, "hazard.extension_lapsed", hazard, data={"requests": lapsed, "cause": action})


PLAN_FIELDS = ("goal_tasks", "measures", "funds_materials", "responsible", "deadline", "safety_emergency")


def funds_amount_of(value) -> Decimal | None:
    """A plan's 治理资金 (万元) as a form or a caller gives it: None when blank, else a Decimal of
    cents from 0 to ``GovernancePlan.MAX_FUNDS`` (the numeric(12, 2) column) — refused on
    ``funds_amount`` otherwise (``core.services.bounded_decimal``)."""
    if value in (None, ""):
        return None
    return bounded_decimal(value, "funds_amount", "治理资金", high=GovernancePlan.MAX_FUNDS, unit="万元")


def submit_plan(actor, hazard: Hazard, *, plan: dict | None = None, deadline: datetime.date | None = None,
                note: str = "") -> Hazard:
    """Start rectification. A 重大 hazard needs the six-element governance plan (治理方案)."""
    plan = plan or {}
    funds_amount = funds_amount_of(plan.get("funds_amount"))
    missing = [label for key, label in workflow.PLAN_ELEMENTS if not str(plan.get(key) or "").strip()]
    if hazard.grade == Hazard.Grade.MAJOR and missing:
        raise ServiceError(f"治理方案缺少：{'、'.join(missing)}。", next(k for k, lbl in workflow.PLAN_ELEMENTS if lbl == missing[0]))
    plan_deadline = plan.get("deadline") or deadline
    if hazard.deadline is None and not plan_deadline:
        # a hazard under rectification has a deadline: else it is never overdue and never alerted
        raise ServiceError("请填写整改期限。", "deadline")
    with transaction.atomic():
        updates = {}
        if plan_deadline and hazard.deadline is None:
            updates = {"deadline": plan_deadline, "original_deadline": plan_deadline}
        has_plan = not missing
        hazard = _transition(actor, hazard, "submit_plan", _context(hazard, actor, has_plan=has_plan), note=note,
                             updates=updates, data={"plan": has_plan})
        if has_plan:
            GovernancePlan.objects.create(
                hazard=hazard, goal_tasks=plan["goal_tasks"], measures=plan["measures"],
                funds_materials=plan["funds_materials"], funds_amount=funds_amount,
                responsible=plan["responsible"], deadline=plan["deadline"], safety_emergency=plan["safety_emergency"],
                created_by=actor if actor is not None and actor.is_authenticated else None)
    return hazard


def close_now(actor, hazard: Hazard, *, evidence_note: str) -> Hazard:
    """一般 hazard fixed at once: closed with evidence."""
    with transaction.atomic():
        hazard = _transition(actor, hazard, "close_now", _context(hazard, actor, has_evidence=bool(evidence_note.strip())),
                             note=evidence_note, updates={"closed_at": timezone.now()})
    return hazard


def submit_completion(actor, hazard: Hazard, *, evidence_note: str, assessment_report: str = "") -> Acceptance:
    """The enterprise submits completion evidence; the hazard waits for acceptance."""
    with transaction.atomic():
        _transition(actor, hazard, "submit_completion", _context(hazard, actor, has_evidence=bool(evidence_note.strip())),
                    note=evidence_note)
        return Acceptance.objects.create(hazard=hazard, submitted_by=actor if actor is not None and actor.is_authenticated else None,
                                         evidence_note=evidence_note, assessment_report=assessment_report)


def _pending_acceptance(hazard) -> Acceptance:
    """The completion waiting for a decision. None left while the caller's copy still says 待验收:
    another officer decided it meanwhile — the caller's copy is stale (409), as when the decisions
    race inside ``_transition``."""
    acc = hazard.acceptances.filter(decision=Acceptance.Decision.PENDING).order_by("-submitted_at").first()
    if acc is None:
        if hazard.status == workflow.PENDING_ACCEPTANCE and not Hazard.objects.filter(pk=hazard.pk, status=hazard.status).exists():
            raise StaleState()
        raise ServiceError("没有待验收的整改材料。")
    return acc


def accept(actor, hazard: Hazard, *, mode: str = Acceptance.Mode.ON_SITE, opinion: str = "") -> Hazard:
    """验收通过并销号. For 重大 only the competent department; never the submitter."""
    acc = _pending_acceptance(hazard)
    if mode not in Acceptance.Mode.values:
        raise ServiceError("请选择验收方式。", "mode")
    is_submitter = actor is not None and acc.submitted_by_id == getattr(actor, "pk", None)
    now = timezone.now()
    with transaction.atomic():
        hazard = _transition(actor, hazard, "accept", _context(hazard, actor, is_submitter=is_submitter), note=opinion,
                             updates={"closed_at": now}, data={"mode": mode, "acceptance": acc.pk})
        if Acceptance.objects.filter(pk=acc.pk, decision=Acceptance.Decision.PENDING).update(
                decision=Acceptance.Decision.ACCEPTED, mode=mode, decided_by=actor if actor is not None and actor.is_authenticated else None,
                decided_by_org=_org(actor), decided_at=now, reason=opinion) != 1:
            raise StaleState()
    return hazard


def reject(actor, hazard: Hazard, *, reason: str, next_steps: str = "", mode: str = Acceptance.Mode.ON_SITE) -> Hazard:
    """验收不通过: back to rectifying, with who / why / what next; the submitter is told."""
    acc = _pending_acceptance(hazard)
    now = timezone.now()
    with transaction.atomic():
        hazard = _transition(actor, hazard, "reject", _context(hazard, actor, has_reason=bool(reason.strip())), note=reason,
                             data={"next_steps": next_steps, "acceptance": acc.pk})
        if Acceptance.objects.filter(pk=acc.pk, decision=Acceptance.Decision.PENDING).update(
                decision=Acceptance.Decision.REJECTED, mode=mode, decided_by=actor if actor is not None and actor.is_authenticated else None,
                decided_by_org=_org(actor), decided_at=now, reason=reason, next_steps=next_steps) != 1:
            raise StaleState()
        from .alerts import notify_rejected

        notify_rejected(hazard, acc, reason, next_steps)
    return hazard


def _refuse_if_listed(hazard: Hazard, what: str, hint: str) -> None:
    """A hazard proposed for or under 挂牌督办 is not merged away or voided behind the listing's
    back: its listing would be left with no hazard to accept and could never be delisted."""
    listing = hazard.listings.filter(status__in=listing_workflow.ACTIVE_STATES).select_related("listing_body").first()
    if listing is not None:
        doing = {listing_workflow.PROPOSED: "提请挂牌督办（待审批）",
                 listing_workflow.DELISTING_REQUESTED: "挂牌督办（已申请摘牌）"}.get(listing.status, "挂牌督办")
        raise ServiceError(f"该隐患正由{listing.listing_body.name}{doing}，不能{what}；{hint}", "reason")


def void(actor, hazard: Hazard, *, reason: str) -> Hazard:
    _refuse_if_listed(hazard, "作废", "须先由挂牌单位作出不予挂牌决定或办理摘牌。")
    with transaction.atomic():
        return _transition(actor, hazard, "void", _context(hazard, actor, has_reason=bool(reason.strip())), note=reason)


def reopen(actor, hazard: Hazard, *, reason: str, deadline: datetime.date | None = None) -> Hazard:
    """A closed hazard found again: back to rectifying, history kept, counted as not rectified."""
    if deadline is not None and deadline < timezone.localdate():
        raise ServiceError("新的整改期限不能早于今天。", "deadline")
    updates = {"closed_at": None, "reopen_count": F("reopen_count") + 1}
    if deadline:
        updates["deadline"] = deadline
    with transaction.atomic():
        return _transition(actor, hazard, "reopen", _context(hazard, actor, has_reason=bool(reason.strip())), note=reason,
                           updates=updates, data={"deadline": deadline.isoformat() if deadline else None})


def classify(actor, hazard: Hazard, *, category: str) -> Hazard:
    """注明隐患类别 of a hazard registered without it (未注明), once; its state is kept."""
    if category not in CATEGORIES or not category:
        raise ServiceError("请选择隐患类别：人的不安全行为、物的不安全状态或管理缺陷。", "category")
    with transaction.atomic():
        return _transition(actor, hazard, "classify", _context(hazard, actor), data={"category": category},
                           updates={"category": category}, expect={"category": Hazard.Category.UNSTATED})


def reclassify(actor, hazard: Hazard, *, category: str, reason: str) -> Hazard:
    """更正隐患类别 of a hazard whose class was stated wrongly, with the reason; its state is kept. The
    event keeps the class it had (``category_before``); a compare-and-set on that class (a page read
    before someone else corrected it loses)."""
    if category not in CATEGORIES or not category:
        raise ServiceError("请选择隐患类别：人的不安全行为、物的不安全状态或管理缺陷。", "category")
    reason = (reason or "").strip()
    before = hazard.category
    if before and category == before:
        raise ServiceError("新的隐患类别与原隐患类别相同。", "category")
    with transaction.atomic():
        return _transition(actor, hazard, "reclassify", _context(hazard, actor, has_reason=bool(reason)), note=reason,
                           data={"category": category, "category_before": before}, updates={"category": category},
                           expect={"category": before})


def run_action(actor, hazard: Hazard, action: str, data: dict, *, evidence=None, evidence_name: str = "") -> Hazard:
    """Run ``action`` with validated ``data`` (a form's cleaned_data or a serializer's validated_data)
    and, when given, attach its evidence (checked upload) — one transaction; raises ServiceError.
    Returns ``hazard``, the caller's instance: every action's service leaves it as the row it
    committed — each re-reads it inside its transaction after its last write to the row (``lock`` /
    ``_transition``'s ``refresh_from_db``; 双报告 after its own update), so its relation caches are
    dropped. A service that wrote the row after that re-read would break this:
    ``hazards/tests/test_api_answers.py`` takes every action through the API and compares the answer
    with GET."""
    with transaction.atomic():
        _dispatch(actor, hazard, action, data)
        if evidence is not None:
            add_attachment(actor, hazard, evidence, original_name=evidence_name, kind=Attachment.Kind.EVIDENCE)
    return hazard


def _dispatch(actor, hazard: Hazard, action: str, data: dict):
    if action == "report":
        return report_hazard(actor, hazard, department=data.get("department"), to_congress=data.get("to_congress", True),
                             note=data.get("note", ""))
    if action == "submit_plan":
        plan = {k: data.get(k) for k in PLAN_FIELDS}
        plan["funds_amount"] = data.get("funds_amount")
        has_any = any(data.get(k) for k in PLAN_FIELDS)
        return submit_plan(actor, hazard, plan=plan if has_any else None, deadline=data.get("deadline"),
                           note=data.get("note", ""))
    if action == "close_now":
        return close_now(actor, hazard, evidence_note=data["evidence_note"])
    if action == "submit_completion":
        return submit_completion(actor, hazard, evidence_note=data["evidence_note"],
                                 assessment_report=data.get("assessment_report", ""))
    if action == "accept":
        return accept(actor, hazard, mode=data["mode"], opinion=data.get("opinion", ""))
    if action == "reject":
        return reject(actor, hazard, reason=data["reason"], next_steps=data.get("next_steps", ""),
                      mode=data.get("mode", Acceptance.Mode.ON_SITE))
    if action == "request_extension":
        return request_extension(actor, hazard, new_deadline=data["new_deadline"], reason=data["reason"])
    if action == "decide_extension":
        return decide_extension(actor, hazard, approve=data["approve"], note=data.get("note", ""))
    if action == "merge":
        return merge(actor, hazard, into=data["into"], reason=data["reason"])
    if action == "void":
        return void(actor, hazard, reason=data["reason"])
    if action == "reopen":
        return reopen(actor, hazard, reason=data["reason"], deadline=data.get("deadline"))
    if action == "classify":
        return classify(actor, hazard, category=data["category"])
    if action == "reclassify":
        return reclassify(actor, hazard, category=data["category"], reason=data["reason"])
    raise ServiceError("未知操作。", "action")


from .attaching import add_attachment, can_attach, register_with_photo  # noqa: E402,F401 - split out (SERVICE_MODULES)
from .dedupe import add_source, merge, merge_refusal  # noqa: E402,F401 - split out (SERVICE_MODULES); called as services.*
from .extending import decide_extension, request_extension, set_listed_deadline  # noqa: E402,F401 - split out (SERVICE_MODULES); called as services.*
from .import_records import import_checked, start_import  # noqa: E402,F401 - split out (SERVICE_MODULES)
from .reporting import report_departments, report_hazard  # noqa: E402,F401 - split out (SERVICE_MODULES)
from .site_orders import lift_compulsory_measures, lift_site_order, order_site_measures, take_compulsory_measures  # noqa: E402,F401 - split out (SERVICE_MODULES); called as services.*
