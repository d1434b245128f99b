"""A rate of nothing is no rate (docs/assessment.md). A unit with no major hazard reported in the
year has nothing to rectify: its 重大事故隐患整改率 is 0 of 0 — not 100 % (full marks for nothing)
and not 0 %. The indicator is not applicable to it (不适用) and not scored: "—" on the sheet, in
the Word report and the summary workbook, null in the API; the total is the points scored
converted to the set's full weight (缺项折算), so the rating thresholds keep their meaning. The same
rule as the five-colour board's rates (campaigns.board: "0 of 0 is no rate, never 100 %").

Expected totals are counted by hand below."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from accounts.models import Sector
from assessment import services, sources, workflow
from assessment.models import Assessment
from core.testing import client_as
from hazards import services as hs

pytestmark = pytest.mark.django_db
RATE = [{"limit": 1, "score": 100}, {"limit": 0.9, "score": 80}, {"limit": 0.8, "score": 60}]


def test_the_total_of_scored_indicators_is_converted_to_the_full_weight():
    # by hand: 20 points not applicable; 15 + 52 = 67 scored of 80 → 67 × 100 / 80 = 83.75
    assert workflow.total_of([(Decimal(20), None), (Decimal(15), Decimal(15)), (Decimal(65), Decimal(52))]) == Decimal("83.75")
    assert workflow.total_of([(Decimal(20), Decimal(0)), (Decimal(80), Decimal(60))]) == Decimal(60)  # all scored: the sum
    assert workflow.total_of([(Decimal(20), None)]) == Decimal(0)
    assert workflow.indicator_score(Decimal(20), None, RATE, "higher") is None


@pytest.fixture
def scene(world):
    """One major hazard this year in 光复道街道 (township0), still open; none in 望海楼街道 (township1).
    A set: 重大事故隐患整改率 (20 points) + 责任制落实 (80, by hand: 60 to every unit)."""
    committee = world.user("committee")
    hs.register_hazard(world.user("commerce"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                       description="安全出口锁闭", grade="major", basis_reason="可能导致群死群伤",
                       deadline=timezone.localdate() + datetime.timedelta(days=30), notify_people=False)
    s = services.create_set(committee, year=timezone.localdate().year, name="年度考评", defaults=False)
    rate = services.add_indicator(committee, s, name="重大事故隐患整改率", weight=20, kind="computed",
                                  source="major_rectification_rate", bands=RATE)
    manual = services.add_indicator(committee, s, name="责任制落实", weight=80, kind="manual")
    services.compute(committee, s)
    for a in Assessment.objects.filter(indicator_set=s):
        services.adjust(committee, a.scores.get(indicator=manual), new_score=60, reason="资料基本齐全")
    sheets = {key: Assessment.objects.get(indicator_set=s, unit=world.org(key)) for key in ("township0", "township1")}
    return s, rate, sheets


def test_no_major_hazard_is_no_rate_and_the_unit_is_rated_on_the_rest(world, scene):
    _s, rate, sheets = scene
    value, evidence = sources.major_rectification_rate(world.org("township1"), timezone.localdate().year)
    assert value is None and (evidence["numerator"], evidence["denominator"]) == (0, 0)
    none, one = sheets["township1"].scores.get(indicator=rate), sheets["township0"].scores.get(indicator=rate)
    assert (none.value, none.score, none.final) == (None, None, None)
    # by hand: 60 of the 80 applicable points → 60 × 100 / 80 = 75.00 → 合格 (60 ≤ 75 < 80), not 80 (良好)
    assert (sheets["township1"].total, sheets["township1"].rating) == (Decimal("75.00"), "pass")
    # control: one major hazard, not closed → 0 of 1 → 0 %, scored 0; the plain sum 0 + 60
    assert (one.value, one.score) == (Decimal(0), Decimal("0.00"))
    assert (sheets["township0"].total, sheets["township0"].rating) == (Decimal(60), "pass")


def test_no_tip_assigned_is_no_rate_either(world):
    value, evidence = sources.tips_closed_rate(world.org("township1"), timezone.localdate().year)
    assert value is None and (evidence["numerator"], evidence["denominator"]) == (0, 0)


def test_the_sheet_the_report_the_summary_and_the_api_show_a_dash(client, world, scene):
    s, rate, sheets = scene
    a = sheets["township1"]
    client_as(client, world, "committee")
    html = client.get(f"/assessment/sheets/{a.pk}/").content.decode()
    row = next(r for r in html.split("<tr>") if "重大事故隐患整改率" in r)
    assert 'data-testid="score-value">—<' in row and 'data-testid="score-final">—' in row and "不适用，不计分" in row
    final = row.split('data-testid="score-final">')[1].split("</td>")[0]
    assert "20" not in final and "100" not in row  # not full marks, not 100 %
    assert 'data-testid="conversion-note"' in html
    doc = Document(io.BytesIO(client.get(f"/assessment/sheets/{a.pk}/report.docx").content))
    cells = next([c.text for c in r.cells] for r in doc.tables[0].rows if r.cells[0].text == "重大事故隐患整改率")
    assert cells[2:4] == ["—", "—"]
    ws = load_workbook(io.BytesIO(client.get(f"/assessment/{s.pk}/summary.xlsx").content)).active
    header = [c.value for c in ws[1]]
    line = next([c.value for c in r] for r in ws.iter_rows(min_row=2) if r[1].value == world.org("township1").name)
    assert line[header.index("重大事故隐患整改率")] == "—" and line[header.index("总分")] == 75.0
    body = client.get(f"/api/v1/assessments/{a.pk}/").json()
    score = next(sc for sc in body["scores"] if sc["indicator"] == rate.pk)
    assert (score["value"], score["score"], score["final"]) == (None, None, None) and body["total"] == "75.00"
