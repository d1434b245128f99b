"""assessment 0005: results stored before API 1.8.0 — a rate with nothing to count (0 of 0) stored as
value 1 (100 %) with its full points — are rescored the way the code computes now: not applicable
(value and score null), the total converted over the scored indicators (缺项折算), the rating and the
set's ranks again, an event on every changed result. The rows are written here the way the old code
stored them; every expected figure is counted by hand below (docs/assessment.md), not read from the
code under test.

The set: 重大事故隐患整改率 20 points, 举报办结率 10, 责任制落实 70 (by hand). Bands of both rates:
100 % → full points. Thresholds 90 / 80 / 60. Old total = the plain sum; new total = the scored
points × 100 ÷ the scored weights (to 0.01)."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from assessment import services
from assessment.models import Assessment, Score
from core.models import Event

pytestmark = pytest.mark.django_db
migration = importlib.import_module("assessment.migrations.0005_rescore_not_applicable_rates")
RATE = [{"limit": 1, "score": 100}, {"limit": 0.9, "score": 80}, {"limit": 0.8, "score": 60}]
D = Decimal


def _old_rate(num, den):
    """What the old code stored for a rate line: value 1 for 0 of 0, else num ÷ den."""
    return D(1) if den == 0 else D(num) / D(den)


@pytest.fixture
def old_set(world):
    committee = world.user("committee")
    s = services.create_set(committee, year=2025, name="2025年度考评", defaults=False)
    major = services.add_indicator(committee, s, name="重大事故隐患整改率", weight=20, kind="computed",
                                   source="major_rectification_rate", bands=RATE)
    tips = services.add_indicator(committee, s, name="举报办结率", weight=10, kind="computed",
                                  source="tips_closed_rate", bands=RATE)
    manual = services.add_indicator(committee, s, name="责任制落实", weight=70, kind="manual")
    return s, major, tips, manual


# unit → (major num/den, major points stored, tips num/den, tips points stored, manual points, old total,
#         stored rating, old rank, veto note, adjustment of the major line)
OLD = {
    # A: nothing to count at all: 20 + 10 + 52.5 = 82.50 良好
    "A": ((0, 0), D("20.00"), (0, 0), D("10.00"), D("52.50"), D("82.50"), "good", 3, "", None),
    # B: one major hazard, open (0 of 1: 0 points, a real rate); no tip: 0 + 10 + 52.5 = 62.50 合格
    "B": ((0, 1), D("0.00"), (0, 0), D("10.00"), D("52.50"), D("62.50"), "pass", 6, "", None),
    # C: 100.00, rated 良好 by a 一票否优 (较大事故)
    "C": ((0, 0), D("20.00"), (0, 0), D("10.00"), D("70.00"), D("100.00"), "good", 1,
          "较大事故及以上1起：一票否优", None),
    # D: 100.00 优秀, no veto
    "D": ((0, 0), D("20.00"), (0, 0), D("10.00"), D("70.00"), D("100.00"), "excellent", 1, "", None),
    # E: the reviewer adjusted the (0 of 0) major line to 15 with a reason: 15 + 10 + 52.5 = 77.50 合格
    "E": ((0, 0), D("20.00"), (0, 0), D("10.00"), D("52.50"), D("77.50"), "pass", 4, "", D("15.00")),
    # G: every rate counted something (1 of 1 each): 20 + 10 + 46 = 76.00 合格 — untouched itself
    "G": ((1, 1), D("20.00"), (1, 1), D("10.00"), D("46.00"), D("76.00"), "pass", 5, "", None),
    # F: a department (ranked apart): major 1 of 1 (20), no tip (10), 52.5 → 82.50 良好
    "F": ((1, 1), D("20.00"), (0, 0), D("10.00"), D("52.50"), D("82.50"), "good", 1, "", None),
}
UNITS = {"A": "township1", "B": "township0", "C": "township2", "D": "township3", "E": "township4", "G": "township5",
         "F": "housing"}

# by hand, after the step: (total, rating, rank, indicators not applicable)
NEW = {
    "A": (D("75.00"), "pass", 4, {"major", "tips"}),  # 52.5 × 100 / 70 = 75.00 → 合格
    "B": (D("58.33"), "fail", 6, {"tips"}),  # (0 + 52.5) × 100 / 90 = 58.333… → 58.33 → 不合格
    "C": (D("100.00"), "good", 1, {"major", "tips"}),  # 70 × 100 / 70 = 100, 一票否优 kept → 良好
    "D": (D("100.00"), "excellent", 1, {"major", "tips"}),
    # (15 + 52.5) × 100 / 90 = 75.00: the computed major line is not applicable, the reviewer's 15 counts
    "E": (D("75.00"), "pass", 4, {"major", "tips"}),
    "G": (D("76.00"), "pass", 3, set()),  # unchanged total; places: C, D 1st; G 3rd; A, E 4th; B 6th
    "F": (D("80.56"), "good", 1, {"tips"}),  # (20 + 52.5) × 100 / 90 = 80.555… → 80.56
}


def _write_old_way(world, old_set):
    s, major, tips, manual = old_set
    rows = {}
    for key, (mr, mp, tr, tp, man, total, rating, rank_, note, adjusted) in OLD.items():
        a = Assessment.objects.create(indicator_set=s, unit=world.org(UNITS[key]), total=total, rating=rating,
                                      rank=rank_, veto_note=note)
        Score.objects.create(assessment=a, indicator=major, value=_old_rate(*mr), score=mp,
                             evidence={"numerator": mr[0], "denominator": mr[1], "hazards": [], "closed": []},
                             adjusted_score=adjusted, adjust_reason="核实后酌情给分" if adjusted is not None else "")
        Score.objects.create(assessment=a, indicator=tips, value=_old_rate(*tr), score=tp,
                             evidence={"numerator": tr[0], "denominator": tr[1], "tips": []})
        Score.objects.create(assessment=a, indicator=manual, score=D(0), adjusted_score=man, adjust_reason="按资料评分")
        rows[key] = a
    type(s).objects.filter(pk=s.pk).update(status="finalised")  # can no longer be recomputed
    return rows


def _historical_apps():
    """The models as the migration sees them when it runs (its project state), not today's classes."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    return MigrationExecutor(connection).loader.project_state(("assessment", "0005_rescore_not_applicable_rates")).apps


