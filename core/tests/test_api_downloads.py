"""Official documents through the API end to end (issue 18, 2.): the assessment report (考评报告),
the risk notification card (风险告知卡) and the review batch's 整改复查意见书 download as .docx that
python-docx opens and that show the object asked for, logged as a download; scoped like the pages
(out of scope 404, anonymous 401)."""

import io

import docx
import pytest

from core.models import SecurityLog
from core.testing import client_as

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(response) -> str:
    """The document's paragraphs and table cells, opened with python-docx (fails if it is not a .docx)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    d = docx.Document(io.BytesIO(body))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    return "\n".join(parts)


def _download(client, url):
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.content[:300])
    assert r["Content-Type"] == DOCX and r["Content-Disposition"].startswith("attachment;")
    assert ".docx" in r["Content-Disposition"]
    return _text(r)


def _check_scope(client, world, url, allowed, refused):
    for persona in allowed:
        client_as(client, world, persona)
        assert client.get(url).status_code == 200, (persona, url)
    for persona in refused:
        client_as(client, world, persona)
        r = client.get(url)
        assert r.status_code == 404 and r.json()["code"] == "not_found", (persona, url, r.status_code)
        assert r["Content-Type"].startswith("application/json")
    client_as(client, world, "anon")
    r = client.get(url)
    assert r.status_code == 401 and "WWW-Authenticate" in r


def test_the_assessment_report_opens_and_shows_the_units_result(client, world):
    from assessment import services
    from assessment.models import Assessment

    s = services.create_set(world.user("committee"), year=2025, name="年度考评")
    services.compute(world.user("committee"), s)
    a = Assessment.objects.get(indicator_set=s, unit=world.org("commerce"))
    url = f"/api/v1/assessments/{a.pk}/document/"
    client_as(client, world, "commerce")
    text = _download(client, url)
    assert "2025年度安全生产目标责任考评结果" in text and world.org("commerce").name in text
    assert f"总分：{a.total}" in text
    assert SecurityLog.objects.filter(kind=SecurityLog.Kind.DOWNLOAD, detail__document="assessment_report").exists()
    _check_scope(client, world, url, allowed=("committee", "commerce"),
                 refused=("housing", "township", "other_region", "enterprise"))


def test_the_risk_card_opens_and_names_the_point(client, world):
    from risks import services

    point = services.create_risk_point(None, world.ent_construction, code="JJ-9", name="塔吊", category="起重伤害",
                                       location="3号楼", hazard_factors="限位失灵")
    services.assess(None, point, method="ls", factors={"l": 4, "s": 5})
    url = f"/api/v1/risks/points/{point.pk}/document/"
    client_as(client, world, "enterprise_other")  # 金建 (construction), the point's own enterprise
    text = _download(client, url)
    assert "塔吊" in text and "3号楼" in text
    # the same scope as the page /risks/points/<pk>/card.docx (risks/tests/test_permissions.py)
    _check_scope(client, world, url, allowed=("committee", "emergency", "housing", "enterprise_other"),
                 refused=("commerce", "other_region", "enterprise", "agency"))


def test_an_unassessed_risk_point_has_no_card(client, world):
    from risks import services

    point = services.create_risk_point(None, world.ent_construction, code="JJ-10", name="脚手架", category="高处坠落",
                                       location="2号楼", hazard_factors="连墙件缺失")
    client_as(client, world, "enterprise_other")
    r = client.get(f"/api/v1/risks/points/{point.pk}/document/")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_the_review_batch_document_opens_and_lists_its_hazards(client, world):
    from inspections import review
    from inspections import services as ins
    from inspections.tests.factories import record, with_finding

    rec = record(world)
    item = with_finding(world, rec)
    ins.answer_remaining(world.user("emergency"), rec)
    ins.sign(world.user("emergency"), rec)
    item.refresh_from_db()
    batch = review.import_batch(world.user("emergency"), title="第一批复查", hazard_ids=[item.hazard_id],
                                inspector=world.user("emergency2"))
    url = f"/api/v1/inspections/reviews/{batch.pk}/document/"
    client_as(client, world, "emergency")
    text = _download(client, url)
    assert "整改复查意见书" in text and "第一批复查" in text and item.hazard.number in text
    # the same scope as the page /inspections/reviews/<pk>/report.docx (inspections/tests/test_permissions.py)
    _check_scope(client, world, url, allowed=("emergency", "emergency2", "committee"),
                 refused=("commerce", "housing", "township", "other_region", "enterprise"))
