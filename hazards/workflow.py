"""The hazard lifecycle as data: states, actions, who may do what. Pure Python, no ORM.

    registered ──close_now (一般, evidence)──────────────────────────────► closed
    registered ──submit_plan (重大: six elements)──► rectifying ──submit_completion──► pending_acceptance
    pending_acceptance ──accept (competent department for 重大)──► closed (销号)
    pending_acceptance ──reject (who, why, what next)──► rectifying
    rectifying ──request_extension / decide_extension── (deadline recorded, state kept)
    any open ──merge / void──► merged | void
    closed ──reopen──► rectifying

Actor kinds: "enterprise" (staff of the hazard's enterprise), "department" (a government
department whose scope covers the hazard), "committee" (安委办), "township" (街道/乡镇),
"agency" (third party engaged for the enterprise), "superuser".
"""

from dataclasses import dataclass

from core.workflow import Guard, Transition, Workflow

REGISTERED = "registered"
RECTIFYING = "rectifying"
PENDING_ACCEPTANCE = "pending_acceptance"
CLOSED = "closed"
MERGED = "merged"
VOID = "void"

STATES = (REGISTERED, RECTIFYING, PENDING_ACCEPTANCE, CLOSED, MERGED, VOID)
OPEN_STATES = (REGISTERED, RECTIFYING, PENDING_ACCEPTANCE)
FINAL_STATES = (MERGED, VOID)

GENERAL = "general"
MAJOR = "major"

ACTOR_KINDS = ("enterprise", "department", "committee", "township", "agency", "superuser")

PLAN_ELEMENTS = (
    ("goal_tasks", "治理的目标和任务"),
    ("measures", "采取的方法和措施"),
    ("funds_materials", "经费和物资的落实"),
    ("responsible", "负责治理的机构和人员"),
    ("deadline", "治理的时限和要求"),
    ("safety_emergency", "安全措施和应急预案"),
)



@dataclass(frozen=True)
class Context:
    """Facts a guard needs that are not the state itself."""

    grade: str = GENERAL
    has_plan: bool = False  # all six elements present
    is_submitter: bool = False  # the actor submitted the pending completion
    has_evidence: bool = False  # completion evidence attached / described
    has_reason: bool = False  # reason given (reject, void, extension, merge)
    reported: bool = False  # 双报告 done
    pending_extension: bool = False
    unstated: bool = False  # the 隐患类别 was not stated (未注明: Hazard.Category.UNSTATED)


MAJOR_ONLY = Guard(lambda a: a.ctx.grade == MAJOR, "“{label}”仅适用于重大隐患。")
GENERAL_ONLY = Guard(lambda a: a.ctx.grade == GENERAL, "“{label}”仅适用于一般隐患。")
REASON = Guard(lambda a: a.ctx.has_reason, "请填写理由。")
EVIDENCE = Guard(lambda a: a.ctx.has_evidence, "请提供整改完成的证据（说明或照片）。")
PLAN = Guard(lambda a: a.ctx.grade != MAJOR or a.ctx.has_plan,
             "重大隐患须先制定治理方案（目标任务、措施、经费物资、机构人员、时限、安全措施和应急预案六要素齐全）。")
NOT_SUBMITTER = Guard(lambda a: not a.ctx.is_submitter, "验收人不能是整改材料的提交人。")
UNSTATED_ONLY = Guard(lambda a: a.ctx.unstated, "隐患类别已注明，“{label}”仅适用于类别未注明的隐患。")
STATED_ONLY = Guard(lambda a: not a.ctx.unstated, "隐患类别未注明，请使用“注明隐患类别”。")
NO_PENDING_EXTENSION = Guard(lambda a: not a.ctx.pending_extension, "已有待审批的延期申请。")
PENDING_EXTENSION = Guard(lambda a: a.ctx.pending_extension, "没有待审批的延期申请。")
#: acceptance (and its rejection): for 重大 only the competent department
ACCEPTORS = {GENERAL: ("enterprise", "department", "township", "superuser"), MAJOR: ("department", "superuser")}
DEPARTMENT_FOR_MAJOR = {MAJOR: "重大隐患的“{label}”须由负有监管职责的主管部门办理。"}

