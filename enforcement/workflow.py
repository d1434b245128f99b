"""Case stages and their transition table — pure Python, no ORM.

立案 → 调查取证 → 告知 → 决定 → 执行 → 结案. A case may be closed straight after the decision
(nothing left to execute, e.g. 不予处罚) and before any decision only as 不予立案/撤案 from
filing or investigation; never while a 按日连续处罚 is still running (no correction recorded).
"""

from dataclasses import dataclass

from core.workflow import Guard, Transition, Workflow

FILED, INVESTIGATING, NOTIFIED, DECIDED, EXECUTING, CLOSED = (
    "filed", "investigating", "notified", "decided", "executing", "closed")
STAGES = (FILED, INVESTIGATING, NOTIFIED, DECIDED, EXECUTING, CLOSED)

#: "handler": a writer of the department that opened the case (or superuser); "other": anybody else
ACTOR_KINDS = ("handler", "other")
HANDLER = ("handler",)


@dataclass(frozen=True)
class Context:
    has_decision: bool = False
    has_note: bool = False
    #: an effective 按日连续处罚 without a correction day: its amount is still growing
    daily_fine_running: bool = False
    #: an effective 责令停产停业整顿 neither lifted by an effective 复产 nor revoked: the unit is still suspended
    suspension_in_force: bool = False


HAS_DECISION = Guard(lambda a: a.ctx.has_decision, "请先作出至少一项处理决定。")
NOTE_WITHOUT_DECISION = Guard(lambda a: a.state not in (FILED, INVESTIGATING) or a.ctx.has_note,
                              "未作出决定即结案（不予立案/撤案）须说明理由。")
#: 安全生产法 art. 112: the daily fine runs until the party corrects; its total is known — and the
#: decision can be executed and the case closed — only once the correction is recorded (or the
#: decision revoked)
NO_RUNNING_DAILY_FINE = Guard(lambda a: not a.ctx.daily_fine_running,
                              "按日连续处罚尚未登记改正，罚款仍在按日计算，不能结案：请先登记改正日期，或撤销该决定"
                              "（《中华人民共和国安全生产法》第一百一十二条）。")

#: 安全生产法 art. 65(一)(三) "经审查同意，方可恢复生产经营": a 责令停产停业整顿 is executed once the review lets
#: the unit resume (复产, offered while the case decides and executes) or the decision is revoked — a case closed
#: before that would leave the unit suspended with no 复产 to give
NO_SUSPENSION_IN_FORCE = Guard(lambda a: not a.ctx.suspension_in_force,
                               "责令停产停业整顿尚未解除，不能结案：请在复查合格后作出复产决定，或撤销该决定"
                               "（《中华人民共和国安全生产法》第六十五条第一款第（三）项）。")

WORKFLOW = Workflow(
    name="case",
    states=STAGES,
    actor_kinds=ACTOR_KINDS,
    messages={"state": "当前阶段不能执行该操作。", "actor": "只有立案部门的办案人员可以办理本案。"},
    transitions=(
        Transition("investigate", "开始调查取证", (FILED,), INVESTIGATING, HANDLER),
        Transition("notify", "送达告知", (INVESTIGATING,), NOTIFIED, HANDLER),
        Transition("decide", "作出决定", (NOTIFIED,), DECIDED, HANDLER, guards=(HAS_DECISION,)),
        Transition("execute", "进入执行", (DECIDED,), EXECUTING, HANDLER),
        # 结案 after the decision, or 不予立案/撤案 (with a reason) before any decision
        Transition("close", "结案", (FILED, INVESTIGATING, DECIDED, EXECUTING), CLOSED, HANDLER,
                   guards=(NOTE_WITHOUT_DECISION, NO_RUNNING_DAILY_FINE, NO_SUSPENSION_IN_FORCE)),
    ),
)
ACTIONS = WORKFLOW.actions
TRANSITIONS = WORKFLOW.by_action
LABELS = WORKFLOW.labels()

#: stages in which some decision may be recorded (the union of the decision forms' FORM_STAGES below;
#: each writer checks its own form's stages)
DECISION_STAGES = (NOTIFIED, DECIDED, EXECUTING)


def refusal(stage: str, action: str, ctx: Context, actor: str = "handler") -> str | None:
    """Why ``action`` is not allowed in ``stage`` (None when it is). Services check who is the
    handler first (``services.can_handle``, 403) and pass the actor kind they established."""
    return WORKFLOW.refusal(stage, action, actor, ctx)


def target_state(stage: str, action: str) -> str:
    return WORKFLOW.target(stage, action)


