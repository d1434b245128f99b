"""Rules of enforcement that are computed, never stored: 按日连续处罚 accrual, the art. 113
closure proposal, the 不予处罚 proposal and an enterprise's credit status."""

import datetime
from decimal import Decimal

from django.utils import timezone

# 安全生产法 art. 113(1): 3 penalties in 180 days or 4 in a year — a calendar year (2024-01-01 and
# 2024-12-31 lie within one year although 365 days apart): (count, label, within(first, last))
CLOSURE_WINDOWS = ((3, "180日内", lambda first, last: (last - first).days < 180),
                   (4, "一年内", lambda first, last: last < months_after(first, 12)))


def daily_fine_accrual(amount_per_day, correction_ordered_on: datetime.date,
                       corrected_on_or_today: datetime.date) -> tuple[int, Decimal]:
    """按日连续处罚 (安全生产法 art. 112: "自作出责令改正之日的次日起，按照原处罚数额按日连续处罚"):
    the original fine per day, counted from the day after the correction order up to and
    including the day of correction (or today while uncorrected). Returns (days, total).
    Nothing accrues on the day of the order."""
    days = max(0, (corrected_on_or_today - correction_ordered_on).days)
    return days, (Decimal(amount_per_day) * days).quantize(Decimal("0.01"))


def _severity(fine_range) -> tuple:
    """How heavy a fine range (low, high) is: by its maximum, then its minimum (no maximum: the
    heaviest; no fine for the party at all: the lightest)."""
    low, high = fine_range
    if low is None and high is None:
        return (Decimal(-1), Decimal(-1))
    return (Decimal("Infinity") if high is None else Decimal(high), Decimal(low or 0))


def lighter_range(new, old) -> bool:
    """行政处罚法 art. 37 "新的规定处罚较轻": is the fine range ``new`` (low, high) lighter than
    ``old``? Compared by the maximum first, then the minimum — as 法定刑较轻 is read for 刑法 art. 12
    (最高法 1997 解释: the lower 法定最高刑, or with equal maxima the lower 法定最低刑); a range
    that no longer fines the party at all is the lightest (不认为是违法). Equal ranges: not lighter."""
    return _severity(new) < _severity(old)


def closure_grounds(penalty_dates) -> str | None:
    """The art. 113 ground met by these penalty dates, or None. "Within N days" means the first
    and last penalty lie fewer than N days apart (3 penalties on days 0 and 179: yes; 0 and 180,
    spread over 181 days: no)."""
    dates = sorted(penalty_dates)
    for count, label, within in CLOSURE_WINDOWS:
        for i in range(len(dates) - count + 1):
            if within(dates[i], dates[i + count - 1]):
                return f"{label}受到{count}次行政处罚"
    return None


def closure_proposal(enterprise) -> str | None:
    """提请关闭 (art. 113(一): "存在重大事故隐患，一百八十日内三次或者一年内四次受到本法规定的行政处罚"):
    the enterprise has an open major hazard and was penalised often enough. A time it "受到行政处罚" is
    one decision day of one case (行政处罚法 art. 9: a fine, 按日连续处罚 or a 责令停产停业整顿 of the unit,
    ``services.PENALTY_KINDS``): a case fining the unit under three clauses on one day is once, not three
    times; its 责令停产停业整顿 decided later is another time. Returns the reason text to show, or None."""
    from hazards.models import Hazard

    from .models import CaseParty, Decision
    from .services import PENALTY_KINDS

    if not Hazard.objects.filter(enterprise=enterprise).open().major().exists():
        return None
    times = set(Decision.objects.filter(case__enterprise=enterprise, kind__in=PENALTY_KINDS,
                                        status=Decision.Status.EFFECTIVE, party__kind=CaseParty.Kind.ENTITY)
                .values_list("case_id", "decided_on"))
    ground = closure_grounds([day for _, day in times])
    if ground is None:
        return None
    return f"存在未消除的重大事故隐患，且{ground}，建议依据安全生产法第一百一十三条提请予以关闭。"


def leniency_policy_enabled(region, on: datetime.date | None = None) -> bool:
    """The nearest LeniencyPolicy up the region tree, as in force on ``on`` (default today;
    core.ruletables); on when none is set."""
    from core.ruletables import rows_in_force

    from .models import LeniencyPolicy

    codes = [region.code, *region.ancestor_codes()]
    rows = sorted(rows_in_force("leniency", LeniencyPolicy.objects.filter(region__code__in=codes).select_related("region"),
                                on or timezone.localdate()),
                  key=lambda p: len(p.region.code), reverse=True)
    return rows[0].enabled if rows else True


