"""One way a generated document leaves (documents.delivery.deliver), from a page and through the API
alike: the same file name, the same content type, the same security-log entry (only ``via`` differs).
Before, five page downloads wrote no log entry at all (risk card, assessment report, bulletin, the
inspection record's and the review's documents) and the decision's wrote another shape."""

import ast
import pathlib

import pytest
from django.conf import settings

from core.models import SecurityLog
from core.testing import client_as

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _logged(before: int) -> dict:
    entries = list(SecurityLog.objects.filter(kind=SecurityLog.Kind.DOWNLOAD).order_by("pk")[before:])
    assert len(entries) == 1, [e.detail for e in entries]
    return entries[0].detail


def _both(client, page_url, api_url) -> tuple[dict, dict, str]:
    n = SecurityLog.objects.filter(kind=SecurityLog.Kind.DOWNLOAD).count()
    page = client.get(page_url)
    assert page.status_code == 200 and page["Content-Type"] == DOCX, (page_url, page.status_code)
    page_log = _logged(n)
    api = client.get(api_url)
    assert api.status_code == 200 and api["Content-Type"] == DOCX, (api_url, api.status_code)
    api_log = _logged(n + 1)
    assert page["Content-Disposition"] == api["Content-Disposition"]
    return page_log, api_log, page["Content-Disposition"]


def test_the_risk_card_from_the_page_and_the_api_is_the_same_logged_download(client, world):
    from risks import services

    point = services.create_risk_point(None, world.ent_construction, code="JJ-9", name="塔吊", category="起重伤害",
                                       location="3号楼", hazard_factors="限位失灵")
    services.assess(None, point, method="ls", factors={"l": 4, "s": 5})
    client_as(client, world, "enterprise_other")
    page_log, api_log, disposition = _both(client, f"/risks/points/{point.pk}/card.docx",
                                           f"/api/v1/risks/points/{point.pk}/document/")
    assert page_log == {"document": "risk_card", "object_type": "risks.riskpoint", "object_id": point.pk,
                        "format": "docx", "via": "page"}
    assert api_log == {**page_log, "via": "api"}
    assert disposition == f'attachment; filename="risk-card-{point.pk}.docx"'


def test_the_assessment_report_from_the_page_and_the_api_is_the_same_logged_download(client, world):
    from assessment import services
    from assessment.models import Assessment

    s = services.create_set(world.user("committee"), year=2025, name="年度考评")
    services.compute(world.user("committee"), s)
    a = Assessment.objects.get(indicator_set=s, unit=world.org("commerce"))
    client_as(client, world, "commerce")
    page_log, api_log, _ = _both(client, f"/assessment/sheets/{a.pk}/report.docx", f"/api/v1/assessments/{a.pk}/document/")
    assert page_log == {"document": "assessment_report", "object_type": "assessment.assessment", "object_id": a.pk,
                        "format": "docx", "via": "page"}
    assert api_log == {**page_log, "via": "api"}


def test_a_chinese_file_name_is_sent_in_rfc_6266_form(rf, world):
    from documents.delivery import deliver

    request = rf.get("/")
    request.user = world.user("commerce")
    r = deliver(request, b"PK", "重大事故隐患报告表-ZD1", "hazard_report", world.ent_commerce)
    # RFC 5987 percent-encoding of the UTF-8 bytes of "重大事故隐患报告表-ZD1.docx", written out
    assert r["Content-Disposition"] == ("attachment; filename*=utf-8''%E9%87%8D%E5%A4%A7%E4%BA%8B%E6%95%85%E9%9A%90"
                                        "%E6%82%A3%E6%8A%A5%E5%91%8A%E8%A1%A8-ZD1.docx")
    assert r["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("raw", "pdf", "expected"), [
    (None, False, "docx"), ("docx", False, "docx"), (None, True, "docx"), ("pdf", True, "pdf"),
    ("", False, "docx"),  # an empty parameter is the default
])
def test_the_format_asked_for(raw, pdf, expected):
    from documents.delivery import asked_format

    assert asked_format(raw, pdf=pdf) == expected


@pytest.mark.parametrize(("raw", "pdf"), [("pdf", False), ("xlsx", True), ("PDF", True)])
def test_a_format_not_offered_is_refused(raw, pdf):
    from documents.delivery import FormatRefused, asked_format

    with pytest.raises(FormatRefused):
        asked_format(raw, pdf=pdf)


def test_a_page_without_pdf_refuses_it_with_a_400_and_logs_nothing(client, world):
    from risks import services

    point = services.create_risk_point(None, world.ent_construction, code="JJ-9", name="塔吊", category="起重伤害",
                                       location="3号楼", hazard_factors="限位失灵")
    services.assess(None, point, method="ls", factors={"l": 4, "s": 5})
    client_as(client, world, "enterprise_other")
    n = SecurityLog.objects.filter(kind=SecurityLog.Kind.DOWNLOAD).count()
    r = client.get(f"/risks/points/{point.pk}/card.docx?format=pdf")
    assert r.status_code == 400 and '<p class="mb-4">文件格式（format）：只能是 docx。</p>' in r.content.decode()
    assert SecurityLog.objects.filter(kind=SecurityLog.Kind.DOWNLOAD).count() == n


def test_no_other_module_answers_a_word_document_itself():
    """Every .docx leaves through documents.delivery: no other module names the Word content type or
    writes a .docx file name into a header (an attachment made by hand skipped the log). Workbook
    exports (.xlsx) log as exports of their own and are not documents."""
    offenders = []
    for path in pathlib.Path(settings.BASE_DIR).glob("*/**/*.py"):
        rel = path.relative_to(settings.BASE_DIR)
        if rel.parts[0] in (".venv", "node_modules", "scripts", "bench") or "tests" in rel.parts:
            continue
        text = path.read_text()
        if "wordprocessingml" in text and str(rel) not in ("core/uploads.py", "documents/delivery.py"):
            offenders.append(str(rel))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.JoinedStr):  # f'attachment; filename="card-{pk}.docx"': its literal parts
                literal = "{}".join(part.value for part in node.values if isinstance(part, ast.Constant))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                literal = node.value
            else:
                continue
            if "attachment;" in literal and ".docx" in literal and str(rel) != "documents/delivery.py":
                offenders.append(f"{rel}:{node.lineno}")
    assert not offenders, offenders
