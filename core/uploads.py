"""One upload policy for every upload point.

``accept(upload, point)`` is the only way a user's file reaches storage:

* the type is sniffed from the content (magic bytes; images decoded by Pillow, zip-based Office
  files opened and their main part looked for) — never from the name or the browser's header;
* the size and the allowed kinds are those of the upload point (``POINTS``; sizes are settings);
* the stored name is random (``stored_name``), so nothing the user typed reaches the file system;
* images from the public (``strip_metadata``) are re-encoded without EXIF/XMP/text chunks (a tip
  photo's GPS position could identify the whistle-blower); orientation is applied first;
* an MP4 / MOV must walk as a complete box tree (``core.mp4meta``); from the public
  (``strip_metadata``) its metadata boxes (udta: ©xyz position, ©mak/©mod make and model; meta;
  uuid) become zeroed ``free`` boxes of the same size and its header times are set to 0 — no byte
  moves, so the file plays as before.

It returns an ``Accepted`` whose ``content`` is a ``ContentFile`` ready for ``FileField.save`` or
for a service. Refusals are ``ServiceError(message, field)`` with a Chinese reason. Every stored
file is served only by a scoped view of its app (list in docs/security.md).
"""

import hashlib
import io
import uuid
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile

from . import mp4meta
from .services import ServiceError

MB = 1024 * 1024
LABELS = {"jpg": "JPG 图片", "png": "PNG 图片", "pdf": "PDF", "mp4": "MP4 视频", "docx": "Word（.docx）",
          "doc": "Word（.doc）", "xlsx": "Excel（.xlsx）"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf", "mp4": "video/mp4",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "doc": "application/msword",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class Point:
    kinds: tuple[str, ...]
    max_bytes_setting: str
    default_max: int
    strip_metadata: bool = False
    field: str = "file"

    @property
    def max_bytes(self) -> int:
        return int(getattr(settings, self.max_bytes_setting, self.default_max))


POINTS = {
    "tip_photo": Point(("jpg", "png"), "TIP_PHOTO_MAX_BYTES", 10 * MB, strip_metadata=True, field="files"),
    "tip_video": Point(("mp4",), "TIP_VIDEO_MAX_BYTES", 50 * MB, strip_metadata=True, field="files"),
    "hazard_evidence": Point(("jpg", "png", "pdf"), "EVIDENCE_MAX_BYTES", 10 * MB, field="evidence"),
    "inspection_photo": Point(("jpg", "png"), "EVIDENCE_MAX_BYTES", 10 * MB, field="photo"),
    "review_photo": Point(("jpg", "png"), "EVIDENCE_MAX_BYTES", 10 * MB, field="photo"),
    "campaign_attachment": Point(("jpg", "png", "pdf", "docx", "xlsx"), "ATTACHMENT_MAX_BYTES", 20 * MB,
                                 field="attachment"),
    "obligation_list": Point(("pdf", "docx", "doc", "jpg", "png"), "ATTACHMENT_MAX_BYTES", 10 * MB),
}


@dataclass
class Accepted:
    content: ContentFile
    kind: str
    content_type: str
    size: int
    sha256: str
    original_name: str


def sniff(data: bytes) -> str | None:
    """The kind of a file from its content, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return "mp4"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def stored_name(kind: str) -> str:
    """A random file name (the directory comes from the field's upload_to)."""
    return f"{uuid.uuid4().hex}.{kind}"


def _reencode(data: bytes, kind: str) -> bytes:
    """Decode and re-encode an image from its pixels only: no EXIF, XMP, comments or text chunks."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        if kind == "jpg" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        clean = Image.frombytes(image.mode, image.size, image.tobytes())  # pixels, nothing else
        if image.mode == "P":
            clean.putpalette(image.getpalette())
        out = io.BytesIO()
        if kind == "jpg":
            clean.save(out, "JPEG", quality=92)
        else:
            clean.save(out, "PNG")
    return out.getvalue()


def _check_image(data: bytes, kind: str, field: str) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != {"jpg": "JPEG", "png": "PNG"}[kind]:
                    raise ServiceError("图片格式与内容不符。", field)
                if image.width * image.height > getattr(settings, "UPLOAD_MAX_PIXELS", 50_000_000):
                    raise ServiceError("图片像素过大。", field)
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise ServiceError("图片文件已损坏或格式不符。", field) from None


def accept(upload, point: str) -> Accepted:
    """Check ``upload`` against the policy of ``point``; see the module docstring."""
    policy = POINTS[point]
    field, limit = policy.field, policy.max_bytes
    name = getattr(upload, "name", "") or "file"
    too_big = f"文件“{name}”超过大小限制（{limit // MB} MB）。"
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise ServiceError(too_big, field)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if len(data) > limit:
        raise ServiceError(too_big, field)
    if not data:
        raise ServiceError(f"文件“{name}”为空。", field)
    kind = sniff(data)
    if kind not in policy.kinds:
        allowed = "、".join(LABELS[k] for k in policy.kinds)
        raise ServiceError(f"文件“{name}”格式不支持，只接受 {allowed}。", field)
    if kind in ("jpg", "png"):
        _check_image(data, kind, field)
        if policy.strip_metadata:
            data = _reencode(data, kind)
    elif kind == "pdf" and b"%%EOF" not in data[-2048:]:
        raise ServiceError(f"文件“{name}”（PDF）不完整。", field)
    elif kind == "mp4":
        try:
            if policy.strip_metadata:
                data = mp4meta.strip(data)
            else:
                mp4meta.check(data)
        except mp4meta.Malformed:
            raise ServiceError(f"文件“{name}”（视频）已损坏或不是完整的 MP4/MOV 视频。", field) from None
    return Accepted(content=ContentFile(data, name=stored_name(kind)), kind=kind, content_type=CONTENT_TYPES[kind],
                    size=len(data), sha256=hashlib.sha256(data).hexdigest(), original_name=name[:200])


def validator(point: str):
    """Form-field validator running the policy (the service calls ``accept`` again to store)."""
    from django.core.exceptions import ValidationError

    def validate(upload):
        if upload:
            try:
                accept(upload, point)
            except ServiceError as exc:
                raise ValidationError(exc.message, code="upload_policy") from None

    return validate