WORKFLOW = Workflow(
    name="hazard",
    states=STATES,
    actor_kinds=ACTOR_KINDS,
    variant=lambda ctx: ctx.grade,
    messages={"actor": "您所在单位不能执行“{label}”。"},
    transitions=(
        Transition("report", "双报告（报告主管部门和职代会）", OPEN_STATES, None,
                   {MAJOR: ("enterprise", "agency")}, preconditions=(MAJOR_ONLY,)),
        Transition("submit_plan", "提交治理方案并开始整改", (REGISTERED,), RECTIFYING,
                   ("enterprise", "department", "superuser"), guards=(PLAN,)),
        Transition("close_now", "立即整改完毕并销号", (REGISTERED,), CLOSED,
                   {GENERAL: ("enterprise", "department", "township", "superuser")},
                   preconditions=(GENERAL_ONLY,), guards=(EVIDENCE,)),
        Transition("submit_completion", "提交整改完成材料", (RECTIFYING,), PENDING_ACCEPTANCE,
                   ("enterprise", "agency", "superuser"), guards=(EVIDENCE,)),
        Transition("accept", "验收通过并销号", (PENDING_ACCEPTANCE,), CLOSED,
                   ACCEPTORS,
                   actor_refusal=DEPARTMENT_FOR_MAJOR, guards=(NOT_SUBMITTER,)),
        Transition("reject", "验收不通过（退回整改）", (PENDING_ACCEPTANCE,), RECTIFYING,
                   ACCEPTORS,
                   actor_refusal=DEPARTMENT_FOR_MAJOR, guards=(REASON,)),
        Transition("request_extension", "申请延期", (RECTIFYING,), None, ("enterprise", "superuser"),
                   guards=(REASON, NO_PENDING_EXTENSION)),
        Transition("decide_extension", "审批延期", (RECTIFYING,), None, ("department", "superuser"),
                   actor_refusal=DEPARTMENT_FOR_MAJOR, guards=(PENDING_EXTENSION,)),
        Transition("merge", "合并到重复隐患", OPEN_STATES, MERGED, ("department", "committee", "superuser"),
                   guards=(REASON,)),
        Transition("void", "作废", OPEN_STATES, VOID, ("department", "committee", "superuser"), guards=(REASON,)),
        Transition("reopen", "重新打开（再次发现）", (CLOSED,), RECTIFYING,
                   ("enterprise", "department", "committee", "township", "superuser"), guards=(REASON,)),
        # a hazard registered without its 隐患类别 (an imported ledger, an inspection's finding …) is
        # given it by the unit or an officer who handles it, once (销号 does not end the ledger's record)
        Transition("classify", "注明隐患类别", OPEN_STATES + (CLOSED,), None,
                   ("enterprise", "department", "township", "superuser"), preconditions=(UNSTATED_ONLY,)),
        # a class stated wrongly is corrected by the same, with the reason (the event keeps the old one)
        Transition("reclassify", "更正隐患类别", OPEN_STATES + (CLOSED,), None,
                   ("enterprise", "department", "township", "superuser"), preconditions=(STATED_ONLY,),
                   guards=(REASON,)),
    ),
)
TRANSITIONS = WORKFLOW.by_action
ACTIONS = WORKFLOW.actions


def refusal(state: str, action: str, actor: str, ctx: Context) -> str | None:
    """Why ``actor`` may not do ``action`` in ``state`` (Chinese, for users), or None if allowed."""
    return WORKFLOW.refusal(state, action, actor, ctx)


def target_state(state: str, action: str) -> str:
    return WORKFLOW.target(state, action)


def available_actions(state: str, actor: str, grade: str, unstated: bool = False) -> list[str]:
    """Actions whose state/actor/grade rules allow them (details such as evidence are checked on submit);
    ``unstated``: the hazard's 隐患类别 is 未注明."""
    return WORKFLOW.available(state, actor, Context(grade=grade, unstated=unstated))
