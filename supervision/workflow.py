"""The 挂牌督办 lifecycle as data. Pure Python, no ORM.

    proposed ──approve (安委会 leader, not the proposer)──► listed ──request_delisting (hazard 销号)──► delisting_requested
    proposed ──decline (leader, reason)──► declined
    delisting_requested ──accept_delisting (leader)──► delisted (摘牌, public notice)
    delisting_requested ──refuse_delisting (leader, reason)──► listed
    listed ──report_progress (enterprise)── (state kept)

Actor roles: "proposer" (committee office staff whose region covers the hazard), "leader"
(leader/admin of the listing body), "enterprise" (staff of the hazard's enterprise),
"department" (the responsible department), "superuser".
"""

from dataclasses import dataclass

PROPOSED = "proposed"
LISTED = "listed"
DELISTING_REQUESTED = "delisting_requested"
DELISTED = "delisted"
DECLINED = "declined"

STATES = (PROPOSED, LISTED, DELISTING_REQUESTED, DELISTED, DECLINED)
ACTIVE_STATES = (PROPOSED, LISTED, DELISTING_REQUESTED)
SUPERVISED_STATES = (LISTED, DELISTING_REQUESTED)

LEVELS = ("province", "city", "county")
OVERDUE_ESCALATION_DAYS = 30
DEFAULT_REPORT_EVERY_DAYS = 30


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple
    target: str | None
    roles: tuple


TRANSITIONS = {
    t.action: t
    for t in (
        Transition("approve", "批准挂牌", (PROPOSED,), LISTED, ("leader", "superuser")),
        Transition("decline", "不予挂牌", (PROPOSED,), DECLINED, ("leader", "superuser")),
        Transition("report_progress", "报告整改进展", (LISTED,), None, ("enterprise", "superuser")),
        Transition("request_delisting", "申请摘牌", (LISTED,), DELISTING_REQUESTED,
                   ("enterprise", "department", "proposer", "leader", "superuser")),
        Transition("accept_delisting", "同意摘牌", (DELISTING_REQUESTED,), DELISTED, ("leader", "superuser")),
        Transition("refuse_delisting", "不同意摘牌", (DELISTING_REQUESTED,), LISTED, ("leader", "superuser")),
    )
}
ACTIONS = tuple(TRANSITIONS)


@dataclass(frozen=True)
class Context:
    is_proposer: bool = False  # the actor proposed this listing
    hazard_closed: bool = False  # the hazard is 销号 (closed)
    has_reason: bool = False


def refusal(state: str, action: str, roles: set, ctx: Context) -> str | None:
    """Why an actor with ``roles`` may not do ``action`` in ``state`` (Chinese), or None."""
    t = TRANSITIONS.get(action)
    if t is None:
        return "未知操作。"
    if state not in t.sources:
        return f"当前状态不能执行“{t.label}”。"
    if not set(roles) & set(t.roles):
        if "leader" in t.roles and "enterprise" not in t.roles:
            return f"“{t.label}”须由挂牌单位（安委会）负责人审批。"
        return f"您不能执行“{t.label}”。"
    if action == "approve" and ctx.is_proposer and "superuser" not in roles:
        return "审批人不能是挂牌建议的提出人。"
    if action == "request_delisting" and not ctx.hazard_closed:
        return "隐患整改验收销号后方可申请摘牌。"
    if action in ("decline", "refuse_delisting") and not ctx.has_reason:
        return "请填写理由。"
    return None


def target_state(state: str, action: str) -> str:
    return TRANSITIONS[action].target or state


def available_actions(state: str, roles: set) -> list[str]:
    return [a for a, t in TRANSITIONS.items() if state in t.sources and set(roles) & set(t.roles)]
