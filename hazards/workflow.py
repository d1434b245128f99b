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
GOVERNMENT = ("department", "committee", "township")

PLAN_ELEMENTS = (
    ("goal_tasks", "治理的目标和任务"),
    ("measures", "采取的方法和措施"),
    ("funds_materials", "经费和物资的落实"),
    ("responsible", "负责治理的机构和人员"),
    ("deadline", "治理的时限和要求"),
    ("safety_emergency", "安全措施和应急预案"),
)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple
    target: str | None  # None = the state does not change
    actors: tuple  # actor kinds allowed (for either grade unless overridden below)
    major_actors: tuple | None = None  # if set: who may do it on a 重大 hazard
    grades: tuple = (GENERAL, MAJOR)


TRANSITIONS = {
    t.action: t
    for t in (
        Transition("report", "双报告（报告主管部门和职代会）", OPEN_STATES, None, ("enterprise", "agency"), grades=(MAJOR,)),
        Transition("submit_plan", "提交治理方案并开始整改", (REGISTERED,), RECTIFYING, ("enterprise", "department", "superuser")),
        Transition("close_now", "立即整改完毕并销号", (REGISTERED,), CLOSED, ("enterprise", "department", "township", "superuser"), grades=(GENERAL,)),
        Transition("submit_completion", "提交整改完成材料", (RECTIFYING,), PENDING_ACCEPTANCE, ("enterprise", "agency", "superuser")),
        Transition("accept", "验收通过并销号", (PENDING_ACCEPTANCE,), CLOSED,
                   ("enterprise", "department", "township", "superuser"), major_actors=("department", "superuser")),
        Transition("reject", "验收不通过（退回整改）", (PENDING_ACCEPTANCE,), RECTIFYING,
                   ("enterprise", "department", "township", "superuser"), major_actors=("department", "superuser")),
        Transition("request_extension", "申请延期", (RECTIFYING,), None, ("enterprise", "superuser")),
        Transition("decide_extension", "审批延期", (RECTIFYING,), None, ("department", "superuser"),
                   major_actors=("department", "superuser")),
        Transition("merge", "合并到重复隐患", OPEN_STATES, MERGED, ("department", "committee", "superuser")),
        Transition("void", "作废", OPEN_STATES, VOID, ("department", "committee", "superuser")),
        Transition("reopen", "重新打开（再次发现）", (CLOSED,), RECTIFYING, ("enterprise", "department", "committee", "township", "superuser")),
    )
}
ACTIONS = tuple(TRANSITIONS)


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


def refusal(state: str, action: str, actor: str, ctx: Context) -> str | None:
    """Why ``actor`` may not do ``action`` in ``state`` (Chinese, for users), or None if allowed."""
    t = TRANSITIONS.get(action)
    if t is None:
        return "未知操作。"
    if state not in t.sources:
        return f"当前状态不能执行“{t.label}”。"
    if ctx.grade not in t.grades:
        return f"“{t.label}”仅适用于{'重大' if MAJOR in t.grades else '一般'}隐患。"
    allowed = t.major_actors if (ctx.grade == MAJOR and t.major_actors is not None) else t.actors
    if actor not in allowed:
        if ctx.grade == MAJOR and t.major_actors is not None:
            return f"重大隐患的“{t.label}”须由负有监管职责的主管部门办理。"
        return f"您所在单位不能执行“{t.label}”。"
    if action == "submit_plan" and ctx.grade == MAJOR and not ctx.has_plan:
        return "重大隐患须先制定治理方案（目标任务、措施、经费物资、机构人员、时限、安全措施和应急预案六要素齐全）。"
    if action in ("close_now", "submit_completion") and not ctx.has_evidence:
        return "请提供整改完成的证据（说明或照片）。"
    if action == "accept" and ctx.is_submitter:
        return "验收人不能是整改材料的提交人。"
    if action in ("reject", "void", "merge", "request_extension", "reopen") and not ctx.has_reason:
        return "请填写理由。"
    if action == "request_extension" and ctx.pending_extension:
        return "已有待审批的延期申请。"
    if action == "decide_extension" and not ctx.pending_extension:
        return "没有待审批的延期申请。"
    return None


def target_state(state: str, action: str) -> str:
    t = TRANSITIONS[action]
    return t.target or state


def available_actions(state: str, actor: str, grade: str) -> list[str]:
    """Actions whose state/actor/grade rules allow them (details such as evidence are checked on submit)."""
    out = []
    for action, t in TRANSITIONS.items():
        allowed = t.major_actors if (grade == MAJOR and t.major_actors is not None) else t.actors
        if state in t.sources and grade in t.grades and actor in allowed:
            out.append(action)
    return out
