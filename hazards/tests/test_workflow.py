"""The hazard lifecycle against a literal oracle (PRODUCT.md "Hazard lifecycle", RULES.md).

Nothing here is read from hazards.workflow's table: the cells, labels and refusal texts are
written out, so a changed table (a source removed or added, a target or an actor set changed)
fails a test. `make mutate` checks that claim.
"""

import dataclasses

import pytest

from core.workflow_testing import sweep
from hazards import workflow as wf

E, D, C, T, A, S = "enterprise", "department", "committee", "township", "agency", "superuser"
STATES = ("registered", "rectifying", "pending_acceptance", "closed", "merged", "void")
ACTIONS = ("report", "submit_plan", "close_now", "submit_completion", "accept", "reject", "request_extension",
           "decide_extension", "merge", "void", "reopen", "classify", "reclassify")
ACTOR_KINDS = (E, D, C, T, A, S)

# (state, action, grade): (target, actor kinds allowed); every other cell is refused.
ALLOWED = {
    # 双报告 of a 重大 hazard by the enterprise (or its agency) while it is open; state kept
    ("registered", "report", "major"): ("registered", {E, A}),
    ("rectifying", "report", "major"): ("rectifying", {E, A}),
    ("pending_acceptance", "report", "major"): ("pending_acceptance", {E, A}),
    # plan (six elements for 重大) → rectifying
    ("registered", "submit_plan", "general"): ("rectifying", {E, D, S}),
    ("registered", "submit_plan", "major"): ("rectifying", {E, D, S}),
    # 一般 only: fixed at once with evidence → closed
    ("registered", "close_now", "general"): ("closed", {E, D, T, S}),
    ("rectifying", "submit_completion", "general"): ("pending_acceptance", {E, A, S}),
    ("rectifying", "submit_completion", "major"): ("pending_acceptance", {E, A, S}),
    # acceptance: for 重大 only the competent department
    ("pending_acceptance", "accept", "general"): ("closed", {E, D, T, S}),
    ("pending_acceptance", "accept", "major"): ("closed", {D, S}),
    ("pending_acceptance", "reject", "general"): ("rectifying", {E, D, T, S}),
    ("pending_acceptance", "reject", "major"): ("rectifying", {D, S}),
    # extension: requested by the enterprise, decided by the department; state kept
    ("rectifying", "request_extension", "general"): ("rectifying", {E, S}),
    ("rectifying", "request_extension", "major"): ("rectifying", {E, S}),
    ("rectifying", "decide_extension", "general"): ("rectifying", {D, S}),
    ("rectifying", "decide_extension", "major"): ("rectifying", {D, S}),
    # any open hazard: merge into a duplicate / void, by government
    ("registered", "merge", "general"): ("merged", {D, C, S}),
    ("registered", "merge", "major"): ("merged", {D, C, S}),
    ("rectifying", "merge", "general"): ("merged", {D, C, S}),
    ("rectifying", "merge", "major"): ("merged", {D, C, S}),
    ("pending_acceptance", "merge", "general"): ("merged", {D, C, S}),
    ("pending_acceptance", "merge", "major"): ("merged", {D, C, S}),
    ("registered", "void", "general"): ("void", {D, C, S}),
    ("registered", "void", "major"): ("void", {D, C, S}),
    ("rectifying", "void", "general"): ("void", {D, C, S}),
    ("rectifying", "void", "major"): ("void", {D, C, S}),
    ("pending_acceptance", "void", "general"): ("void", {D, C, S}),
    ("pending_acceptance", "void", "major"): ("void", {D, C, S}),
    # found again after 销号
    ("closed", "reopen", "general"): ("rectifying", {E, D, C, T, S}),
    ("closed", "reopen", "major"): ("rectifying", {E, D, C, T, S}),
    # 注明隐患类别 of a hazard registered without it (未注明), by who handles it; state kept, closed included
    **{(state, "classify", grade): (state, {E, D, T, S})
       for state in ("registered", "rectifying", "pending_acceptance", "closed") for grade in ("general", "major")},
    # 更正隐患类别 of a hazard whose class was stated (wrongly), with the reason: the same actors and states
    **{(state, "reclassify", grade): (state, {E, D, T, S})
       for state in ("registered", "rectifying", "pending_acceptance", "closed") for grade in ("general", "major")},
}

