"""The only writers of the campaigns app: campaigns, activities, submissions, reminders, snapshots."""

import datetime
import time

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from accounts.permissions import actor_org
from core.events import record
from core.notifications import notify
from core.services import NotPermitted, ServiceError, lock
from core.uploads import accept as accept_upload

from . import dispatch as D
from . import rows as R
from .models import Activity, Campaign, Phase, Submission

#: writer modules split out of this one (services are the only writers; see core/tests/test_writers.py):
#: reports.py: enterprise quarterly statistics reports
SERVICE_MODULES = ("reports",)

_org = actor_org
NOTE_MAX = Submission._meta.get_field("note").max_length  # 更正说明


def _require_unit_writer(actor, unit: Organisation) -> None:
    """The unit's own writers (or a superuser, or ``None``: loaders such as the demo)."""
    if actor is None or actor.is_superuser:
        return
    m = getattr(actor, "membership", None)
    if m is None or m.organisation_id != unit.pk or not m.can_write:
        raise NotPermitted("只能由本单位经办人填报本单位调度表。")


def _require_committee_writer(actor, issuer: Organisation) -> None:
    """Campaigns are created and edited by the issuing committee office's writers (or a superuser)."""
    if actor is None or actor.is_superuser:
        return
    m = getattr(actor, "membership", None)
    if m is None or m.organisation_id != issuer.pk or issuer.kind != Organisation.Kind.COMMITTEE or not m.can_write:
        raise NotPermitted("只有安委会办公室经办人可以创建或修改本级专项行动。")


def _check_campaign(name, start, end, first_report_date, report_weekday, phases, targets, units, region) -> None:
    if not (name or "").strip():
        raise ServiceError("请填写行动名称。", "name")
    if start is None or end is None or end < start:
        raise ServiceError("结束日期不能早于开始日期。", "end")
    if first_report_date is not None and not start <= first_report_date <= end:
        raise ServiceError("首次报送日期须在行动期间内。", "first_report_date")
    if not 0 <= int(report_weekday) <= 6:
        raise ServiceError("报送星期无效。", "report_weekday")
    for pname, pstart, pend in phases:
        if not pname.strip() or pstart is None or pend is None or pend < pstart:
            raise ServiceError(f"阶段“{pname}”的名称或日期无效。", "phases")
        if pstart < start or pend > end:
            raise ServiceError(f"阶段“{pname}”须在行动期间内。", "phases")
    for year, target in (targets or {}).items():
        rate = (target or {}).get("rectification_rate")
        if not str(year).isdigit() or rate is None or not 0 <= float(rate) <= 100:
            raise ServiceError("目标格式为“年份:整改率”，整改率在0–100之间。", "targets")
    for unit in units:
        if not unit.is_government or not unit.region.path.startswith(region.path):
            raise ServiceError(f"参加单位“{unit.name}”不在本行动区划内。", "units")


def create_campaign(actor, *, name: str, issuer: Organisation, region, start: datetime.date, end: datetime.date,
                    first_report_date: datetime.date | None = None, phases=(), targets=None, units=(),
                    report_weekday: int = 0, report_time: datetime.time = datetime.time(12, 0)) -> Campaign:
    """A campaign of ``issuer`` (a committee office) for ``region`` with its phases, weekly reporting
    weekday and time (the deadline of every week), targets and participating units."""
    _require_committee_writer(actor, issuer)
    _check_campaign(name, start, end, first_report_date, report_weekday, phases, targets, units, region)
    with transaction.atomic():
        campaign = Campaign(name=name.strip(), issuer=issuer, region=region, start=start, end=end,
                            first_report_date=first_report_date or start, targets=targets or {},
                            report_weekday=report_weekday, report_time=report_time)
        campaign.set_region_codes(region)
        campaign.save()
        for i, (pname, pstart, pend) in enumerate(phases):
            Phase.objects.create(campaign=campaign, name=pname.strip(), start=pstart, end=pend, sort_order=i)
        if units:
            campaign.units.set(units)
        record(actor, "campaign.created", campaign, data=_campaign_data(campaign))
        queue_backfill(actor, campaign)
    return campaign


