"""The 挂牌督办 transition table, exhaustively."""

import itertools

import pytest

from supervision import workflow as wf

ROLES = ("proposer", "leader", "enterprise", "department", "superuser")


@pytest.mark.parametrize("state,action,role", list(itertools.product(wf.STATES, wf.ACTIONS, ROLES)))
def test_every_cell_of_the_table(state, action, role):
    t = wf.TRANSITIONS[action]
    ctx = wf.Context(hazard_closed=True, has_reason=True)
    allowed = state in t.sources and role in t.roles
    assert (wf.refusal(state, action, {role}, ctx) is None) is allowed
    if allowed:
        assert wf.target_state(state, action) == (t.target or state)
        assert action in wf.available_actions(state, {role})


def test_guards():
    assert "提出人" in wf.refusal(wf.PROPOSED, "approve", {"leader", "proposer"}, wf.Context(is_proposer=True))
    assert wf.refusal(wf.PROPOSED, "approve", {"superuser"}, wf.Context(is_proposer=True)) is None
    assert "销号" in wf.refusal(wf.LISTED, "request_delisting", {"enterprise"}, wf.Context(hazard_closed=False))
    assert "理由" in wf.refusal(wf.DELISTING_REQUESTED, "refuse_delisting", {"leader"}, wf.Context())
    assert "理由" in wf.refusal(wf.PROPOSED, "decline", {"leader"}, wf.Context())
    assert wf.refusal(wf.LISTED, "nonsense", {"leader"}, wf.Context()) == "未知操作。"
    assert wf.available_actions(wf.DELISTED, set(ROLES)) == []
