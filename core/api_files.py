"""Files through the API: the renderer that lets a client ask for a file (errors still answer
JSON) and the official documents (公文) every app offers on its pages, as .docx — and as PDF where
the pages offer PDF (``?doc_format=pdf``; the documents app's 报告表 / 验收销号意见 / 挂牌督办通知书).

``document_schema(summary, pdf=…)`` documents the real content types (and 503 when PDF cannot be
made on this server); ``send_document(request, data, filename, kind, obj, pdf=…)`` answers the
file, logged in the security log like the page's download. Scoping is the viewset's
``get_object`` (out of scope = 404), as for every other API operation."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer

from .api import APIError
from .uploads import CONTENT_TYPES

DOCX_TYPE, PDF_TYPE = CONTENT_TYPES["docx"], CONTENT_TYPES["pdf"]


class FileRenderer(BaseRenderer):
    """Lets a client ask for a file (Accept: xlsx / docx / image / pdf); errors still answer JSON."""

    media_type = "*/*"
    format = "file"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return JSONRenderer().render(data)


FILE_RENDERERS = [JSONRenderer, FileRenderer]

DOC_FORMAT = OpenApiParameter(
    "doc_format", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["docx", "pdf"], required=False,
    description="文书格式：docx（Word，默认）或 pdf")


def document_schema(summary: str, *, pdf: bool = False, parameters=()):
    responses = {(200, DOCX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="Word 文书（.docx）")}
    if pdf:
        responses[(200, PDF_TYPE)] = OpenApiResponse(OpenApiTypes.BINARY, description="PDF 文书（doc_format=pdf）")
    return extend_schema(summary=summary, responses=responses, parameters=[*parameters, *([DOC_FORMAT] if pdf else [])])


def send_document(request, data: bytes, filename: str, kind: str, obj, *, pdf: bool = False) -> HttpResponse:
    """The API's download of a generated document (``documents.delivery.deliver``, as the pages'):
    ``?doc_format=pdf`` where PDF is offered; a format not offered is 400 on ``doc_format``, a PDF that
    cannot be made 503, both in the API's error body."""
    from documents.delivery import FormatRefused, asked_format, deliver
    from documents.render import PdfConversionError

    try:
        fmt = asked_format(request.query_params.get("doc_format"), pdf=pdf)
        return deliver(request, data, filename, kind, obj, fmt=fmt, via="api")
    except FormatRefused as exc:
        raise APIError(400, "invalid", f"doc_format {exc}", {"doc_format": [str(exc)]}) from None
    except PdfConversionError as exc:
        raise APIError(503, "unavailable", str(exc)) from None