def _campaign_data(campaign: Campaign) -> dict:
    return {"name": campaign.name, "start": campaign.start.isoformat(), "end": campaign.end.isoformat(),
            "first_report_date": campaign.first_report_date.isoformat(), "report_weekday": campaign.report_weekday,
            "report_time": str(campaign.report_time)[:5], "targets": campaign.targets,
            "phases": [[p.name, p.start.isoformat(), p.end.isoformat()] for p in campaign.phases.all()],
            "units": sorted(campaign.units.values_list("pk", flat=True))}


def update_campaign(actor, campaign: Campaign, *, name: str, start: datetime.date, end: datetime.date,
                    first_report_date: datetime.date | None, report_weekday: int, report_time: datetime.time,
                    phases=(), targets=None, units=()) -> Campaign:
    """Edit a campaign (its phases and units replaced); the event keeps the values before and after.
    Submissions already made keep their frozen values."""
    _require_committee_writer(actor, campaign.issuer)
    _check_campaign(name, start, end, first_report_date, report_weekday, phases, targets, units, campaign.region)
    before = _campaign_data(campaign)
    with transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(
            name=name.strip(), start=start, end=end, first_report_date=first_report_date or start,
            report_weekday=report_weekday, report_time=report_time, targets=targets or {})
        campaign.refresh_from_db()
        campaign.phases.all().delete()
        for i, (pname, pstart, pend) in enumerate(phases):
            Phase.objects.create(campaign=campaign, name=pname.strip(), start=pstart, end=pend, sort_order=i)
        campaign.units.set(units)
        record(actor, "campaign.updated", campaign, data={"before": before, "after": _campaign_data(campaign)})
        if campaign.start.isoformat() < before["start"]:
            queue_backfill(actor, campaign)  # started earlier than first said: its earlier weeks too
    return campaign


def record_activity(actor, *, unit: Organisation, kind: str, date: datetime.date, participants: str = "",
                    summary: str = "", count: int | None = None, attachment=None, recorded_at=None) -> Activity:
    """One entry of the unit's leadership activity log (rows 4.1–4.4, 4.6, 4.7); ``recorded_at``
    back-dates the entry (demo loader only)."""
    _require_unit_writer(actor, unit)
    if kind not in Activity.Kind.values:
        raise ServiceError("请选择活动类型。", "kind")
    if kind == Activity.Kind.SUPERVISION:  # one way per row: 4.8 is an inspection visit of kind 督导检查
        raise ServiceError("组织开展督导检查请在“检查 → 帮扶指导/督导检查”中登记（计入调度表4.8）。", "kind")
    if date > timezone.localdate():
        raise ServiceError("日期不能晚于今天。", "date")
    if kind == Activity.Kind.INSPECTORS and count is None:
        raise ServiceError("请填写技术检查员人数。", "count")
    if count is not None and not 0 <= count <= Activity.MAX_COUNT:  # beyond the column a 500 on PostgreSQL
        raise ServiceError(f"人数须在0到{Activity.MAX_COUNT}之间。", "count")
    if attachment:
        attachment = accept_upload(attachment, "campaign_attachment").content  # core upload policy
    with transaction.atomic():
        act = Activity(unit=unit, kind=kind, date=date, participants=participants, summary=summary, count=count,
                       created_by=actor if actor is not None and actor.is_authenticated else None,
                       created_at=recorded_at or timezone.now())
        if attachment:
            act.attachment = attachment
        act.set_region_codes(unit.region)
        act.save()
        record(actor, "campaigns.activity_recorded", act, data={"kind": kind, "date": date.isoformat()})
    return act


