"""The reported party is told nothing of a tip — RULES.md §1 identity protection (2013 opinion):
"nothing passed to the reported party". A hazard found by verifying a tip is shown to the
enterprise as the department's own inspection (部门检查, hazards.disclosure), on every surface it
reads: ledger page and its channel filter, export, detail page, API list/detail/filter/timeline,
the 重大事故隐患报告表, the notifications; no tip number, link or reporter data. The department
still sees 举报核实 (control: the same surfaces are not simply blank)."""

import datetime
import io
import zipfile

import pytest
from django.utils import timezone

from core.models import Notification
from core.testing import exported
from tips import services

pytestmark = pytest.mark.django_db

TIP_TEXT = "仓库堆放货物堵塞疏散通道，安全出口上锁。我是仓库保管员王五，电话13900000000。"
LEAKS = ("举报", "/tips/", "王五", "13900000000", "安全出口上锁")


@pytest.fixture
def from_tip(world, submit):
    """A 重大 hazard of the enterprise persona's own unit, registered by verifying a tip."""
    tip, _ = submit(content=TIP_TEXT, anonymous=False, name="王五", phone="13900000000")
    services.accept(world.user("commerce"), tip)
    services.start_verification(world.user("commerce"), tip)
    tip = services.verify(world.user("commerce"), tip, result="true", note="属实", register=dict(
        grade="major", description="二楼疏散通道堆放货物", basis_reason="人员密集场所疏散通道堵塞，可能导致群死群伤",
        deadline=timezone.localdate() + datetime.timedelta(days=10)))
    assert tip.hazard.enterprise == world.ent_commerce and tip.hazard.channel == "tip"
    return tip


def _clean(text: str, tip) -> None:
    for leak in (*LEAKS, tip.number):
        assert leak not in text, leak


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("word/document.xml").decode()


def test_enterprise_pages_show_the_departments_finding(client, world, from_tip):
    hazard = from_tip.hazard
    client.force_login(world.user("enterprise"))
    ledger = client.get("/hazards/").content.decode()
    assert hazard.number in ledger and "部门检查" in ledger
    _clean(ledger, from_tip)
    assert hazard.number not in client.get("/hazards/?channel=tip").content.decode()
    assert hazard.number in client.get("/hazards/?channel=inspection").content.decode()
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "二楼疏散通道堆放货物" in page and "部门检查" in page
    _clean(page, from_tip)
    doc = client.get(f"/documents/hazards/{hazard.pk}/report.docx")
    assert doc.status_code == 200
    text = _docx_text(b"".join(doc.streaming_content) if doc.streaming else doc.content)
    assert "部门检查" in text
    _clean(text, from_tip)


def test_enterprise_export_shows_the_departments_finding(client, world, from_tip):
    from openpyxl import load_workbook

    client.force_login(world.user("enterprise"))
    _job, content = exported(client, "/hazards/export.xlsx")
    cells = [str(c) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) for c in row if c]
    assert from_tip.hazard.number in cells and "部门检查" in cells
    _clean(" ".join(cells), from_tip)


def test_enterprise_api_shows_the_departments_finding(client, world, from_tip):
    hazard = from_tip.hazard
    client.force_login(world.user("enterprise"))
    listed = client.get("/api/v1/hazards/")
    assert listed.status_code == 200
    rows = {r["id"]: r for r in listed.json()["results"]}
    assert rows[hazard.pk]["channel"] == "inspection"
    detail = client.get(f"/api/v1/hazards/{hazard.pk}/")
    assert detail.json()["channel"] == "inspection"
    for url in (f"/api/v1/hazards/{hazard.pk}/", f"/api/v1/hazards/{hazard.pk}/timeline/"):
        text = client.get(url).content.decode()  # DRF answers UTF-8 (UNICODE_JSON)
        _clean(text, from_tip)
        assert '"tip"' not in text
    by_tip = client.get("/api/v1/hazards/?channel=tip")
    assert by_tip.status_code == 400 or hazard.pk not in {r["id"] for r in by_tip.json()["results"]}
    by_inspection = client.get("/api/v1/hazards/?channel=inspection").json()["results"]
    assert hazard.pk in {r["id"] for r in by_inspection}


def test_enterprise_notifications_say_nothing_of_the_tip(world, from_tip):
    ent_users = [world.user("enterprise"), world.user("enterprise_safety")]
    sent = Notification.objects.filter(recipient__in=ent_users, object_id=from_tip.hazard.pk)
    assert sent.exists()  # 重大: the principal and the safety manager are told (hazards.alerts)
    for n in sent:
        _clean(n.title + n.body, from_tip)


def test_the_department_still_sees_that_it_came_from_a_tip(client, world, from_tip):
    """Control: government users keep 举报核实 (the dispatch figures count it)."""
    hazard = from_tip.hazard
    client.force_login(world.user("commerce"))
    assert "举报核实" in client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert client.get(f"/api/v1/hazards/{hazard.pk}/").json()["channel"] == "tip"
    assert hazard.number in client.get("/hazards/?channel=tip").content.decode()


def test_an_accident_found_from_a_tip_reads_as_a_government_report(client, world, submit):
    """A concealed accident registered by verifying a tip: the enterprise's accident page and API
    say 政府部门报告 / "government", and the 瞒报 finding names no tip."""
    from accidents import services as accident_services

    tip, _ = submit(content="该单位上周发生事故致一人死亡，未向政府报告。")
    officer = world.user("commerce")
    services.accept(officer, tip)
    services.start_verification(officer, tip)
    tip = services.verify(officer, tip, result="true", note="核查属实")
    week_ago = timezone.now() - datetime.timedelta(days=7)
    accident = accident_services.record_concealed_from_tip(officer, tip, place="仓库", deaths=1, summary="货物坠落致一人死亡", accident_type="object_strike",
                                                           occurred_at=week_ago, learned_at=week_ago)
    client.force_login(world.user("enterprise"))
    page = client.get(f"/accidents/{accident.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "政府部门报告" in text and "瞒报" in text
    _clean(text, tip)
    answer = client.get(f"/api/v1/accidents/{accident.pk}/")
    assert answer.status_code == 200 and answer.json()["source"] == "government"
    _clean(answer.content.decode(), tip)
    client.force_login(world.user("commerce"))
    assert "举报核实" in client.get(f"/accidents/{accident.pk}/").content.decode()  # control
