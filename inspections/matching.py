"""An inspection finding that is a hazard already in the enterprise's ledger (audit D13).

An enterprise that found a major hazard itself, reported it and is rectifying it must not see it
registered a second time, as an inspection-channel hazard, when an inspector finds it on site: the
weekly dispatch table would count it twice (DISPATCH_TABLE.md: "A hazard is counted once however
many sources reported it"), and enforcement would not propose 不予处罚 (seed 000 三(三)2(1)①:
对企业自查查出的重大事故隐患，已按规定报告并正在采取有效措施消除的，依法不予行政处罚).

While the record is a draft the inspector says, per finding, "this is hazard X of the ledger"
(``match_finding``): X must be visible to the inspector (else NotPermitted; the pages and the API
answer 404 before they get here), of the inspected enterprise and open. When the record locks
(``link_findings``, called by ``services.sign``) the finding becomes a source of X
(``hazards.services.add_source``, channel 部门检查, reference ``inspections.record:<pk>``, reported at
the end of the inspection day) instead of a new hazard; X keeps the channel of its earliest report.
The choices are checked again at the first signature (``refuse_before_signing``: X closed, voided or
merged since → choose again); after it the record is frozen and ``link_findings`` follows X.

A finding left unmatched while an open hazard of the same enterprise cites the same 判定标准 item
(``duplicate_candidates``) is not registered silently: signing is refused (field ``record``, code
``possible_duplicate``) until the inspector matches it or confirms it is a new hazard
(``match_finding(…, new_hazard=True)``).

A writer of ``inspections.services`` (listed in its SERVICE_MODULES).
"""

from django.db import transaction
from django.utils import timezone

from core.events import record as record_event
from core.services import NotPermitted, ServiceError, StaleState
from hazards import workflow as hazard_workflow
from hazards.asof import end_of
from hazards.models import Hazard

from .models import RecordItem


def reported_at(rec):
    """When a record's findings were reported: the inspection day (its hour is not recorded: its end), never
    later than now — a finding that becomes a source of a ledger hazard and one registered as a new hazard
    alike (DISPATCH_TABLE.md: a hazard counts by when it was first reported, not when it was typed in)."""
    return min(end_of(rec.inspected_on), timezone.now())


def open_hazards(actor, enterprise):
    """The enterprise's open hazards the actor can see, the ones a finding may be matched to
    (most urgent deadline first)."""
    return (Hazard.objects.visible_to(actor)
            .filter(enterprise_id=enterprise.pk, status__in=hazard_workflow.OPEN_STATES)
            .select_related("basis_item__standard", "basis_item__article").order_by("deadline", "id"))


def hazard_label(hazard: Hazard) -> str:
    """What the inspector reads to recognise a ledger hazard (no raw ids): number, description,
    grade and 判定依据, status, deadline."""
    text = hazard.description.strip().replace("\n", " ")
    parts = [hazard.number, text if len(text) <= 40 else text[:40] + "…", hazard.get_grade_display()]
    if hazard.basis_item_id:
        parts.append(f"判定依据：{hazard.basis_item.citation}")
    parts.append(hazard.get_status_display())
    parts.append(f"整改期限：{hazard.deadline:%Y-%m-%d}" if hazard.deadline else "未定整改期限")
    if hazard.channel in ("self_check", "enterprise_third_party"):
        parts.append("企业自查上报")
    return " · ".join(parts)


def duplicate_candidates(actor, item: RecordItem) -> list[Hazard]:
    """Open hazards of the record's enterprise citing the 判定标准 item of ``item``'s line (none for
    a line without one), unless the finding is matched or confirmed new."""
    if (item.result != RecordItem.Result.HAZARD or item.standard_item_id is None or item.existing_hazard_id
            or item.new_hazard_confirmed):
        return []
    return list(open_hazards(actor, item.record.enterprise).filter(basis_item_id=item.standard_item_id))


def unresolved(actor, rec) -> list[tuple[RecordItem, list[Hazard]]]:
    """The record's findings that look like a hazard already in the ledger and are not resolved."""
    items = rec.items.filter(result=RecordItem.Result.HAZARD, standard_item__isnull=False, existing_hazard__isnull=True,
                             new_hazard_confirmed=False).select_related("record__enterprise")
    out = []
    for item in items:
        found = duplicate_candidates(actor, item)
        if found:
            out.append((item, found))
    return out


