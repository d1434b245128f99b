"""Helpers shared by every app's services.py (the only code that writes)."""



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
