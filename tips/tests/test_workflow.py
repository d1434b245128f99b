import itertools

import pytest

from tips import workflow as wf

HANDLER = wf.Facts(is_handler=True, result=wf.RESULT_TRUE, transfer_unit="城管委", transfer_reason="不属本单位")


@pytest.mark.parametrize("state,action", list(itertools.product(wf.STATES, wf.TRANSITIONS)))
def test_every_state_action_pair(state, action):
    sources, target = wf.TRANSITIONS[action]
    reason = wf.refusal(state, action, HANDLER)
    if state in sources:
        assert reason is None
        assert wf.target(action) == target
    else:
        assert reason == "当前状态下不能执行该操作。"
    # a non-handler is always refused
    assert wf.refusal(state, action, wf.Facts(is_handler=False, result=wf.RESULT_TRUE)) is not None


def test_final_states_allow_nothing():
    for state in wf.FINAL_STATES:
        assert wf.allowed_actions(state, HANDLER) == []


def test_unfounded_tip_gets_no_reward_but_may_close():
    facts = wf.Facts(is_handler=True, result=wf.RESULT_UNFOUNDED)
    assert wf.refusal(wf.VERIFIED, "decide_reward", facts) == "举报经核查不属实，不予奖励。"
    assert wf.refusal(wf.VERIFIED, "close", facts) is None


def test_close_after_reward_needs_payment_and_transfer_needs_unit_and_reason():
    assert wf.refusal(wf.REWARD_DECIDED, "close", wf.Facts(is_handler=True, rewards_settled=False))
    assert wf.refusal(wf.SUBMITTED, "transfer", wf.Facts(is_handler=True, transfer_unit="城管委")) == "移交须写明接收单位和移交理由。"
    assert wf.refusal(wf.ACCEPTED, "transfer_internal", wf.Facts(is_handler=True, transfer_unit="x", transfer_reason="y")) is None


def test_unknown_action():
    assert wf.refusal(wf.SUBMITTED, "fly", HANDLER) == "未知操作。"
