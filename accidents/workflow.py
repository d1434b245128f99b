"""Accident lifecycle, grading and deadlines — pure Python, no ORM.

Grading (493号令 art. 3): an accident takes the highest grade any one of its figures reaches.
"以上" includes the bound, "以下" excludes it, so a threshold is a minimum: 3 deaths is 较大,
2 is 一般. The thresholds themselves are data (``GradeThreshold`` rows), passed in here.

Lifecycle: reported → investigating → report_submitted → closed (批复) → evaluated (一年内评估,
published).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

GENERAL = "general"
LARGER = "larger"
MAJOR = "major"
ESPECIALLY_MAJOR = "especially_major"
GRADES = (GENERAL, LARGER, MAJOR, ESPECIALLY_MAJOR)  # ascending severity

REPORTED = "reported"
INVESTIGATING = "investigating"
REPORT_SUBMITTED = "report_submitted"
CLOSED = "closed"
EVALUATED = "evaluated"
STATES = (REPORTED, INVESTIGATING, REPORT_SUBMITTED, CLOSED, EVALUATED)

# action -> (from states, to state)
# 挂牌督办 of an investigation (REPORTED/INVESTIGATING, by a committee office) changes no state.
SUPERVISION_STATES = (REPORTED, INVESTIGATING)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "start_investigation": ((REPORTED,), INVESTIGATING),
    "extend_investigation": ((INVESTIGATING,), INVESTIGATING),
    "escalate": ((INVESTIGATING,), INVESTIGATING),
    "submit_report": ((INVESTIGATING,), REPORT_SUBMITTED),
    "approve": ((REPORT_SUBMITTED,), CLOSED),
    "publish_evaluation": ((CLOSED,), EVALUATED),
}


@dataclass(frozen=True)
class Threshold:
    """Minimum figures of one grade (any one reached is enough)."""

    grade: str
    min_deaths: int
    min_injuries: int
    min_loss: Decimal  # 万元


def compute_grade(deaths: int, injuries: int, loss: Decimal, thresholds: list[Threshold]) -> str:
    """The highest grade one of the three figures reaches; 一般 when none reaches any threshold."""
    loss = Decimal(loss or 0)
    best = GENERAL
    for t in thresholds:
        if deaths >= t.min_deaths or injuries >= t.min_injuries or loss >= t.min_loss:
            if GRADES.index(t.grade) > GRADES.index(best):
                best = t.grade
    return best


def report_deadline(learned_at: datetime.datetime, hours: int) -> datetime.datetime:
    """art. 9: the principal reports within ``hours`` of learning of the accident."""
    return learned_at + datetime.timedelta(hours=hours)


def is_late(learned_at, reported_at, hours: int) -> bool:
    return reported_at > report_deadline(learned_at, hours)


def supplement_until(occurred_on: datetime.date, days: int) -> datetime.date:
    """art. 13: casualty changes within ``days`` of the accident day are reported (补报). The
    accident day is day 0, so the window closes at the end of occurred_on + days."""
    return occurred_on + datetime.timedelta(days=days)


def investigation_deadline(occurred_on: datetime.date, days: int, extension_days: int = 0) -> datetime.date:
    """art. 29: the report is due ``days`` after the accident, plus any approved extension."""
    return occurred_on + datetime.timedelta(days=days + extension_days)


def evaluation_deadline(closed_on: datetime.date, days: int) -> datetime.date:
    return closed_on + datetime.timedelta(days=days)


@dataclass(frozen=True)
class Facts:
    is_investigator: bool = False  # writes for the investigating authority (or its committee office)
    is_approver: bool = False  # a leader of the investigating authority / its committee office
    already_extended: bool = False
    extension_days: int = 0
    max_extension_days: int = 60
    already_escalated: bool = False
    has_parent_level: bool = True
    has_team: bool = False
    has_chapters: bool = False
    open_measures: int = 0
    has_findings: bool = False


def refusal(state: str, action: str, f: Facts) -> str | None:
    """Why ``action`` may not happen now (Chinese), or None."""
    if action not in TRANSITIONS:
        return "未知操作。"
    if state not in TRANSITIONS[action][0]:
        return "当前状态下不能执行该操作。"
    if action == "approve":
        if not f.is_approver:
            return "只有负责事故调查的人民政府（安委会办公室）领导可以批复。"
    elif not f.is_investigator:
        return "只有负责事故调查的单位可以办理。"
    if action == "start_investigation" and not f.has_team:
        return "请写明调查组组长和成员。"
    if action == "extend_investigation":
        if f.already_extended:
            return "调查期限只能延长一次。"
        if not 0 < f.extension_days <= f.max_extension_days:
            return f"延长期限须为1至{f.max_extension_days}日。"
    if action == "escalate":
        if f.already_escalated:
            return "该事故已提级调查。"
        if not f.has_parent_level:
            return "已无上一级人民政府可提级。"
    if action == "submit_report" and not f.has_chapters:
        return "调查报告须包含技术问题专篇和管理问题专篇。"
    if action == "publish_evaluation":
        if not f.has_findings:
            return "请填写评估发现（问题整改、防范措施落实、责任人处理情况）。"
        if f.open_measures:
            return f"尚有{f.open_measures}项暴露问题整改措施未验收，不能发布评估结果。"
    return None


def target(action: str, state: str) -> str:
    return TRANSITIONS[action][1]


def allowed_actions(state: str, f: Facts) -> list[str]:
    return [a for a in TRANSITIONS if refusal(state, a, f) is None]


# ---------------------------------------------------------------- exposed-problem measures (like hazards)

M_OPEN = "open"
M_PENDING = "pending_acceptance"
M_CLOSED = "closed"
MEASURE_STATES = (M_OPEN, M_PENDING, M_CLOSED)
MEASURE_TRANSITIONS = {
    "submit_completion": ((M_OPEN,), M_PENDING),
    "accept": ((M_PENDING,), M_CLOSED),
    "reject": ((M_PENDING,), M_OPEN),
}


def measure_refusal(state: str, action: str, *, is_owner: bool, is_investigator: bool, note: str) -> str | None:
    if action not in MEASURE_TRANSITIONS:
        return "未知操作。"
    if state not in MEASURE_TRANSITIONS[action][0]:
        return "当前状态下不能执行该操作。"
    if action == "submit_completion":
        if not (is_owner or is_investigator):
            return "只有责任单位可以报送整改完成情况。"
        if not note.strip():
            return "请说明整改完成情况。"
    if action in ("accept", "reject"):
        if not is_investigator:
            return "只有负责事故调查的单位可以验收。"
        if action == "reject" and not note.strip():
            return "请写明不予验收的理由。"
    return None
