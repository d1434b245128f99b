"""Small JPEG thumbnails of image attachments, made by Pillow on the first request and cached on
disk under the media root (``thumbs/``, never served by URL: only through the scoped view).

The cache key is the file's SHA-256 and the width, so one cached thumbnail serves every hazard
holding that file — the permission check is the view's, before the cache is read. Widths are a
fixed set (``SIZES``); the source is decoded at a reduced scale (``draft``) and Pillow's
decompression-bomb limit applies.
"""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

SIZES = (160, 320, 640)
DEFAULT_SIZE = 320
QUALITY = 80


class NoThumbnail(Exception):
    """The attachment is not an image, or its file is missing or unreadable."""


def cache_name(sha256: str, size: int) -> str:
    return f"thumbs/{sha256[:2]}/{sha256}-{size}.jpg"


def render(data: bytes, size: int) -> bytes:
    """A JPEG at most ``size`` × ``size`` px, EXIF orientation applied, no metadata kept."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format == "JPEG":
                image.draft("RGB", (size, size))
            image = ImageOps.exif_transpose(image)
            image.thumbnail((size, size))
            if image.mode != "RGB":
                background = Image.new("RGB", image.size, "white")
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            out = io.BytesIO()
            image.save(out, "JPEG", quality=QUALITY, optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise NoThumbnail(str(exc)) from exc


def thumbnail(att, size: int = DEFAULT_SIZE) -> bytes:
    """The cached thumbnail of ``att`` (made now when missing). Raises NoThumbnail."""
    if size not in SIZES:
        raise ValueError(size)
    if not att.is_image:
        raise NoThumbnail("not an image")
    name = cache_name(att.sha256, size)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    try:
        with att.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise NoThumbnail(str(exc)) from exc
    jpeg = render(data, size)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(jpeg))
    return jpeg
