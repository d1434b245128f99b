import os
import shutil
import time

import pytest

from documents.render import docx_text, docx_to_pdf, new_document, paragraph, pdf_text, table, to_bytes


def sample() -> bytes:
    doc = new_document("责令限期整改指令书", "河北应急责改〔2026〕1号")
    paragraph(doc, "天津市河北区鑫隆商贸有限公司：经查，你单位存在重大事故隐患，限于2026年12月31日前整改完毕。")
    table(doc, [["序号", "隐患描述", "整改期限"], ["1", "安全出口锁闭", "2026年12月31日"]], header=True)
    return to_bytes(doc)


def test_docx_opens_and_contains_the_chinese_text():
    text = docx_text(sample())
    assert "责令限期整改指令书" in text and "安全出口锁闭" in text and "2026年12月31日" in text


@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"), reason="LibreOffice not installed")
def test_pdf_conversion_keeps_every_glyph():
    text = pdf_text(docx_to_pdf(sample()))
    for expected in ("责令限期整改指令书", "天津市河北区鑫隆商贸有限公司", "安全出口锁闭", "2026年12月31日"):
        assert expected in text
    assert "\ufffd" not in text


def fake_soffice(tmp_path, script: str) -> str:
    """A PATH whose first ``soffice`` runs ``script`` — the real program's stand-in for what it does on a loaded
    or broken machine; like Debian's soffice (which starts soffice.bin) the script's commands are children."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "soffice"
    program.write_text("#!/bin/sh\n" + script + "\n")
    program.chmod(0o755)
    return f"{bin_dir}:{os.environ['PATH']}"


def test_a_conversion_that_outlasts_its_time_is_a_conversion_error_not_a_crash(tmp_path, monkeypatch):
    from documents.render import PdfConversionError

    monkeypatch.setenv("PATH", fake_soffice(tmp_path, "sleep 30"))
    started = time.monotonic()
    with pytest.raises(PdfConversionError, match="longer than 1 s"):
        docx_to_pdf(sample(), timeout=1)
    assert time.monotonic() - started < 15  # its children stopped too (else it waits the 30 s of sleep)


def test_a_conversion_that_writes_nothing_is_a_conversion_error(tmp_path, monkeypatch):
    from documents.render import PdfConversionError

    monkeypatch.setenv("PATH", fake_soffice(tmp_path, "echo broken >&2; exit 0"))
    with pytest.raises(PdfConversionError, match="broken"):
        docx_to_pdf(sample())


def test_a_slow_conversion_is_a_503_in_the_api_and_on_the_page(tmp_path, monkeypatch, settings, client, world):
    from core.testing import client_as
    from hazards.tests.conftest import make_major

    settings.QINGLING_PDF_TIMEOUT_SECONDS = 1
    monkeypatch.setenv("PATH", fake_soffice(tmp_path, "sleep 30"))
    hazard = make_major(world)
    client_as(client, world, "commerce")
    r = client.get(f"/api/v1/hazards/{hazard.pk}/documents/report/?doc_format=pdf")
    assert r.status_code == 503 and "PDF 生成失败" in r.json()["message"]
    r = client.get(f"/documents/hazards/{hazard.pk}/report.docx?format=pdf")
    assert r.status_code == 503 and 'data-testid="error-reason">PDF 生成失败' in r.content.decode()
    assert f'href="/documents/hazards/{hazard.pk}/report.docx" data-testid="error-alternative"' in r.content.decode()