def frozen_values(*, unit: Organisation, campaign: Campaign, as_of: datetime.datetime, manual: dict | None = None) -> dict:
    """The values ``submit`` would freeze (checked, invariants hold) — read-only, so a caller can
    tell an identical resubmission (same week, cut-off, values and note) from a correction."""
    if as_of > timezone.now() + datetime.timedelta(minutes=5):
        raise ServiceError("统计截止时间不能晚于当前时间。", "as_of")
    if timezone.localtime(as_of).date() < campaign.start:
        raise ServiceError("统计截止时间早于行动开始日期。", "as_of")
    values = D.unit_table(unit, D.start_datetime(campaign.start), as_of)
    auto = D.auto_codes(unit) & set(values)
    for code, raw in (manual or {}).items():
        row = R.BY_CODE.get(code)
        if row is None or code in auto or code in R.blank_codes(unit):
            continue
        parsed = D.parse_value(row, raw)
        if parsed is not None:
            values[code] = parsed
    D.check_invariants(values)
    return D.to_json(values)


def submit(actor, *, unit: Organisation, campaign: Campaign, as_of: datetime.datetime, manual: dict | None = None,
           note: str = "") -> Submission:
    """Freeze the unit's table as of ``as_of``: live values for the rows the data answers, the hand-
    entered ones for the rest; the invariants must hold. A second submission for the same week is
    a new version (a correction); earlier versions are kept unchanged."""
    _require_unit_writer(actor, unit)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:  # refused, not cut (the column's length)
        raise ServiceError(f"说明不能超过{NOTE_MAX}字（现为{len(note)}字）。", "note")
    frozen = frozen_values(unit=unit, campaign=campaign, as_of=as_of, manual=manual)
    week = D.week_of(as_of)
    with transaction.atomic():
        lock(unit)  # serialised per unit: versions are consecutive, never two of the same number
        last = Submission.objects.filter(campaign=campaign, unit=unit, week=week).order_by("-version").first()
        sub = Submission(campaign=campaign, unit=unit, week=week, version=(last.version + 1) if last else 1, as_of=as_of,
                         values=frozen, submitted_by=actor if actor is not None and actor.is_authenticated else None,
                         submitted_by_name=(actor.get_full_name() or actor.get_username()) if actor is not None else "系统",
                         note=note)
        sub.set_region_codes(unit.region)
        sub.save()
        record(actor, "campaigns.dispatch_submitted", sub, data={"week": week.isoformat(), "version": sub.version})
    return sub


def remind_missing(actor, *, committee: Organisation, campaign: Campaign, moment: datetime.datetime | None = None) -> list[dict]:
    """催报: every unit that has not submitted this week. Units with writers get an in-platform
    message (once per unit per week); units without any user account are listed as such (to be
    reminded by phone or in person). Returns one line per unit: {unit, users, how, newly}."""
    from .tables import missing_units

    if actor is not None and not actor.is_superuser and _org(actor) != committee:
        raise NotPermitted("只有安委会办公室可以催报。")
    moment = moment or timezone.now()
    week = D.week_of(moment)
    deadline = campaign.deadline(week)
    out = []
    with transaction.atomic():
        for unit in missing_units(committee, campaign, moment):
            if not unit.writers:
                out.append({"unit": unit, "users": [], "how": "无用户账号，未能在平台内提醒（请电话或书面催报）", "newly": False})
                continue
            newly = False
            for user in unit.writers:
                newly |= notify(kind="dispatch_reminder", dedupe_key=f"dispatch-remind:{campaign.pk}:{unit.pk}:{week}:{user.pk}",
                                title=f"请报送{campaign.name}调度表",
                                body=f"本周（{week}起）调度表尚未报送，请于{deadline:%m月%d日 %H:%M}前报送（{campaign.deadline_label}）。",
                                url=f"/campaigns/dispatch/?unit={unit.pk}", user=user, channels=("inapp",))
            names = [u.get_full_name() or u.get_username() for u in unit.writers]
            out.append({"unit": unit, "users": names, "newly": newly,
                        "how": "站内消息" if newly else "站内消息（本周已提醒过，未重复发送）"})
            if newly:
                record(actor, "campaigns.reminded", unit, data={"campaign": campaign.pk, "week": week.isoformat(),
                                                               "users": [u.pk for u in unit.writers]})
    return out


