import shutil

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
