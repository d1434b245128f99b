"""Input hygiene for the public form: text sanitising, phones, coordinates, upload types."""

import re

from django.conf import settings
from django.utils.html import strip_tags

from core.services import ServiceError

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e]")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")

# China's bounding box (WGS-84/GCJ-02 degrees)
LNG_RANGE = (73.5, 135.1)
LAT_RANGE = (3.8, 53.6)


#: Services' bounds of the handling texts, declared by the forms and the API too (others: the
#: default ``core.text.TEXT_MAX``).
TEXT_BOUNDS = {"feedback": 2000, "transfer_reason": 1000, "reassign_reason": 1000, "extend_reason": 1000,
               "extension_note": 1000, "review_reason": 2000, "review_result": 2000}


def clean_text(value: str, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    text = CONTROL.sub("", strip_tags(value or "")).strip()
    if required and not text:
        raise ServiceError(f"请填写{label}。", field)
    if len(text) > max_length:
        raise ServiceError(f"{label}不能超过{max_length}个字。", field)
    return text


def valid_phone(phone: str) -> bool:
    return bool(MOBILE.match(phone) or LANDLINE.match(phone))


def check_point(lng, lat) -> None:
    if lng is None and lat is None:
        return
    if lng is None or lat is None:
        raise ServiceError("经度和纬度须同时填写。", "longitude")
    if not (LNG_RANGE[0] <= float(lng) <= LNG_RANGE[1]):
        raise ServiceError("经度不在中国境内范围（73.5～135.1）。", "longitude")
    if not (LAT_RANGE[0] <= float(lat) <= LAT_RANGE[1]):
        raise ServiceError("纬度不在中国境内范围（3.8～53.6）。", "latitude")


def limits() -> dict:
    return {
        "photo": getattr(settings, "TIP_PHOTO_MAX_BYTES", 10 * 1024 * 1024),
        "video": getattr(settings, "TIP_VIDEO_MAX_BYTES", 50 * 1024 * 1024),
        "count": getattr(settings, "TIP_MAX_FILES", 6),
    }


def sniff(head: bytes) -> tuple[str, str] | None:
    """(kind, content type) from the file's first bytes, or None when not allowed."""
    if head.startswith(b"\xff\xd8\xff"):
        return "photo", "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "photo", "image/png"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "video", "video/mp4"
    return None


def check_uploads(files) -> list[tuple]:
    """Validate uploads through the core upload policy (type by content, size per kind, random
    stored name, photos re-encoded without EXIF — a GPS position could identify the reporter).
    Returns [(content file, kind, content_type)]."""
    from core.uploads import accept

    lim = limits()
    if len(files) > lim["count"]:
        raise ServiceError(f"最多上传{lim['count']}个文件。", "files")
    checked = []
    for f in files:
        f.seek(0)
        head = f.read(16)
        f.seek(0)
        found = sniff(head)
        if found is None:
            raise ServiceError(f"文件“{f.name}”格式不支持，只接受 JPG、PNG 照片和 MP4 视频。", "files")
        kind, ctype = found
        accepted = accept(f, "tip_photo" if kind == "photo" else "tip_video")
        checked.append((accepted.content, kind, accepted.content_type))
    return checked
