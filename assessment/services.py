"""The only code that writes assessments: guard → transaction → compare-and-set → event."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from accounts.permissions import actor_org, membership
from core.events import record
from core.services import NotPermitted, ServiceError, StaleState, lock

from . import sources, workflow
from .models import Assessment, Debrief, Indicator, IndicatorSet, Score, VetoRule

# Example indicator set offered when a committee office starts a year (editable afterwards; the
# weights and bands are a local choice, not law — seed 003 (二十六) asks for a mix of process and
# result, quantitative and qualitative indicators).
DEFAULT_INDICATORS = [
    ("重大事故隐患整改率", 20, "computed", "major_rectification_rate", "higher",
     [{"limit": 1, "score": 100}, {"limit": 0.9, "score": 80}, {"limit": 0.8, "score": 60}]),
    ("超期未整改隐患", 15, "computed", "hazards_overdue", "lower",
     [{"limit": 0, "score": 100}, {"limit": 2, "score": 70}, {"limit": 5, "score": 40}]),
    ("监督检查家次", 15, "computed", "inspections", "higher",
     [{"limit": 20, "score": 100}, {"limit": 10, "score": 70}, {"limit": 1, "score": 40}]),
    ("执法立案", 10, "computed", "enforcement_cases", "higher",
     [{"limit": 5, "score": 100}, {"limit": 1, "score": 60}]),
    ("举报办结率", 10, "computed", "tips_closed_rate", "higher",
     [{"limit": 1, "score": 100}, {"limit": 0.8, "score": 70}]),
    ("生产安全事故死亡人数", 15, "computed", "accident_deaths", "lower",
     [{"limit": 0, "score": 100}, {"limit": 1, "score": 60}, {"limit": 2, "score": 30}]),
    ("安全生产责任制落实（述职、会议、培训）", 15, "manual", "", "higher", []),
]
DEFAULT_VETOES = [("larger", workflow.NO_EXCELLENT), ("major", workflow.VETO)]  # created with every set


def is_reviewer(actor, indicator_set: IndicatorSet) -> bool:
    if actor is None or actor.is_superuser:
        return True
    m = membership(actor)
    return bool(m and m.can_write and m.organisation_id == indicator_set.organisation_id)


def _require_reviewer(actor, s):
    if not is_reviewer(actor, s):
        raise NotPermitted("只有考评组织单位（安委会办公室）可以办理。")


def create_set(actor, *, year: int, name: str, defaults: bool = True) -> IndicatorSet:
    org = actor_org(actor)
    if org is None or org.kind != Organisation.Kind.COMMITTEE or not membership(actor).can_write:
        raise NotPermitted("只有安全生产委员会办公室可以制定考评指标。")
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写名称。", "name")
    if not 2000 <= int(year) <= 2100:
        raise ServiceError("年度无效。", "year")
    if IndicatorSet.objects.filter(organisation=org, year=year).exists():
        raise ServiceError("该年度的考评指标已存在。", "year")
    with transaction.atomic():
        s = IndicatorSet(year=year, name=name[:150], organisation=org)
        s.set_region_codes(org.region)
        s.save()
        if defaults:
            for i, (n, w, kind, source, direction, bands) in enumerate(DEFAULT_INDICATORS):
                Indicator.objects.create(indicator_set=s, name=n, weight=w, kind=kind, source=source,
                                         direction=direction, bands=bands, sort=i)
        for grade, effect in DEFAULT_VETOES:  # seed 003 (二十六): 较大事故一票否优, 重大以上事故一票否决
            VetoRule.objects.create(indicator_set=s, min_grade=grade, effect=effect)
        record(actor, "assessment.set_created", s, to_state=s.status, data={"year": year})
    return s


def add_indicator(actor, s: IndicatorSet, *, name: str, weight, kind: str, source: str = "", direction: str = "higher",
                  bands: list | None = None) -> Indicator:
    _require_reviewer(actor, s)
    if s.status == workflow.FINALISED:
        raise ServiceError("考评结果已确定，不能修改指标。", None)
    if kind not in Indicator.Kind.values:
        raise ServiceError("指标类型无效。", "kind")
    if kind == Indicator.Kind.COMPUTED and source not in sources.SOURCES:
        raise ServiceError("系统计算的指标须选择数据来源。", "source")
    try:
        weight = Decimal(str(weight))
    except (InvalidOperation, ValueError, TypeError):
        raise ServiceError("分值须为数字。", "weight") from None
    if not weight.is_finite():
        raise ServiceError("分值须为数字。", "weight")
    if weight <= 0:
        raise ServiceError("分值须大于0。", "weight")
    if weight > IndicatorSet.MAX_TOTAL_WEIGHT:  # one indicator: also beyond the numeric(6, 2) weight column
        raise ServiceError(f"分值不能超过{IndicatorSet.MAX_TOTAL_WEIGHT}分。", "weight")
    cleaned = []
    for n, band in enumerate(bands or [], start=1):
        if not isinstance(band, dict) or "limit" not in band or "score" not in band:
            raise ServiceError("评分档次格式不正确。", "bands")
        try:
            cleaned.append(Indicator.clean_band(band["limit"], band["score"]))
        except ValueError as exc:
            raise ServiceError(f"第{n}档{exc}。", "bands") from None
    with transaction.atomic():
        s = lock(s)  # serialised: two additions may not pass the set's total together
        taken = sum(s.indicators.values_list("weight", flat=True), Decimal(0))
        if taken + weight > IndicatorSet.MAX_TOTAL_WEIGHT:  # a unit's 总分 reaches the sum (numeric(7, 2))
            raise ServiceError(f"本套指标分值合计不能超过{IndicatorSet.MAX_TOTAL_WEIGHT}分（已有{taken}分）。", "weight")
        ind = Indicator.objects.create(indicator_set=s, name=(name or "").strip()[:100] or "未命名指标", weight=weight,
                                       kind=kind, source=source if kind == "computed" else "", direction=direction,
                                       bands=cleaned, sort=s.indicators.count())
        record(actor, "assessment.indicator_added", s, note=ind.name, data={"indicator": ind.pk})
    return ind


def units_of(s: IndicatorSet) -> list[Organisation]:
    """The assessed units: township offices inside the set's region and the member departments at it."""
    region = s.organisation.region
    return list(Organisation.objects.filter(is_active=True).filter(
        kind__in=(Organisation.Kind.TOWNSHIP, Organisation.Kind.DEPARTMENT),
        **{f"{region.level}_code": region.code}).exclude(region__level=region.level, kind=Organisation.Kind.TOWNSHIP)
        .select_related("region", "department_type").order_by("kind", "name"))


