"""Reward rules of 《安全生产领域举报奖励办法》(安监总财〔2018〕19号) — checks, read-only.

* Condition (art. 6): 举报事项事先未被负有安全生产监督管理职责的部门掌握，或者虽被掌握但尚未采取措施,
  and verified. A hazard already in the ledger before the tip counts as known to the departments;
  "measures taken" = a governance plan, rectification or acceptance under way before the tip
  (RULES.md §1).
* Concealed / falsely reported accidents: per verified death, by accident grade, with a cap
  (RewardPolicy kind "death", RULES.md §1). The grade of the standard may not be lower than the
  verified deaths make the accident (国务院令第493号 art. 3: 3–9 deaths at least 较大, 10–29 重大,
  ≥ 30 特别重大 — the accidents app's GradeThreshold rows); when the tip's concealed accident is
  recorded (accidents.services.record_concealed_from_tip), its deaths and grade are the facts."""

from django.utils import timezone

from . import workflow

ARTICLE = "《安全生产领域举报奖励办法》第六条"
#: events on a hazard that mean the departments had taken measures (plan, rectification, acceptance)
MEASURE_VERBS = ("hazard.submit_plan", "hazard.submit_completion", "hazard.close_now", "hazard.accept")


def measures_before(hazard, moment):
    """The first measure event on ``hazard`` before ``moment`` (or None)."""
    from core.models import Event

    return (Event.objects.filter(object_type="hazards.hazard", object_id=hazard.pk, verb__in=MEASURE_VERBS,
                                 created_at__lt=moment).order_by("created_at").first())


def first_reporter(hazard):
    """Of the accepted tips about ``hazard``, the one whose reporter is rewarded (RULES.md §1,
    several reporters of the same thing: the first accepted real-name reporter; with none
    real-name, the first accepted)."""
    from .models import Tip

    accepted = Tip.objects.filter(hazard=hazard, accepted_at__isnull=False).order_by("accepted_at", "pk")
    return accepted.filter(anonymous=False).first() or accepted.first()


def reward_refusal(tip, line: str = "reporter") -> str | None:
    """Why the tip does not meet the reward condition (Chinese, shown to the handler), or None."""
    if tip.result not in (workflow.RESULT_TRUE, workflow.RESULT_PARTLY):
        return f"举报事项未经核查属实，不予奖励（{ARTICLE}）。"
    hazard = tip.hazard
    if hazard is not None and line == "reporter":
        first = first_reporter(hazard)
        if first is not None and first.pk != tip.pk:
            return (f"同一事项已有{'实名' if not first.anonymous else ''}举报（{first.number}）先被受理："
                    f"多人举报同一事项的，奖励最先受理的实名举报人（联名举报的奖励可由其分配）。")
    if hazard is None or hazard.first_reported_at >= tip.submitted_at:
        return None  # not in the ledger before the tip: not known beforehand
    measure = measures_before(hazard, tip.submitted_at)
    if measure is None:
        return None  # known, but no measures taken yet: rewardable
    known = timezone.localtime(hazard.first_reported_at).strftime("%Y-%m-%d")
    taken = timezone.localtime(measure.created_at).strftime("%Y-%m-%d")
    return (f"举报事项在举报前已被负有安全生产监督管理职责的部门掌握（{hazard.number}，{known}登记）并已采取措施"
            f"（{taken}起整改），不符合{ARTICLE}规定的奖励条件。")


def verified_deaths(tip, policy, deaths) -> int | None:
    """The deaths a per-death standard counts, checked against the standard's accident grade
    (raises ServiceError with the field). None for other standards."""
    from accidents.rules import grade_of
    from accidents.services import concealed_accident_for_tip
    from accidents.workflow import GRADES
    from core.services import ServiceError

    from .models import ACCIDENT_GRADES, RewardPolicy

    if policy.kind != RewardPolicy.Kind.PER_DEATH:
        return None
    labels = dict(ACCIDENT_GRADES)
    if policy.accident_grade not in GRADES:
        raise ServiceError(f"奖励标准“{policy.name}”未注明事故等级，无法核对查实的死亡人数，请由管理员补正。", "policy")
    if deaths not in (None, ""):
        try:
            deaths = int(deaths)
        except (TypeError, ValueError):
            raise ServiceError("死亡人数须为整数。", "deaths") from None
    accident = concealed_accident_for_tip(tip)
    if accident is not None:
        if deaths not in (None, "") and deaths != accident.deaths:
            raise ServiceError(f"该举报登记的瞒报事故（{accident.number}）查实死亡{accident.deaths}人，"
                               f"与填写的{deaths}人不符。", "deaths")
        deaths = accident.deaths
        if policy.accident_grade != accident.grade:
            raise ServiceError(f"该举报登记的瞒报事故（{accident.number}）为{labels[accident.grade]}，"
                               f"不能按“{policy.name}”的标准奖励。", "policy")
    if deaths in (None, "") or deaths < 1:
        raise ServiceError("举报瞒报、谎报事故的奖励须填写查实的死亡人数（至少1人）。", "deaths")
    implied = grade_of(deaths, 0, 0)
    if GRADES.index(policy.accident_grade) < GRADES.index(implied):
        raise ServiceError(f"查实死亡{deaths}人，按《生产安全事故报告和调查处理条例》（国务院令第493号）第三条"
                           f"至少为{labels[implied]}，不能按“{policy.name}”的标准奖励。", "policy")
    return deaths
