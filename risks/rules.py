"""Pure risk rules: accepted LEC factor values (DOMAIN.md §4.2, classic tables), LS range, banding."""

from decimal import Decimal

LEC_L = [Decimal(x) for x in ("10", "6", "3", "1", "0.5", "0.2", "0.1")]
LEC_E = [Decimal(x) for x in ("10", "6", "3", "2", "1", "0.5")]
LEC_C = [Decimal(x) for x in ("100", "40", "15", "7", "3", "1")]
LS_RANGE = [Decimal(x) for x in range(1, 6)]


def to_decimal(value) -> Decimal | None:
    try:
        d = Decimal(str(value))
    except Exception:
        return None
    return d if d.is_finite() else None


def factor_error(name: str, value, allowed) -> str | None:
    d = to_decimal(value)
    if d is None or d not in allowed:
        return f"{name}只能取：" + "、".join(f"{a.normalize():f}" for a in allowed)
    return None


def level_for(score: Decimal, bands) -> str:
    """``bands``: [(level, min_score)]; the band with the largest minimum ≤ score wins."""
    best = None
    for level, minimum in bands:
        if Decimal(score) >= Decimal(minimum) and (best is None or Decimal(minimum) > best[1]):
            best = (level, Decimal(minimum))
    if best is None:
        return min(bands, key=lambda b: Decimal(b[1]))[0]
    return best[0]
