"""Writers of the penalty decisions of a case — 行政处罚 (the article's role, range, prior
correction order), 不予行政处罚, 按日连续处罚 and its 改正 — split out of ``enforcement.services``
by responsibility (listed in its SERVICE_MODULES, re-exported there, so callers keep using
``enforcement.services``); the actor and stage checks are that module's. Guard, one transaction,
compare-and-set where a record moves, one event in the same transaction."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.events import record
from core.services import ServiceError, StaleState

from . import rules, services
from .models import Case, CaseParty, Decision, PenaltyArticle


def _fmt(v) -> str:
    return f"{v:,.0f}元" if v is not None else "不限"


ART_37 = "《中华人民共和国行政处罚法》第三十七条"


def applicable_article(article: PenaltyArticle, party_kind: str, act_on: datetime.date,
                       decided_on: datetime.date, income=None) -> tuple[PenaltyArticle, bool]:
    """The version of ``article`` whose range applies (行政处罚法 art. 37, 从旧兼从轻): the one in
    force on the day of the act, unless the one in force on the decision day is lighter for this
    party (``rules.lighter_range``; a share of the income compared on the party's ``income``).
    Returns (that version, whether it is the decision day's)."""
    from core.ruletables import in_force

    then = in_force("penalty-articles", article, act_on)
    if then is None:  # the clause was added to the table after the act: it did not apply then
        raise ServiceError(f"违法行为发生时（{act_on:%Y-%m-%d}）{article.citation}尚未施行，不能依据该条款处罚"
                           f"（{ART_37}）。", "article")
    now = in_force("penalty-articles", article, decided_on)
    if now is not None and rules.lighter_range(now.range_for(party_kind, income), then.range_for(party_kind, income)):
        return now, True
    return then, False


def check_amount(article: PenaltyArticle, party_kind: str, amount: Decimal, on: datetime.date | None = None,
                 act_on: datetime.date | None = None, income=None) -> PenaltyArticle:
    """The amount must lie in the article's range for this party — the range of the version that
    applies to an act on ``act_on`` decided on ``on`` (default today; ``act_on`` defaults to ``on``):
    ``applicable_article`` (for a clause fining a share of the income: that share of ``income``).
    The refusal shows the range and which version it is. Returns that version."""
    on = on or timezone.localdate()
    article, newer = applicable_article(article, party_kind, act_on or on, on, income)
    low, high = article.range_for(party_kind, income)
    who = "单位" if party_kind == CaseParty.Kind.ENTITY else "个人"
    which = f"作出决定时的规定较轻，适用新的规定（{ART_37}）" if newer else "适用违法行为发生时的规定"
    if low is None and high is None:
        raise ServiceError(f"第{article.article}条{article.item}不设对{who}的罚款（{which}）。", "amount")
    if (low is not None and amount < low) or (high is not None and amount > high):
        share = ""
        if party_kind != CaseParty.Kind.ENTITY and article.fines_by_income:
            share = (f"上一年年收入{_fmt(Decimal(income))}的{_pct(article.income_percent_min)}"
                     + (f"至{_pct(article.income_percent_max)}" if article.income_percent_min != article.income_percent_max
                        else "") + "，即")
        raise ServiceError(f"罚款金额超出法定幅度：第{article.article}条{article.item}对{who}为{share}"
                           f"{_fmt(low or Decimal(0))}至{_fmt(high)}（{which}）。", "amount")
    return article


def _pct(value) -> str:
    return f"{Decimal(value).normalize():f}%"


def by_income(article: PenaltyArticle, party: CaseParty, income, amount, act_on: datetime.date,
              decided_on: datetime.date):
    """Arts. 95 / 96 (accident) fine a person a share of the previous year's income: the income is
    required (field ``income``); with a fixed share (art. 95: 40 / 60 / 80 / 100 %) the amount
    follows from it when not given. Returns (income, amount); for other clauses (None, amount)."""
    if party.kind == CaseParty.Kind.ENTITY or not article.fines_by_income:
        return None, amount if amount is not None else services._amount(amount)
    if income in (None, ""):
        raise ServiceError(f"{article.citation}按当事人上一年年收入的比例处以罚款，请填写其上一年年收入。", "income")
    income = services._amount(income, "income")
    if amount is None:
        version, _ = applicable_article(article, party.kind, act_on, decided_on, income)
        low, high = version.range_for(party.kind, income)
        if low != high:
            raise ServiceError(f"请在上一年年收入的{_pct(version.income_percent_min)}至{_pct(version.income_percent_max)}"
                               f"（{_fmt(low)}至{_fmt(high)}）之间确定罚款金额。", "amount")
        amount = low
    return income, amount


def check_accident_grade(case: Case, article: PenaltyArticle) -> None:
    """A clause graded by the accident (art. 95 (一)–(四), art. 114 (一)–(四)) must match the grade of
    the accident the case is linked to (accidents.Responsibility.case), when it is; without a link,
    the clause the officer chose names the grade."""
    if not article.accident_grade:
        return
    from accidents.models import Accident

    linked = list(Accident.objects.filter(responsibilities__case=case).distinct())
    if linked and article.accident_grade not in {a.grade for a in linked}:
        said = "、".join(f"{a.number}（{a.get_grade_display()}）" for a in linked)
        raise ServiceError(f"本案关联的事故为{said}，与{article.citation}（{article.conduct}）的事故等级不符。", "article")


PRIOR_ORDER_WORDS = {PenaltyArticle.PriorOrder.OVERDUE: "逾期未改正", PenaltyArticle.PriorOrder.REFUSED: "拒不执行"}


def check_prior_order(case: Case, article: PenaltyArticle, decided_on: datetime.date) -> datetime.date | None:
    """A clause flagged ``prior_order`` (安全生产法 "责令限期改正……逾期未改正的，处……", art. 102
    "……拒不执行的") fines only after a correction order made earlier in this case — a fine of the
    case with a 责令改正 date, under the clause's ``order_article`` when it names one: for 逾期未改正
    its 改正期限 must have passed before the decision day; for 拒不执行 likewise when it set a deadline
    (an order to eliminate at once is due from its day). The flag is the version in force on the
    decision day. Returns the first day the act (逾期未改正 / 拒不执行) existed; None for other clauses."""
    from core.ruletables import in_force

    kind = (in_force("penalty-articles", article, decided_on) or article).prior_order
    if not kind:
        return None
    what = PRIOR_ORDER_WORDS[kind]
    orders = case.decisions.filter(kind=Decision.Kind.PENALTY, status=Decision.Status.EFFECTIVE,
                                   correction_ordered_on__isnull=False, correction_ordered_on__lte=decided_on)
    basis = "本案"
    if article.order_article_id is not None:
        orders = orders.filter(article_id=article.order_article_id)
        basis = f"依据{article.order_article.citation}"
    orders = list(orders)
    complied = [d for d in orders if corrected_in_time(d)]
    orders = [d for d in orders if not corrected_in_time(d)]
    hazard_due = _hazard_order_due(case, decided_on) if kind == PenaltyArticle.PriorOrder.REFUSED else None
    if hazard_due is not None and hazard_due <= decided_on:
        return hazard_due
    if not orders and hazard_due is not None:
        raise ServiceError(f"关联隐患的整改期限（{hazard_due - datetime.timedelta(days=1):%Y-%m-%d}）尚未届满，"
                           f"不能认定{what}（{article.citation}）。", "decided_on")
    if not orders and complied:
        raise ServiceError(f"当事人已在改正期限内改正（{max(d.corrected_on for d in complied):%Y-%m-%d}登记改正），"
                           f"不能认定{what}（{article.citation}）。", "article")
    if not orders:
        raise ServiceError(f"{article.citation}（{what}）以先行责令改正为前提：本案尚无{basis}作出的责令限期改正"
                           f"决定（须有责令改正日期和改正期限），不能认定{what}。", "article")
    if kind == PenaltyArticle.PriorOrder.OVERDUE and all(d.correction_deadline is None for d in orders):
        raise ServiceError(f"本案{basis}作出的责令改正未规定改正期限，不能认定逾期未改正（{article.citation}）。", "article")
    due = [d.correction_deadline + datetime.timedelta(days=1) if d.correction_deadline else d.correction_ordered_on
           for d in orders if kind == PenaltyArticle.PriorOrder.REFUSED or d.correction_deadline is not None]
    passed = [day for day in due if day <= decided_on]
    if not passed:
        last = max(due) - datetime.timedelta(days=1)
        raise ServiceError(f"责令改正的期限（{last:%Y-%m-%d}）尚未届满，不能认定{what}（{article.citation}）。", "decided_on")
    return min(passed)


def _hazard_order_due(case: Case, decided_on: datetime.date) -> datetime.date | None:
    """Art. 102's order ("责令立即消除或者限期消除") may be the department's own registration of the
    case's hazard with the rectification deadline it set (the 整改指令 of an inspection), not only a
    fine: refused from the day after that deadline unless the unit finished by it (``Hazard.
    completed_by_deadline``: closed by it, or its completion submitted by it and accepted or still awaiting
    the department — the department's slowness is not the unit's refusal). None when the case has no such
    hazard (registered by a government body before the decision day, with a deadline, not finished by it)."""
    from hazards.workflow import FINAL_STATES

    hazard = case.hazard
    if hazard is None or hazard.deadline is None or hazard.created_by_org is None or not hazard.created_by_org.is_government:
        return None
    if hazard.status in FINAL_STATES:  # voided or merged as a duplicate: no order stands on it
        return None
    if timezone.localtime(hazard.created_at).date() > decided_on:
        return None
    if hazard.completed_by_deadline():  # eliminated within the time the order gave (closed by it, or the
        return None  # completion submitted by it accepted or awaiting the department): nothing refused
    return hazard.deadline + datetime.timedelta(days=1)


ROLE_LABELS = dict(CaseParty.Role.choices)


def check_role(article: PenaltyArticle, party: CaseParty, act_on: datetime.date | None = None,
               decided_on: datetime.date | None = None) -> None:
    """The article must fine this party's role (art. 94 the principal, art. 96 other heads and
    safety managers, art. 114 the unit …) — the roles are data on the article, versioned with its
    ranges. With ``act_on``: the roles of the version in force on the day of the act (a clause does
    not reach a role it did not name then), and of the decision day's version when there is one (a
    role the clause no longer names is the lighter law, 行政处罚法 art. 37)."""
    from core.ruletables import in_force

    versions = [(article, "")]
    if act_on is not None:
        then = in_force("penalty-articles", article, act_on)
        now = in_force("penalty-articles", article, decided_on or act_on)
        versions = [(v, w) for v, w in ((then, f"（违法行为发生时即{act_on:%Y-%m-%d}的规定）"),
                                        (now, f"（作出决定时的规定，{ART_37}）")) if v is not None] or versions
    for version, when in versions:
        roles = version.roles()
        if roles and party.role not in roles:
            allowed = "、".join(ROLE_LABELS.get(r, r) for r in sorted(roles, key=list(ROLE_LABELS).index))
            raise ServiceError(f"{article.citation}适用于{allowed}，不适用于{ROLE_LABELS.get(party.role, party.role)}"
                               f"{when if len({v.party_roles for v, _ in versions}) > 1 else ''}。", "article")


def _effective(case: Case, party: CaseParty, kind: str):
    return case.decisions.filter(party=party, kind=kind, status=Decision.Status.EFFECTIVE)


def decide_penalty(actor, case: Case, *, party: CaseParty, article: PenaltyArticle, amount, reason: str = "",
                   decided_on: datetime.date | None = None, correction_ordered_on: datetime.date | None = None,
                   correction_deadline: datetime.date | None = None, act_on: datetime.date | None = None,
                   income=None) -> Decision:
    """行政处罚决定 with a catalogue article; the article must apply to the party's role, its prior
    correction order must be there (``check_prior_order``) and the amount must be within its range
    for the party as the law stood on ``act_on`` (违法行为发生日期, 从旧兼从轻: ``check_amount``;
    default: the day the 逾期未改正 / 拒不执行 began, else the filing day — the act is no later).
    ``correction_ordered_on`` records the 责令改正 that goes with the fine (the order a 逾期 fine
    presupposes; the start of a later 按日连续处罚, art. 112). A person is not fined under a clause of
    一案双罚 when the unit was not punished for the act (``DOUBLE_PENALTY_WITHOUT_UNIT``). While the
    不予处罚 proposal stands for the case's hazard, the unit — and a person under a clause of 一案双罚,
    fined for the same act — is fined only with a written ``reason`` (``LENIENCY_NOT_SET_ASIDE``). Arts. 95 / 96 (accident) fine a share of the person's previous year's
    ``income`` (``by_income``; the amount may then be left out where the share is fixed), graded by
    the case's accident where one is linked (``check_accident_grade``)."""
    services._require_handler(actor, case)
    services._check_form_stage(case, "penalty", "作出行政处罚决定（须在告知之后、进入执行之前）")
    party = services._party(case, party)
    if article is None:
        raise ServiceError("请选择处罚依据条款。", "article")
    amount = None if amount in (None, "") and article.fines_by_income else services._amount(amount)
    decided_on = services._decided_on(decided_on)
    if _effective(case, party, Decision.Kind.NO_PENALTY).exists():
        raise ServiceError("本案已对该当事人作出不予行政处罚决定，不能再对其作出行政处罚"
                           "（《中华人民共和国行政处罚法》第三十三条）。", "party")
    reason = (reason or "").strip()
    same_act = party.kind == CaseParty.Kind.ENTITY or article.fines_the_unit_and_its_persons()
    set_aside = same_act and rules.leniency_proposed(case)
    if set_aside and not reason:
        raise ServiceError(LENIENCY_NOT_SET_ASIDE if party.kind == CaseParty.Kind.ENTITY
                           else LENIENCY_NOT_SET_ASIDE_PERSON.format(citation=article.citation), "reason")
    if party.kind == CaseParty.Kind.PERSON and article.fines_the_unit_and_its_persons() and _effective(
            case, case.parties.get(kind=CaseParty.Kind.ENTITY), Decision.Kind.NO_PENALTY).exists():
        raise ServiceError(DOUBLE_PENALTY_WITHOUT_UNIT.format(citation=article.citation), "party")
    began = check_prior_order(case, article, decided_on)
    if act_on is not None and act_on > decided_on:
        raise ServiceError("违法行为发生日期不能晚于决定日期。", "act_on")
    if act_on is not None and began is not None and act_on < began:
        raise ServiceError(f"{PRIOR_ORDER_WORDS[article.prior_order]}的违法行为发生于{began:%Y-%m-%d}或之后"
                           f"（责令改正的期限届满后），违法行为发生日期不能早于该日。", "act_on")
    act_on = act_on or began or min(case.opened_on, decided_on)
    check_role(article, party, act_on, decided_on)
    check_accident_grade(case, article)
    income, amount = by_income(article, party, income, amount, act_on, decided_on)
    check_amount(article, party.kind, amount, decided_on, act_on, income)
    if _effective(case, party, Decision.Kind.PENALTY).filter(article=article).exists():
        raise ServiceError("本案已依据该条款对该当事人作出罚款决定：对同一违法行为不得给予两次以上罚款"
                           "（《中华人民共和国行政处罚法》第二十九条）。", "article")
    if correction_ordered_on is not None and correction_ordered_on > decided_on:
        raise ServiceError("责令改正日期不能晚于决定日期。", "correction_ordered_on")
    if correction_deadline is not None and correction_ordered_on is None:
        raise ServiceError("填写改正期限时须同时填写责令改正日期。", "correction_ordered_on")
    if correction_deadline is not None and correction_deadline < correction_ordered_on:
        raise ServiceError("改正期限不能早于责令改正日期。", "correction_deadline")
    with transaction.atomic():
        return services._create_decision(actor, case, party, Decision.Kind.PENALTY, verb="case.penalty",
                                         note=f"未采纳不予行政处罚建议的理由：{reason}" if set_aside else "",
                                         event_data={**({"leniency_set_aside": reason} if set_aside else {}),
                                                     **({"income": str(income)} if income is not None else {})},
                                         article=article, amount=amount, income=income, reason=reason,
                                         decided_on=decided_on,
                                         act_on=act_on, correction_ordered_on=correction_ordered_on,
                                         correction_deadline=correction_deadline)


#: seed 000 三(三)2(1)①: "对企业自查查出的重大事故隐患，已按规定报告并正在采取有效措施消除的，依法不予行政
#: 处罚" — while the case's hazard meets it (``rules.leniency_proposed``), a fine on the unit is taken
#: only with the officer's written reason why the exemption does not apply (kept on the decision and
#: in its event, shown on the case's timeline). The exemption is for the 违法行为, not only for the unit:
#: a clause of 一案双罚 (arts. 97, 99, 101, 102) fines the 直接负责的主管人员和其他直接责任人员 — the
#: principal among them — for the unit's same act (seed 000 ② names 一案双罚 as the answer to 排查整治
#: 不力, the opposite case), so such a fine needs the same written reason. A person's own failure of
#: duty (art. 94 the principal, arts. 95, 96) is another act and is not covered.
LENIENCY_NOT_SET_ASIDE = ("本案关联的重大事故隐患系企业自查发现、已按规定报告并正在采取有效措施消除，依法不予行政处罚"
                          "（系统已提出不予处罚建议）；如认为不适用，须在“说明”中写明不予适用的理由。")
LENIENCY_NOT_SET_ASIDE_PERSON = ("本案关联的重大事故隐患系企业自查发现、已按规定报告并正在采取有效措施消除，依法不予行政处罚"
                                 "（系统已提出不予处罚建议）；{citation}对直接负责的主管人员和其他直接责任人员的罚款系对"
                                 "单位同一违法行为的“一案双罚”，同样适用该建议。如认为不适用，须在“说明”中写明不予适用的理由。")


#: 一案双罚 (安全生产法 arts. 97, 99, 101, 102: the unit is punished and its 直接负责的主管人员和其他直接
#: 责任人员 are fined — for the unit's act): once the unit is not punished for the act (不予行政处罚,
#: 行政处罚法 art. 33), the personal fine for it does not follow. A person's own failure of duty
#: (art. 94 the principal, art. 96 other heads) is a separate act and stays finable.
DOUBLE_PENALTY_WITHOUT_UNIT = ("本案已对单位作出不予行政处罚决定：{citation}对直接负责的主管人员和其他直接责任人员"
                               "的罚款，系对单位违法行为的“一案双罚”，单位不予处罚的，不能单独对个人处罚。")


def is_double_penalty(case: Case) -> bool:
    """一案双罚: the entity and its principal are both penalised in this case — each under an administrative penalty
    in force (``services.PENALTY_KINDS``: a fine, a daily fine, a 责令停产停业整顿 of the unit)."""
    roles = set(case.decisions.filter(kind__in=services.PENALTY_KINDS, status=Decision.Status.EFFECTIVE)
                .values_list("party__role", flat=True))
    return {CaseParty.Role.ENTITY, CaseParty.Role.PRINCIPAL} <= roles


def decide_no_penalty(actor, case: Case, *, reason: str = "", decided_on=None) -> Decision:
    """不予行政处罚 for the entity — the officer confirms the automatic proposal (or decides it
    with a written reason where no proposal exists)."""
    services._require_handler(actor, case)
    services._check_form_stage(case, "no_penalty", "作出不予行政处罚决定（须在告知之后、进入执行之前）")
    proposed = rules.leniency_proposed(case)
    reason = (reason or "").strip()
    if not proposed and not reason:
        raise ServiceError("本案不符合自查自报自改不予处罚条件，须说明不予处罚的理由。", "reason")
    if case.decisions.filter(kind=Decision.Kind.NO_PENALTY, status=Decision.Status.EFFECTIVE).exists():
        raise ServiceError("本案已作出不予处罚决定。", "reason")
    reason = reason or "当事人自查发现重大事故隐患，已按规定报告并正在有效整改，依据《中华人民共和国行政处罚法》第三十三条不予行政处罚。"
    entity = case.parties.get(kind=CaseParty.Kind.ENTITY)
    if case.decisions.filter(party=entity, kind__in=services.PENALTY_KINDS, status=Decision.Status.EFFECTIVE).exists():
        raise ServiceError("本案已对该单位作出行政处罚决定（罚款或责令停产停业整顿），不能再作出不予行政处罚决定"
                           "（《中华人民共和国行政处罚法》第三十三条）。", "reason")
    persons = [d for d in case.decisions.filter(kind=Decision.Kind.PENALTY, status=Decision.Status.EFFECTIVE,
                                                party__kind=CaseParty.Kind.PERSON).select_related("article", "party")
               if d.article is not None and d.article.fines_the_unit_and_its_persons()]
    if persons:
        raise ServiceError(f"本案已依据{persons[0].article.citation}对{persons[0].party.name}作出“一案双罚”的罚款决定，"
                           "该罚款以单位的违法行为受到处罚为前提，不能再对单位作出不予行政处罚决定。", "reason")
    with transaction.atomic():
        return services._create_decision(actor, case, entity, Decision.Kind.NO_PENALTY, verb="case.no_penalty",
                                         reason=reason, decided_on=services._decided_on(decided_on))


ART_112 = "《中华人民共和国安全生产法》第一百一十二条"


def daily_fine(actor, case: Case, *, base: Decision, reason: str, amount_per_day=None,
               decided_on: datetime.date | None = None) -> Decision:
    """按日连续处罚 (安全生产法 art. 112): a 生产经营单位 that was ordered to correct and fined, and
    refuses to correct, is fined the original amount per day from the day after the correction
    order. ``base`` is that fine; the amount is copied from it (a different amount is refused)."""
    services._require_handler(actor, case)
    services._check_form_stage(case, "daily_fine", "按日连续处罚（须在作出决定之后、结案之前）")
    if base is None or base.case_id != case.pk or base.kind != Decision.Kind.PENALTY \
            or base.status != Decision.Status.EFFECTIVE:
        raise ServiceError(f"按日连续处罚须以本案已生效的罚款决定为前提（{ART_112}）。", "base")
    party = base.party
    if party.kind != CaseParty.Kind.ENTITY:
        raise ServiceError(f"按日连续处罚的对象是生产经营单位（{ART_112}）。", "base")
    if base.correction_ordered_on is None:
        raise ServiceError(f"原处罚决定未责令改正，不能按日连续处罚（{ART_112}：被责令改正且受到罚款处罚）。", "base")
    if base.corrected_on is not None:
        raise ServiceError(f"当事人已于{base.corrected_on:%Y-%m-%d}改正，不属于拒不改正（{ART_112}）。", "base")
    if amount_per_day not in (None, ""):
        if services._amount(amount_per_day, "amount_per_day") != base.amount:
            raise ServiceError(f"按日连续处罚按照原处罚数额（{base.amount:,.2f}元）计算（{ART_112}）。", "amount_per_day")
    if not (reason or "").strip():
        raise ServiceError(f"请写明当事人拒不改正的事实（{ART_112}）。", "reason")
    decided_on = services._decided_on(decided_on)
    if decided_on <= base.correction_ordered_on:
        raise ServiceError(f"责令改正当日不能认定拒不改正；按日连续处罚自责令改正之日的次日起计算（{ART_112}）。",
                           "decided_on")
    if base.correction_deadline is not None and decided_on <= base.correction_deadline:
        raise ServiceError(f"改正期限（{base.correction_deadline:%Y-%m-%d}）届满前不能认定拒不改正（{ART_112}）。",
                           "decided_on")
    if base.daily_fines.filter(status=Decision.Status.EFFECTIVE).exists():
        raise ServiceError("该罚款决定已作出按日连续处罚。", "base")
    with transaction.atomic():
        return services._create_decision(actor, case, party, Decision.Kind.DAILY_FINE, verb="case.daily_fine",
                                         amount=base.amount, reason=reason.strip(), base=base, decided_on=decided_on,
                                         correction_ordered_on=base.correction_ordered_on,
                                         correction_deadline=base.correction_deadline)


def daily_fine_total(decision: Decision, today: datetime.date | None = None) -> tuple[int, Decimal]:
    """(days, total) of a 按日连续处罚: up to its correction day; a case closed without one (closing
    now requires it — a case closed before that rule) stops on its closing day; else ``today``."""
    end = decision.corrected_on or decision.case.closed_on or today or timezone.localdate()
    start = decision.correction_ordered_on or decision.decided_on
    return rules.daily_fine_accrual(decision.amount, start, end)


def record_correction(actor, decision: Decision, *, corrected_on: datetime.date) -> Decision:
    """The party corrected (登记改正): for a 按日连续处罚 its accrual stops on that day; for a fine
    with a 责令改正, a correction by the order's deadline means there is no 逾期未改正 / 拒不执行 to
    fine later (``check_prior_order``)."""
    services._require_handler(actor, decision.case)
    services._check_form_stage(decision.case, "correction", "登记改正（须在作出决定之后、结案之前）")
    ordered = decision.kind == Decision.Kind.PENALTY and decision.correction_ordered_on is not None
    if decision.kind != Decision.Kind.DAILY_FINE and not ordered:
        raise ServiceError("只有按日连续处罚或附有责令改正的罚款决定需要登记改正日期。", "corrected_on")
    if decision.status != Decision.Status.EFFECTIVE:
        raise ServiceError("该决定已撤销。", "decision")
    if corrected_on is None or corrected_on > timezone.localdate():
        raise ServiceError("改正日期无效。", "corrected_on")
    if decision.correction_ordered_on and corrected_on < decision.correction_ordered_on:
        raise ServiceError("改正日期不能早于责令改正日期。", "corrected_on")
    if decision.kind == Decision.Kind.DAILY_FINE and corrected_on < decision.decided_on:
        # art. 112 fines a unit that *refuses* to correct: corrected before the daily fine was decided,
        # there was no refusal to fine — the decision is to be revoked, not closed by a correction
        raise ServiceError("改正日期早于按日连续处罚决定日期：单位在决定前已改正，不应按日连续处罚，请撤销该决定。",
                           "corrected_on")
    with transaction.atomic():
        if Decision.objects.filter(pk=decision.pk, corrected_on__isnull=True).update(corrected_on=corrected_on) != 1:
            raise StaleState()
        decision.corrected_on = corrected_on
        data = {"decision": decision.pk, "corrected_on": corrected_on.isoformat()}
        if decision.kind == Decision.Kind.DAILY_FINE:
            days, total = daily_fine_total(decision)
            data.update(days=days, total=str(total))
        else:
            data["in_time"] = corrected_in_time(decision)
        record(actor, "case.corrected", decision.case, data=data)
    return decision


def corrected_in_time(order: Decision) -> bool:
    """The order was complied with: corrected by its deadline (an order without one: on its day)."""
    last = order.correction_deadline or order.correction_ordered_on
    return order.corrected_on is not None and last is not None and order.corrected_on <= last