def snapshot_board(actor, region, today: datetime.date | None = None) -> tuple[int, int]:
    """``snapshot_boards`` for one region."""
    return snapshot_boards(actor, [region], today)


def snapshot_boards(actor, regions, today: datetime.date | None = None) -> tuple[int, int]:
    """Write (or complete) this week's five-colour snapshot rows for the sub-regions of each of
    ``regions``, computed as of 00:00 (Asia/Shanghai) of the week's Monday, so re-running it any
    later gives the same figures — the backfill's one week (``_fill``: every region in one
    statement). Idempotent: a row already written for that week is kept unchanged; one
    ``campaigns.board_snapshot`` event per region that got rows. Returns (the rows the week has for
    them, how many of those this call wrote)."""
    from hazards import asof

    today = today or asof.local_day(timezone.now())
    plans = [(region, *_backfill_weeks(region, today, today, today=today)) for region in regions]
    rows, _ = _fill(actor, plans, Share(), verb="campaigns.board_snapshot")
    return rows + sum(len(have) for _, _, weeks in plans for _, have in weeks), rows


#: at most this many weeks are backfilled in one pass (a campaign started years ago keeps its last two years)
BACKFILL_MAX_WEEKS = 104


class Share:
    """How much of a backfill one share (one run of the job) may do: weeks are computed until
    ``until`` (a ``time.monotonic()`` instant; None: no limit) has passed — at least one per share,
    so every share moves on — and ``progress(done, total)`` is told each region-week (written or
    found written)."""

    def __init__(self, until: float | None = None, progress=None):
        self.until, self.progress, self.computed, self.done, self.total = until, progress, 0, 0, 0

    def over(self) -> bool:
        return self.until is not None and self.computed > 0 and time.monotonic() >= self.until

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)


def _backfill_weeks(region, start: datetime.date, end: datetime.date | None,
                    today: datetime.date | None = None) -> tuple[dict, list]:
    """``region``'s sub-regions by code, and every week (Monday) from the one containing ``start`` to the
    one containing ``end`` (default ``today``, default the calendar's; none after it; the last
    ``BACKFILL_MAX_WEEKS``) with the codes already written."""
    from hazards import asof
    from regions.models import Region

    from .models import BoardSnapshot

    today = today or asof.local_day(timezone.now())
    end = min(end or today, today)
    first = start - datetime.timedelta(days=start.weekday())
    last = end - datetime.timedelta(days=end.weekday())
    if first > last:
        return {}, []
    first = max(first, last - datetime.timedelta(weeks=BACKFILL_MAX_WEEKS - 1))
    children = {r.code: r for r in Region.objects.filter(parent=region)}
    if not children:
        return {}, []
    done: dict = {}
    for week, code in BoardSnapshot.objects.filter(region__parent=region, week__gte=first, week__lte=last).values_list("week", "region__code"):
        done.setdefault(week, set()).add(code)
    weeks = []
    week = first
    while week <= last:
        weeks.append((week, done.get(week, set())))
        week += datetime.timedelta(weeks=1)
    return children, weeks


def backfill_board(actor, region, start: datetime.date, end: datetime.date | None = None,
                   share: Share | None = None) -> tuple[int, bool]:
    """Write the missing weekly five-colour snapshot rows of ``region``'s sub-regions for every week
    from the one containing ``start`` to the one containing ``end`` (default today), each computed
    from the event trail as of 00:00 of its Monday (``hazards.asof``) — exactly what the weekly job
    would have written then. Idempotent: weeks (and sub-regions) already written are kept.
    ``share``: stop once it is used up (``Share``). Returns (rows written, whether every week is
    now written)."""
    return _fill(actor, [(region, *_backfill_weeks(region, start, end))], share or Share())


