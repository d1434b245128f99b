"""重大事故隐患报告表, 挂牌督办通知书, 验收（销号）意见: facts in the .docx / PDF, scoped and logged downloads."""

import re
import shutil

import pytest

from core.models import SecurityLog
from core.testing import check_matrix, client_as
from documents import hazard_docs
from documents.render import docx_text, pdf_text
from supervision.tests.helpers import close_hazard, listed, major_hazard

HAS_PDF = bool(shutil.which("soffice") and shutil.which("pdftotext"))

DETAIL = {"anon": "login", "committee": 200, "province": 200, "commerce": 200, "emergency": 200, "township": 200,
          "housing": 404, "township_other": 404, "other_region": 404, "enterprise": 200, "enterprise_other": 404,
          "agency": 404, "nobody": 404}


def test_hazard_report_has_the_facts(world):
    hazard = major_hazard(world)
    close_hazard(world, hazard)  # reports (双报告), adds the plan, accepts
    hazard.refresh_from_db()
    text = docx_text(hazard_docs.hazard_report_docx(hazard))
    for fact in ("重大事故隐患报告表", "天津市河北区鑫隆商贸有限公司", "安全出口锁闭", "可能导致群死群伤", "拆除门锁，清理通道",
                 "2万元，已落实", "行政部 张三", "封闭该区域", "2030年1月31日", "河北区商务局", hazard.number,
                 "报告职工大会或职工代表大会"):
        assert fact in text, fact
    assert "未报告" not in text


def test_listing_notice_and_acceptance_have_the_facts(world):
    listing = listed(world)
    text = docx_text(hazard_docs.listing_notice_docx(listing))
    for fact in ("挂牌督办通知书", listing.notice_number, "河北区商务局", "天津市河北区鑫隆商贸有限公司", "县级挂牌督办",
                 "限期整改，每月报告进展", f"{listing.deadline.year}年{listing.deadline.month}月{listing.deadline.day}日",
                 "河北区安全生产委员会"):
        assert fact in text, fact
    close_hazard(world, listing.hazard)
    acc = listing.hazard.acceptances.get(decision="accepted")
    text = docx_text(hazard_docs.acceptance_docx(acc))
    for fact in ("隐患整改验收（销号）意见", "门锁已拆除，通道已清理", "现场验收", "验收通过", "现场核查，整改到位", "河北区商务局",
                 "商务局科长 吴敏", "同意销号"):
        assert fact in text, fact


def test_the_listing_notice_goes_to_the_lower_government_and_prints_the_plans_five_in_place(world):
    """RULES.md §2 (V 湖北): the notice goes out in the 安委会's name to the lower government; the
    plan's 五到位 — measures, funds, deadline, responsible person, emergency plan."""
    from hazards import services as hz
    from supervision.tests.helpers import PLAN

    listing = listed(world)
    text = docx_text(hazard_docs.listing_notice_docx(listing))
    head = text[:text.index("经研究")]
    # the county committee's listing: the township office where 鑫隆商贸 is (光复道街道), then the department and the enterprise
    assert "光复道街道办事处、河北区商务局、天津市河北区鑫隆商贸有限公司：" in head
    assert "尚未制定" in text
    hz.submit_plan(world.user("enterprise"), listing.hazard, plan=PLAN)
    listing.hazard.refresh_from_db()
    text = docx_text(hazard_docs.listing_notice_docx(listing))
    for label, fact in (("措施到位", PLAN["measures"]), ("资金到位", PLAN["funds_materials"]), ("责任到位", PLAN["responsible"]),
                        ("预案到位", PLAN["safety_emergency"]),
                        ("时限到位", f"{PLAN['deadline'].year}年{PLAN['deadline'].month}月{PLAN['deadline'].day}日")):
        assert label in text and fact in text, label
    assert "尚未制定" not in text


def test_download_matrix_and_security_log(client, world):
    listing = listed(world)
    hazard = listing.hazard
    close_hazard(world, hazard)
    for url in (f"/documents/hazards/{hazard.pk}/report.docx", f"/documents/listings/{listing.pk}/notice.docx",
                f"/documents/hazards/{hazard.pk}/acceptance.docx"):
        check_matrix(client, world, url, DETAIL)
    assert SecurityLog.objects.filter(kind="download", username="qy_xinlong").count() == 3
    log = SecurityLog.objects.filter(kind="download", username="hb_anweiban", detail__document="listing_notice").get()
    assert log.detail["object_id"] == listing.pk