def refuse_before_signing(actor, rec) -> None:
    """Checked at the first signature, while the record can still be corrected: a finding that may
    be a hazard already in the ledger is asked about first, and a chosen hazard closed, voided or
    merged since it was chosen is chosen again."""
    pending = unresolved(actor, rec)
    if pending:
        lines = "；".join(f"“{item.text[:30]}”与{'、'.join(h.number for h in found)}" for item, found in pending)
        raise ServiceError(f"以下发现的隐患与该单位台账中未销号的隐患判定依据相同，可能为同一隐患：{lines}。"
                           "请在“发现隐患”中选择“台账中的同一隐患”，或确认为新发现隐患后再签名。",
                           "record", code="possible_duplicate")
    items = rec.items.filter(result=RecordItem.Result.HAZARD, existing_hazard__isnull=False).select_related("existing_hazard")
    for item in items:
        refusal = match_refusal(actor, rec, item.existing_hazard)
        if refusal:
            raise ServiceError(f"“{item.text[:30]}”关联的{refusal[1]}请重新选择后再签名。", "record",
                               code="match_stale")


def match_refusal(actor, rec, hazard: Hazard) -> tuple[str, str] | None:
    """Why ``hazard`` cannot be the ledger hazard of a finding of ``rec`` ((field, reason)), or None.
    Out of scope is NotPermitted (a 404 on the pages and in the API)."""
    if not Hazard.objects.visible_to(actor).filter(pk=hazard.pk).exists():
        raise NotPermitted("该隐患不存在或不在您的管辖范围内。")
    if hazard.enterprise_id != rec.enterprise_id:
        return "existing_hazard", f"{hazard.number}不是被检查单位（{rec.enterprise.name}）的隐患，不能关联。"
    if hazard.status not in hazard_workflow.OPEN_STATES:
        hint = "如隐患再次出现，请登记为新发现隐患或由主管部门重新打开原隐患。" if hazard.status == hazard_workflow.CLOSED else ""
        return "existing_hazard", f"{hazard.number}{hazard.get_status_display()}，只能关联未销号的隐患。{hint}"
    return None


def match_finding(actor, item: RecordItem, *, hazard: Hazard | None = None, new_hazard: bool = False) -> RecordItem:
    """Say what a finding of a draft record is: ``hazard`` (the same hazard as one in the ledger),
    ``new_hazard`` (a new hazard although an open one cites the same item), or neither (undecided:
    cleared). One event on the record."""
    from .services import _require_editable

    rec = item.record
    _require_editable(actor, rec)
    if item.result != RecordItem.Result.HAZARD:
        raise ServiceError("只有结论为“存在隐患”的检查项目才能关联台账隐患。", "result")
    if hazard is not None and new_hazard:
        raise ServiceError("已选择台账中的同一隐患时不能再确认为新发现隐患。", "new_hazard")
    if hazard is not None:
        refusal = match_refusal(actor, rec, hazard)
        if refusal:
            raise ServiceError(refusal[1], refusal[0])
    with transaction.atomic():
        done = RecordItem.objects.filter(pk=item.pk, record__status=rec.Status.DRAFT).update(
            existing_hazard=hazard, new_hazard_confirmed=bool(new_hazard))
        if done != 1:
            raise StaleState()
        item.existing_hazard, item.new_hazard_confirmed = hazard, bool(new_hazard)
        record_event(actor, "inspection.finding_matched", rec,
                     data={"item": item.pk, "existing_hazard": hazard.pk if hazard else None,
                           "hazard_number": hazard.number if hazard else "", "new_hazard": bool(new_hazard)})
    return item


def _survivor(hazard: Hazard) -> Hazard:
    """The hazard a merged one lives on in (merges keep every source on the survivor)."""
    seen = set()
    while hazard.status == hazard_workflow.MERGED and hazard.merged_into_id and hazard.pk not in seen:
        seen.add(hazard.pk)
        hazard = hazard.merged_into
    return hazard


def link_findings(actor, rec) -> list[RecordItem]:
    """At locking (inside ``services.sign``'s transaction): each matched finding becomes a source
    of its ledger hazard instead of a new hazard. The record is frozen since its first signature
    (``refuse_before_signing`` checked the choices then), so what happened to the hazard since is
    followed, not refused: a merged hazard's survivor takes the source; a hazard closed since was
    open on the inspection day and takes it too; a voided one (a mistaken entry) leaves the finding
    to be registered as a new hazard. Returns the linked findings."""
    from hazards.services import add_source

    linked = []
    items = rec.items.filter(result=RecordItem.Result.HAZARD, hazard__isnull=True, existing_hazard__isnull=False)
    for item in items.select_related("existing_hazard"):
        hazard = _survivor(item.existing_hazard)
        if hazard.status == hazard_workflow.VOID:
            continue
        add_source(actor, hazard, channel=Hazard.Channel.INSPECTION, reference=f"inspections.record:{rec.pk}",
                   note=f"现场检查{rec.number}发现：{item.note}"[:200], reported_at=reported_at(rec))
        if RecordItem.objects.filter(pk=item.pk, hazard__isnull=True).update(hazard=hazard) != 1:
            raise StaleState()
        linked.append(item)
    return linked
