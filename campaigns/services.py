"""The only writers of the campaigns app: campaigns, activities, submissions, reminders, snapshots."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation
from core.events import record
from core.notifications import notify
from core.services import NotPermitted, ServiceError, lock
from core.uploads import accept as accept_upload

from . import dispatch as D
from . import rows as R
from .models import Activity, Campaign, Phase, Submission


def _org(actor):
    m = getattr(actor, "membership", None) if actor is not None else None
    return m.organisation if m else None


def _require_unit_writer(actor, unit: Organisation) -> None:
    if actor is not None and actor.is_superuser:
        return
    m = getattr(actor, "membership", None)
    if m is None or m.organisation_id != unit.pk or not m.can_write:
        raise NotPermitted("只能由本单位经办人填报本单位调度表。")


def create_campaign(actor, *, name: str, issuer: Organisation, region, start: datetime.date, end: datetime.date,
                    first_report_date: datetime.date | None = None, phases=(), targets=None, units=()) -> Campaign:
    if not name.strip():
        raise ServiceError("请填写行动名称。", "name")
    if end < start:
        raise ServiceError("结束日期不能早于开始日期。", "end")
    with transaction.atomic():
        campaign = Campaign(name=name.strip(), issuer=issuer, region=region, start=start, end=end,
                            first_report_date=first_report_date or start, targets=targets or {})
        campaign.set_region_codes(region)
        campaign.save()
        for i, (pname, pstart, pend) in enumerate(phases):
            Phase.objects.create(campaign=campaign, name=pname, start=pstart, end=pend, sort_order=i)
        if units:
            campaign.units.set(units)
        record(actor, "campaign.created", campaign, data={"start": start.isoformat(), "end": end.isoformat()})
    return campaign


def record_activity(actor, *, unit: Organisation, kind: str, date: datetime.date, participants: str = "",
                    summary: str = "", count: int | None = None, attachment=None) -> Activity:
    """One entry of the unit's leadership activity log (rows 4.1–4.4, 4.6, 4.7)."""
    _require_unit_writer(actor, unit)
    if kind not in Activity.Kind.values:
        raise ServiceError("请选择活动类型。", "kind")
    if date > timezone.localdate():
        raise ServiceError("日期不能晚于今天。", "date")
    if kind == Activity.Kind.INSPECTORS and (count is None or count < 0):
        raise ServiceError("请填写技术检查员人数。", "count")
    if attachment:
        attachment = accept_upload(attachment, "campaign_attachment").content  # core upload policy
    with transaction.atomic():
        act = Activity(unit=unit, kind=kind, date=date, participants=participants, summary=summary, count=count,
                       created_by=actor if actor is not None and actor.is_authenticated else None)
        if attachment:
            act.attachment = attachment
        act.set_region_codes(unit.region)
        act.save()
        record(actor, "campaigns.activity_recorded", act, data={"kind": kind, "date": date.isoformat()})
    return act


def submit(actor, *, unit: Organisation, campaign: Campaign, as_of: datetime.datetime, manual: dict | None = None,
           note: str = "") -> Submission:
    """Freeze the unit's table as of ``as_of``: live values for the rows the data answers, the hand-
    entered ones for the rest; the invariants must hold. A second submission for the same week is
    a new version (a correction); earlier versions are kept unchanged."""
    _require_unit_writer(actor, unit)
    if as_of > timezone.now() + datetime.timedelta(minutes=5):
        raise ServiceError("统计截止时间不能晚于当前时间。", "as_of")
    if timezone.localtime(as_of).date() < campaign.start:
        raise ServiceError("统计截止时间早于行动开始日期。", "as_of")
    values = D.unit_table(unit, D.start_datetime(campaign.start), as_of)
    auto = D.auto_codes(unit) & set(values)
    for code, raw in (manual or {}).items():
        row = R.BY_CODE.get(code)
        if row is None or code in auto:
            continue
        parsed = D.parse_value(row, raw)
        if parsed is not None:
            values[code] = parsed
    D.check_invariants(values)
    frozen = D.to_json(values)
    week = D.week_of(as_of)
    with transaction.atomic():
        lock(unit)  # serialised per unit: versions are consecutive, never two of the same number
        last = Submission.objects.filter(campaign=campaign, unit=unit, week=week).order_by("-version").first()
        sub = Submission(campaign=campaign, unit=unit, week=week, version=(last.version + 1) if last else 1, as_of=as_of,
                         values=frozen, submitted_by=actor if actor is not None and actor.is_authenticated else None,
                         submitted_by_name=(actor.get_full_name() or actor.get_username()) if actor is not None else "系统",
                         note=note[:200])
        sub.set_region_codes(unit.region)
        sub.save()
        record(actor, "campaigns.dispatch_submitted", sub, data={"week": week.isoformat(), "version": sub.version})
    return sub


def remind_missing(actor, *, committee: Organisation, campaign: Campaign, moment: datetime.datetime | None = None) -> int:
    """催报: notify the writers of every unit that has not submitted this week. Idempotent per unit
    per week; returns how many units were newly reminded."""
    from .tables import missing_units

    if actor is not None and not actor.is_superuser and _org(actor) != committee:
        raise NotPermitted("只有安委会办公室可以催报。")
    moment = moment or timezone.now()
    week = D.week_of(moment)
    reminded = 0
    with transaction.atomic():
        for unit in missing_units(committee, campaign, moment):
            newly = False
            for m in Membership.objects.filter(organisation=unit).exclude(role=Membership.Role.VIEWER).select_related("user"):
                newly |= notify(kind="dispatch_reminder", dedupe_key=f"dispatch-remind:{campaign.pk}:{unit.pk}:{week}:{m.user_id}",
                                title=f"请报送{campaign.name}调度表", body=f"本周（{week}起）调度表尚未报送，请于周一12时前报送。",
                                url=f"/campaigns/dispatch/?unit={unit.pk}", user=m.user, channels=("inapp",))
            if newly:
                reminded += 1
                record(actor, "campaigns.reminded", unit, data={"campaign": campaign.pk, "week": week.isoformat()})
    return reminded
