"""Tip lifecycle: states, the transition table and its guards — pure Python, no ORM.

submitted → accepted → verifying → verified → reward_decided → closed; a tip that is "not ours"
is transferred (naming the unit and why); a verified tip without a reward, and a duplicate, is
closed directly.
"""

from dataclasses import dataclass

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

RESULT_TRUE = "true"
RESULT_PARTLY = "partly"
RESULT_UNFOUNDED = "unfounded"
RESULTS = (RESULT_TRUE, RESULT_PARTLY, RESULT_UNFOUNDED)

# action -> (from states, to state)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": ((SUBMITTED,), ACCEPTED),
    "start_verification": ((ACCEPTED,), VERIFYING),
    "verify": ((VERIFYING,), VERIFIED),
    "decide_reward": ((VERIFIED,), REWARD_DECIDED),
    "close": ((VERIFIED, REWARD_DECIDED), CLOSED),
    "transfer": ((SUBMITTED, ACCEPTED), TRANSFERRED),  # to a unit outside the platform
    "transfer_internal": ((SUBMITTED, ACCEPTED), SUBMITTED),  # to another unit on the platform
    "mark_duplicate": ((SUBMITTED, ACCEPTED), CLOSED),
}


@dataclass(frozen=True)
class Facts:
    """What the guards need to know, collected by the service."""

    is_handler: bool = False  # the actor writes for the handling unit
    result: str = ""  # verification result
    rewards_settled: bool = True  # every reward line approved and paid (or none decided)
    transfer_unit: str = ""
    transfer_reason: str = ""


def target(action: str) -> str:
    return TRANSITIONS[action][1]


def refusal(state: str, action: str, facts: Facts) -> str | None:
    """Why ``action`` may not happen now (Chinese), or None when it may."""
    if action not in TRANSITIONS:
        return "未知操作。"
    sources, _ = TRANSITIONS[action]
    if state not in sources:
        return "当前状态下不能执行该操作。"
    if not facts.is_handler:
        return "只有承办单位可以办理该举报。"
    if action == "decide_reward" and facts.result not in (RESULT_TRUE, RESULT_PARTLY):
        return "举报经核查不属实，不予奖励。"
    if action == "close" and state == REWARD_DECIDED and not facts.rewards_settled:
        return "奖励尚未审批并发放，不能办结。"
    if action in ("transfer", "transfer_internal") and not (facts.transfer_unit.strip() and facts.transfer_reason.strip()):
        return "移交须写明接收单位和移交理由。"
    return None


def allowed_actions(state: str, facts: Facts) -> list[str]:
    return [a for a in TRANSITIONS if refusal(state, a, facts) is None]
