"""Case stages and their transition table — pure Python, no ORM.

立案 → 调查取证 → 告知 → 决定 → 执行 → 结案. A case may be closed straight after the decision
(nothing left to execute, e.g. 不予处罚) and before any decision only as 不予立案/撤案 from
filing or investigation.
"""

from dataclasses import dataclass

FILED, INVESTIGATING, NOTIFIED, DECIDED, EXECUTING, CLOSED = (
    "filed", "investigating", "notified", "decided", "executing", "closed")
STAGES = (FILED, INVESTIGATING, NOTIFIED, DECIDED, EXECUTING, CLOSED)
ACTIONS = ("investigate", "notify", "decide", "execute", "close")

TRANSITIONS: dict[tuple[str, str], str] = {
    (FILED, "investigate"): INVESTIGATING,
    (INVESTIGATING, "notify"): NOTIFIED,
    (NOTIFIED, "decide"): DECIDED,
    (DECIDED, "execute"): EXECUTING,
    (DECIDED, "close"): CLOSED,
    (EXECUTING, "close"): CLOSED,
    (FILED, "close"): CLOSED,
    (INVESTIGATING, "close"): CLOSED,
}

#: stages in which decisions may be recorded
DECISION_STAGES = (NOTIFIED, DECIDED, EXECUTING)

LABELS = {"investigate": "开始调查取证", "notify": "送达告知", "decide": "作出决定", "execute": "进入执行", "close": "结案"}


@dataclass(frozen=True)
class Context:
    has_decision: bool = False
    has_note: bool = False


def refusal(stage: str, action: str, ctx: Context) -> str | None:
    """Why ``action`` is not allowed in ``stage`` (None when it is)."""
    if (stage, action) not in TRANSITIONS:
        return "当前阶段不能执行该操作。"
    if action == "decide" and not ctx.has_decision:
        return "请先作出至少一项处理决定。"
    if action == "close" and stage in (FILED, INVESTIGATING) and not ctx.has_note:
        return "未作出决定即结案（不予立案/撤案）须说明理由。"
    return None


def target_state(stage: str, action: str) -> str:
    return TRANSITIONS[(stage, action)]


def available_actions(stage: str) -> list[str]:
    return [a for a in ACTIONS if (stage, a) in TRANSITIONS]