@pytest.mark.parametrize("models", ["historical", "current"])
def test_old_scores_of_nothing_to_count_are_rescored_as_not_applicable(world, old_set, models):
    s, major, tips, _manual = old_set
    rows = _write_old_way(world, old_set)
    for key, (_mr, mp, _tr, tp, man, total, *_rest, adjusted) in OLD.items():  # the table adds up (the old sum)
        assert total == (adjusted if adjusted is not None else mp) + tp + man, key

    migration.rescore(_historical_apps() if models == "historical" else apps, None)

    lines = {"major": major, "tips": tips}
    for key, a in rows.items():
        a.refresh_from_db()
        total, rating, rank_, not_applicable = NEW[key]
        assert (a.total, a.rating, a.rank) == (total, rating, rank_), key
        for name, indicator in lines.items():
            sc = a.scores.get(indicator=indicator)
            if name in not_applicable:
                assert (sc.value, sc.score) == (None, None), (key, name)
            else:
                assert sc.value is not None and sc.score == (OLD[key][1] if name == "major" else OLD[key][3]), (key, name)
        if key == "E":
            assert a.scores.get(indicator=major).final == D("15.00")  # the reviewer's figure stays and counts
    s.refresh_from_db()
    assert s.status == "finalised"


def test_every_changed_result_has_an_event_with_the_old_and_new_figures(world, old_set):
    rows = _write_old_way(world, old_set)
    migration.rescore(apps, None)
    events = {e.object_id: e for e in Event.objects.filter(verb="assessment.rescored")}
    # changed: every unit with a 0-of-0 line, and G, whose rank moved (5 → 3); nothing else
    assert set(events) == {rows[k].pk for k in ("A", "B", "C", "D", "E", "F", "G")}
    a = events[rows["A"].pk]
    assert a.actor is None and a.actor_role == "system" and (a.from_state, a.to_state) == ("good", "pass")
    assert a.data["total"] == ["82.50", "75.00"] and a.data["rank"] == [3, 4]
    assert a.data["not_applicable"] == sorted([old_set[1].pk, old_set[2].pk])
    assert events[rows["G"].pk].data["not_applicable"] == [] and events[rows["G"].pk].data["rank"] == [5, 3]
    from core import labels

    assert "assessment.rescored" in labels.VERBS  # the sheet's history shows it in Chinese (a migration's verb
    # is not found by core/tests/test_labels.py's scan of the services)


def test_running_it_again_changes_nothing(world, old_set):
    rows = _write_old_way(world, old_set)
    migration.rescore(apps, None)
    after = {k: Assessment.objects.values("total", "rating", "rank").get(pk=a.pk) for k, a in rows.items()}
    count = Event.objects.filter(verb="assessment.rescored").count()
    migration.rescore(apps, None)
    assert {k: Assessment.objects.values("total", "rating", "rank").get(pk=a.pk) for k, a in rows.items()} == after
    assert Event.objects.filter(verb="assessment.rescored").count() == count


def test_results_computed_by_the_current_code_are_left_alone(world):
    """A set computed since 1.8.0 already has null lines: the step finds nothing to do."""
    committee = world.user("committee")
    s = services.create_set(committee, year=2025, name="新算的考评", defaults=False)
    services.add_indicator(committee, s, name="举报办结率", weight=10, kind="computed", source="tips_closed_rate",
                           bands=RATE)
    services.add_indicator(committee, s, name="责任制落实", weight=90, kind="manual")
    services.compute(committee, s)
    before = list(Assessment.objects.filter(indicator_set=s).values_list("pk", "total", "rating", "rank"))
    migration.rescore(apps, None)
    assert list(Assessment.objects.filter(indicator_set=s).values_list("pk", "total", "rating", "rank")) == before
    assert not Event.objects.filter(verb="assessment.rescored").exists()


@pytest.mark.parametrize("note, stored, old_rating, effects", [
    ("", "good", "excellent", {"no_excellent"}),  # shown by the rating: 优秀 by the total, stored 良好
    ("", "fail", "pass", {"veto"}),  # 不合格 where the total gave 合格
    ("重大事故及以上1起：一票否决", "fail", "fail", {"veto"}),  # invisible in the rating, named in the note
    ("较大事故及以上1起：一票否优", "good", "good", {"no_excellent"}),
    ("", "pass", "pass", set()),
])
def test_the_vetoes_a_stored_result_carries(note, stored, old_rating, effects):
    assert migration.stored_effects(note, stored, old_rating) == effects