LABELS = {
    "report": "双报告（报告主管部门和职代会）", "submit_plan": "提交治理方案并开始整改", "close_now": "立即整改完毕并销号",
    "submit_completion": "提交整改完成材料", "accept": "验收通过并销号", "reject": "验收不通过（退回整改）",
    "request_extension": "申请延期", "decide_extension": "审批延期", "merge": "合并到重复隐患", "void": "作废",
    "reopen": "重新打开（再次发现）", "classify": "注明隐患类别", "reclassify": "更正隐患类别",
}


def permissive(state, action, grade):
    """Every detail guard satisfied: only state, grade and actor decide."""
    return wf.Context(grade=grade, has_plan=True, is_submitter=False, has_evidence=True, has_reason=True,
                      reported=True, pending_extension=action == "decide_extension", unstated=action != "reclassify")


def test_table_matches_the_oracle():
    assert sweep(wf.WORKFLOW, states=STATES, actions=ACTIONS, actor_kinds=ACTOR_KINDS, allowed=ALLOWED,
                 ctx=permissive, variants=("general", "major")) == []


def test_public_functions_follow_the_table():
    for (state, action, grade), (target, kinds) in ALLOWED.items():
        for kind in ACTOR_KINDS:
            assert (wf.refusal(state, action, kind, permissive(state, action, grade)) is None) == (kind in kinds)
            if action != "decide_extension":  # available_actions cannot know of a pending extension
                offered = wf.available_actions(state, kind, grade, unstated=action != "reclassify")
                assert (action in offered) == (kind in kinds), (state, action, kind)
        assert wf.target_state(state, action) == target
    # 注明隐患类别 is offered for a hazard whose class is 未注明 only
    assert "classify" not in wf.available_actions("registered", E, "general")
    assert "classify" not in wf.available_actions("closed", D, "major", unstated=False)
    # 更正隐患类别 for a hazard whose class is stated only (未注明 is given one, not corrected)
    assert "reclassify" in wf.available_actions("registered", E, "general")
    assert "reclassify" not in wf.available_actions("closed", D, "major", unstated=True)
    assert wf.available_actions("merged", S, "major") == []
    assert set(wf.ACTIONS) == set(ACTIONS) and set(wf.STATES) == set(STATES)
    assert set(wf.OPEN_STATES) == {"registered", "rectifying", "pending_acceptance"}
    assert set(wf.FINAL_STATES) == {"merged", "void"}
    assert wf.WORKFLOW.name == "hazard"


def test_labels():
    assert {a: wf.TRANSITIONS[a].label for a in wf.ACTIONS} == LABELS


