"""Ledger, register, detail, actions, evidence upload and download pages."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Sector
from core.models import SecurityLog
from core.testing import client_as
from hazards import services
from hazards.models import Attachment, Hazard

from .conftest import PDF_BYTES, PLAN, jpeg_bytes, make_general, make_major, png_bytes

pytestmark = pytest.mark.django_db


def test_ledger_filters_and_overdue(client, world, hazard):
    general = make_general(world, deadline=timezone.localdate() + datetime.timedelta(days=3))
    Hazard.objects.filter(pk=general.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    client_as(client, world, "commerce")
    body = client.get("/hazards/").content.decode()
    assert hazard.number in body and general.number in body
    body = client.get("/hazards/?grade=major").content.decode()
    assert hazard.number in body and general.number not in body
    body = client.get("/hazards/?overdue=true").content.decode()
    assert general.number in body and hazard.number not in body
    body = client.get(f"/hazards/?region={world.townships[0].code}&channel=self_check").content.decode()
    assert hazard.number in body and general.number not in body
    body = client.get(f"/hazards/?enterprise={world.ent_commerce2.pk}").content.decode()
    assert hazard.number not in body
    body = client.get("/hazards/?sort=-deadline&sector=commerce&found_from=2000-01-01").content.decode()
    assert hazard.number in body
    response = client.get("/hazards/?region=12x")
    assert response.status_code == 400 and "区划代码应为" in response.content.decode()


def _many(world, n):
    for i in range(n):
        make_general(world, description=f"隐患{i}")


@pytest.mark.parametrize("n", [5, 40])
def test_ledger_query_count_is_constant(client, world, django_assert_max_num_queries, n):
    _many(world, n)
    client_as(client, world, "commerce")
    with django_assert_max_num_queries(14):
        response = client.get("/hazards/")
    assert response.status_code == 200 and response.content.decode().count('data-testid="hazard-row"') == n


def test_pagination_50(client, world):
    _many(world, 52)
    client_as(client, world, "commerce")
    assert client.get("/hazards/").content.decode().count('data-testid="hazard-row"') == 50
    assert client.get("/hazards/?page=2").content.decode().count('data-testid="hazard-row"') == 2


def test_export_is_filtered_scoped_and_logged(client, world, hazard, construction_hazard):
    client_as(client, world, "commerce")
    response = client.get("/hazards/export.xlsx?grade=major", follow=True)
    assert response.status_code == 200 and "已导出 1 条隐患" in response.content.decode()
    job = response.context["job"]
    response = client.get(f"/jobs/{job.pk}/result/")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "隐患编号" and "隐患描述" in rows[0]
    assert [r[0] for r in rows[1:]] == [hazard.number]
    assert SecurityLog.objects.filter(kind="export", username="hb_shangwu").exists()
    assert client.get("/hazards/export.xlsx?region=abc").status_code == 400
    assert client.get("/hazards/export.xlsx?format=pdf").status_code == 400
    client_as(client, world, "housing")  # another user cannot fetch this user's export
    assert client.get(f"/jobs/{job.pk}/result/").status_code == 404


def test_export_csv_text_is_never_a_formula(client, world):
    from hazards.tests.conftest import make_general

    make_general(world, description="=HYPERLINK(\"http://x\")\x07铃")
    client_as(client, world, "commerce")
    response = client.get("/hazards/export.xlsx?format=csv", follow=True)
    job = response.context["job"]
    body = b"".join(client.get(f"/jobs/{job.pk}/result/").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "\x07" not in body and "铃" in body


def test_register_page_for_enterprise_is_fixed_to_own(client, world):
    client_as(client, world, "enterprise")
    page = client.get("/hazards/new/").content.decode()
    assert world.ent_commerce.name in page and world.ent_construction.name not in page
    response = client.post("/hazards/new/", {
        "enterprise": world.ent_construction.pk, "sector": Sector.objects.get(code="commerce").pk, "grade": "major",
        "category": "state", "description": "安全出口锁闭", "basis_reason": "可能导致群死群伤",
        "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "photo": SimpleUploadedFile("p.jpg", jpeg_bytes(), "image/jpeg")})
    assert response.status_code == 302
    h = Hazard.objects.get()
    assert h.enterprise == world.ent_commerce and h.grade == "major" and h.channel == "self_check"
    assert h.attachments.count() == 1


def test_register_page_errors_name_the_field(client, world):
    client_as(client, world, "commerce")
    response = client.post("/hazards/new/", {
        "enterprise": world.ent_commerce.pk, "sector": Sector.objects.get(code="commerce").pk, "grade": "major",
        "category": "state", "description": "安全出口锁闭"})
    assert response.status_code == 400
    assert 'data-field="basis_item"' in response.content.decode()
    # a sector the enterprise may not have is not offered
    response = client.post("/hazards/new/", {
        "enterprise": world.ent_commerce.pk, "sector": Sector.objects.get(code="construction").pk, "grade": "general",
        "category": "state", "description": "x"})
    assert response.status_code == 400 and 'data-field="sector"' in response.content.decode()
    assert not Hazard.objects.exists()


def test_detail_shows_everything_and_actions(client, world, hazard):
    services.report_hazard(world.user("enterprise"), hazard, department=world.org("commerce"))
    client_as(client, world, "enterprise")
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "已报告 河北区商务局" in page and 'data-testid="action-submit_plan"' in page
    assert 'data-testid="action-void"' not in page
    client_as(client, world, "commerce")
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert 'data-testid="action-void"' in page and "登记隐患" in page


def test_action_posts_to_service_and_shows_errors(client, world, hazard):
    client_as(client, world, "enterprise")
    response = client.post(f"/hazards/{hazard.pk}/actions/submit_plan/", {"submit_plan-goal_tasks": "x"})
    assert response.status_code == 400 and "治理方案缺少" in response.content.decode()
    data = {f"submit_plan-{k}": v for k, v in PLAN.items()}
    data["submit_plan-deadline"] = "2030-01-31"
    assert client.post(f"/hazards/{hazard.pk}/actions/submit_plan/", data).status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == "rectifying"
    response = client.post(f"/hazards/{hazard.pk}/actions/submit_completion/", {
        "submit_completion-evidence_note": "已整改",
        "submit_completion-evidence": SimpleUploadedFile("x.pdf", b"MZ not a pdf", "application/pdf")})
    assert response.status_code == 400 and "只接受" in response.content.decode()
    hazard.refresh_from_db()
    assert hazard.status == "rectifying"
    response = client.post(f"/hazards/{hazard.pk}/actions/submit_completion/", {
        "submit_completion-evidence_note": "已整改",
        "submit_completion-evidence": SimpleUploadedFile("x.pdf", PDF_BYTES, "application/pdf")})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == "pending_acceptance" and hazard.attachments.get().kind == "evidence"
    # the enterprise may not accept a major hazard
    response = client.post(f"/hazards/{hazard.pk}/actions/accept/", {"accept-mode": "on_site"})
    assert response.status_code == 400 and "主管部门" in response.content.decode()
    assert client.post(f"/hazards/{hazard.pk}/actions/nonsense/", {}).status_code == 404


def test_upload_sniffs_content_and_keeps_exif(client, world, hazard):
    client_as(client, world, "enterprise")
    url = f"/hazards/{hazard.pk}/attachments/"
    fake = SimpleUploadedFile("evil.jpg", b"<html><script>alert(1)</script>", "image/jpeg")
    assert client.post(url, {"evidence": fake}).status_code == 400
    truncated = SimpleUploadedFile("bad.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "image/png")
    assert client.post(url, {"evidence": truncated}).status_code == 400
    assert client.post(url, {"evidence": SimpleUploadedFile("a.png", png_bytes(), "text/plain")}).status_code == 302
    assert client.post(url, {"evidence": SimpleUploadedFile("b.jpg", jpeg_bytes(exif=True), "image/jpeg")}).status_code == 302
    att = Attachment.objects.get(original_name="b.jpg")
    assert att.exif_time == "2026:03:01 10:20:30" and att.exif_gps.startswith("39.16")
    assert len(att.sha256) == 64 and att.content_type == "image/jpeg"
    # 39°9'36" N = 39.16°, 117°12' E = 117.2°
    assert "拍摄于 2026-03-01 10:20:30 / 位置 北纬 39.160000° 东经 117.200000°" in \
        client.get(f"/hazards/{hazard.pk}/").content.decode()


def test_upload_size_limit(client, world, hazard, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    client_as(client, world, "enterprise")
    response = client.post(f"/hazards/{hazard.pk}/attachments/", {"evidence": SimpleUploadedFile("a.jpg", jpeg_bytes())})
    assert response.status_code == 400 and "大小限制" in response.content.decode()


def test_download_is_scoped_and_logged(client, world, hazard):
    client_as(client, world, "enterprise")
    client.post(f"/hazards/{hazard.pk}/attachments/", {"evidence": SimpleUploadedFile("a.pdf", PDF_BYTES)})
    att = hazard.attachments.get()
    response = client.get(f"/hazards/{hazard.pk}/attachments/{att.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert SecurityLog.objects.filter(kind="download", username="qy_xinlong").exists()
    other = make_major(world, actor="commerce", ent=world.ent_commerce2)
    assert client.get(f"/hazards/{other.pk}/attachments/{att.pk}/").status_code == 404
