"""Writes for the enterprise registry. Every change writes an event."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Organisation
from core.events import record
from core.models import REGION_LEVELS
from core.services import NotPermitted, ServiceError
from hazards.search import tokens as name_tokens

from . import permissions as perms
from .models import EMPLOYEES_REFUSAL, Enterprise, ImportJob, SafetyManager
from .validators import coordinates_error, credit_code_error, normalise_credit_code

#: writer modules split out of this one (services are the only writers; see core/tests/test_writers.py):
#: importing.py: the bulk import — validated rows upserted with bulk statements and their events, one transaction
#: jobs.py: the queue worker's status/progress bookkeeping of ImportJob rows (no registry state of its own)
#: engagements.py: the engagements of third-party agencies (recorded, ended early, ended on closure)
SERVICE_MODULES = ("importing", "jobs", "engagements")

PROFILE_FIELDS = [
    "name", "address", "longitude", "latitude", "scale", "employees", "legal_representative", "principal_name",
    "principal_phone", "controller_name", "controller_phone", "standardisation_grade", "uses_hazchem",
    "fire_key_unit", "uses_gas", "has_special_equipment", "high_risk_override", "high_risk_reason",
]


def derive_high_risk(sectors, override: bool | None) -> bool:
    if override is not None:
        return override
    return any(s.high_risk for s in sectors)


def derive(ent: Enterprise, sectors) -> None:
    """Set what every writer of an enterprise derives (not saved): the level codes of its region
    (what scoping filters on), 高危 from its sectors unless overridden, the name's search tokens."""
    ent.set_region_codes(ent.region)
    ent.high_risk = derive_high_risk(sectors, ent.high_risk_override)
    ent.name_tokens = name_tokens(ent.name)


def enterprise_changes(before: dict, after: dict) -> dict:
    """The ``changes`` of an ``enterprise.updated`` event — one format for every writer of a unit's
    profile (``update_enterprise``, the import). ``before`` and ``after`` hold the profile fields
    compared (those of ``PROFILE_FIELDS`` in ``after``), ``sectors`` (codes), ``region`` (the
    township code) and ``high_risk`` (the derived 高危; its "before" is the flag as stored, read
    under the unit's row lock — a sector's change may have moved it since the caller read the unit).
    Each changed value as [old, new]: a profile field as strings, sectors as sorted code lists,
    region as codes, high_risk as "False" / "True" (what ``follow_sector`` writes too: the trail
    ``inspections.frequency.class_on`` reads a past day's class from). Nothing changed: {}."""
    changes = {f: [str(before[f]), str(after[f])] for f in PROFILE_FIELDS if f in after and before[f] != after[f]}
    old_sectors, new_sectors = sorted(before["sectors"]), sorted(after["sectors"])
    if old_sectors != new_sectors:
        changes["sectors"] = [old_sectors, new_sectors]
    if bool(before["high_risk"]) != bool(after["high_risk"]):  # derived (sectors, override): its own trail for dated rules
        changes["high_risk"] = [str(bool(before["high_risk"])), str(bool(after["high_risk"]))]
    if before["region"] != after["region"]:
        changes["region"] = [before["region"], after["region"]]
    return changes


