"""The case lifecycle against a literal oracle (行政处罚法: 立案 → 调查取证 → 告知 → 决定 → 执行 → 结案;
不予立案/撤案 before a decision, with a reason). Nothing here is read from enforcement.workflow."""

import dataclasses

import pytest

from core.workflow_testing import sweep
from enforcement import workflow as wf

H, OTHER = "handler", "other"
STAGES = ("filed", "investigating", "notified", "decided", "executing", "closed")
ACTIONS = ("investigate", "notify", "decide", "execute", "close")

# (stage, action): (target, actor kinds allowed); every other cell is refused.
ALLOWED = {
    ("filed", "investigate"): ("investigating", {H}),
    ("investigating", "notify"): ("notified", {H}),
    ("notified", "decide"): ("decided", {H}),
    ("decided", "execute"): ("executing", {H}),
    ("decided", "close"): ("closed", {H}),  # nothing to execute (e.g. 不予处罚)
    ("executing", "close"): ("closed", {H}),
    ("filed", "close"): ("closed", {H}),  # 不予立案
    ("investigating", "close"): ("closed", {H}),  # 撤案
}

LABELS = {"investigate": "开始调查取证", "notify": "送达告知", "decide": "作出决定", "execute": "进入执行", "close": "结案"}


def permissive(stage, action, variant):
    return wf.Context(has_decision=True, has_note=True)


def test_table_matches_the_oracle():
    assert sweep(wf.WORKFLOW, states=STAGES, actions=ACTIONS, actor_kinds=(H, OTHER), allowed=ALLOWED, ctx=permissive) == []


def test_public_functions_follow_the_table():
    for stage in STAGES:
        for action in ACTIONS:
            cell = ALLOWED.get((stage, action))
            assert (wf.refusal(stage, action, permissive(stage, action, None)) is None) == (cell is not None)
            assert wf.refusal(stage, action, permissive(stage, action, None), OTHER) is not None
            assert (action in wf.available_actions(stage)) == (cell is not None)
            if cell:
                assert wf.target_state(stage, action) == cell[0]
    assert wf.LABELS == LABELS
    assert set(wf.DECISION_STAGES) == {"notified", "decided", "executing"}
    assert wf.WORKFLOW.name == "case"
    assert set(wf.ACTIONS) == set(ACTIONS) and set(wf.TRANSITIONS) == set(ACTIONS)


RUNNING = ("按日连续处罚尚未登记改正，罚款仍在按日计算，不能结案：请先登记改正日期，或撤销该决定"
           "（《中华人民共和国安全生产法》第一百一十二条）。")
SUSPENDED = ("责令停产停业整顿尚未解除，不能结案：请在复查合格后作出复产决定，或撤销该决定"
             "（《中华人民共和国安全生产法》第六十五条第一款第（三）项）。")


@pytest.mark.parametrize("stage,action,ctx,actor,message", [
    ("closed", "close", wf.Context(has_note=True), H, "当前阶段不能执行该操作。"),
    ("filed", "investigate", wf.Context(), OTHER, "只有立案部门的办案人员可以办理本案。"),
    ("notified", "decide", wf.Context(has_decision=False), H, "请先作出至少一项处理决定。"),
    ("filed", "close", wf.Context(), H, "未作出决定即结案（不予立案/撤案）须说明理由。"),
    ("investigating", "close", wf.Context(), H, "未作出决定即结案（不予立案/撤案）须说明理由。"),
    ("filed", "fly", wf.Context(), H, "未知操作。"),
    # 安全生产法 art. 112: a daily fine runs until the correction — no 结案 before it is recorded
    ("decided", "close", wf.Context(has_decision=True, daily_fine_running=True), H, RUNNING),
    ("executing", "close", wf.Context(has_decision=True, daily_fine_running=True), H, RUNNING),
    # art. 65(一)(三): the suspension ends with the 复产 after review (or its revocation) — not by closing the case
    ("decided", "close", wf.Context(has_decision=True, suspension_in_force=True), H, SUSPENDED),
    ("executing", "close", wf.Context(has_decision=True, suspension_in_force=True), H, SUSPENDED),
])
def test_refusals(stage, action, ctx, actor, message):
    assert wf.refusal(stage, action, ctx, actor) == message


def test_closing_after_a_decision_needs_no_note():
    assert wf.refusal("decided", "close", wf.Context()) is None
    assert wf.refusal("executing", "close", wf.Context()) is None


def test_context_defaults_and_immutability():
    assert wf.Context() == wf.Context(has_decision=False, has_note=False, daily_fine_running=False,
                                      suspension_in_force=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        wf.Context().has_note = True


# The case page's forms per stage, written from the procedure (see test_case_stage_forms.py for the page);
# 行业禁入 (安全生产法 art. 94(2)) follows a sentence, a 处分 or an accident's findings: from the decision on, after
# closing too; a person party's 公民身份号码 ("party_id") may be recorded while the case is open, not once it is closed;
# the 公安机关's answer to a transfer (国务院令第310号 第七条至第九条: 回执, 立案/不予立案, 复议) comes on its
# own time, from the first stage a transfer exists in (调查取证) and after the case is closed.
POLICE = {"transfer_receipt", "transfer_outcome", "reconsideration"}
FORMS = {
    "filed": {"party", "party_id"},
    "investigating": {"party", "party_id", "transfer"} | POLICE,
    "notified": {"penalty", "no_penalty", "suspension", "transfer", "revoke", "party_id"} | POLICE,
    "decided": {"penalty", "no_penalty", "suspension", "transfer", "daily_fine", "correction", "resume", "measure",
                "listing", "ban", "revoke", "party_id"} | POLICE,
    "executing": {"transfer", "daily_fine", "correction", "resume", "measure", "listing", "ban", "revoke",
                  "party_id"} | POLICE,
    "closed": {"measure", "listing", "ban", "typical", "revoke"} | POLICE,
}


@pytest.mark.parametrize("stage", STAGES)
def test_the_case_page_offers_the_procedures_forms_to_the_handler_only(stage):
    with_decision = wf.Context(has_decision=True, has_note=True)
    advance = {"advance"} if stage != "closed" else set()
    assert set(wf.available_forms(stage, H, with_decision)) == FORMS[stage] | advance
    assert wf.available_forms(stage, OTHER, with_decision) == []


def test_a_running_daily_fine_blocks_only_the_closing():
    running = wf.Context(has_decision=True, has_note=True, daily_fine_running=True)
    assert wf.available_actions("decided", H, running) == ["execute"]
    assert wf.available_actions("executing", H, running) == []
    assert "advance" not in wf.available_forms("executing", H, running)
    assert "correction" in wf.available_forms("executing", H, running)


def test_without_a_decision_the_notified_case_cannot_be_moved_on():
    assert "advance" not in wf.available_forms("notified", H, wf.Context(has_decision=False, has_note=True))
    assert "revoke" not in wf.available_forms("notified", H, wf.Context(has_decision=False, has_note=True))
    assert wf.available_actions("notified", H, wf.Context(has_decision=True)) == ["decide"]
    assert wf.available_actions("filed", H, wf.Context(has_note=True)) == ["investigate", "close"]
