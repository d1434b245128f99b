"""One scoped download view for stored files that have no page of their own: inspection item
photos, review-conclusion photos, campaign activity attachments, obligation list files.

``/files/<kind>/<pk>/`` looks the row up through the owning model's ``visible_to(user)`` (out of
scope = 404, like every other object), serves the file with the content type sniffed from its
content (never from its name), images inline and everything else as an attachment, and writes a
security-log entry. Hazard evidence and tip files keep their own scoped views.
"""

import logging

from django.apps import apps
from django.http import FileResponse, Http404

from .models import SecurityLog
from .security import log_security
from .uploads import CONTENT_TYPES, sniff


def _review_tasks(user):
    ReviewBatch = apps.get_model("inspections", "ReviewBatch")
    ReviewTask = apps.get_model("inspections", "ReviewTask")
    return ReviewTask.objects.filter(batch__in=ReviewBatch.objects.visible_to(user))


logger = logging.getLogger(__name__)


class FileMissing(Exception):
    """A row names a stored file that the storage does not hold (deleted or moved by hand, a media
    volume not mounted, a restore without its media): answered 410 with the Chinese reason — the
    page by ``core.middleware.FileMissingMiddleware``, the API by ``core.api.exception_handler`` —
    never a 500."""

    message = "文件已不存在（可能已被清理，或文件存储暂不可用），请联系系统管理员。"

    def __init__(self, name: str, message: str | None = None):
        self.name = name
        if message:
            self.message = message
        super().__init__(name)


def open_stored(stored, message: str | None = None):
    """``stored`` (a FieldFile) opened for reading, or ``FileMissing`` (logged for the operator)."""
    try:
        return stored.open("rb")
    except OSError:  # FileNotFoundError, a permission or an unmounted volume
        logger.error("stored file missing: %s", stored.name)
        raise FileMissing(stored.name, message) from None


# kind → (model label, file field, rows the user may see)
SERVED = {
    "inspection-photo": ("inspections.RecordItem", "photo", None),
    "review-photo": ("inspections.ReviewTask", "photo", _review_tasks),
    "activity-attachment": ("campaigns.Activity", "attachment", None),
    "responsibility-list": ("obligations.ResponsibilityList", "file", None),
}


def visible_rows(kind: str, user):
    label, _field, scope = SERVED[kind]
    return scope(user) if scope else apps.get_model(label).objects.visible_to(user)


def download(request, kind: str, pk: int):
    if kind not in SERVED:
        raise Http404("不存在或无权查看")
    field = SERVED[kind][1]
    row = visible_rows(kind, request.user).filter(pk=pk).first()
    stored = getattr(row, field, None) if row is not None else None
    if not stored:
        raise Http404("不存在或无权查看")
    handle = open_stored(stored)
    head = handle.read(8192)
    handle.seek(0)
    ext = sniff(head) or ""
    content_type = CONTENT_TYPES.get(ext, "application/octet-stream")
    log_security(SecurityLog.Kind.DOWNLOAD, request=request, user=request.user, what=kind, object_id=pk)
    return FileResponse(handle, content_type=content_type, as_attachment=ext not in ("jpg", "png"),
                        filename=f"{kind}-{pk}.{ext or 'bin'}")
