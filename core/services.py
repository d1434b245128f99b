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