def test_construction_hazard_report_not_for_commerce(client, world):
    hazard = major_hazard(world, construction=True)
    check_matrix(client, world, f"/documents/hazards/{hazard.pk}/report.docx", {
        "housing": 200, "enterprise_other": 200, "commerce": 404, "enterprise": 404, "other_region": 404, "anon": "login"})


def test_missing_documents_and_bad_format(client, world):
    hazard = major_hazard(world)
    client_as(client, world, "committee")
    assert client.get(f"/documents/hazards/{hazard.pk}/acceptance.docx").status_code == 404  # not accepted yet
    assert client.get(f"/documents/hazards/{hazard.pk}/report.docx?format=odt").status_code == 400
    assert client.get("/documents/listings/999999/notice.docx").status_code == 404


def test_pdf_is_503_without_libreoffice(client, world, monkeypatch):
    hazard = major_hazard(world)
    monkeypatch.setattr("documents.render.soffice_path", lambda: None)
    client_as(client, world, "committee")
    r = client.get(f"/documents/hazards/{hazard.pk}/report.docx?format=pdf")
    assert r.status_code == 503 and r["Content-Type"].startswith("text/html")
    page = r.content.decode()  # the 503 page: the reason, and the Word version it can have instead
    assert re.search(r'data-testid="error-reason">服务器未安装 LibreOffice，暂不能生成 PDF，请下载 Word 版本。</p>', page)
    word = re.search(r'<a [^>]*href="([^"]*)" data-testid="error-alternative">下载 Word 版本</a>', page)
    assert word and word[1] == f"/documents/hazards/{hazard.pk}/report.docx"
    got = client.get(word[1])
    assert got.status_code == 200 and docx_text(got.content)
    r = client.get(f"/api/v1/hazards/{hazard.pk}/documents/report/?doc_format=pdf")  # the API: the same sentence
    assert r.status_code == 503 and "未安装 LibreOffice" in r.json()["message"]


@pytest.mark.skipif(not HAS_PDF, reason="LibreOffice not installed")
def test_listing_notice_pdf_keeps_the_chinese_facts(client, world):
    listing = listed(world)
    client_as(client, world, "enterprise")
    r = client.get(f"/documents/listings/{listing.pk}/notice.docx?format=pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    for fact in ("挂牌督办通知书", "天津市河北区鑫隆商贸有限公司", "安全出口锁闭", "河北区商务局"):
        assert fact in text, fact
    assert "\ufffd" not in text


def test_no_notice_before_the_listing_is_approved_nor_for_a_declined_one(client, world):
    """The 挂牌督办通知书 is issued with the approval (its number is given then): a proposal awaiting
    the leader, or declined, has none — neither page nor API prints a 督办 never decided."""
    from supervision import services as sv
    from supervision.tests.helpers import propose

    proposed = propose(world, major_hazard(world))
    declined = sv.decline(world.user("committee_lead"), propose(world, major_hazard(world, description="配电室无防护")),
                          reason="不属于重大事故隐患")
    client_as(client, world, "committee")
    for listing in (proposed, declined):
        assert client.get(f"/documents/listings/{listing.pk}/notice.docx").status_code == 404
        assert client.get(f"/api/v1/listings/{listing.pk}/documents/notice/").status_code == 404
    approved = sv.approve(world.user("committee_lead"), proposed)
    assert client.get(f"/documents/listings/{approved.pk}/notice.docx").status_code == 200
    assert client.get(f"/api/v1/listings/{approved.pk}/documents/notice/").status_code == 200


def test_a_delisted_notice_says_so_at_its_head(world):
    from django.utils import timezone

    from supervision import services as sv

    listing = listed(world)
    assert "已摘牌" not in docx_text(hazard_docs.listing_notice_docx(listing))
    close_hazard(world, listing.hazard)
    listing = sv.request_delisting(world.user("enterprise"), listing, note="已验收销号")
    listing = sv.decide_delisting(world.user("committee_lead"), listing, accept=True)
    day = timezone.localdate()
    text = docx_text(hazard_docs.listing_notice_docx(listing))
    assert f"【已摘牌】本督办事项已于{day.year}年{day.month}月{day.day}日摘牌，督办结束。" in text
    assert text.index("【已摘牌】") < text.index("经研究")
