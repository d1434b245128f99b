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


# The writer lives in services (the only writers); kept importable from here for existing callers.
from .services import add_attachment  # noqa: E402,F401