def lock_sectors(sector_ids) -> dict:
    """Lock the sectors ``sector_ids`` (``SELECT … FOR NO KEY UPDATE``, in pk order) and return them as
    committed now, by pk. Every writer that derives 高危 from sectors calls it first in its
    transaction, before it writes an enterprise: a sector's flag changes under the same row lock
    (``accounts.services.set_sector_high_risk``'s compare-and-set UPDATE, then ``follow_sector`` locks
    the enterprises), so the two take their locks in one order — sector, then enterprise — and on
    PostgreSQL whichever comes second reads what the first committed: an edit waits for the flag's
    change and derives from the new flag, or a flag change waits for the edit and re-derives the
    edited enterprise. Without it an edit that read the old flag wrote it back after the change
    committed (``follow_sector`` had already passed that enterprise, or not yet seen it: a new one).
    ``no_key``: inserting a row that refers to the sector (an enterprise's sector link) is not blocked."""
    from accounts.models import Sector

    ids = sorted({int(pk) for pk in sector_ids})
    return {s.pk: s for s in Sector.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")}


def _validate(region, sectors, data) -> None:
    if region is None or region.level != "township":
        raise ServiceError("所在区划须为乡镇（街道）。", "region")
    if not sectors:
        raise ServiceError("至少选择一个行业领域。", "sectors")
    error = coordinates_error(data.get("longitude"), data.get("latitude"))
    if error:
        raise ServiceError(error, "longitude")
    if "employees" in data:  # the model's bound (the column is a 32-bit integer on PostgreSQL)
        employees = data["employees"]
        if isinstance(employees, bool) or not isinstance(employees, int) or \
                not 0 <= employees <= Enterprise.MAX_EMPLOYEES:
            raise ServiceError(EMPLOYEES_REFUSAL, "employees")
    if data.get("high_risk_override") is not None and not (data.get("high_risk_reason") or "").strip():
        raise ServiceError("人工认定（或取消）高危须填写理由。", "high_risk_reason")


def _check_actor_scope(actor, region, sectors, before=None) -> None:
    """Government writers only, and only inside their region (and, for industry departments, sectors)."""
    if actor is None:
        return
    if not perms.can_register(actor):
        raise NotPermitted("只有具有经办权限的政府部门人员可以登记或修改生产经营单位。")
    if region is not None and not perms.region_allowed(actor, region):
        raise ServiceError("所选乡镇（街道）不在您的管辖范围内。", "region")
    if sectors and not perms.sectors_allowed(actor, sectors):
        raise ServiceError("所选行业领域均不在您部门的监管职责内。", "sectors")
    if before is not None:
        refusal = perms.sector_change_refusal(actor, before, sectors)
        if refusal:
            raise ServiceError(refusal, "sectors")


def create_enterprise(actor, *, name: str, credit_code: str, region, sectors, **data) -> Enterprise:
    """Register an enterprise at a township with one or more sectors. It starts 正常经营: 停产整顿 is
    an enforcement decision's (``set_enterprise_status``), 关闭 an approver's (``close_enterprise``)."""
    _check_actor_scope(actor, region, list(sectors or []))
    if data.get("status", Enterprise.Status.OPERATING) != Enterprise.Status.OPERATING:
        raise ServiceError(NEW_STATUS_REFUSAL, "status")
    if not (name or "").strip():
        raise ServiceError("单位名称为必填项。", "name")
    code = normalise_credit_code(credit_code)
    error = credit_code_error(code)
    if error:
        raise ServiceError(error, "credit_code")
    if Enterprise.objects.filter(credit_code=code).exists():
        raise ServiceError("该统一社会信用代码已登记。", "credit_code")
    sectors = list(sectors)
    _validate(region, sectors, data)
    with transaction.atomic():
        locked = lock_sectors(s.pk for s in sectors)  # their flags as committed (lock order: sectors first)
        sectors = [locked[s.pk] for s in sectors]
        ent = Enterprise(name=name.strip(), credit_code=code, region=region,
                         **{k: v for k, v in data.items() if k in PROFILE_FIELDS or k == "status"})
        derive(ent, sectors)
        try:
            ent.full_clean(exclude=["sectors"])
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise ServiceError(messages[0], field)
        ent.save()
        ent.sectors.set(sectors)
        record(actor, "enterprise.created", ent, to_state=ent.status,
               data={"credit_code": code, "sectors": sorted(s.code for s in sectors)})
    return ent


def update_enterprise(actor, ent: Enterprise, *, region=None, sectors=None, **data) -> Enterprise:
    """Edit the profile: the fields given in ``data`` (and ``region`` / ``sectors`` when given) on the
    enterprise as stored when its row is locked — a field not given keeps its stored value, even one
    another writer changed after the caller read ``ent``. The permission guard and the field checks
    run on the caller's view; the field checks run again on the locked row, and the guard's inputs —
    the place and the sector set — must be unchanged there: changed between the caller's read and
    the lock, StaleState (409: read again and retry), since the guard judged a unit that is no longer
    so (only the enterprise row is locked, not its region). Records the changed
    fields (old → new, old as stored) in the event."""
    from core.services import StaleState

    current = list(ent.sectors.all())  # the caller's view (prefetched, or read now)
    seen_region, seen_sectors = ent.region_id, {s.pk for s in current}
    region = region or ent.region
    sectors = list(sectors) if sectors is not None else current
    _check_actor_scope(actor, region, sectors, before=current)
    if "name" in data and not (data["name"] or "").strip():
        raise ServiceError("单位名称为必填项。", "name")
    given = {k: v for k, v in data.items() if k in PROFILE_FIELDS}
    _validate(region, sectors, {**{f: getattr(ent, f) for f in PROFILE_FIELDS}, **given})
    with transaction.atomic():
        # lock order: the sectors (old and new: a flag change follows the enterprises of its sector),
        # then the enterprise; 高危 is derived from the flags as committed, not as the caller read them
        locked = lock_sectors([*seen_sectors, *(s.pk for s in sectors)])
        sectors = [locked[s.pk] for s in sectors]
        stored = Enterprise.objects.select_for_update(of=("self",)).select_related("region").get(pk=ent.pk)
        stored_sectors = set(Enterprise.sectors.through.objects.filter(enterprise_id=ent.pk)
                             .values_list("sector_id", flat=True))
        if stored.region_id != seen_region or stored_sectors != seen_sectors:
            raise StaleState()  # moved or re-sectored meanwhile: the guard judged another enterprise
        merged = {**{f: getattr(stored, f) for f in PROFILE_FIELDS}, **given}
        _validate(region, sectors, merged)
        before = {**{f: getattr(stored, f) for f in PROFILE_FIELDS}, "region": stored.region.code,
                  "sectors": [locked[pk].code for pk in stored_sectors],
                  "high_risk": stored.high_risk}  # as stored now (a sector's change may have moved it meanwhile)
        for field in Enterprise._meta.concrete_fields:  # the row as stored: a status set meanwhile stays
            setattr(ent, field.attname, getattr(stored, field.attname))
        for f, v in merged.items():
            setattr(ent, f, v)
        ent.region = region
        derive(ent, sectors)  # a rename is found by its new name at once
        try:
            ent.full_clean(exclude=["sectors", "credit_code", "organisation"], validate_unique=False)
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise ServiceError(messages[0], field)
        ent.save()
        ent.sectors.set(sectors)
        changes = enterprise_changes(before, {**merged, "sectors": [s.code for s in sectors], "region": region.code,
                                              "high_risk": ent.high_risk})
        if "region" in changes:
            follow_region(actor, ent)
        if changes:
            record(actor, "enterprise.updated", ent, data={"changes": changes})
    return ent


#: enterprises whose 高危 a sector's change flips, per UPDATE and per event insert (a sector may have
#: 10⁴–10⁵ enterprises at province scale: bounded statements and memory)
SECTOR_BATCH = 2000


def follow_sector(actor, sector) -> int:
    """After ``sector``'s 高危行业 flag changed (``accounts.services.set_sector_high_risk``, inside its
    transaction, the sector row already written): 高危 derived again, as ``derive_high_risk`` does,
    for every enterprise of the sector without 人工认定 — high-risk when any of its own sectors is, so
    one with another high-risk sector stays high-risk. Set-based: one query per direction finds the
    enterprises whose stored flag is now wrong (rows locked), one compare-and-set UPDATE per
    ``SECTOR_BATCH`` of them (StaleState if one moved meanwhile) and, for each, the event
    ``update_enterprise`` writes for a change of class — ``enterprise.updated`` with
    ``changes.high_risk`` ["False", "True"] or back, the trail ``inspections.frequency.class_on`` reads a
    past day's class from — written with ``core.events.EventColumns`` (the sector named in the note).
    An enterprise whose flag stays, or with 人工认定, writes nothing. Returns how many changed."""
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from core.bulk import make
    from core.events import EventColumns, actor_fields
    from core.services import StaleState

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("follow_sector runs inside the transaction that changed the sector")
    through = Enterprise.sectors.through
    any_high_risk = Exists(through.objects.filter(enterprise_id=OuterRef("pk"), sector__high_risk=True))
    derived = Enterprise.objects.filter(sectors=sector, high_risk_override__isnull=True)
    note = f"行业领域“{sector.name}”{'认定为' if sector.high_risk else '不再认定为'}高危行业"[:200]
    info, now, changed = actor_fields(actor), timezone.now(), 0
    for before, wrong in ((False, derived.filter(high_risk=False).filter(any_high_risk)),
                          (True, derived.filter(high_risk=True).filter(~any_high_risk))):
        rows = list(wrong.select_for_update(of=("self",)).order_by("pk").values_list("pk", "name"))
        pair = [str(before), str(not before)]  # as update_enterprise writes it: "True" / "False"
        for i in range(0, len(rows), SECTOR_BATCH):
            batch = rows[i:i + SECTOR_BATCH]
            ids = [pk for pk, _ in batch]
            if Enterprise.objects.filter(pk__in=ids, high_risk=before).update(high_risk=not before,
                                                                               updated_at=now) != len(ids):
                raise StaleState()
            events = EventColumns(actor, info)
            for pk, name in batch:
                events.add("enterprise.updated", make(Enterprise, {"id": pk, "name": name}), note=note,
                           data={"changes": {"high_risk": list(pair)}}, at=now)
            events.write()
        changed += len(rows)
    return changed


def follow_region(actor, ent: Enterprise) -> None:
    """A move (属地管理): the login organisation of the enterprise's users and its open hazards
    (hazards.relocation) go where the enterprise now is."""
    from hazards.relocation import follow_enterprise

    if ent.organisation_id:
        org = ent.organisation
        org.region = ent.region
        org.set_region_codes(ent.region)
        org.save(update_fields=["region", *(f"{level}_code" for level in REGION_LEVELS)])
    follow_enterprise(actor, ent)


CONTACT_FIELDS = ["principal_phone", "controller_phone"]


def update_contacts(actor, ent: Enterprise, *, safety_managers=None, **data) -> Enterprise:
    """The enterprise's own contacts: principal / controller phones and the safety managers
    (a list of dicts name, phone, full_time, certificate_no — replaces the current list)."""
    if actor is not None and not perms.can_edit_contacts(actor, ent):
        raise NotPermitted()
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise ServiceError("企业只能修改联系方式和安全管理人员。", sorted(unknown)[0])
    for f, v in data.items():
        if len(v or "") > 20:
            raise ServiceError("电话不能超过20个字符。", f)
    with transaction.atomic():
        changes = {f: [getattr(ent, f), v or ""] for f, v in data.items() if getattr(ent, f) != (v or "")}
        if changes:
            Enterprise.objects.filter(pk=ent.pk).update(**{f: new for f, (_, new) in changes.items()})
            for f, (_, new) in changes.items():
                setattr(ent, f, new)
        if safety_managers is not None:
            old = [(m.name, m.phone, m.full_time, m.certificate_no) for m in ent.safety_managers.order_by("id")]
            new = [((m.get("name") or "").strip(), (m.get("phone") or "").strip(), bool(m.get("full_time", True)),
                    (m.get("certificate_no") or "").strip()) for m in safety_managers]
            if any(not n for n, *_ in new):
                raise ServiceError("安全管理人员姓名为必填项。", "safety_managers")
            if old != new:
                ent.safety_managers.all().delete()
                SafetyManager.objects.bulk_create([
                    SafetyManager(enterprise=ent, name=n, phone=p, full_time=ft, certificate_no=c) for n, p, ft, c in new])
                changes["safety_managers"] = [len(old), len(new)]
        if changes:
            record(actor, "enterprise.contacts_updated", ent, data={"changes": {k: [str(a), str(b)] for k, (a, b) in changes.items()}})
    return ent


#: the status is not a profile field (安全生产法 art. 65: a suspended unit resumes only after review;
#: DOMAIN.md §3.2: pass → 核销 and resume): 停产整顿 is set and lifted by enforcement decisions only,
#: 关闭 by ``close_enterprise`` (an approver, a reason, no open hazards)
NEW_STATUS_REFUSAL = "新登记的单位经营状态为正常经营：停产整顿须由执法案件作出责令停产停业整顿决定，关闭须经审批办理。"
STATUS_EDIT_REFUSAL = ("经营状态不能通过修改档案变更：停产整顿须由执法案件作出责令停产停业整顿决定，复产须经复产复查"
                       "（安全生产法第六十五条）；关闭（注销）请使用关闭操作并填写理由。")


def _write_status(actor, ent: Enterprise, status: str, note: str = "", data=None) -> Enterprise:
    old = ent.status
    if old == status:
        return ent
    with transaction.atomic():
        if Enterprise.objects.filter(pk=ent.pk, status=old).update(status=status) != 1:
            from core.services import StaleState

            raise StaleState()
        ent.status = status
        record(actor, "enterprise.status", ent, from_state=old, to_state=status, note=note, data=data or {})
    return ent


def set_enterprise_status(actor, ent: Enterprise, status: str, note: str = "", *, decision) -> Enterprise:
    """Compare-and-set the status into or out of 停产整顿, for the enforcement services only
    (``order_suspension``, ``resume``, ``revoke_decision``): ``decision`` is the enforcement
    decision of this enterprise that governs the change — an effective 责令停产停业整顿 or a revoked
    复产复查 (its suspension in force again) to suspend; an effective 复产复查 or a revoked 停产整顿 to resume. Nothing else enters or leaves a suspension."""
    from enforcement.models import Decision

    kinds = {(Enterprise.Status.OPERATING, Enterprise.Status.SUSPENDED): {(Decision.Kind.SUSPENSION, Decision.Status.EFFECTIVE),
                                                                          (Decision.Kind.RESUMPTION, Decision.Status.REVOKED)},
             (Enterprise.Status.SUSPENDED, Enterprise.Status.OPERATING): {(Decision.Kind.RESUMPTION, Decision.Status.EFFECTIVE),
                                                                          (Decision.Kind.SUSPENSION, Decision.Status.REVOKED)}}
    allowed = kinds.get((ent.status, status), set())
    if ent.status == status:
        return ent
    if decision is None or decision.case.enterprise_id != ent.pk or (decision.kind, decision.status) not in allowed:
        raise ServiceError(STATUS_EDIT_REFUSAL, "status")
    return _write_status(actor, ent, status, note, data={"decision": decision.pk})


def open_hazard_count(ent: Enterprise) -> int:
    """Every hazard of the enterprise not yet over (registered, rectifying, pending acceptance) —
    whichever department or sector it belongs to: all of them stand in the way of a closure."""
    from hazards import workflow
    from hazards.models import Hazard

    return Hazard.objects.filter(enterprise=ent, status__in=workflow.OPEN_STATES).count()


def close_enterprise(actor, ent: Enterprise, *, reason: str) -> Enterprise:
    """关闭（注销）: a government writer with an approver role (``Membership.can_approve``), with a
    reason, once every hazard of the enterprise is over (销号, merged or voided with a reason) — a
    closed unit's hazards would otherwise be left with no one to rectify them. One ``enterprise.status``
    event (reason as note). A suspended unit may be closed (the government closes a unit that cannot
    be put right: DOMAIN.md §3.2 "hopeless or defiant → penalty / closure"). Every third-party
    engagement of the unit not over by the closing day ends on it (``_end_engagement``, one
    ``enterprise.agency_engagement_ended`` event each): from the next day no agency sees the closed
    unit, and one not yet started never starts. Reopening does not restore them."""
    if actor is not None and not perms.can_close(actor, ent):
        raise NotPermitted("关闭（注销）生产经营单位须由具有审批权限的负责人办理。")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("关闭（注销）须填写理由。", "reason")
    if ent.status == Enterprise.Status.CLOSED:
        raise ServiceError("该单位已关闭。", "status", code="conflict")
    with transaction.atomic():
        ent = Enterprise.objects.select_for_update().get(pk=ent.pk)
        open_count = open_hazard_count(ent)
        if open_count:
            raise ServiceError(f"该单位尚有 {open_count} 项隐患未销号，不能关闭：须先验收销号，或说明理由后作废（或合并到重复隐患）。",
                               "status", code="conflict")
        _write_status(actor, ent, Enterprise.Status.CLOSED, note=reason, data={"reason": reason})
        _end_engagements_on_closure(actor, ent, reason)
    return ent


def reopen_enterprise(actor, ent: Enterprise, *, reason: str) -> Enterprise:
    """恢复正常经营 of a closed (关闭/注销) unit — the reverse of ``close_enterprise``, by the same kind of
    approver, with a reason (e.g. a closure recorded in error, a unit re-registered at the same
    credit code). Refused for a unit that is not closed: a suspended one resumes only through an
    enforcement 复产复查 decision (``set_enterprise_status``). One ``enterprise.status`` event."""
    if actor is not None and not perms.can_reopen(actor, ent):
        raise NotPermitted("恢复正常经营须由具有审批权限的负责人办理。")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("恢复正常经营须填写理由。", "reason")
    with transaction.atomic():
        ent = Enterprise.objects.select_for_update().get(pk=ent.pk)
        if ent.status != Enterprise.Status.CLOSED:
            raise ServiceError(f"该单位当前为“{ent.get_status_display()}”，不是关闭状态，无需恢复"
                               "（停产整顿须经复产复查恢复）。", "status", code="conflict")
        _write_status(actor, ent, Enterprise.Status.OPERATING, note=reason, data={"reason": reason, "reopened": True})
    return ent


def register_enterprise(actor, *, safety_managers=None, **fields) -> Enterprise:
    """``create_enterprise`` and, when given, its safety managers — one transaction."""
    with transaction.atomic():
        ent = create_enterprise(actor, **fields)
        if safety_managers:
            update_contacts(actor, ent, safety_managers=safety_managers)
    return ent


def edit_enterprise(actor, ent: Enterprise, *, status: str | None = None, safety_managers=None, **fields) -> Enterprise:
    """The profile edit of a government writer: profile fields, then (when given) the safety
    managers — one transaction, each part with its own event. ``status`` (an API client sending the
    whole record) may only repeat the current one: it is changed by enforcement decisions and
    ``close_enterprise``, never by an edit."""
    if status and status != ent.status:
        raise ServiceError(STATUS_EDIT_REFUSAL, "status")
    with transaction.atomic():
        update_enterprise(actor, ent, **fields)
        if safety_managers is not None:
            update_contacts(actor, ent, safety_managers=safety_managers)
    return ent


def ensure_enterprise_organisation(actor, ent: Enterprise) -> Organisation:
    """The organisation enterprise users log in under (created on first need)."""
    if ent.organisation_id:
        return ent.organisation
    with transaction.atomic():
        org = Organisation(kind=Organisation.Kind.ENTERPRISE, name=ent.name, region=ent.region, code=ent.credit_code)
        org.set_region_codes(ent.region)
        org.save()
        Enterprise.objects.filter(pk=ent.pk).update(organisation=org)
        ent.organisation = org
        record(actor, "enterprise.organisation_created", ent, data={"organisation": org.pk})
    return org


# ---------------------------------------------------------------- import jobs


def start_import(actor, *, upload, dry_run: bool) -> ImportJob:
    """Store an uploaded file as an ImportJob (a dry run or a real run) and queue it; the job row,
    its event and the queue job commit together (the worker starts after the commit)."""
    if not perms.can_register(actor):
        raise NotPermitted("只有具有经办权限的政府部门人员可以导入生产经营单位。")
    from .jobs import start_job

    with transaction.atomic():
        job = ImportJob(created_by=actor, file_name=upload.name[:200], dry_run=dry_run)
        job.file.save(upload.name, upload, save=False)
        job.save()
        record(actor, "enterprise.import_started", job, data={"file": job.file_name, "dry_run": dry_run})
        start_job(job)
    return job


def run_checked_import(actor, checked: ImportJob) -> ImportJob:
    """Import the file of a finished dry run for real (only its good rows): a new ImportJob."""
    if not perms.can_register(actor):
        raise NotPermitted("只有具有经办权限的政府部门人员可以导入生产经营单位。")
    if not checked.dry_run or checked.status != ImportJob.Status.DONE:
        raise ServiceError("只能对已完成的试运行执行正式导入。", "status", code="conflict")
    from .jobs import start_job

    with transaction.atomic():
        job = ImportJob.objects.create(created_by=actor, file=checked.file.name, file_name=checked.file_name,
                                       dry_run=False, parent=checked)
        record(actor, "enterprise.import_started", job, data={"file": job.file_name, "dry_run": False,
                                                              "checked": checked.pk})
        start_job(job)
    return job


from .engagements import (  # noqa: E402, F401  (re-exported: callers keep using enterprises.services)
    ENGAGEMENT_AHEAD_DAYS,
    ENGAGEMENT_PAST_DAYS,
    _end_engagements_on_closure,
    end_engagement,
    engage_agency,
)
