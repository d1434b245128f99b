import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessment import services, workflow
from assessment.models import Assessment
from core.services import NotPermitted, ServiceError

pytestmark = pytest.mark.django_db


def test_rating_and_veto_rules_pure():
    t = workflow.Thresholds(Decimal(90), Decimal(80), Decimal(60))
    assert [workflow.rating_of(Decimal(x), t) for x in (95, 90, 89.99, 80, 60, 59.9)] == [
        "excellent", "excellent", "good", "good", "pass", "fail"]
    assert workflow.apply_vetoes("excellent", ["no_excellent"]) == "good"
    assert workflow.apply_vetoes("good", ["no_excellent"]) == "good"
    assert workflow.apply_vetoes("excellent", ["veto"]) == "fail"
    assert workflow.rank([(1, Decimal(80)), (2, Decimal(90)), (3, Decimal(80)), (4, Decimal(70))]) == {2: 1, 1: 2, 3: 2, 4: 4}
    # bands: 0.95 → 80 % of 20 points; lower-is-better count 3 → 40 % of 15
    bands = [{"limit": 1, "score": 100}, {"limit": 0.9, "score": 80}]
    assert workflow.indicator_score(Decimal(20), Decimal("0.95"), bands, "higher") == Decimal("16.00")
    assert workflow.indicator_score(Decimal(20), Decimal("0.5"), bands, "higher") == Decimal("0.00")
    low = [{"limit": 0, "score": 100}, {"limit": 2, "score": 70}, {"limit": 5, "score": 40}]
    assert workflow.indicator_score(Decimal(15), Decimal(3), low, "lower") == Decimal("6.00")


def _full_marks_set(world):
    """A set where every unit scores 100 unless vetoed: one manual indicator, full marks by hand."""
    s = services.create_set(world.user("committee"), year=timezone.localdate().year, name="年度考评", defaults=False)
    services.add_indicator(world.user("committee"), s, name="责任制落实", weight=100, kind="manual")
    services.compute(world.user("committee"), s)
    for a in Assessment.objects.filter(indicator_set=s):
        services.adjust(world.user("committee"), a.scores.get(), new_score=100, reason="资料齐全")
    return s


def _accident(world, deaths, ent):
    from accidents import services as acc

    occurred = timezone.now() - datetime.timedelta(hours=3)
    return acc.report_accident(world.user("committee"), region=ent.region, place="现场", enterprise=ent,
                               sector=ent.sectors.first(), accident_type="other", occurred_at=occurred, learned_at=occurred,
                               reported_at=occurred, deaths=deaths, summary="事故")


def test_larger_accident_vetoes_excellent_and_major_fails(world):
    _accident(world, 3, world.ent_commerce)  # 较大, 光复道街道 (township0), commerce
    _accident(world, 10, world.enterprises[1])  # 重大, 望海楼街道 (township1), commerce
    s = _full_marks_set(world)
    by_unit = {a.unit_id: a for a in Assessment.objects.filter(indicator_set=s)}
    t0, t1, t2 = (by_unit[world.org(f"township{i}").pk] for i in range(3))
    assert (t0.total, t0.rating) == (Decimal(100), "good") and "一票否优" in t0.veto_note
    assert (t1.total, t1.rating) == (Decimal(100), "fail") and "一票否决" in t1.veto_note
    assert t2.rating == "excellent"
    # departments: commerce is competent for both accidents → 一票否决; housing for neither
    assert by_unit[world.org("commerce").pk].rating == "fail"
    assert by_unit[world.org("housing").pk].rating == "excellent"


def test_an_adjustment_that_brings_a_veto_in_says_why_in_the_veto_note(world):
    """An accident recorded after the computation vetoes at the next adjustment: the rating falls and
    the note that explains a veto (否决情况) says so — never a 良好 without its 一票否优."""
    s = _full_marks_set(world)
    township = world.org("township0")
    a = Assessment.objects.get(indicator_set=s, unit=township)
    assert (a.rating, a.veto_note) == ("excellent", "")
    _accident(world, 3, world.ent_commerce)  # 较大, 光复道街道 (township0)
    services.adjust(world.user("committee"), a.scores.get(), new_score=99, reason="复核")
    a.refresh_from_db()
    assert a.rating == "good" and "一票否优" in a.veto_note