def _fill(actor, plans: list, share: Share, verb: str = "campaigns.board_backfilled") -> tuple[int, bool]:
    """Write the missing rows of ``plans`` — [(board region, its sub-regions by code, [(week, codes
    written)])] — a week at a time, oldest first: every region missing the week is computed in one
    statement (``board.boards_of_many``), then the week's rows commit with one ``verb`` event per
    region that got rows (the backfill's, or the weekly snapshot's). Returns (rows written, whether
    every week is now written)."""
    from .board import boards_of_many, week_instant
    from .models import BoardSnapshot

    if not share.total:
        share.total = sum(len(weeks) for _, _, weeks in plans)
    missing: dict = {}
    ordered = {region.pk: sorted(children.values(), key=lambda c: c.code) for region, children, _ in plans}
    for region, children, weeks in plans:
        for week, have in weeks:
            if len(have) < len(children):
                missing.setdefault(week, []).append((region, children))
            else:
                share.tick()
    rows = 0
    for week in sorted(missing):
        if share.over():
            return rows, False
        todo = missing[week]
        at = week_instant(week)
        figs = boards_of_many([r for r, _ in todo], at, children={r.pk: ordered[r.pk] for r, _ in todo})
        with transaction.atomic():
            # what another writer (the weekly job) committed since the plan was read is kept
            have: dict = {}
            for parent, code in BoardSnapshot.objects.filter(week=week, region__parent__in=[r.pk for r, _ in todo]).values_list(
                    "region__parent", "region__code"):
                have.setdefault(parent, set()).add(code)
            for region, children in todo:
                new = []
                for fig in figs[region.pk]:
                    if fig["code"] not in have.get(region.pk, ()):
                        snap = BoardSnapshot(region=children[fig["code"]], week=week, colour=fig["colour"], figures=fig)
                        snap.set_region_codes(children[fig["code"]])
                        new.append(snap)
                if new:
                    BoardSnapshot.objects.bulk_create(new)
                    record(actor, verb, region,
                           data={"week": week.isoformat(), "as_of": at.isoformat(), "regions": [s.region.code for s in new]})
                    rows += len(new)
                share.tick()
        share.computed += 1
    return rows, True


def backfill_campaign(actor, campaign: Campaign, share: Share | None = None) -> tuple[int, bool]:
    """Trends from the day a campaign starts: backfill the weekly snapshots of its region (and of
    every committee office's region inside it, where the cockpit drills down to) from the campaign's
    start up to this week. Called when a campaign is created (through the job queue, a share at a
    time: ``share``), by the weekly job and by ``manage.py backfill_board``; harmless to repeat.
    Returns (rows written, whether every week of every region is now written)."""
    from .cockpit import board_region

    end = min(campaign.end, timezone.localdate())
    shown = {}
    for region in cockpit_regions(campaign.region):
        board = board_region(region)
        shown.setdefault(board.pk, board)  # two cockpits may show one region's sub-regions
    plans = [(board, *_backfill_weeks(board, campaign.start, end)) for board in shown.values()]
    return _fill(actor, plans, share or Share())


def cockpit_regions(region) -> list:
    """``region`` and the regions of the committee offices inside it (each one cockpit)."""
    from regions.models import Region

    inside = Region.objects.filter(organisations__kind=Organisation.Kind.COMMITTEE, path__startswith=region.path + "/").distinct()
    return [region, *sorted(inside, key=lambda r: r.code)]


def backfill_queued(campaign: Campaign) -> bool:
    """Whether a backfill job of ``campaign`` is queued, running or waiting to be retried."""
    from jobs.models import Job

    S = Job.Status
    return Job.objects.filter(kind="campaigns.board_backfill", params__campaign=campaign.pk,
                              status__in=[S.PENDING, S.RUNNING, S.RETRYING]).exists()


def queue_backfill(actor, campaign: Campaign) -> None:
    """Campaign start: the backfill runs in the job queue (a campaign started long ago has many weeks),
    unless a backfill job of the campaign is queued or running already."""
    if campaign.start > timezone.localdate():
        return  # not started yet: the weekly job writes its weeks as they come
    if backfill_queued(campaign):
        return  # its next share reads the campaign again (an earlier start included)
    from jobs.services import submit as submit_job

    submit_job(actor if actor is not None and actor.is_authenticated else None, "campaigns.board_backfill",
               f"回填五色图周快照：{campaign.name}", {"campaign": campaign.pk})
