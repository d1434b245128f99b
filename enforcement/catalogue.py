"""安全生产法 (2021) penalty clauses with fine ranges in 元 (DOMAIN.md §5.1; conduct summaries are
our own words). Loaded by migration 0002; None = no fine for that party / no lower bound."""

W = 10000

#: who each article fines (安全生产法 2021): art. 94 the principal (主要负责人); art. 96 other heads and
#: safety managers; arts. 97/99/101/102 the unit and its 直接负责的主管人员和其他直接责任人员;
#: art. 114 the unit. Keys are (article, item); missing rows mean "any party with a range".
PERSONS = "principal,other_head,safety_manager,other"
ROLES = {
    (94, ""): "principal", (94, "逾期"): "principal",
    (96, ""): "other_head,safety_manager",
    (114, "(一)"): "entity", (114, "(二)"): "entity", (114, "(三)"): "entity", (114, "(四)"): "entity",
}

#: the clauses that fine only after an earlier correction order in the same case (安全生产法 2021):
#: "责令限期改正……逾期未改正的，处……" (arts. 94, 97, 99, 101 → overdue: the order's deadline has passed)
#: and art. 102 "责令立即消除或者限期消除……拒不执行的，……处……" (refused: the order was not executed).
#: Value: (kind, the (article, item) under which that order is made — the clause's first sentence).
PRIOR_ORDERS = {
    (94, "逾期"): ("overdue", (94, "")),
    (97, "(五)逾期"): ("overdue", (97, "(五)")),
    (99, "(四)逾期"): ("overdue", (99, "(四)")),
    (101, "(四)逾期"): ("overdue", (101, "(四)")),
    (101, "(五)逾期"): ("overdue", (101, "(五)")),
    (102, "拒不执行"): ("refused", (102, "")),
}

#: the clauses that order 责令停产停业整顿 (安全生产法 2021, DOMAIN.md §5.1): art. 94 "逾期未改正的，……责令
#: 生产经营单位停产停业整顿"; arts. 97, 101 "逾期未改正的，责令停产停业整顿"; art. 99 "情节严重的，责令
#: 停产停业整顿" (after its fines, for any of its items — no prior order); art. 102 "生产经营单位拒不执行
#: 的，责令停产停业整顿". A suspension decision names one of them (行政处罚法 第五十九条: the decision states
#: its legal basis); the prior order of a 逾期 / 拒不执行 clause applies to the suspension as to its fine.
SUSPENSIONS = {(94, "逾期"), (97, "(五)逾期"), (99, "(四)"), (101, "(四)逾期"), (101, "(五)逾期"), (102, "拒不执行")}

# (sort, article, item, conduct, entity_min, entity_max, person_min, person_max)
ARTICLES = [
    (10, 94, "", "主要负责人未履行安全生产管理职责", None, None, 2 * W, 5 * W),
    (11, 94, "逾期", "主要负责人未履行职责，逾期未改正", None, None, 5 * W, 10 * W),
    (20, 96, "", "其他负责人、安全生产管理人员未履行安全生产管理职责", None, None, 1 * W, 3 * W),
    (30, 97, "(五)", "未如实记录事故隐患排查治理情况或未向从业人员通报", None, 10 * W, None, None),
    (31, 97, "(五)逾期", "同上，逾期未改正", 10 * W, 20 * W, 2 * W, 5 * W),
    (40, 99, "(四)", "关闭、破坏安全监控、报警、防护设备或篡改、隐瞒、销毁其数据", None, 5 * W, None, None),
    (41, 99, "(四)逾期", "同上，逾期未改正", 5 * W, 20 * W, 1 * W, 2 * W),
    (50, 101, "(四)", "未建立安全风险分级管控制度或未按要求采取管控措施", None, 10 * W, None, None),
    (51, 101, "(四)逾期", "同上，逾期未改正", 10 * W, 20 * W, 2 * W, 5 * W),
    (52, 101, "(五)", "未建立事故隐患排查治理制度，或重大事故隐患排查治理情况未按规定报告", None, 10 * W, None, None),
    (53, 101, "(五)逾期", "同上，逾期未改正", 10 * W, 20 * W, 2 * W, 5 * W),
    (60, 102, "", "未采取措施消除事故隐患", None, 5 * W, None, None),
    (61, 102, "拒不执行", "拒不执行消除事故隐患的责令", None, None, 5 * W, 10 * W),
    (70, 114, "(一)", "发生一般事故", 30 * W, 100 * W, None, None),
    (71, 114, "(二)", "发生较大事故", 100 * W, 200 * W, None, None),
    (72, 114, "(三)", "发生重大事故", 200 * W, 1000 * W, None, None),
    (73, 114, "(四)", "发生特别重大事故", 1000 * W, 2000 * W, None, None),
]