def test_computed_indicator_equals_hand_count(world):
    from hazards import services as hz

    today = timezone.localdate()
    committee = world.user("committee")

    def hazard(ent, overdue):
        return hz.register_hazard(committee, enterprise=ent, sector=ent.sectors.first(), description="隐患",
                                  grade="general", found_on=today - datetime.timedelta(days=10),
                                  deadline=today - datetime.timedelta(days=1) if overdue else today + datetime.timedelta(days=5))

    hazard(world.ent_commerce, True)  # 光复道, commerce
    hazard(world.enterprises[16], True)  # 光复道, light industry
    hazard(world.ent_commerce, False)  # 光复道, not overdue
    hazard(world.enterprises[1], True)  # 望海楼, commerce
    s = services.create_set(committee, year=today.year, name="年度考评", defaults=False)
    ind = services.add_indicator(committee, s, name="超期隐患", weight=10, kind="computed", source="hazards_overdue",
                                 direction="lower", bands=[{"limit": 0, "score": 100}, {"limit": 2, "score": 50}])
    services.compute(committee, s)
    sheet = {a.unit_id: a.scores.get(indicator=ind) for a in Assessment.objects.filter(indicator_set=s)}
    # hand count: 光复道 has 2 overdue; 望海楼 1; commerce department (district, commerce sector) 2
    assert sheet[world.org("township0").pk].value == 2 and sheet[world.org("township0").pk].score == Decimal("5.00")
    assert sheet[world.org("township1").pk].value == 1
    assert sheet[world.org("commerce").pk].value == 2
    assert sheet[world.org("housing").pk].value == 0 and sheet[world.org("housing").pk].score == Decimal("10.00")
    assert len(sheet[world.org("township0").pk].evidence["hazards"]) == 2


def test_adjustment_needs_reason_and_reviewer(world):
    s = services.create_set(world.user("committee"), year=2026, name="考评")
    services.compute(world.user("committee"), s)
    sc = Assessment.objects.filter(indicator_set=s).first().scores.first()
    with pytest.raises(ServiceError) as exc:
        services.adjust(world.user("committee"), sc, new_score=1, reason=" ")
    assert exc.value.field == "reason"
    with pytest.raises(ServiceError) as exc:
        services.adjust(world.user("committee"), sc, new_score=sc.indicator.weight + 1, reason="r")
    assert exc.value.field == "new_score"
    with pytest.raises(ServiceError):
        services.adjust(world.user("commerce"), sc, new_score=1, reason="r")
    services.adjust(world.user("committee"), sc, new_score=1, reason="台账不全")
    from core.events import events_for

    assert [e.note for e in events_for(sc.assessment) if e.verb == "assessment.score_adjusted"] == ["台账不全"]


def test_only_committee_creates(world):
    with pytest.raises(NotPermitted):
        services.create_set(world.user("emergency"), year=2026, name="x")


def test_every_source_answers_for_every_unit(world):
    """Each computed source runs for townships and departments and returns evidence."""
    from assessment import sources

    for key in ("township0", "commerce", "emergency"):
        for name, fn in sources.SOURCES.items():
            value, evidence = fn(world.org(key), 2026)
            assert isinstance(evidence, dict), name
            if value is None:  # a rate of nothing (0 of 0) is no rate: not applicable (test_not_applicable.py)
                assert name.endswith("_rate") and evidence["denominator"] == 0, name
            else:
                assert value >= 0, name


def test_the_years_overdue_and_rectification_figures_are_as_they_stood_on_31_december(world):
    """docs/assessment.md: the figures are the assessed year's — 24:00 on 31 December — not
    today's state: a hazard overdue at the year's end and closed in February still counts as
    overdue then, and a major one closed after the year is not rectified within it."""
    from zoneinfo import ZoneInfo

    import time_machine

    from accounts.models import Sector
    from assessment import sources
    from hazards import services as hs

    tz = ZoneInfo("Asia/Shanghai")
    commerce = Sector.objects.get(code="commerce")
    with time_machine.travel(datetime.datetime(2025, 3, 1, 10, tzinfo=tz), tick=False):
        late = hs.register_hazard(world.user("commerce"), enterprise=world.ent_commerce, sector=commerce,
                                  description="灭火器过期", grade="general", deadline=datetime.date(2025, 6, 30))
        major = hs.register_hazard(world.user("commerce"), enterprise=world.ent_commerce, sector=commerce,
                                   description="安全出口锁闭", grade="major", basis_reason="可能导致群死群伤",
                                   deadline=datetime.date(2025, 12, 1))
    with time_machine.travel(datetime.datetime(2026, 2, 15, 10, tzinfo=tz), tick=False):
        hs.close_now(world.user("commerce"), late, evidence_note="已更换")
        from hazards.models import Hazard

        hs.report_hazard(world.user("enterprise"), Hazard.objects.get(pk=major.pk), department=world.org("commerce"))
        h = hs.submit_plan(world.user("enterprise"), Hazard.objects.get(pk=major.pk),
                           plan=dict(goal_tasks="消除", measures="整改", funds_materials="已落实", responsible="设备部",
                                     deadline=datetime.date(2026, 3, 1), safety_emergency="预案"))
        hs.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
        h.refresh_from_db()
        hs.accept(world.user("commerce_lead"), h, opinion="验收通过")
    township = world.org("township0")
    value, evidence = sources.hazards_overdue(township, 2025)
    # the oracle: on 31 December 2025 both were open and past their deadlines (30 June, 1 December)
    assert set(evidence["hazards"]) == {late.pk, major.pk} and value == 2 and evidence["as_of"] == "2025-12-31"
    rate, evidence = sources.major_rectification_rate(township, 2025)
    assert (evidence["numerator"], evidence["denominator"]) == (0, 1)