def available_actions(stage: str, actor: str = "handler", ctx: Context | None = None) -> list[str]:
    """Transitions ``actor`` may start in ``stage``; given the case's ``ctx``, also its guards must pass
    (so 作出决定 is offered only once a decision exists)."""
    if ctx is None:
        return WORKFLOW.available(stage, actor, Context())
    return [a for a in WORKFLOW.available(stage, actor, ctx) if WORKFLOW.refusal(stage, a, actor, ctx) is None]


#: The case page's other forms and the stages in which the procedure offers them (行政处罚法 / 安全生产法):
#: parties are identified while the case is filed and investigated; decisions follow the notice
#: (告知, 陈述申辩) and are taken until execution starts; a transfer to the judiciary may follow from
#: the investigation on; 按日连续处罚, 改正 and 复查恢复生产 belong to the decision's execution;
#: exposure/interviews and the credit list follow the decision; a typical case is published once closed;
#: a decision may be revoked (撤销) from the moment decisions can exist, also after closing; a person
#: party's 公民身份号码 may be recorded or corrected while the case is open (a transfer may need it late).
#: What the 公安机关 did with a transfer (回执, 立案/不予立案/转送, 复议: 国务院令第310号 第七条至第九条) is
#: recorded wherever a transfer can exist and after closing too: the police answer later, on their own
#: time, and the closed case takes other later records as well (撤销, measures, listings); the page
#: offers these forms only when the case has a transfer at the step they record (views._offered).
POLICE_ANSWER_STAGES = (INVESTIGATING, NOTIFIED, DECIDED, EXECUTING, CLOSED)
FORM_STAGES = {
    "party": (FILED, INVESTIGATING),
    "party_id": (FILED, INVESTIGATING, NOTIFIED, DECIDED, EXECUTING),
    "penalty": (NOTIFIED, DECIDED),
    "no_penalty": (NOTIFIED, DECIDED),
    "suspension": (NOTIFIED, DECIDED),
    "transfer": (INVESTIGATING, NOTIFIED, DECIDED, EXECUTING),
    "daily_fine": (DECIDED, EXECUTING),
    "correction": (DECIDED, EXECUTING),
    # and on a case closed while its suspension was in force (before ``NO_SUSPENSION_IN_FORCE``): offered there
    # only while that suspension is in force (``available_forms``), so the unit is not left with no 复产 to get
    "resume": (DECIDED, EXECUTING, CLOSED),
    "measure": (DECIDED, EXECUTING, CLOSED),
    "listing": (DECIDED, EXECUTING, CLOSED),
    # 行业禁入 (第九十四条第二款) follows a sentence, a 处分 or an accident's findings: once the case is decided, and later
    "ban": (DECIDED, EXECUTING, CLOSED),
    "typical": (CLOSED,),
    "revoke": (NOTIFIED, DECIDED, EXECUTING, CLOSED),
    "transfer_receipt": POLICE_ANSWER_STAGES,
    "transfer_outcome": POLICE_ANSWER_STAGES,
    "reconsideration": POLICE_ANSWER_STAGES,
}


#: what each form does, for the refusal of a form the stage does not offer
FORM_LABELS = {
    "advance": "推进阶段", "party": "增加当事人", "party_id": "登记当事人身份号码", "penalty": "行政处罚", "no_penalty": "不予处罚",
    "suspension": "责令停产整顿", "transfer": "移送司法机关", "daily_fine": "按日连续处罚", "correction": "登记改正",
    "resume": "复查恢复生产", "measure": "曝光/约谈/联合惩戒", "listing": "提请列入失信名单", "typical": "公布典型案例",
    "revoke": "撤销决定", "ban": "行业禁入", "transfer_receipt": "登记移送回执", "transfer_outcome": "登记公安机关处理结果",
    "reconsideration": "不予立案提请复议",
}


def available_forms(stage: str, actor: str = "handler", ctx: Context | None = None) -> list[str]:
    """The case page's forms offered to ``actor`` in ``stage``: "advance" (when a stage transition
    is allowed now) and the forms of FORM_STAGES ("revoke" only while an effective decision exists).
    Nobody but the handler gets any."""
    if actor not in HANDLER:
        return []
    out = ["advance"] if available_actions(stage, actor, ctx) else []
    has_decision = ctx is not None and ctx.has_decision
    suspended = ctx is not None and ctx.suspension_in_force
    return out + [name for name, stages in FORM_STAGES.items()
                  if stage in stages and (name != "revoke" or has_decision)
                  and (name != "resume" or stage != CLOSED or suspended)]
