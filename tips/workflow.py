"""Tip lifecycle: states, the transition table and its guards — pure Python, no ORM.

submitted → accepted → verifying → verified → reward_decided → closed; a tip that is "not ours"
is transferred (naming the unit and why); a verified tip without a reward (one that meets the reward
condition only with a recorded reason), and a duplicate, is closed directly.
"""

from dataclasses import dataclass

from core.workflow import Guard, Transition, Workflow

SUBMITTED = "submitted"
ACCEPTED = "accepted"
VERIFYING = "verifying"
VERIFIED = "verified"
REWARD_DECIDED = "reward_decided"
CLOSED = "closed"
TRANSFERRED = "transferred"

STATES = (SUBMITTED, ACCEPTED, VERIFYING, VERIFIED, REWARD_DECIDED, CLOSED, TRANSFERRED)
FINAL_STATES = (CLOSED, TRANSFERRED)
OPEN_STATES = tuple(s for s in STATES if s not in FINAL_STATES)
#: States in which the handling of the tip has ended (办结 = verification, docs/tips.md "Closing of the
#: case"): the result may be told to the reporter (向举报人反馈, due 10 days after verification,
#: RULES.md §1) and, once told, the reporter may ask for 复查. The tip's ``closed`` state only follows
#: the paid reward, so it cannot be where feedback starts.
FEEDBACK_STATES = (VERIFIED, REWARD_DECIDED, CLOSED)

RESULT_TRUE = "true"
RESULT_PARTLY = "partly"
RESULT_UNFOUNDED = "unfounded"
RESULTS = (RESULT_TRUE, RESULT_PARTLY, RESULT_UNFOUNDED)

@dataclass(frozen=True)
class Facts:
    """What the guards need to know, collected by the service."""

    is_handler: bool = False  # the actor writes for the handling unit
    result: str = ""  # verification result
    rewards_settled: bool = True  # every reward line approved and paid (or none decided)
    reward_required: bool = False  # verified true / partly true and meeting the reward condition (应奖尽奖)
    no_reward_reason: str = ""  # why a tip that could be rewarded is closed without a reward
    transfer_unit: str = ""
    transfer_reason: str = ""


#: "handler": writes for the unit the tip is assigned to (or superuser); "other": anybody else
ACTOR_KINDS = ("handler", "other")
HANDLER = ("handler",)
REWARDABLE = Guard(lambda a: a.ctx.result in (RESULT_TRUE, RESULT_PARTLY), "举报经核查不属实，不予奖励。")
REWARDS_SETTLED = Guard(lambda a: a.state != REWARD_DECIDED or a.ctx.rewards_settled, "奖励尚未审批并发放，不能办结。")
# seed 002 item 24 应奖尽奖、足额发放: a verified tip that meets the reward condition is closed without a
# reward only with a recorded reason (e.g. the reporter waived it, could not be reached)
REWARD_OR_REASON = Guard(lambda a: a.state != VERIFIED or not a.ctx.reward_required or bool(a.ctx.no_reward_reason.strip()),
                         "举报经核查属实、符合奖励条件，应奖尽奖：请先决定奖励，或写明未予奖励的理由（如举报人放弃奖励、无法联系举报人）。")
TRANSFER_NAMED = Guard(lambda a: bool(a.ctx.transfer_unit.strip() and a.ctx.transfer_reason.strip()),
                       "移交须写明接收单位和移交理由。")

WORKFLOW = Workflow(
    name="tip",
    states=STATES,
    actor_kinds=ACTOR_KINDS,
    messages={"state": "当前状态下不能执行该操作。", "actor": "只有承办单位可以办理该举报。"},
    transitions=(
        Transition("accept", "受理", (SUBMITTED,), ACCEPTED, HANDLER),
        Transition("start_verification", "开始核查", (ACCEPTED,), VERIFYING, HANDLER),
        Transition("verify", "登记核查结果", (VERIFYING,), VERIFIED, HANDLER),
        # facts of the tip (its result, its rewards' payment) are preconditions: the page does not offer the
        # action; what the handler writes in the form (a reason, the receiving unit) is a guard, checked on submit
        Transition("decide_reward", "决定奖励", (VERIFIED,), REWARD_DECIDED, HANDLER, preconditions=(REWARDABLE,)),
        Transition("close", "办结", (VERIFIED, REWARD_DECIDED), CLOSED, HANDLER, preconditions=(REWARDS_SETTLED,),
                   guards=(REWARD_OR_REASON,)),
        # to a unit outside the platform
        Transition("transfer", "不属本单位职责，移交", (SUBMITTED, ACCEPTED), TRANSFERRED, HANDLER,
                   guards=(TRANSFER_NAMED,)),
        # to another unit on the platform: back to the new unit's inbox
        Transition("transfer_internal", "移交平台内其他单位", (SUBMITTED, ACCEPTED), SUBMITTED, HANDLER, guards=(TRANSFER_NAMED,)),
        Transition("mark_duplicate", "标记为重复举报", (SUBMITTED, ACCEPTED), CLOSED, HANDLER),
    ),
)
TRANSITIONS = WORKFLOW.by_action
ACTIONS = WORKFLOW.actions


def _kind(facts: Facts) -> str:
    return "handler" if facts.is_handler else "other"


def target(action: str) -> str:
    return WORKFLOW[action].target


def refusal(state: str, action: str, facts: Facts) -> str | None:
    """Why ``action`` may not happen now (Chinese), or None when it may."""
    return WORKFLOW.refusal(state, action, _kind(facts), facts)


def allowed_actions(state: str, facts: Facts) -> list[str]:
    """The actions the page offers: state, the tip's facts and the actor — not what the form is to supply
    (the receiving unit and reason of a 移交, the reason for closing without a reward), checked on submit.
    (Judged with the form's details, 移交 was never offered: the page has no unit before the form.)"""
    return WORKFLOW.available(state, _kind(facts), facts)
