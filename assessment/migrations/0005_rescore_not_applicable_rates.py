"""Scores stored before 0004 for a rate with nothing to count (0 of 0) hold value 1 (100 %) and the
points of the band 100 % reaches — usually the whole weight. Since API 1.8.0 such an indicator is not
applicable (不适用): value and score null, the total converted over the scored indicators (缺项折算).
A computed (not finalised) set is put right by its next computation; a finalised one can no longer
be recomputed and would keep the old figures for ever. This step rescores every stored set the way
the code computes it now:

* a score of a rate source (重大事故隐患整改率, 举报办结率) whose evidence says 0 of 0
  (``denominator`` 0 — recorded with every rate since the app's first version) and that still has a
  value: value and score null; a reviewer's adjustment is kept (it makes the line scored);
* the assessment's total (``workflow.total_of``), rating (``workflow.rating_of`` with the set's
  thresholds, then the vetoes the stored result already carries — see ``stored_effects``) and the
  set's ranks (townships and departments apart, 1-2-2-4);
* one ``assessment.rescored`` event (actor: the system) on every assessment whose scores, total,
  rating or rank changed, with the old and new figures — a finalised result changes only with a
  trace.

The pure rules are frozen copies of ``assessment.workflow`` as it stands at 1.8.0 (a migration must
not change when that module does). Tested in ``assessment/tests/test_rescore_migration.py``.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations

RATE_SOURCES = ("major_rectification_rate", "tips_closed_rate")
EXCELLENT, GOOD, PASS, FAIL = "excellent", "good", "pass", "fail"
NO_EXCELLENT, VETO = "no_excellent", "veto"
#: how compute writes an effect into ``Assessment.veto_note`` (VetoRule.Effect labels)
EFFECT_LABELS = {NO_EXCELLENT: "一票否优", VETO: "一票否决"}
NOTE = ("比率指标无可计数（0/0）时不适用、不计分（接口 1.8.0 起）：原按 100% 计分的得分已改为不适用，"
        "总分按缺项折算、等次和排名随之重算（数据迁移 assessment 0005）。")


# ---------------------------------------------------------------- frozen rules (assessment.workflow, 1.8.0)

def total_of(scores):
    points = [p for _w, p in scores if p is not None]
    if len(points) == len(scores):
        return sum(points, Decimal(0))
    scored_weight = sum((Decimal(w) for w, p in scores if p is not None), Decimal(0))
    if not scored_weight:
        return Decimal(0)
    full_weight = sum((Decimal(w) for w, _p in scores), Decimal(0))
    return (sum(points, Decimal(0)) * full_weight / scored_weight).quantize(Decimal("0.01"), ROUND_HALF_UP)


def rating_of(total, excellent, good, passing):
    if total >= excellent:
        return EXCELLENT
    if total >= good:
        return GOOD
    if total >= passing:
        return PASS
    return FAIL


def apply_vetoes(rating, effects):
    if VETO in effects:
        return FAIL
    if NO_EXCELLENT in effects and rating == EXCELLENT:
        return GOOD
    return rating


def rank(totals):
    ordered = sorted(totals, key=lambda t: -t[1])
    out, prev, place = {}, None, 0
    for i, (key, total) in enumerate(ordered, start=1):
        if total != prev:
            place, prev = i, total
        out[key] = place
    return out


def stored_effects(veto_note: str, stored_rating: str, old_rating: str) -> set:
    """The vetoes a stored result carries, without re-deciding them from today's accident records
    (a late report must not change a finalised set here): those its ``veto_note`` names, and those its
    stored rating shows against the rating its old total gives (``old_rating``, before vetoes) — a
    不合格 where the total gave more is a 一票否决, a 良好 where it gave 优秀 a 一票否优."""
    effects = {effect for effect, label in EFFECT_LABELS.items() if label in (veto_note or "")}
    if stored_rating == FAIL and old_rating != FAIL:
        effects.add(VETO)
    if stored_rating == GOOD and old_rating == EXCELLENT:
        effects.add(NO_EXCELLENT)
    return effects


def _zero_of_zero(evidence) -> bool:
    return isinstance(evidence, dict) and evidence.get("denominator") == 0


# ---------------------------------------------------------------- the step

def rescore(apps, schema_editor):
    Score = apps.get_model("assessment", "Score")
    Assessment = apps.get_model("assessment", "Assessment")
    IndicatorSet = apps.get_model("assessment", "IndicatorSet")
    Event = apps.get_model("core", "Event")

    stale = [sc for sc in Score.objects.filter(indicator__kind="computed", indicator__source__in=RATE_SOURCES,
                                                value__isnull=False).only("pk", "assessment_id", "indicator_id", "evidence")
             if _zero_of_zero(sc.evidence)]
    if not stale:
        return
    nulled: dict[int, list[int]] = {}
    for sc in stale:
        nulled.setdefault(sc.assessment_id, []).append(sc.indicator_id)
    Score.objects.filter(pk__in=[sc.pk for sc in stale]).update(value=None, score=None)

    set_ids = set(Assessment.objects.filter(pk__in=nulled).values_list("indicator_set_id", flat=True))
    for s in IndicatorSet.objects.filter(pk__in=set_ids).order_by("pk"):
        rows = list(Assessment.objects.filter(indicator_set=s).select_related("unit").order_by("pk"))
        before = {a.pk: (a.total, a.rating, a.rank) for a in rows}
        for a in rows:
            if a.pk not in nulled:
                continue
            scores = Score.objects.filter(assessment=a).select_related("indicator")
            total = total_of([(sc.indicator.weight,
                               sc.adjusted_score if sc.adjusted_score is not None else sc.score) for sc in scores])
            old_rating = rating_of(a.total, s.excellent_min, s.good_min, s.pass_min)
            effects = stored_effects(a.veto_note, a.rating, old_rating)
            a.total = total
            a.rating = apply_vetoes(rating_of(total, s.excellent_min, s.good_min, s.pass_min), effects)
        for kind in ("township", "department"):
            group = [a for a in rows if a.unit.kind == kind]
            places = rank([(a.pk, a.total) for a in group])
            for a in group:
                a.rank = places[a.pk]
        for a in rows:
            old = before[a.pk]
            if (a.total, a.rating, a.rank) == old and a.pk not in nulled:
                continue
            Assessment.objects.filter(pk=a.pk).update(total=a.total, rating=a.rating, rank=a.rank)
            Event.objects.create(
                actor=None, actor_name="系统", actor_org=None, actor_role="system", verb="assessment.rescored",
                object_type="assessment.assessment", object_id=a.pk,
                object_repr=f"{s.year}年 {s.name} {a.unit.name}"[:200],
                from_state=old[1] or "", to_state=a.rating or "", note=NOTE,
                data={"migration": "assessment.0005", "not_applicable": sorted(nulled.get(a.pk, [])),
                      "total": [str(old[0]), str(a.total)], "rating": [old[1], a.rating], "rank": [old[2], a.rank],
                      "set_status": s.status})


class Migration(migrations.Migration):

    dependencies = [
        ("assessment", "0004_score_not_applicable"),
        ("core", "0010_securitylog_account_kinds"),
    ]

    operations = [
        migrations.RunPython(rescore, migrations.RunPython.noop),
    ]
