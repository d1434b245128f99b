"""The one way a generated document (公文: .docx, or PDF where offered) leaves the system, for the
pages and the API alike.

``deliver(request, data, filename, document, obj, fmt=…, via=…)`` converts to the format asked for
(``render.as_pdf``: ``PdfConversionError`` when it cannot be made), writes the security-log entry
(who, which document, which record, which format, page or API) and answers the attachment, named in
Chinese (RFC 6266 ``filename*``, ``django.utils.http.content_disposition_header``).

``asked_format(raw, pdf=…)`` reads the format a request asks for: "docx" unless PDF is offered and
asked; anything else is ``FormatRefused``. The callers answer the two errors in their own shape —
the pages ``send`` (the 400 / 503 pages), the API ``core.api_files.send_document``
(the API's error body) — and read the format from their own parameter (``?format=`` on the pages,
``?doc_format=`` in the API, where ``format`` is DRF's renderer choice).
"""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from core.errors import bad_address, unavailable
from core.models import SecurityLog
from core.security import log_security
from core.uploads import CONTENT_TYPES

from .render import PdfConversionError, as_pdf


class FormatRefused(ValueError):
    """A format the document is not offered in; ``str()`` is the Chinese reason."""


def asked_format(raw: str | None, *, pdf: bool) -> str:
    fmt = raw or "docx"
    offered = ("docx", "pdf") if pdf else ("docx",)
    if fmt not in offered:
        raise FormatRefused("只能是 docx 或 pdf。" if pdf else "只能是 docx。")
    return fmt


def deliver(request, data: bytes, filename: str, document: str, obj, *, fmt: str = "docx", via: str = "page") -> HttpResponse:
    """``data`` (.docx bytes) as ``{filename}.{fmt}``, logged as a download of ``document`` about ``obj``."""
    if fmt == "pdf":
        data = as_pdf(data)
    log_security(SecurityLog.Kind.DOWNLOAD, request=request, user=request.user, document=document,
                 object_type=obj._meta.label_lower, object_id=obj.pk, format=fmt, via=via)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def send(request, data: bytes, filename: str, document: str, obj, *, pdf: bool = False) -> HttpResponse:
    """A page's download of a generated document (``deliver``): ``?format=pdf`` where PDF is
    offered; a format not offered is the 400 page, a PDF that cannot be made the 503 page (the reason,
    and the Word version's link: it is always there)."""
    try:
        return deliver(request, data, filename, document, obj, fmt=asked_format(request.GET.get("format"), pdf=pdf))
    except FormatRefused as exc:
        return bad_address(request, f"文件格式（format）：{exc}")
    except PdfConversionError as exc:
        word = request.GET.copy()
        word.pop("format", None)
        return unavailable(request, str(exc), alternative=("下载 Word 版本", f"{request.path}?{word.urlencode()}".rstrip("?")))
