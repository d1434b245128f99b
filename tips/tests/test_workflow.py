"""The tip lifecycle against a literal oracle (PRODUCT.md item 8, RULES.md §1 rewards).

submitted → accepted → verifying → verified → (reward_decided →) closed; "not ours" is
transferred (outside the platform: final; inside: back to the new unit's inbox); a duplicate is
closed. Nothing here is read from tips.workflow's table.
"""

import dataclasses

import pytest

from core.workflow_testing import sweep
from tips import workflow as wf

H, OTHER = "handler", "other"
STATES = ("submitted", "accepted", "verifying", "verified", "reward_decided", "closed", "transferred")
ACTIONS = ("accept", "start_verification", "verify", "decide_reward", "close", "transfer", "transfer_internal",
           "mark_duplicate")

# (state, action): (target, actor kinds allowed); every other cell is refused.
ALLOWED = {
    ("submitted", "accept"): ("accepted", {H}),
    ("accepted", "start_verification"): ("verifying", {H}),
    ("verifying", "verify"): ("verified", {H}),
    ("verified", "decide_reward"): ("reward_decided", {H}),
    ("verified", "close"): ("closed", {H}),  # no reward (unfounded, or not rewardable)
    ("reward_decided", "close"): ("closed", {H}),
    ("submitted", "transfer"): ("transferred", {H}),
    ("accepted", "transfer"): ("transferred", {H}),
    ("submitted", "transfer_internal"): ("submitted", {H}),
    ("accepted", "transfer_internal"): ("submitted", {H}),
    ("submitted", "mark_duplicate"): ("closed", {H}),
    ("accepted", "mark_duplicate"): ("closed", {H}),
}

LABELS = {"accept": "受理", "start_verification": "开始核查", "verify": "登记核查结果", "decide_reward": "决定奖励",
          "close": "办结", "transfer": "不属本单位职责，移交", "transfer_internal": "移交平台内其他单位",
          "mark_duplicate": "标记为重复举报"}


def facts(kind=H, **kw):
    base = dict(is_handler=kind == H, result="true", rewards_settled=True, transfer_unit="城管委", transfer_reason="不属本单位")
    return wf.Facts(**{**base, **kw})


def test_table_matches_the_oracle():
    assert sweep(wf.WORKFLOW, states=STATES, actions=ACTIONS, actor_kinds=(H, OTHER), allowed=ALLOWED,
                 ctx=lambda state, action, variant: facts()) == []


def test_public_functions_follow_the_table():
    for state in STATES:
        for action in ACTIONS:
            cell = ALLOWED.get((state, action))
            assert (wf.refusal(state, action, facts(H)) is None) == (cell is not None), (state, action)
            assert wf.refusal(state, action, facts(OTHER)) is not None
            assert (action in wf.allowed_actions(state, facts(H))) == (cell is not None)
            if cell:
                assert wf.target(action) == cell[0]
        assert wf.allowed_actions(state, facts(OTHER)) == []
    assert set(wf.FINAL_STATES) == {"closed", "transferred"}
    assert set(wf.OPEN_STATES) == set(STATES) - {"closed", "transferred"}
    assert wf.RESULTS == ("true", "partly", "unfounded")
    assert wf.WORKFLOW.name == "tip"
    assert {wf._kind(facts(H)), wf._kind(facts(OTHER))} == {"handler", "other"}


def test_labels():
    assert {a: wf.TRANSITIONS[a].label for a in wf.ACTIONS} == LABELS


@pytest.mark.parametrize("state,action,f,message", [
    ("closed", "accept", facts(), "当前状态下不能执行该操作。"),
    ("submitted", "accept", facts(OTHER), "只有承办单位可以办理该举报。"),
    ("verified", "decide_reward", facts(result="unfounded"), "举报经核查不属实，不予奖励。"),
    ("verified", "decide_reward", facts(result=""), "举报经核查不属实，不予奖励。"),
    ("reward_decided", "close", facts(rewards_settled=False), "奖励尚未审批并发放，不能办结。"),
    ("submitted", "transfer", facts(transfer_reason=" "), "移交须写明接收单位和移交理由。"),
    ("accepted", "transfer", facts(transfer_unit=""), "移交须写明接收单位和移交理由。"),
    ("accepted", "transfer_internal", facts(transfer_unit=" "), "移交须写明接收单位和移交理由。"),
    ("submitted", "transfer_internal", facts(transfer_reason=""), "移交须写明接收单位和移交理由。"),
    ("submitted", "fly", facts(), "未知操作。"),
])
def test_refusals(state, action, f, message):
    assert wf.refusal(state, action, f) == message


def test_partly_true_is_rewardable_and_unsettled_rewards_block_only_after_a_decision():
    assert wf.refusal("verified", "decide_reward", facts(result="partly")) is None
    assert wf.refusal("verified", "close", facts(result="unfounded", rewards_settled=False)) is None


def test_facts_defaults_and_immutability():
    assert wf.Facts() == wf.Facts(is_handler=False, result="", rewards_settled=True, transfer_unit="", transfer_reason="")
    with pytest.raises(dataclasses.FrozenInstanceError):
        wf.Facts().is_handler = True


def test_the_page_offers_what_the_form_is_to_supply_and_not_what_the_tip_rules_out():
    """The offered actions are judged without the form's details: a 移交 has no receiving unit or reason before
    its form is filled (judged with them, 移交 was never offered), a close without a reward has no reason yet.
    The tip's own facts do rule an action out: an unfounded tip gets no reward, unpaid rewards block closing."""
    blank = dict(transfer_unit="", transfer_reason="")
    assert {"transfer", "transfer_internal", "mark_duplicate"} <= set(wf.allowed_actions("submitted", facts(**blank)))
    assert {"transfer", "transfer_internal"} <= set(wf.allowed_actions("accepted", facts(**blank)))
    assert wf.refusal("accepted", "transfer", facts(**blank)) == "移交须写明接收单位和移交理由。"  # on submit
    assert "close" in wf.allowed_actions("verified", facts(reward_required=True, no_reward_reason=""))
    assert "decide_reward" not in wf.allowed_actions("verified", facts(result="unfounded"))
    assert "close" not in wf.allowed_actions("reward_decided", facts(rewards_settled=False))
    assert wf.allowed_actions("accepted", facts(OTHER, **blank)) == []