#: The accident clauses of persons whose fine is a share of their previous year's income (安全生产法
#: 2021, DOMAIN.md §5.1 V[S26]): art. 95 the principal whose failure of duty caused the accident —
#: 40 / 60 / 80 / 100 % by the accident grade (一般 / 较大 / 重大 / 特别重大, 493号令 art. 3); art. 96
#: (accident part) other heads and safety managers — 20–50 %, whatever the grade (the 暂停或者吊销
#: 资格 that goes with it is not a fine and is not recorded here). Loaded by migration 0007.
#: (sort, article, item, conduct, income % min, income % max, accident grade or "", party roles)
ACCIDENT_CLAUSES = [
    (12, 95, "(一)", "主要负责人未履行安全生产管理职责，导致发生一般事故", 40, 40, "general", "principal"),
    (13, 95, "(二)", "主要负责人未履行安全生产管理职责，导致发生较大事故", 60, 60, "larger", "principal"),
    (14, 95, "(三)", "主要负责人未履行安全生产管理职责，导致发生重大事故", 80, 80, "major", "principal"),
    (15, 95, "(四)", "主要负责人未履行安全生产管理职责，导致发生特别重大事故", 100, 100, "especially_major", "principal"),
    (21, 96, "事故", "其他负责人、安全生产管理人员未履行安全生产管理职责，导致发生生产安全事故", 20, 50, "",
     "other_head,safety_manager"),
]
#: art. 114 fines the unit by the accident grade too (its items (一)–(四))
ACCIDENT_GRADES_114 = {"(一)": "general", "(二)": "larger", "(三)": "major", "(四)": "especially_major"}


def load_accident_clauses(PenaltyArticle) -> list:
    """Arts. 95 and 96 (accident) as clauses; art. 114's items get their accident grade. Returns the
    clauses' rows (idempotent)."""
    rows = []
    for sort, article, item, conduct, pmin, pmax, grade, roles in ACCIDENT_CLAUSES:
        row, _ = PenaltyArticle.objects.update_or_create(article=article, item=item, defaults=dict(
            conduct=conduct, entity_min=None, entity_max=None, person_min=None, person_max=None, sort_order=sort,
            income_percent_min=pmin, income_percent_max=pmax, accident_grade=grade, party_roles=roles))
        rows.append(row)
    for item, grade in ACCIDENT_GRADES_114.items():
        PenaltyArticle.objects.filter(article=114, item=item).update(accident_grade=grade)
    return rows


def load(PenaltyArticle) -> None:
    for sort, article, item, conduct, emin, emax, pmin, pmax in ARTICLES:
        PenaltyArticle.objects.update_or_create(article=article, item=item, defaults=dict(
            conduct=conduct, entity_min=emin, entity_max=emax, person_min=pmin, person_max=pmax, sort_order=sort))


def load_roles(PenaltyArticle) -> None:
    for (article, item), roles in ROLES.items():
        PenaltyArticle.objects.filter(article=article, item=item).update(party_roles=roles)
    for article in (97, 99, 101, 102):
        PenaltyArticle.objects.filter(article=article, party_roles="").update(party_roles="entity," + PERSONS)


def load_prior_orders(PenaltyArticle) -> None:
    for (article, item), (kind, (order_article, order_item)) in PRIOR_ORDERS.items():
        order = PenaltyArticle.objects.filter(article=order_article, item=order_item).first()
        PenaltyArticle.objects.filter(article=article, item=item).update(prior_order=kind, order_article=order)


def load_suspensions(PenaltyArticle) -> None:
    for article, item in SUSPENSIONS:
        PenaltyArticle.objects.filter(article=article, item=item).update(suspension=True)
