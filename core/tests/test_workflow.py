"""The workflow engine on a toy lifecycle: check order, variants, several kinds, validation."""

import dataclasses
import re

import pytest

from core.workflow import Attempt, Guard, Transition, Workflow


class Ctx:
    def __init__(self, size="small", note=False, ready=True):
        self.size, self.note, self.ready = size, note, ready


def toy(**kw):
    return Workflow(
        name="toy", states=("open", "done", "gone"), actor_kinds=("owner", "boss", "guest"),
        variant=lambda ctx: ctx.size if ctx is not None else None,
        transitions=(
            Transition("finish", "完成", ("open",), "done", {"small": ("owner", "boss"), "big": ("boss",)},
                       preconditions=(Guard(lambda a: a.ctx.ready, "“{label}”尚未就绪。"),),
                       guards=(Guard(lambda a: a.ctx.note, "请填写说明。"),),
                       actor_refusal={"big": "大件须由主管“{label}”。"}),
            Transition("touch", "标记", ("open", "done"), None, ("owner", "guest")),
        ),
        **kw,
    )


def test_order_of_checks_and_messages():
    wf = toy()
    assert wf.refusal("open", "nope", "owner", Ctx()) == "未知操作。"
    assert wf.refusal("done", "finish", "guest", Ctx(ready=False)) == "当前状态不能执行“完成”。"
    assert wf.refusal("open", "finish", "guest", Ctx(ready=False)) == "“完成”尚未就绪。"
    assert wf.refusal("open", "finish", "guest", Ctx()) == "您不能执行“完成”。"
    assert wf.refusal("open", "finish", "owner", Ctx(size="big")) == "大件须由主管“完成”。"
    assert wf.refusal("open", "finish", "owner", Ctx()) == "请填写说明。"
    assert wf.refusal("open", "finish", "owner", Ctx(note=True)) is None
    assert wf.refusal("open", "finish", {"guest", "boss"}, Ctx(size="big", note=True)) is None
    assert wf.refusal("open", "finish", None, Ctx(note=True)) == "您不能执行“完成”。"


def test_custom_messages_and_targets():
    wf = toy(messages={"state": "不行。", "actor": "无权。"})
    assert wf.refusal("gone", "touch", "owner") == "不行。"
    assert wf.refusal("open", "touch", "boss") == "无权。"
    assert wf.refusal("open", "touch", "owner") is None
    assert wf.target("done", "touch") == "done" and wf.target("open", "finish") == "done"
    assert wf.actions == ("finish", "touch") and "touch" in wf and "nope" not in wf
    assert wf["touch"].label == "标记" and wf.label("finish") == "完成"
    assert wf.labels() == {"finish": "完成", "touch": "标记"}


def test_available_checks_state_preconditions_and_actor_not_details():
    wf = toy()
    assert wf.available("open", "owner", Ctx()) == ["finish", "touch"]
    assert wf.available("open", "owner", Ctx(ready=False)) == ["touch"]
    assert wf.available("open", "owner", Ctx(size="big")) == ["touch"]
    assert wf.available("open", "boss", Ctx(size="big")) == ["finish"]
    assert wf.available("done", {"owner", "guest"}, Ctx()) == ["touch"]
    assert wf.available("gone", "owner", Ctx()) == []
    assert wf.permitted("open", "nope", "owner", Ctx()) is False


@pytest.mark.parametrize("transitions,error", [
    ((Transition("a", "甲", ("open",), "done", ("owner",)), Transition("a", "乙", ("open",), "done", ("owner",))),
     "toy: duplicate action a"),
    ((Transition("a", "甲", ("opn",), "done", ("owner",)),), "toy.a: unknown states ['opn']"),
    ((Transition("a", "甲", ("open",), "dne", ("owner",)),), "toy.a: unknown states ['dne']"),
    ((Transition("a", "甲", ("open",), "done", ("ownr",)),), "toy.a: unknown actor kinds ['ownr']"),
    ((Transition("a", "甲", ("open",), "done", {"x": ("bos",)}),), "toy.a: unknown actor kinds ['bos']"),
])
def test_declaration_is_validated(transitions, error):
    with pytest.raises(ValueError, match=f"^{re.escape(error)}$"):
        Workflow(name="toy", states=("open", "done"), actor_kinds=("owner", "boss"), transitions=transitions)


def test_declarations_are_immutable():
    wf = toy()
    for obj, attr in ((wf, "name"), (wf["touch"], "target"), (wf["finish"].guards[0], "message"),
                      (Attempt("open", "touch", frozenset(), None), "state")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, attr, "x")
