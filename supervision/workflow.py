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

from core.workflow import Guard, Transition, Workflow

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
class Context:
    is_proposer: bool = False  # the actor proposed this listing
    hazard_closed: bool = False  # the hazard is 销号 (closed)
    has_reason: bool = False


ROLES = ("proposer", "leader", "enterprise", "department", "superuser")
LEADER_ONLY = "“{label}”须由挂牌单位（安委会）负责人审批。"
REASON = Guard(lambda a: a.ctx.has_reason, "请填写理由。")
NOT_PROPOSER = Guard(lambda a: not a.ctx.is_proposer or "superuser" in a.kinds, "审批人不能是挂牌建议的提出人。")
HAZARD_CLOSED = Guard(lambda a: a.ctx.hazard_closed, "隐患整改验收销号后方可申请摘牌。")

WORKFLOW = Workflow(
    name="listing",
    states=STATES,
    actor_kinds=ROLES,
    transitions=(
        Transition("approve", "批准挂牌", (PROPOSED,), LISTED, ("leader", "superuser"),
                   actor_refusal=LEADER_ONLY, guards=(NOT_PROPOSER,)),
        Transition("decline", "不予挂牌", (PROPOSED,), DECLINED, ("leader", "superuser"),
                   actor_refusal=LEADER_ONLY, guards=(REASON,)),
        Transition("report_progress", "报告整改进展", (LISTED,), None, ("enterprise", "superuser")),
        Transition("request_delisting", "申请摘牌", (LISTED,), DELISTING_REQUESTED,
                   ("enterprise", "department", "proposer", "leader", "superuser"), guards=(HAZARD_CLOSED,)),
        Transition("accept_delisting", "同意摘牌", (DELISTING_REQUESTED,), DELISTED, ("leader", "superuser"),
                   actor_refusal=LEADER_ONLY),
        Transition("refuse_delisting", "不同意摘牌", (DELISTING_REQUESTED,), LISTED, ("leader", "superuser"),
                   guards=(REASON,), actor_refusal=LEADER_ONLY),
    ),
)
TRANSITIONS = WORKFLOW.by_action
ACTIONS = WORKFLOW.actions


def refusal(state: str, action: str, roles: set, ctx: Context) -> str | None:
    """Why an actor with ``roles`` may not do ``action`` in ``state`` (Chinese), or None."""
    return WORKFLOW.refusal(state, action, roles, ctx)


def target_state(state: str, action: str) -> str:
    return WORKFLOW.target(state, action)


def available_actions(state: str, roles: set) -> list[str]:
    return WORKFLOW.available(state, roles, Context())