#: the job kind that runs ``compute`` on the task queue (assessment/jobs.py registers it)
COMPUTE_KIND = "assessment.compute"


def _require_computable(actor, s: IndicatorSet) -> None:
    _require_reviewer(actor, s)
    if s.status == workflow.FINALISED:
        raise ServiceError("考评结果已确定，不能重新计算。", None)


def start_compute(actor, s: IndicatorSet):
    """Queue ``compute`` of ``s`` as a background job for ``actor`` (the same checks as ``compute``
    first; the job checks again when it runs, as ``actor``). While a computation of ``s`` is queued,
    running or waiting for a retry, that job is returned instead of a second one (the set's row is
    locked while this is decided). Returns ``(job, started)``."""
    from jobs import services as jobs
    from jobs.models import Job

    if actor is None:
        raise NotPermitted("请登录后再计算考评结果。")
    _require_computable(actor, s)
    with transaction.atomic():
        lock(s)  # two clicks at once: the second waits here, then finds the first one's job
        _require_computable(actor, s)
        if computing(s):
            return Job.objects.get(pk=s.computation_id), False
        job = jobs.submit(actor, COMPUTE_KIND, f"计算考评结果：{s}", {"set": s.pk}, queue=False)
        if IndicatorSet.objects.filter(pk=s.pk, computation_id=s.computation_id).update(computation=job) != 1:
            raise StaleState()
        s.computation = job
    jobs.enqueue(job.pk)  # after the commit: the worker finds the job and the set pointing at it
    job.refresh_from_db()
    return job, True


def compute(actor, s: IndicatorSet, progress=None) -> list[Assessment]:
    """(Re)compute every unit's computed scores, totals, ratings with vetoes, and ranks. Manual
    scores and adjustments are kept. ``progress(done, total)``, when given, is called before the
    first unit and after each one (the job's progress bar: units done / total)."""
    _require_computable(actor, s)
    indicators = list(s.indicators.all())
    vetoes = list(s.vetoes.all())
    now = timezone.now()
    out = []
    with transaction.atomic():
        units = units_of(s)
        if progress:
            progress(0, len(units))
        for unit in units:
            a, _ = Assessment.objects.get_or_create(indicator_set=s, unit=unit)
            for ind in indicators:
                sc, _ = Score.objects.get_or_create(assessment=a, indicator=ind)
                if ind.kind == Indicator.Kind.COMPUTED:
                    value, evidence = sources.SOURCES[ind.source](unit, s.year)
                    sc.value, sc.evidence = value, evidence
                    sc.score = workflow.indicator_score(ind.weight, value, ind.bands, ind.direction)
                    sc.save(update_fields=["value", "evidence", "score"])
            _rate(a, s, vetoes)
            a.computed_at = now
            a.save(update_fields=["total", "rating", "veto_note", "computed_at"])
            out.append(a)
            if progress:
                progress(len(out), len(units))
        _rank(out)
        if IndicatorSet.objects.filter(pk=s.pk, status=s.status).update(status=workflow.COMPUTED) != 1:
            if IndicatorSet.objects.filter(pk=s.pk, status=workflow.FINALISED).exists():
                raise ServiceError("考评结果已确定，不能重新计算。", None)  # finalised while this ran
            raise StaleState()
        old, s.status = s.status, workflow.COMPUTED
        record(actor, "assessment.computed", s, from_state=old, to_state=s.status, data={"units": len(out)})
    return out