@pytest.mark.parametrize("state,action,actor,ctx,message", [
    ("closed", "accept", D, wf.Context(grade="major"), "当前状态不能执行“验收通过并销号”。"),
    ("registered", "report", E, wf.Context(grade="general"), "“双报告（报告主管部门和职代会）”仅适用于重大隐患。"),
    ("registered", "close_now", E, wf.Context(grade="major", has_evidence=True), "“立即整改完毕并销号”仅适用于一般隐患。"),
    ("pending_acceptance", "accept", E, wf.Context(grade="major"), "重大隐患的“验收通过并销号”须由负有监管职责的主管部门办理。"),
    ("pending_acceptance", "reject", T, wf.Context(grade="major", has_reason=True),
     "重大隐患的“验收不通过（退回整改）”须由负有监管职责的主管部门办理。"),
    ("rectifying", "decide_extension", E, wf.Context(grade="major", pending_extension=True),
     "重大隐患的“审批延期”须由负有监管职责的主管部门办理。"),
    ("rectifying", "decide_extension", E, wf.Context(grade="general", pending_extension=True), "您所在单位不能执行“审批延期”。"),
    ("registered", "void", E, wf.Context(grade="general", has_reason=True), "您所在单位不能执行“作废”。"),
    ("registered", "submit_plan", E, wf.Context(grade="major", has_plan=False),
     "重大隐患须先制定治理方案（目标任务、措施、经费物资、机构人员、时限、安全措施和应急预案六要素齐全）。"),
    ("registered", "close_now", E, wf.Context(grade="general"), "请提供整改完成的证据（说明或照片）。"),
    ("rectifying", "submit_completion", E, wf.Context(grade="major"), "请提供整改完成的证据（说明或照片）。"),
    ("pending_acceptance", "accept", D, wf.Context(grade="major", is_submitter=True), "验收人不能是整改材料的提交人。"),
    ("pending_acceptance", "accept", E, wf.Context(grade="general", is_submitter=True), "验收人不能是整改材料的提交人。"),
    ("pending_acceptance", "reject", D, wf.Context(grade="major"), "请填写理由。"),
    ("registered", "void", C, wf.Context(grade="general"), "请填写理由。"),
    ("rectifying", "merge", D, wf.Context(grade="major"), "请填写理由。"),
    ("rectifying", "request_extension", E, wf.Context(grade="major"), "请填写理由。"),
    ("closed", "reopen", T, wf.Context(grade="general"), "请填写理由。"),
    ("rectifying", "request_extension", E, wf.Context(grade="major", has_reason=True, pending_extension=True),
     "已有待审批的延期申请。"),
    ("rectifying", "decide_extension", D, wf.Context(grade="major"), "没有待审批的延期申请。"),
    ("registered", "classify", E, wf.Context(grade="general"), "隐患类别已注明，“注明隐患类别”仅适用于类别未注明的隐患。"),
    ("closed", "classify", D, wf.Context(grade="major"), "隐患类别已注明，“注明隐患类别”仅适用于类别未注明的隐患。"),
    ("void", "classify", D, wf.Context(grade="general", unstated=True), "当前状态不能执行“注明隐患类别”。"),
    ("merged", "classify", S, wf.Context(grade="general", unstated=True), "当前状态不能执行“注明隐患类别”。"),
    ("rectifying", "classify", C, wf.Context(grade="major", unstated=True), "您所在单位不能执行“注明隐患类别”。"),
    ("registered", "classify", A, wf.Context(grade="general", unstated=True), "您所在单位不能执行“注明隐患类别”。"),
    ("registered", "reclassify", E, wf.Context(grade="general", unstated=True, has_reason=True),
     "隐患类别未注明，请使用“注明隐患类别”。"),
    ("closed", "reclassify", D, wf.Context(grade="major"), "请填写理由。"),
    ("merged", "reclassify", D, wf.Context(grade="major", has_reason=True), "当前状态不能执行“更正隐患类别”。"),
    ("rectifying", "reclassify", C, wf.Context(grade="general", has_reason=True), "您所在单位不能执行“更正隐患类别”。"),
    ("registered", "reclassify", A, wf.Context(grade="major", has_reason=True), "您所在单位不能执行“更正隐患类别”。"),
    ("registered", "fly", S, wf.Context(), "未知操作。"),
])
def test_refusals(state, action, actor, ctx, message):
    assert wf.refusal(state, action, actor, ctx) == message


def test_general_plan_needs_no_six_elements():
    assert wf.refusal("registered", "submit_plan", E, wf.Context(grade="general")) is None


def test_context_defaults_and_immutability():
    assert wf.Context() == wf.Context(grade="general", has_plan=False, is_submitter=False, has_evidence=False,
                                      has_reason=False, reported=False, pending_extension=False, unstated=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        wf.Context().grade = "major"