def leniency_proposed(case) -> bool:
    """不予处罚 is proposed when the case's hazard was self-found and reported before the case was
    filed and before any department found it (seed 000 三(三)2(1)①: 已按规定报告 — 安全生产法 art. 41
    报告 both to the department and to the 职工大会或者职工代表大会: both reports, each dated before),
    with a plan, and is under effective rectification or was rectified on time since, and the
    jurisdiction's policy in force on the filing day is on — unless a 不予处罚 decision already exists."""
    from hazards import workflow as hazard_workflow

    hazard = case.hazard
    if hazard is None or not hazard.is_self_found or not hasattr(hazard, "plan"):
        return False
    if hazard.reported_at is None or hazard.reported_to_congress_at is None:
        return False
    reported = max(hazard.reported_at, hazard.reported_to_congress_at)  # the 双报告 complete
    # 已按规定报告: before the case was filed (its filing record; no later than its 立案日期), not
    # after the enterprise was caught
    from core.models import Event

    filed = (Event.objects.filter(object_type=case._meta.label_lower, object_id=case.pk).order_by("created_at", "id")
             .values_list("created_at", flat=True).first())
    if timezone.localtime(reported).date() > case.opened_on or (filed is not None and reported > filed):
        return False
    # 自查查出 … 已按规定报告: reported before any department found it — an inspection finding matched
    # to this ledger hazard, or a verified tip, is a later source of it (hazards.HazardSource; by day,
    # Asia/Shanghai: an inspection's hour is not recorded, so a report on the inspection day is not "before")
    from hazards.querysets import SELF_CHANNELS

    found = (hazard.sources.exclude(channel__in=SELF_CHANNELS).order_by("reported_at", "id")
             .values_list("reported_at", flat=True).first())
    if found is not None and timezone.localtime(reported).date() >= timezone.localtime(found).date():
        return False
    # 正在采取有效措施消除: under rectification within its deadline — or rectified since (accepted
    # on time, Hazard.completed_by_deadline: the most compliant enterprise must not lose the proposal by finishing)
    if hazard.status == hazard_workflow.CLOSED:
        if hazard.closed_at is None or (hazard.deadline and not hazard.completed_by_deadline()):
            return False
    elif not hazard.leniency_marker():
        return False
    if not leniency_policy_enabled(case.enterprise.region, case.opened_on):
        return False
    return not case.decisions.filter(kind="no_penalty", status="effective").exists()


def months_after(start: datetime.date, months: int) -> datetime.date:
    """``months`` calendar months after ``start``: the same day of the month or, when that month is
    shorter, its last day. A credit listing is in force through ``months_after(start,
    duration_months)`` (stored as ``CreditListing.ends_on`` when the listing is proposed)."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    day = min(start.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
                          31, 31, 30, 31, 30, 31][month - 1])
    return datetime.date(year, month, day)


def credit_status(enterprise, today: datetime.date | None = None) -> dict:
    """The enterprise's credit status for its profile: {"code", "label", "listing", "bans"}.
    code: "listed" (严重失信, in force; ``listing`` the one in force the longest), "proposed" (拟列入), "good";
    ``bans``: the 行业禁入 of its principals in force today."""
    from .models import CreditListing, SectorBan

    today = today or timezone.localdate()
    listings = list(CreditListing.objects.filter(enterprise=enterprise, status__in=["listed", "proposed"]))
    bans = [b for b in SectorBan.objects.filter(enterprise=enterprise).select_related("sector") if b.in_force(today)]  # a lapsed one is kept
    in_force = [x for x in listings if x.status == "listed" and x.ends_on >= today]
    if in_force:  # the listing in force the longest: the enterprise is listed until its last day
        return {"code": "listed", "label": "严重失信主体", "listing": max(in_force, key=lambda x: (x.ends_on, x.pk)),
                "bans": bans}
    proposed = [x for x in listings if x.status == "proposed"]
    if proposed:
        return {"code": "proposed", "label": "拟列入严重失信主体名单", "listing": proposed[0], "bans": bans}
    return {"code": "good", "label": "无失信记录", "listing": None, "bans": bans}