def _total(a: Assessment) -> Decimal:
    """The unit's total over its indicators (those not applicable to it converted away: workflow.total_of)."""
    return workflow.total_of([(sc.indicator.weight, sc.final) for sc in a.scores.select_related("indicator")])


def _rate(a: Assessment, s: IndicatorSet, vetoes) -> None:
    """Set the unit's total, its rating with the vetoes that apply now and the note that explains
    them (否决情况) — together, so a rating changed by a veto always says why (compute and adjust)."""
    a.total = _total(a)
    effects, notes = sources.veto_effects(a.unit, s.year, vetoes)
    a.rating = workflow.apply_vetoes(workflow.rating_of(a.total, s.thresholds()), effects)
    a.veto_note = "；".join(notes)[:200]


def _rank(assessments):
    """Rank townships and departments separately."""
    for kind in (Organisation.Kind.TOWNSHIP, Organisation.Kind.DEPARTMENT):
        group = [a for a in assessments if a.unit.kind == kind]
        places = workflow.rank([(a.pk, a.total) for a in group])
        for a in group:
            a.rank = places[a.pk]
            Assessment.objects.filter(pk=a.pk).update(rank=a.rank)


def adjust(actor, score: Score, *, new_score, reason: str) -> Score:
    """A reviewer sets a manual score or adjusts a computed one — always with a reason (event)."""
    s = score.assessment.indicator_set
    try:
        new_score = Decimal(str(new_score))
    except (InvalidOperation, ValueError, TypeError):
        raise ServiceError("得分须为数字。", "new_score") from None
    if not new_score.is_finite():  # NaN: no comparison (an InvalidOperation, a 500)
        raise ServiceError("得分须为数字。", "new_score")
    why = workflow.adjust_refusal(s.status, reason or "", new_score, score.indicator.weight, is_reviewer(actor, s))
    if why:
        field = "reason" if "理由" in why else ("new_score" if "得分须" in why else None)
        raise ServiceError(why, field, "permission_denied" if "只有" in why else "invalid")
    before = score.final
    with transaction.atomic():
        if Score.objects.filter(pk=score.pk, adjusted_score=score.adjusted_score).update(
                adjusted_score=new_score, adjust_reason=reason.strip()) != 1:
            raise StaleState()
        score.adjusted_score, score.adjust_reason = new_score, reason.strip()
        a = score.assessment
        _rate(a, s, list(s.vetoes.all()))
        a.save(update_fields=["total", "rating", "veto_note"])
        _rank(list(Assessment.objects.filter(indicator_set=s).select_related("unit")))
        record(actor, "assessment.score_adjusted", a, note=reason.strip(),
               data={"indicator": score.indicator_id, "from": str(before), "to": str(new_score)})
    return score


def computing(s: IndicatorSet) -> bool:
    """Whether the set's latest computation job is still queued, running or waiting for a retry."""
    from jobs.models import Job

    return Job.objects.filter(pk=s.computation_id).exclude(status__in=(Job.Status.DONE, Job.Status.FAILED)).exists()


def finalise(actor, s: IndicatorSet) -> IndicatorSet:
    """Fix the results — not while a (re)computation is queued or running: it would replace the
    results being fixed (the computation itself would then be refused)."""
    _require_reviewer(actor, s)
    if s.status != workflow.COMPUTED:
        raise ServiceError("请先计算考评结果。", None)
    with transaction.atomic():
        lock(s)  # start_compute locks it too: a computation is either queued before this or refused after
        if computing(s):
            raise ServiceError("正在计算考评结果，请等计算完成后再确定。", None)
        if IndicatorSet.objects.filter(pk=s.pk, status=workflow.COMPUTED).update(status=workflow.FINALISED) != 1:
            raise StaleState()
        s.status = workflow.FINALISED
        record(actor, "assessment.finalised", s, from_state=workflow.COMPUTED, to_state=s.status)
    return s


def add_debrief(actor, a: Assessment, *, leader_name: str, position: str, held_on, content: str) -> Debrief:
    """述职 record: entered by the assessed unit itself or by the reviewer."""
    if not (is_reviewer(actor, a.indicator_set) or (membership(actor) and membership(actor).can_write
                                                     and membership(actor).organisation_id == a.unit_id)):
        raise NotPermitted("只有被考评单位或考评组织单位可以登记述职。")
    for field, label, value in (("leader_name", "述职人", leader_name), ("position", "职务", position),
                                ("content", "述职内容", content)):
        if not (value or "").strip():
            raise ServiceError(f"请填写{label}。", field)
    if held_on is None:
        raise ServiceError("请填写述职日期。", "held_on")
    with transaction.atomic():
        d = Debrief.objects.create(assessment=a, leader_name=leader_name.strip()[:60], position=position.strip()[:100],
                                   held_on=held_on, content=content.strip(), created_by=actor)
        record(actor, "assessment.debrief_added", a, note=d.leader_name)
    return d
