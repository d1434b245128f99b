import io

import pytest
from docx import Document
from openpyxl import load_workbook

from assessment import services
from assessment.models import Assessment
from core.testing import check_matrix, client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(world):
    s = services.create_set(world.user("committee"), year=2026, name="2026年度考评")
    services.compute(world.user("committee"), s)
    return s


def test_set_matrix(client, world, computed):
    check_matrix(client, world, f"/assessment/{computed.pk}/", {
        "committee": 200, "emergency": 200, "commerce": 200, "township": 200, "other_region": 404,
        "enterprise": 404, "agency": 404, "nobody": 404, "anon": "login"})


def test_assessed_unit_sees_only_its_own_sheet(client, world, computed):
    own = Assessment.objects.get(indicator_set=computed, unit=world.org("commerce"))
    other = Assessment.objects.get(indicator_set=computed, unit=world.org("housing"))
    check_matrix(client, world, f"/assessment/sheets/{own.pk}/", {
        "committee": 200, "emergency": 200, "commerce": 200, "housing": 404, "township": 404, "other_region": 404,
        "enterprise": 404, "anon": "login"})
    client_as(client, world, "commerce")
    body = client.get(f"/assessment/{computed.pk}/").content.decode()
    assert world.org("commerce").name in body and world.org("housing").name not in body
    assert client.get(f"/assessment/sheets/{other.pk}/").status_code == 404
    check_matrix(client, world, f"/api/v1/assessments/{own.pk}/", {
        "committee": 200, "commerce": 200, "housing": 404, "other_region": 404, "anon": (401, 403)})


def test_word_report_opens(client, world, computed):
    a = Assessment.objects.get(indicator_set=computed, unit=world.org("township0"))
    services.add_debrief(world.user("township"), a, leader_name="街道主任", position="主任", held_on="2026-12-01",
                         content="落实属地管理责任情况")
    client_as(client, world, "township")
    r = client.get(f"/assessment/sheets/{a.pk}/report.docx")
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert world.org("township0").name in text and "街道主任" in text
    assert doc.tables[0].rows[0].cells[0].text == "指标" and len(doc.tables[0].rows) == 1 + computed.indicators.count()


def test_summary_xlsx(client, world, computed):
    client_as(client, world, "commerce")
    assert client.get(f"/assessment/{computed.pk}/summary.xlsx").status_code == 403
    client_as(client, world, "committee")
    r = client.get(f"/assessment/{computed.pk}/summary.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.cell(1, 2).value == "单位" and ws.max_row == 1 + Assessment.objects.filter(indicator_set=computed).count()


def test_adjust_without_reason_is_400(client, world, computed):
    sc = Assessment.objects.filter(indicator_set=computed).first().scores.first()
    client_as(client, world, "committee")
    r = client.post(f"/assessment/scores/{sc.pk}/adjust/", {"new_score": "1", "reason": ""})
    assert r.status_code == 400 and "调整得分须说明理由" in r.content.decode()
    client_as(client, world, "commerce")
    r = client.post(f"/assessment/scores/{sc.pk}/adjust/", {"new_score": "1", "reason": "x"})
    assert r.status_code in (400, 404)


def test_add_indicator_page(client, world):
    s = services.create_set(world.user("committee"), year=2026, name="考评", defaults=False)
    client_as(client, world, "committee")
    r = client.post(f"/assessment/{s.pk}/indicators/", {"name": "执法", "weight": "10", "kind": "computed", "source": "",
                                                        "direction": "higher", "bands": "5 100"})
    assert r.status_code == 400 and "须选择数据来源" in r.content.decode()
    r = client.post(f"/assessment/{s.pk}/indicators/", {"name": "执法", "weight": "10", "kind": "computed",
                                                        "source": "enforcement_cases", "direction": "higher", "bands": "5 abc"})
    assert r.status_code == 400 and "第1行格式不正确" in r.content.decode()
    r = client.post(f"/assessment/{s.pk}/indicators/", {"name": "执法", "weight": "10", "kind": "computed",
                                                        "source": "enforcement_cases", "direction": "higher",
                                                        "bands": "5 100\n1 60"})
    assert r.status_code == 302
    assert s.indicators.get().bands == [{"limit": 5.0, "score": 100.0}, {"limit": 1.0, "score": 60.0}]
    client_as(client, world, "emergency")
    r = client.post(f"/assessment/{s.pk}/indicators/", {"name": "x", "weight": "1", "kind": "manual", "direction": "higher"})
    assert r.status_code == 403
