"""Reward rules of 《安全生产领域举报奖励办法》(安监总财〔2018〕19号) — pure checks, read-only.

* Condition (art. 6): 举报事项事先未被负有安全生产监督管理职责的部门掌握，或者虽被掌握但尚未采取措施,
  and verified. A hazard already in the ledger before the tip counts as known to the departments;
  "measures taken" = a governance plan, rectification or acceptance under way before the tip
  (RULES.md §1).
* Concealed / falsely reported accidents: per verified death, by accident grade, with a cap
  (RewardPolicy kind "death", RULES.md §1)."""

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
