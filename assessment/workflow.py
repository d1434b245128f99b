"""Scoring, rating and vetoes of the annual assessment — pure Python, no ORM.

An indicator's score is ``weight × fraction``; the fraction comes from the first band the value
falls in (bands are data: ``[{"limit": x, "score": percent}, …]``, checked in order; "higher" means
value ≥ limit, "lower" means value ≤ limit); no band → 0. A rate of nothing (0 of 0: no major hazard
to rectify, no tip to handle) has no value: the indicator is not applicable to the unit (不适用) and is
not scored — neither full marks nor zero — and the total is the scored indicators' points converted
to the full weight of the set (缺项折算, ``total_of``). Ratings by total (thresholds are data on
the indicator set). Veto rules: 一票否优 caps the rating below 优秀, 一票否决 makes it 不合格.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

EXCELLENT, GOOD, PASS, FAIL = "excellent", "good", "pass", "fail"
RATINGS = (FAIL, PASS, GOOD, EXCELLENT)  # ascending
NO_EXCELLENT, VETO = "no_excellent", "veto"

DRAFT, COMPUTED, FINALISED = "draft", "computed", "finalised"


def band_fraction(value: Decimal, bands: list[dict], direction: str) -> Decimal:
    for band in bands:
        limit = Decimal(str(band["limit"]))
        hit = value >= limit if direction == "higher" else value <= limit
        if hit:
            return Decimal(str(band["score"])) / Decimal(100)
    return Decimal(0)


def indicator_score(weight: Decimal, value: Decimal | None, bands: list[dict], direction: str) -> Decimal | None:
    """``weight × fraction`` of the band ``value`` reaches; None (not scored) when there is no value."""
    if value is None:
        return None
    return (Decimal(weight) * band_fraction(Decimal(value), bands, direction)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def total_of(scores: list[tuple[Decimal, Decimal | None]]) -> Decimal:
    """The total of ``(weight, points)`` pairs, points None for an indicator not applicable to the
    unit. All applicable: the plain sum. Otherwise 缺项折算: the points scored × (all weights ÷ the
    weights of the scored indicators), to 0.01 — a unit is neither rewarded nor penalised for an
    indicator that has nothing to measure. Nothing scored at all: 0."""
    points = [p for _w, p in scores if p is not None]
    if len(points) == len(scores):
        return sum(points, Decimal(0))
    scored_weight = sum((Decimal(w) for w, p in scores if p is not None), Decimal(0))
    if not scored_weight:
        return Decimal(0)
    full_weight = sum((Decimal(w) for w, _p in scores), Decimal(0))
    return (sum(points, Decimal(0)) * full_weight / scored_weight).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Thresholds:
    excellent: Decimal
    good: Decimal
    passing: Decimal


def rating_of(total: Decimal, t: Thresholds) -> str:
    if total >= t.excellent:
        return EXCELLENT
    if total >= t.good:
        return GOOD
    if total >= t.passing:
        return PASS
    return FAIL


def apply_vetoes(rating: str, effects: list[str]) -> str:
    """一票否决 → 不合格; 一票否优 → at most 良好."""
    if VETO in effects:
        return FAIL
    if NO_EXCELLENT in effects and rating == EXCELLENT:
        return GOOD
    return rating


def rank(totals: list[tuple[int, Decimal]]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) by total, highest first."""
    ordered = sorted(totals, key=lambda t: -t[1])
    out, prev, place = {}, None, 0
    for i, (key, total) in enumerate(ordered, start=1):
        if total != prev:
            place, prev = i, total
        out[key] = place
    return out


def adjust_refusal(state: str, reason: str, score: Decimal, weight: Decimal, is_reviewer: bool) -> str | None:
    if not is_reviewer:
        return "只有考评组织单位可以调整得分。"
    if state == FINALISED:
        return "考评结果已确定，不能再调整。"
    if not reason.strip():
        return "调整得分须说明理由。"
    if score < 0 or score > weight:
        return f"得分须在0至{weight}分之间。"
    return None
