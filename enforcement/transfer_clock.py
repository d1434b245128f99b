"""The time limits of a 移送司法机关 (《行政执法机关移送涉嫌犯罪案件的规定》, 国务院令第310号, 2020年修订), read
from what was recorded — pure: no database, no clock (``today`` is given).

Each step is due a number of days after the fact that starts it, and is met by a later recorded fact:

=====================  ======  =========================================  ==========================
step                   article  starts on → due                            met by
=====================  ======  =========================================  ==========================
移送                   第五条   the decision to transfer → within 24 hours  the 回执 signed (received_on)
转送有管辖权的机关     第七条   the 回执 → within 24 hours                  the written notice of it
公安机关审查           第八条   the 回执 (接受) → within 3 days              the written notice 立案/不予立案
提请复议               第九条   the 不予立案 notice → within 3 days          the 复议 asked (may: 可以)
移交涉案物品           第十一条 the 立案 notice → within 3 days              not recorded here (a reminder)
=====================  ======  =========================================  ==========================

"24 hours" is counted in days here — the platform keeps the dates, not the hours, of the decision and the
回执: a 回执 signed on the day of the decision or the day after is in time, a later one is late. The
police's steps (第七条, 第八条) are theirs: the transferring organ sees that the time has passed and may ask
the 检察院 for 立案监督 (第九条); the 复议 of 第九条 is the organ's option, so its window lapses rather than
becomes overdue. A step not yet met is ``open`` until its due date and ``overdue`` (``lapsed`` for the 复议)
after it; a step met after its due date is ``late`` (recorded all the same, as ``TransferOutcome``'s
``reconsideration_late`` says for the 复议)."""

import datetime
from dataclasses import dataclass

#: 第五条: 决定批准的，应当在24小时内向同级公安机关移送 (counted in days: the dates are kept, not the hours)
TRANSFER_DAYS = 1
#: 第七条: 不属于本机关管辖的，应当在24小时内转送有管辖权的机关，并书面告知移送案件的行政执法机关
FORWARD_DAYS = 1
#: 第八条: 公安机关应当自接受行政执法机关移送的涉嫌犯罪案件之日起3日内……进行审查
REVIEW_DAYS = 3
#: 第九条: 可以自接到不予立案通知书之日起3日内，提请作出不予立案决定的公安机关复议
RECONSIDERATION_DAYS = 3
#: 第十一条: 应当自接到立案通知书之日起3日内将涉案物品以及与案件有关的其他材料移交公安机关
HANDOVER_DAYS = 3

OPEN, MET, LATE, OVERDUE, LAPSED, REMINDER = "open", "met", "late", "overdue", "lapsed", "reminder"
STATE_LABELS = {OPEN: "期限内", MET: "按期", LATE: "逾期办理", OVERDUE: "已逾期", LAPSED: "期限已过", REMINDER: "提示"}


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    article: str
    due: datetime.date
    done_on: datetime.date | None
    state: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def days_late(self) -> int:
        """How many days after its due date a late step was done (0 for any other state)."""
        return (self.done_on - self.due).days if self.state == LATE and self.done_on else 0


def _step(code, label, article, start, days, done_on, today, *, optional=False, tracked=True) -> Step:
    due = start + datetime.timedelta(days=days)
    if not tracked:
        state = REMINDER
    elif done_on is not None:
        state = MET if done_on <= due else LATE
    elif today > due:
        state = LAPSED if optional else OVERDUE
    else:
        state = OPEN
    return Step(code, label, article, due, done_on, state)


def steps(decided_on: datetime.date, outcome, today: datetime.date) -> list[Step]:
    """The steps of a transfer decided on ``decided_on`` whose police answer is ``outcome`` (a
    ``TransferOutcome`` or None), as of ``today``: each once the fact that starts it is recorded."""
    received = getattr(outcome, "received_on", None)
    result = [_step("transfer", "移送公安机关（回执签收）", "第五条", decided_on, TRANSFER_DAYS, received, today)]
    if received is None:
        return result
    kind = getattr(outcome, "outcome", "") or ""
    notified = getattr(outcome, "notified_on", None) if kind else None
    if kind == "forwarded":
        result.append(_step("forward", "公安机关转送有管辖权的机关并书面告知", "第七条", received, FORWARD_DAYS, notified, today))
        return result
    result.append(_step("review", "公安机关审查并书面通知立案与否", "第八条", received, REVIEW_DAYS, notified, today))
    if kind == "not_filed" and notified is not None:
        result.append(_step("reconsideration", "提请公安机关复议（可选）", "第九条", notified, RECONSIDERATION_DAYS,
                            getattr(outcome, "reconsideration_requested_on", None), today, optional=True))
    if kind == "filed" and notified is not None:
        result.append(_step("handover", "移交涉案物品及有关材料", "第十一条", notified, HANDOVER_DAYS, None, today,
                            tracked=False))
    return result


def for_decision(decision, today: datetime.date) -> list[Step]:
    """The steps of a decision (the case page's and the API's one reading): an effective 移送司法机关 runs
    them from its decision date and its ``transfer_outcome`` (if recorded); any other decision, or a revoked
    transfer, has none. Reads ``decision.transfer_outcome`` — select it with the decision."""
    if decision.kind != "transfer" or decision.status != "effective":
        return []
    return steps(decision.decided_on, getattr(decision, "transfer_outcome", None), today)
