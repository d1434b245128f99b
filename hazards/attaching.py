"""Photos and evidence files of a hazard: who may add them, storing a checked upload with its event,
registering a hazard with its photo in one transaction (listed in ``services.SERVICE_MODULES``; called
as ``services.*``)."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.events import record
from core.services import NotPermitted, ServiceError

from . import workflow
from .acting import actor_kind
from .models import Attachment, Hazard
from .services import register_hazard


def can_attach(actor, hazard: Hazard) -> bool:
    """Who may add files to a hazard: whoever may act on it, while it is not merged/void."""
    return actor_kind(actor, hazard) is not None and hazard.status not in workflow.FINAL_STATES


def add_attachment(actor, hazard: Hazard, checked, *, original_name: str, kind: str = Attachment.Kind.PHOTO) -> Attachment:
    """Store a checked file (``evidence.check_upload``) for ``hazard``: the actor must be able to
    act on the hazard (``actor_kind``) and the hazard must not be merged/void."""
    if not can_attach(actor, hazard):
        raise NotPermitted("您不能为该隐患上传附件。")
    if kind not in Attachment.Kind.values:
        raise ServiceError("附件类型无效。", "kind")
    from .evidence import placement

    with transaction.atomic():
        review = placement(hazard, checked.sha256, kind)  # refuses a file already on this hazard (locked row)
        att = Attachment(hazard=hazard, kind=kind, original_name=(original_name or "file")[:200],
                         content_type=checked.content_type, size=len(checked.data), sha256=checked.sha256,
                         exif_time=checked.exif_time, exif_gps=checked.exif_gps, uploaded_at=timezone.now(),
                         uploaded_by=actor if actor is not None and actor.is_authenticated else None, **review)
        att.file.save(f"{checked.sha256}.{checked.extension}", ContentFile(checked.data), save=False)
        att.save()
        record(actor, "hazard.attachment_added", hazard,
               data={"attachment": att.pk, "kind": kind, "sha256": checked.sha256, "name": att.original_name,
                     "stage": review["stage"],
                     "duplicate_of": review["duplicate_of"].pk if review["duplicate_of"] else None})
    return att


def register_with_photo(actor, *, photo=None, photo_name: str = "", **fields) -> Hazard:
    """``register_hazard`` and, when given, its photo (checked upload) — one transaction."""
    with transaction.atomic():
        hazard = register_hazard(actor, **fields)
        if photo is not None:
            add_attachment(actor, hazard, photo, original_name=photo_name, kind=Attachment.Kind.PHOTO)
    return hazard
