"""The 挂牌督办 lifecycle against a literal oracle (PRODUCT.md item 5, DOMAIN.md "挂牌督办 & close-out").

The cells, labels and refusal texts are written out here, not read from supervision.workflow,
so a changed table fails a test (`make mutate` checks it).
"""

import dataclasses

import pytest

from core.workflow_testing import sweep
from supervision import workflow as wf

P, L, E, D, S = "proposer", "leader", "enterprise", "department", "superuser"
STATES = ("proposed", "listed", "delisting_requested", "delisted", "declined")
ACTIONS = ("approve", "decline", "report_progress", "request_delisting", "accept_delisting", "refuse_delisting")
ROLES = (P, L, E, D, S)

# (state, action): (target, roles allowed); every other cell is refused.
ALLOWED = {
    ("proposed", "approve"): ("listed", {L, S}),
    ("proposed", "decline"): ("declined", {L, S}),
    ("listed", "report_progress"): ("listed", {E, S}),
    ("listed", "request_delisting"): ("delisting_requested", {E, D, P, L, S}),
    ("delisting_requested", "accept_delisting"): ("delisted", {L, S}),
    ("delisting_requested", "refuse_delisting"): ("listed", {L, S}),
}

LABELS = {"approve": "批准挂牌", "decline": "不予挂牌", "report_progress": "报告整改进展", "request_delisting": "申请摘牌",
          "accept_delisting": "同意摘牌", "refuse_delisting": "不同意摘牌"}


def permissive(state, action, variant):
    return wf.Context(is_proposer=False, hazard_closed=True, has_reason=True)


def test_table_matches_the_oracle():
    assert sweep(wf.WORKFLOW, states=STATES, actions=ACTIONS, actor_kinds=ROLES, allowed=ALLOWED, ctx=permissive) == []


def test_public_functions_follow_the_table():
    for (state, action), (target, roles) in ALLOWED.items():
        for role in ROLES:
            assert (wf.refusal(state, action, {role}, permissive(state, action, None)) is None) == (role in roles)
            assert (action in wf.available_actions(state, {role})) == (role in roles)
        assert wf.target_state(state, action) == target
    # several roles at once: allowed when any of them is
    assert wf.available_actions("proposed", {E, L}) == ["approve", "decline"]
    assert wf.available_actions("delisted", set(ROLES)) == []
    assert set(wf.ACTIVE_STATES) == {"proposed", "listed", "delisting_requested"}
    assert set(wf.SUPERVISED_STATES) == {"listed", "delisting_requested"}
    assert wf.WORKFLOW.name == "listing"


def test_labels():
    assert {a: wf.TRANSITIONS[a].label for a in wf.ACTIONS} == LABELS


@pytest.mark.parametrize("state,action,roles,ctx,message", [
    ("listed", "approve", {L}, wf.Context(), "当前状态不能执行“批准挂牌”。"),
    ("proposed", "approve", {P, D}, wf.Context(), "“批准挂牌”须由挂牌单位（安委会）负责人审批。"),
    ("proposed", "decline", {E}, wf.Context(has_reason=True), "“不予挂牌”须由挂牌单位（安委会）负责人审批。"),
    ("delisting_requested", "accept_delisting", {D}, wf.Context(), "“同意摘牌”须由挂牌单位（安委会）负责人审批。"),
    ("delisting_requested", "refuse_delisting", {P}, wf.Context(has_reason=True), "“不同意摘牌”须由挂牌单位（安委会）负责人审批。"),
    ("listed", "report_progress", {D}, wf.Context(), "您不能执行“报告整改进展”。"),
    ("proposed", "approve", {L, P}, wf.Context(is_proposer=True), "审批人不能是挂牌建议的提出人。"),
    ("listed", "request_delisting", {E}, wf.Context(hazard_closed=False), "隐患整改验收销号后方可申请摘牌。"),
    ("delisting_requested", "refuse_delisting", {L}, wf.Context(), "请填写理由。"),
    ("proposed", "decline", {L}, wf.Context(), "请填写理由。"),
    ("listed", "nonsense", {L}, wf.Context(), "未知操作。"),
])
def test_refusals(state, action, roles, ctx, message):
    assert wf.refusal(state, action, roles, ctx) == message


def test_superuser_may_approve_own_proposal():
    assert wf.refusal("proposed", "approve", {S}, wf.Context(is_proposer=True)) is None
    assert wf.refusal("proposed", "approve", {L}, wf.Context(is_proposer=False)) is None


def test_context_defaults_and_immutability():
    assert wf.Context() == wf.Context(is_proposer=False, hazard_closed=False, has_reason=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        wf.Context().has_reason = True
