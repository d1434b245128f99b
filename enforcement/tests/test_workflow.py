"""The case transition table, exhaustively."""

import itertools

import pytest

from enforcement import workflow as wf

ALLOWED = {
    (wf.FILED, "investigate"), (wf.INVESTIGATING, "notify"), (wf.NOTIFIED, "decide"), (wf.DECIDED, "execute"),
    (wf.DECIDED, "close"), (wf.EXECUTING, "close"), (wf.FILED, "close"), (wf.INVESTIGATING, "close"),
}


@pytest.mark.parametrize("stage,action", list(itertools.product(wf.STAGES, wf.ACTIONS)))
def test_every_pair(stage, action):
    ctx = wf.Context(has_decision=True, has_note=True)
    if (stage, action) in ALLOWED:
        assert wf.refusal(stage, action, ctx) is None
        assert wf.target_state(stage, action) in wf.STAGES
        assert action in wf.available_actions(stage)
    else:
        assert wf.refusal(stage, action, ctx) == "当前阶段不能执行该操作。"
        assert action not in wf.available_actions(stage)


def test_guards():
    assert "处理决定" in wf.refusal(wf.NOTIFIED, "decide", wf.Context(has_decision=False))
    assert "理由" in wf.refusal(wf.FILED, "close", wf.Context())
    assert wf.refusal(wf.DECIDED, "close", wf.Context()) is None
    assert wf.available_actions(wf.CLOSED) == []
