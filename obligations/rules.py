"""Pure rules (no ORM): calendar periods, due/overdue status, certificate dates, staffing
and safety-cost computation. Numbers come in as arguments — they are data elsewhere."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

OK, DUE, OVERDUE = "ok", "due", "overdue"


def period_bounds(day: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """The calendar period of ``months`` months containing ``day`` (month, quarter, half, year…)."""
    months = max(1, min(12, months))
    first_month = ((day.month - 1) // months) * months + 1
    start = datetime.date(day.year, first_month, 1)
    return start, add_months(start, months) - datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    import calendar

    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, 12 * years)


def periodic_status(dates, today: datetime.date, months: int) -> tuple[str, datetime.date]:
    """Status of an obligation due once per calendar period of ``months`` months.

    ok: done in the current period; due: not yet done this period but done in the previous one;
    overdue: not done in the previous period either. Returns (status, end of current period).
    """
    start, end = period_bounds(today, months)
    prev_start, _ = period_bounds(start - datetime.timedelta(days=1), months)
    dates = [d for d in dates if d <= today]
    if any(start <= d <= today for d in dates):
        return OK, end
    if any(prev_start <= d < start for d in dates):
        return DUE, end
    return OVERDUE, end


def certificate_dates(issued_on: datetime.date, reviewed_on: datetime.date | None, validity_years: int,
                      review_years: int) -> tuple[datetime.date, datetime.date]:
    """(expires_on, review_due_on) of a 特种作业操作证."""
    expires = add_years(issued_on, validity_years) - datetime.timedelta(days=1)
    review_due = add_years(reviewed_on or issued_on, review_years)
    return expires, min(review_due, expires)


def certificate_status(expires_on, review_due_on, today, alert_days: int) -> str:
    deadline = min(expires_on, review_due_on)
    if deadline < today:
        return OVERDUE
    if (deadline - today).days <= alert_days:
        return DUE
    return OK


def drill_months(sector_months) -> int:
    """An enterprise in several sectors drills as often as its strictest sector asks."""
    months = [m for m in sector_months if m]
    return min(months) if months else 12


@dataclass(frozen=True)
class Staffing:
    institution_required: bool
    full_time_min: int
    any_manager_min: int


def staffing_problems(rule: Staffing | None, has_institution: bool, full_time: int, part_time: int) -> list[str]:
    if rule is None:
        return []
    problems = []
    if rule.institution_required and not has_institution:
        problems.append("未设置安全管理机构")
    if full_time < rule.full_time_min:
        problems.append(f"专职安全管理人员不足（应不少于{rule.full_time_min}人）")
    if full_time + part_time < rule.any_manager_min:
        problems.append(f"未配备安全管理人员（应不少于{rule.any_manager_min}人）")
    return problems


CENT = Decimal("0.01")


def required_cost(base: Decimal, bands) -> Decimal:
    """Required safety cost for ``base`` given bands [(method, lower, upper|None, rate_percent)].

    Marginal bands (危险品 4.5 % / 2.25 % / 0.55 % / 0.2 %) each tax their slice; a flat band
    applies its rate to the whole base (the first flat band containing the base wins)."""
    base = Decimal(base)
    if base <= 0:
        return Decimal("0.00")
    total = Decimal(0)
    for method, lower, upper, rate in sorted(bands, key=lambda b: b[1]):
        lower = Decimal(lower)
        rate = Decimal(rate) / 100
        if method == "per_ton":  # base = output in tonnes, rate = 元/吨 (财资〔2022〕136号 coal / non-coal)
            return (base * Decimal(rate * 100)).quantize(CENT, ROUND_HALF_UP)
        if method == "flat":
            if base >= lower and (upper is None or base < Decimal(upper)):
                return (base * rate).quantize(CENT, ROUND_HALF_UP)
            continue
        if base <= lower:
            continue
        top = base if upper is None else min(base, Decimal(upper))
        total += (top - lower) * rate
    return total.quantize(CENT, ROUND_HALF_UP)
