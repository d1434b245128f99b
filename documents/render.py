"""Rendering official documents: python-docx building blocks → .docx bytes; LibreOffice → PDF.

Every text goes through ``core.text.xml_safe`` (python-docx refuses XML-illegal characters).

Every app builds its 公文 with ``new_document(title)`` + helpers and returns ``to_bytes(doc)``;
``docx_to_pdf`` converts when LibreOffice (Debian ``libreoffice-writer-nogui``) is installed.
"""

import io
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core.text import xml_safe

FONT = "Noto Serif CJK SC"
HEADING_FONT = "Noto Sans CJK SC"


def _set_font(run, name=FONT, size=None, bold=None):
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def new_document(title: str, subtitle: str = "") -> Document:
    """An A4 document (210 × 297 mm, 公文 margins) with a centred title."""
    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(p.add_run(xml_safe(title)), HEADING_FONT, 20, True)
    if subtitle:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(p.add_run(xml_safe(subtitle)), FONT, 14)
    return doc


def paragraph(doc, text: str, *, bold: bool = False, align: str = "left", size: int | None = None):
    p = doc.add_paragraph()
    p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    _set_font(p.add_run(xml_safe(str(text))), FONT, size, bold)
    return p


def table(doc, rows: list[list[str]], *, header: bool = False, widths_mm: list[int] | None = None):
    """A bordered table; ``rows`` are lists of cell texts."""
    t = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    t.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            cell = t.cell(i, j)
            cell.text = ""
            _set_font(cell.paragraphs[0].add_run(xml_safe(str(text))), FONT, 12, header and i == 0)
            if widths_mm and j < len(widths_mm):
                cell.width = Mm(widths_mm[j])
    return t


def to_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def docx_text(data: bytes) -> str:
    """All text of a .docx (paragraphs and table cells) — for tests and previews."""
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


class PdfConversionError(RuntimeError):
    pass


def docx_to_pdf(data: bytes, timeout: float | None = None) -> bytes:
    """Convert .docx bytes to PDF with LibreOffice headless (own profile per call, so parallel
    conversions don't collide). Raises PdfConversionError if LibreOffice is missing, fails, cannot start
    or takes longer than ``timeout`` seconds (default ``QINGLING_PDF_TIMEOUT_SECONDS``); soffice exits 0
    even on failure, so the output file is checked."""
    if timeout is None:
        from django.conf import settings

        timeout = getattr(settings, "QINGLING_PDF_TIMEOUT_SECONDS", 120)
    soffice = soffice_path()
    if not soffice:
        raise PdfConversionError("LibreOffice is not installed (scripts/system-deps.sh installs it).")
    with tempfile.TemporaryDirectory(prefix="qingling-pdf-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        try:  # its own process group: soffice starts soffice.bin, which a timeout must stop too
            proc = subprocess.Popen(
                [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", tmp, str(src)],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "HOME": tmp},
                start_new_session=True,
            )
        except OSError as exc:  # soffice vanished or cannot start
            raise PdfConversionError(f"conversion could not start: {exc}") from None
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:  # a loaded machine: the caller answers "try again", never a 500
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise PdfConversionError(f"conversion took longer than {timeout} s") from None
        out = Path(tmp) / "document.pdf"
        if not out.exists():
            raise PdfConversionError(f"conversion failed: {stderr.decode(errors='replace')[:500]}")
        return out.read_bytes()


NO_LIBREOFFICE = "服务器未安装 LibreOffice，暂不能生成 PDF，请下载 Word 版本。"
PDF_FAILED = "PDF 生成失败，请稍后重试或下载 Word 版本。"


def as_pdf(data: bytes) -> bytes:
    """A .docx as PDF for a download (the pages' and the API's one way), or PdfConversionError whose message is
    the Chinese sentence the user reads (answered 503: the Word version is always there)."""
    if not soffice_path():
        raise PdfConversionError(NO_LIBREOFFICE)
    try:
        return docx_to_pdf(data)
    except PdfConversionError:
        raise PdfConversionError(PDF_FAILED) from None


def pdf_text(data: bytes) -> str:
    """Text of a PDF via pdftotext (poppler-utils), whitespace removed (it spaces digits and CJK)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        out = subprocess.run(["pdftotext", "-layout", fh.name, "-"], capture_output=True, timeout=60, check=True)
    return "".join(out.stdout.decode("utf-8").split())
