"""Helpers shared by every app's services.py (the only code that writes)."""


# Writers split out of this module (the AST test core/tests/test_writers.py allows them): the rule-table pages' edits (each change an event)
SERVICE_MODULES = ('ruletables',)

def lock(obj):
    """Re-read ``obj``'s row with ``SELECT … FOR UPDATE`` (inside ``transaction.atomic``) and return
    the fresh instance: state-keeping actions that do not change a status (extension requests,
    rewards, signatures, progress, dispatch versions) are serialised on this lock, and their
    guards are evaluated on the row as re-read under the lock, never on what the caller read before."""
    list(type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list("pk"))
    obj.refresh_from_db()  # in place: the caller's instance sees the locked, current row
    return obj


class ServiceError(Exception):
    """A refused action. ``field`` names the offending input (or None for the whole request);
    views turn it into a form error or a 4xx API answer."""

    def __init__(self, message: str, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class StaleState(ServiceError):
    """The row changed under us (compare-and-set lost): someone else acted first."""

    def __init__(self, message: str = "该记录已被他人处理，请刷新后重试。"):
        super().__init__(message, None, "conflict")


class NotPermitted(ServiceError):
    def __init__(self, message: str = "您无权执行此操作。"):
        super().__init__(message, None, "permission_denied")


def bounded_decimal(value, field: str, label: str, *, high, low=0, places: str = "0.01", unit: str = ""):
    """A decimal as a form or a caller gives it (text, int, float or Decimal), checked against the
    bounds of its column — beyond them PostgreSQL raises a DataError (a 500) where SQLite stores
    anything — and rounded 四舍五入 to ``places``; anything else is refused on ``field`` in Chinese.
    The one check of a money sum, a rate or a coordinate in every service; blank is the caller's."""
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise ServiceError(f"{label}须为数字。", field) from None
    if not number.is_finite():
        raise ServiceError(f"{label}须为数字。", field)
    low, high = Decimal(str(low)), Decimal(str(high))
    if low == 0 and number < 0:
        raise ServiceError(f"{label}不能为负数。", field)
    if low == 0 and number > high:
        raise ServiceError(f"{label}不能超过{high}{unit}。", field)
    if not low <= number <= high:
        raise ServiceError(f"{label}须在{low}至{high}{unit}之间。", field)
    return number.quantize(Decimal(places), rounding=ROUND_HALF_UP)
