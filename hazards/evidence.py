"""Evidence uploads: jpg / png / pdf only, recognised by their content (magic bytes, then Pillow
for images) — never by the file name or the browser's content type. Size-limited, SHA-256
stored, EXIF shooting time and GPS kept when present. Served only through the scoped view."""

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings

from core.services import ServiceError

SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg", "jpg"), (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
              (b"%PDF-", "application/pdf", "pdf"))
EXIF_DATETIME_ORIGINAL = 0x9003
EXIF_IFD = 0x8769
GPS_IFD = 0x8825


@dataclass
class Checked:
    data: bytes
    content_type: str
    extension: str
    sha256: str
    exif_time: str = ""
    exif_gps: str = ""


def _dms(value) -> float:
    d, m, s = (float(x) for x in value)
    return d + m / 60 + s / 3600


def read_exif(image) -> tuple[str, str]:
    """(DateTimeOriginal, "lat,lon") from a Pillow image, empty strings when absent."""
    try:
        exif = image.getexif()
    except Exception:  # noqa: BLE001 - broken EXIF is simply absent
        return "", ""
    when = ""
    gps = ""
    try:
        when = str(exif.get_ifd(EXIF_IFD).get(EXIF_DATETIME_ORIGINAL) or exif.get(0x0132) or "")[:40]
    except Exception:  # noqa: BLE001
        when = ""
    try:
        g = exif.get_ifd(GPS_IFD)
        if g and 2 in g and 4 in g:
            lat = _dms(g[2]) * (-1 if g.get(1) == "S" else 1)
            lon = _dms(g[4]) * (-1 if g.get(3) == "W" else 1)
            gps = f"{lat:.6f},{lon:.6f}"
    except Exception:  # noqa: BLE001
        gps = ""
    return when, gps


def check_upload(upload) -> Checked:
    """Validate an uploaded file by content; raises ServiceError("…", "evidence")."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ServiceError(f"文件超过大小限制（{limit // (1024 * 1024)} MB）。", "evidence")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ServiceError(f"文件超过大小限制（{limit // (1024 * 1024)} MB）。", "evidence")
    if not data:
        raise ServiceError("文件为空。", "evidence")
    kind = next(((ct, ext) for sig, ct, ext in SIGNATURES if data.startswith(sig)), None)
    if kind is None:
        raise ServiceError("只接受 JPG、PNG 图片或 PDF 文件。", "evidence")
    content_type, ext = kind
    when = gps = ""
    if ext in ("jpg", "png"):
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in ("JPEG", "PNG"):
                    raise ServiceError("只接受 JPG、PNG 图片或 PDF 文件。", "evidence")
                when, gps = read_exif(image)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ServiceError("图片文件已损坏或格式不符。", "evidence")
    elif b"%%EOF" not in data[-2048:]:
        raise ServiceError("PDF 文件不完整。", "evidence")
    return Checked(data=data, content_type=content_type, extension=ext, sha256=hashlib.sha256(data).hexdigest(),
                   exif_time=when, exif_gps=gps)


def placement(hazard, sha256: str, kind: str) -> dict:
    """Where a new file stands in the review, decided on the locked hazard row (two identical
    uploads at once: the second one waits and is refused):

    * the same file already on this hazard → ServiceError "该文件已上传过（…）";
    * ``stage``: the hazard's status now (the act view stores completion evidence after the
      submission, so it reads 待验收); ``acceptance``: the pending completion submission, for
      anything but a 隐患照片;
    * ``duplicate_of``: the earliest identical file on another hazard of the same enterprise.
    """
    from django.utils import timezone

    from .models import Acceptance, Attachment, Hazard

    locked = Hazard.objects.select_for_update().filter(pk=hazard.pk).values("status", "enterprise_id").first()
    if locked is None:
        raise ServiceError("隐患不存在。", "evidence")
    same = Attachment.objects.filter(hazard_id=hazard.pk, sha256=sha256).order_by("uploaded_at", "id").first()
    if same is not None:
        when = timezone.localtime(same.uploaded_at).strftime("%Y-%m-%d %H:%M")
        raise ServiceError(f"该文件已上传过（{same.original_name}，{when} 上传，{same.get_kind_display()}）。", "evidence")
    acceptance = None
    if kind != Attachment.Kind.PHOTO and locked["status"] == Hazard.Status.PENDING_ACCEPTANCE:
        acceptance = Acceptance.objects.filter(hazard_id=hazard.pk, decision=Acceptance.Decision.PENDING).order_by(
            "-submitted_at", "-id").first()
    duplicate = Attachment.objects.filter(sha256=sha256, hazard__enterprise_id=locked["enterprise_id"]).exclude(
        hazard_id=hazard.pk).order_by("uploaded_at", "id").first()
    return {"stage": locked["status"], "acceptance": acceptance, "duplicate_of": duplicate}


# The writer lives in services (the only writers); kept importable from here for existing callers.
from .services import add_attachment  # noqa: E402,F401
