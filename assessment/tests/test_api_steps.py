"""The steps of the assessment pages through the API (issue 18, 2.): the committee office creates a
year's indicator set, adds an indicator, computes and finalises; the reviewer adjusts a score with a
reason; the assessed unit records its 述职. Same services as the pages, 409 on a repeat that already
took effect, scoped like the pages (out of scope 404, seen but not allowed 403, anonymous 401)."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from assessment import services
from assessment.models import Assessment, Debrief, Indicator, IndicatorSet
from core.models import Event
from core.testing import client_as
from jobs import runner
from jobs.models import Job

pytestmark = pytest.mark.django_db
J = "application/json"
YEAR = 2025


@pytest.fixture
def computed(world):
    s = services.create_set(world.user("committee"), year=YEAR, name="2025年度安全生产考评")
    services.compute(world.user("committee"), s)
    return s


def _sheet(s, world, unit="commerce"):
    return Assessment.objects.get(indicator_set=s, unit=world.org(unit))


def test_the_committee_office_creates_a_years_set_once(client, world):
    client_as(client, world, "committee")
    r = client.post("/api/v1/assessment-sets/", {"year": YEAR, "name": "年度考评"}, content_type=J)
    assert r.status_code == 201, r.content
    s = IndicatorSet.objects.get(pk=r.json()["id"])
    assert (s.year, s.status, s.organisation) == (YEAR, "draft", world.org("committee"))
    assert s.indicators.count() == len(services.DEFAULT_INDICATORS)
    again = client.post("/api/v1/assessment-sets/", {"year": YEAR, "name": "年度考评"}, content_type=J)
    assert again.status_code == 400 and "year" in again.json()["errors"]
    assert client.post("/api/v1/assessment-sets/", {"year": 1999, "name": "x"}, content_type=J).status_code == 400


@pytest.mark.parametrize("persona,expected", [("commerce", 403), ("enterprise", 403), ("anon", 401)])
def test_only_a_committee_office_creates_a_set(client, world, persona, expected):
    client_as(client, world, persona)
    r = client.post("/api/v1/assessment-sets/", {"year": YEAR, "name": "年度考评"}, content_type=J)
    assert r.status_code == expected and not IndicatorSet.objects.exists()


def test_adding_an_indicator_and_repeating_it(client, world, computed):
    client_as(client, world, "committee")
    url = f"/api/v1/assessment-sets/{computed.pk}/indicators/"
    body = {"name": "隐患排查治理培训", "weight": "5", "kind": "manual"}
    r = client.post(url, body, content_type=J)
    assert r.status_code == 201 and Indicator.objects.filter(indicator_set=computed, name="隐患排查治理培训").count() == 1
    again = client.post(url, body, content_type=J)
    assert again.status_code == 409 and again.json()["current"]["id"] == computed.pk
    bad = client.post(url, {"name": "x", "weight": "0", "kind": "manual"}, content_type=J)
    assert bad.status_code == 400 and "weight" in bad.json()["errors"]
    computed_kind = client.post(url, {"name": "y", "weight": "5", "kind": "computed"}, content_type=J)
    assert computed_kind.status_code == 400 and "source" in computed_kind.json()["errors"]
    for bands in ([{"limit": "abc", "score": 100}], [{"limit": 1}], [{"limit": 1, "score": 150}]):
        r = client.post(url, {"name": "带档次", "weight": "5", "kind": "computed", "source": "inspections",
                              "bands": bands}, content_type=J)
        assert r.status_code == 400 and "bands" in r.json()["errors"], (bands, r.content)
    assert not Indicator.objects.filter(name="带档次").exists()


def test_compute_then_finalise_and_a_second_finalise_is_409(client, world):
    s = services.create_set(world.user("committee"), year=YEAR, name="年度考评")
    client_as(client, world, "committee")
    early = client.post(f"/api/v1/assessment-sets/{s.pk}/finalise/", content_type=J)
    assert early.status_code == 400 and "计算" in early.json()["message"]
    r = client.post(f"/api/v1/assessment-sets/{s.pk}/compute/", content_type=J)
    assert r.status_code == 202 and r.json()["kind"] == "assessment.compute"  # a job (test_compute_job.py)
    runner.run(r.json()["id"])
    assert client.get(f"/api/v1/assessment-sets/{s.pk}/").json()["status"] == "computed"
    units = {a.unit for a in Assessment.objects.filter(indicator_set=s)}
    assert world.org("commerce") in units and world.user("township").membership.organisation in units
    again = client.post(f"/api/v1/assessment-sets/{s.pk}/compute/", content_type=J)  # recompute: a new job
    assert again.status_code == 202 and again.json()["id"] != r.json()["id"]
    runner.run(again.json()["id"])
    done = client.post(f"/api/v1/assessment-sets/{s.pk}/finalise/", content_type=J)
    assert done.status_code == 200 and done.json()["status"] == "finalised"
    again = client.post(f"/api/v1/assessment-sets/{s.pk}/finalise/", content_type=J)
    assert again.status_code == 409 and again.json()["current"]["status"] == "finalised"
    after = client.post(f"/api/v1/assessment-sets/{s.pk}/compute/", content_type=J)
    assert after.status_code == 400  # a finalised result cannot be recomputed


@pytest.mark.parametrize("persona,expected", [("commerce", 403), ("other_region", 404), ("enterprise", 404),
                                              ("anon", 401)])
def test_only_the_reviewer_computes_or_finalises(client, world, computed, persona, expected):
    events = Event.objects.count()
    client_as(client, world, persona)
    for step in ("compute", "finalise", "indicators"):
        body = {"name": "n", "weight": "1", "kind": "manual"} if step == "indicators" else {}
        r = client.post(f"/api/v1/assessment-sets/{computed.pk}/{step}/", body, content_type=J)
        assert r.status_code == expected, (step, r.content)
    computed.refresh_from_db()
    assert computed.status == "computed" and Event.objects.count() == events and not Job.objects.exists()


def test_the_reviewer_adjusts_a_score_with_a_reason_and_the_total_follows(client, world, computed):
    a = _sheet(computed, world)
    manual = a.scores.get(indicator__kind="manual")
    # the two rates of the default set (整改率 20 points, 举报办结率 10) have nothing to count for the
    # commerce bureau in 2025 (no major hazard, no tip): not scored; the other 70 points convert to 100
    assert sorted(sc.indicator.weight for sc in a.scores.all() if sc.final is None) == [10, 20]
    others = sum(sc.final for sc in a.scores.exclude(pk=manual.pk) if sc.final is not None)
    client_as(client, world, "committee")
    url = f"/api/v1/assessments/{a.pk}/adjust/"
    body = {"score": manual.pk, "new_score": "12.50", "reason": "述职、会议、培训记录齐全"}
    r = client.post(url, body, content_type=J)
    assert r.status_code == 200, r.content
    expected = ((others + Decimal("12.50")) * 100 / 70).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert Decimal(r.json()["total"]) == expected
    row = next(sc for sc in r.json()["scores"] if sc["id"] == manual.pk)
    assert Decimal(row["adjusted_score"]) == Decimal("12.50") and row["adjust_reason"] == "述职、会议、培训记录齐全"
    again = client.post(url, body, content_type=J)
    assert again.status_code == 409 and again.json()["code"] == "already_done" and again.json()["current"]["id"] == a.pk
    assert Event.objects.filter(verb="assessment.score_adjusted").count() == 1


def test_adjustment_refusals_name_the_field(client, world, computed):
    a = _sheet(computed, world)
    other = _sheet(computed, world, "housing").scores.first()
    manual = a.scores.get(indicator__kind="manual")
    client_as(client, world, "committee")
    url = f"/api/v1/assessments/{a.pk}/adjust/"
    for body, field in (({"score": manual.pk, "new_score": "10"}, "reason"),
                        ({"score": manual.pk, "new_score": "10", "reason": "  "}, "reason"),
                        ({"score": manual.pk, "new_score": "99", "reason": "超出分值"}, "new_score"),
                        ({"score": other.pk, "new_score": "1", "reason": "别的单位"}, "score")):
        r = client.post(url, body, content_type=J)
        assert r.status_code == 400 and field in r.json()["errors"], (body, r.content)
    manual.refresh_from_db()
    assert manual.adjusted_score is None


@pytest.mark.parametrize("persona,expected", [("commerce", 403), ("housing", 404), ("other_region", 404),
                                              ("enterprise", 404), ("anon", 401)])
def test_only_the_reviewer_adjusts(client, world, computed, persona, expected):
    a = _sheet(computed, world)
    manual = a.scores.get(indicator__kind="manual")
    client_as(client, world, persona)
    r = client.post(f"/api/v1/assessments/{a.pk}/adjust/", {"score": manual.pk, "new_score": "10", "reason": "理由"},
                    content_type=J)
    assert r.status_code == expected
    manual.refresh_from_db()
    assert manual.adjusted_score is None


def test_the_assessed_unit_records_its_debrief_once(client, world, computed):
    a = _sheet(computed, world)
    client_as(client, world, "commerce")
    url = f"/api/v1/assessments/{a.pk}/debriefs/"
    body = {"leader_name": "王局长", "position": "商务局局长", "held_on": "2025-12-20", "content": "落实安全生产责任制情况"}
    r = client.post(url, body, content_type=J)
    assert r.status_code == 201 and Debrief.objects.get().leader_name == "王局长"
    again = client.post(url, body, content_type=J)
    assert again.status_code == 409 and again.json()["current"]["id"] == a.pk and Debrief.objects.count() == 1
    missing = client.post(url, {**body, "content": ""}, content_type=J)
    assert missing.status_code == 400 and "content" in missing.json()["errors"]


@pytest.mark.parametrize("persona,expected", [("housing", 404), ("township", 404), ("other_region", 404),
                                              ("enterprise", 404), ("anon", 401)])
def test_another_unit_cannot_record_a_debrief(client, world, computed, persona, expected):
    a = _sheet(computed, world)
    client_as(client, world, persona)
    body = {"leader_name": "王局长", "position": "局长", "held_on": "2025-12-20", "content": "述职"}
    assert client.post(f"/api/v1/assessments/{a.pk}/debriefs/", body, content_type=J).status_code == expected
    assert not Debrief.objects.exists()
