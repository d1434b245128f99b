"""Exhaustive: every state × action × actor kind × grade is allowed or refused as the table says."""

import itertools

import pytest

from hazards import workflow as wf

# The expected table, written out independently of workflow.TRANSITIONS.
GOV = {"department", "committee", "township"}
EXPECTED = {
    # action: (sources, target, {grade: allowed actor kinds})
    "report": ({"registered", "rectifying", "pending_acceptance"}, None, {"major": {"enterprise", "agency"}, "general": set()}),
    "submit_plan": ({"registered"}, "rectifying", {g: {"enterprise", "department", "superuser"} for g in ("general", "major")}),
    "close_now": ({"registered"}, "closed", {"general": {"enterprise", "department", "township", "superuser"}, "major": set()}),
    "submit_completion": ({"rectifying"}, "pending_acceptance", {g: {"enterprise", "agency", "superuser"} for g in ("general", "major")}),
    "accept": ({"pending_acceptance"}, "closed", {"general": {"enterprise", "department", "township", "superuser"}, "major": {"department", "superuser"}}),
    "reject": ({"pending_acceptance"}, "rectifying", {"general": {"enterprise", "department", "township", "superuser"}, "major": {"department", "superuser"}}),
    "request_extension": ({"rectifying"}, None, {g: {"enterprise", "superuser"} for g in ("general", "major")}),
    "decide_extension": ({"rectifying"}, None, {g: {"department", "superuser"} for g in ("general", "major")}),
    "merge": ({"registered", "rectifying", "pending_acceptance"}, "merged", {g: {"department", "committee", "superuser"} for g in ("general", "major")}),
    "void": ({"registered", "rectifying", "pending_acceptance"}, "void", {g: {"department", "committee", "superuser"} for g in ("general", "major")}),
    "reopen": ({"closed"}, "rectifying", {g: {"enterprise"} | GOV | {"superuser"} for g in ("general", "major")}),
}

# Facts that satisfy every detail guard, so only state/actor/grade decide.
FULL = dict(has_plan=True, is_submitter=False, has_evidence=True, has_reason=True, reported=True)


def test_table_covers_every_action():
    assert set(EXPECTED) == set(wf.ACTIONS)


@pytest.mark.parametrize("state,action,actor,grade", list(itertools.product(wf.STATES, wf.ACTIONS, wf.ACTOR_KINDS, ("general", "major"))))
def test_every_combination(state, action, actor, grade):
    sources, target, allowed = EXPECTED[action]
    pending = action == "decide_extension"
    ctx = wf.Context(grade=grade, pending_extension=pending, **FULL)
    refusal = wf.refusal(state, action, actor, ctx)
    should_allow = state in sources and actor in allowed[grade]
    assert (refusal is None) == should_allow, refusal
    if should_allow:
        assert wf.target_state(state, action) == (target or state)
        assert action in wf.available_actions(state, actor, grade)
    else:
        assert action not in wf.available_actions(state, actor, grade) or state in sources and actor in allowed[grade]


def test_major_plan_gate():
    ctx = wf.Context(grade="major", has_plan=False)
    assert "治理方案" in wf.refusal("registered", "submit_plan", "enterprise", ctx)
    assert wf.refusal("registered", "submit_plan", "enterprise", wf.Context(grade="general")) is None


def test_acceptor_must_not_be_submitter():
    ctx = wf.Context(grade="major", is_submitter=True)
    assert "提交人" in wf.refusal("pending_acceptance", "accept", "department", ctx)


@pytest.mark.parametrize("action", ["reject", "void", "merge", "request_extension", "reopen"])
def test_reason_required(action):
    state = next(iter(EXPECTED[action][0]))
    actor = sorted(EXPECTED[action][2]["major"])[0]
    assert "理由" in wf.refusal(state, action, actor, wf.Context(grade="major", has_reason=False))


def test_evidence_required():
    assert "证据" in wf.refusal("registered", "close_now", "enterprise", wf.Context(grade="general"))
    assert "证据" in wf.refusal("rectifying", "submit_completion", "enterprise", wf.Context(grade="major"))


def test_extension_pending_rules():
    assert wf.refusal("rectifying", "request_extension", "enterprise", wf.Context(has_reason=True, pending_extension=True))
    assert wf.refusal("rectifying", "decide_extension", "department", wf.Context(pending_extension=False))
