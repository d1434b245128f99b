"""One hazard however many reported it (DISPATCH_TABLE.md: "A hazard is counted once however many sources
reported it"): merging a duplicate into the hazard it repeats (``merge``, ``merge_refusal``) and adding another
report to a hazard as a source (``add_source``). Split out of ``services`` (listed in its SERVICE_MODULES,
re-exported there: callers keep ``hazards.services``)."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.events import record
from core.services import ServiceError, lock

from . import workflow
from .alerts import set_schedule
from .models import Hazard, HazardSource
from .services import CHANNELS, _context, _org, _refuse_if_listed, _require_kind, _transition, first_alert_on


def merge_refusal(hazard: Hazard, into: Hazard) -> str | None:
    """Why ``hazard`` may not be merged into ``into`` (None: it may). A closed survivor takes only a
    duplicate report of what its acceptance covered (found by its closing day, not 重大 into 一般):
    anything else would be 销号 with no acceptance. A 重大 hazard is not merged into a 一般 one that
    rectification has started on: the survivor would become 重大 with no 治理方案 and with an
    acceptance asked for a 一般 hazard — the 一般 one is merged into the 重大 one."""
    if into.pk == hazard.pk:
        return "不能合并到自身。"
    if into.enterprise_id != hazard.enterprise_id:
        return "只能合并同一单位的隐患。"
    if into.status in workflow.FINAL_STATES:
        return "目标隐患已合并或作废。"
    if into.status not in workflow.OPEN_STATES:
        # a closed survivor: only a duplicate report of what its acceptance covered — found before it
        # was closed (on its closing day: reported before the closing), and not graver than it was
        # accepted as; anything else would be 销号 with no acceptance (a hazard found again is reopened)
        closed_on = timezone.localdate(into.closed_at) if into.closed_at else None
        found_on = hazard.found_on or timezone.localdate(hazard.first_reported_at)
        if closed_on is None or found_on > closed_on or (found_on == closed_on and hazard.first_reported_at > into.closed_at):
            return ("目标隐患已销号，而本隐患是在销号之后发现的：不能合并（否则未经验收即销号）；"
                    "如同一隐患再次出现，请先对目标隐患办理“重新打开”再合并。")
        if hazard.grade == Hazard.Grade.MAJOR and into.grade != Hazard.Grade.MAJOR:
            return "目标隐患按一般隐患验收销号，不能把重大隐患合并进去（重大隐患须经主管部门验收）。"
    if hazard.grade == Hazard.Grade.MAJOR and into.grade != Hazard.Grade.MAJOR and into.status != workflow.REGISTERED:
        return "目标隐患为一般隐患且已开始整改，合并后将升为重大隐患而没有治理方案、按一般隐患验收：请将目标隐患合并到本重大隐患。"
    return None


def merge(actor, hazard: Hazard, *, into: Hazard, reason: str) -> Hazard:
    """De-duplicate: ``hazard`` becomes merged into ``into``; the survivor keeps every source and
    the earliest channel and first-report time. The merged one is counted nowhere."""
    _require_kind(actor, into)
    with transaction.atomic():
        # both rows locked, in id order: two merges of the same pair in opposite directions queue on the
        # first lock instead of each holding one row and deadlocking on the other. The survivor is re-read
        # as it is now: its first report, grade and deadline may have moved since the caller read it (an
        # earlier source added meanwhile was written back stale — the report lost); the duplicate keeps the
        # caller's reading (its state is compared-and-set by the transition). Decided under the locks only.
        list(Hazard._base_manager.select_for_update().filter(pk__in=(hazard.pk, into.pk))
             .order_by("pk").values_list("pk"))
        into.refresh_from_db()
        refusal = merge_refusal(hazard, into)
        if refusal:
            raise ServiceError(refusal, "into")
        _refuse_if_listed(hazard, "合并到其他隐患", "请将重复的隐患合并到该挂牌隐患。")
        hazard = _transition(actor, hazard, "merge", _context(hazard, actor, has_reason=bool(reason.strip())),
                             note=reason, updates={"merged_into": into}, data={"into": into.pk})
        HazardSource.objects.filter(hazard=hazard).update(hazard=into)
        earliest = HazardSource.objects.filter(hazard=into).order_by("reported_at", "id").first()
        updates = {"first_reported_at": min(into.first_reported_at, hazard.first_reported_at)}
        if earliest is not None:
            updates["channel"] = earliest.channel
        if hazard.grade == Hazard.Grade.MAJOR and into.grade != Hazard.Grade.MAJOR:
            updates.update(grade=Hazard.Grade.MAJOR, basis_item=hazard.basis_item, basis_reason=hazard.basis_reason)
        merged_in = {"merged": hazard.pk}
        if into.status in workflow.OPEN_STATES and hazard.deadline and (into.deadline is None or hazard.deadline < into.deadline):
            # the same hazard: the earlier deadline holds (a merge never hides an overdue one); the
            # deadline trail hazards.asof reads takes it from this event. A closed survivor keeps its
            # own: its acceptance judged it against that deadline (on time or late stays as decided)
            updates["deadline"] = hazard.deadline
            merged_in.update(deadline=hazard.deadline.isoformat(), deadline_from=into.deadline and into.deadline.isoformat())
        grade_from = into.grade
        Hazard.objects.filter(pk=into.pk).update(**updates)
        if "deadline" in updates:
            set_schedule(into.pk, first_alert_on(updates["deadline"]))
        into.refresh_from_db()
        record(actor, "hazard.merged_in", into, from_state=into.status, to_state=into.status, note=reason,
               data={**merged_in, "channel": into.channel})
        if into.grade != grade_from:
            # the grade trail hazards.asof reads: "grade" is the grade from this instant on
            record(actor, "hazard.regraded", into, note=reason,
                   data={"grade_from": grade_from, "grade": into.grade, "cause": "merge", "merged": hazard.pk})
            if into.grade == Hazard.Grade.MAJOR:  # now a major hazard: its unit's principal and controller are told
                from .alerts import notify_major_registered

                notify_major_registered(into)
    return hazard


def add_source(actor, hazard: Hazard, *, channel: str, reference: str = "", note: str = "",
               reported_at: datetime.datetime | None = None) -> HazardSource:
    """Another report of the same hazard (a tip verified as already in the ledger, an inspection
    finding matched to a ledger hazard): one source row and one ``hazard.source_added`` event.

    ``reported_at`` (default now) is when that report was made. As for a merge, the hazard's
    channel is that of its earliest report: a report earlier than the hazard's first one (an
    inspection that found it before the enterprise registered it) moves ``first_reported_at``
    back and gives the hazard that report's channel. A merged or void hazard takes no source
    (it is counted nowhere: the report would be lost)."""
    _require_kind(actor, hazard)
    if channel not in CHANNELS:
        raise ServiceError("发现渠道无效。", "channel")
    reported_at = reported_at or timezone.now()
    with transaction.atomic():
        # decided on the row as it is now, locked: its state and first report (two reports added at once:
        # the earlier one wins; a hazard merged meanwhile takes none)
        lock(hazard)
        if hazard.status in workflow.FINAL_STATES:
            raise ServiceError(f"该隐患{hazard.get_status_display()}，不能再增加发现来源。", "hazard")
        src = HazardSource.objects.create(hazard=hazard, channel=channel, reported_at=reported_at,
                                          organisation=_org(actor), reference=reference, note=note)
        data = {"channel": channel, "reference": reference, "reported_at": reported_at.isoformat()}
        if reported_at < hazard.first_reported_at:
            data["channel_from"] = hazard.channel
            Hazard.objects.filter(pk=hazard.pk).update(first_reported_at=reported_at, channel=channel)
            hazard.refresh_from_db()
            data["hazard_channel"] = hazard.channel
        record(actor, "hazard.source_added", hazard, data=data)
    return src
