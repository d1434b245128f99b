"""公文 of enforcement decisions (.docx via documents.render): 行政处罚决定书,
不予行政处罚决定书, 责令停产停业整顿指令书, 整改复查意见书 (复产), 涉嫌犯罪案件移送书 (移送司法机关)."""

from django.utils import timezone

from documents.render import new_document, paragraph, table, to_bytes

from .models import Decision

TITLES = {
    Decision.Kind.PENALTY: "行政处罚决定书",
    Decision.Kind.NO_PENALTY: "不予行政处罚决定书",
    Decision.Kind.SUSPENSION: "责令停产停业整顿指令书",
    Decision.Kind.TRANSFER: "涉嫌犯罪案件移送书",
    Decision.Kind.RESUMPTION: "整改复查意见书",
}
#: the basis of a 复产 decision (``models.RESUMPTION_BASIS`` on the case page), as its document cites it
RESUMPTION_CITATION = "《中华人民共和国安全生产法》第六十五条第一款第（三）项"

#: 行政处罚法 第五十九条 (五): a penalty decision tells the party how to seek 行政复议 or 行政诉讼, and when
#: (行政复议法 第二十条 60 days; 行政诉讼法 第四十六条 6 months) — a fine's and a suspension's alike
REMEDIES = "如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
#: 《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号，2020年修订）
TRANSFER_RULES = "《行政执法机关移送涉嫌犯罪案件的规定》"
#: its 第六条 (二)–(五): what goes with the 移送书 ((一) is the 移送书 itself)
TRANSFER_ATTACHMENTS = ("涉嫌犯罪案件情况的调查报告", "涉案物品清单", "有关检验报告或者鉴定结论", "其他有关涉嫌犯罪的材料")


def renderable(decision: Decision) -> bool:
    return decision.kind in TITLES


def revocation(decision: Decision) -> tuple | None:
    """(day, reason) the decision was 撤销 — from its ``case.revoked`` event (the revocation's one
    record) — or None while it is in force. A revoked decision's document is still given out (the
    file of what was decided), marked revoked at its head so that it cannot be served as in force."""
    if decision.status != Decision.Status.REVOKED:
        return None
    from django.utils import timezone

    from core.events import object_type_of
    from core.models import Event

    event = (Event.objects.filter(object_type=object_type_of(decision.case), object_id=decision.case_id,
                                  verb="case.revoked", data__decision=decision.pk).order_by("-created_at", "-id").first())
    return (timezone.localdate(event.created_at), event.note) if event else (None, "")


def _mark_revoked(doc, decision: Decision) -> None:
    revoked = revocation(decision)
    if revoked is None:
        return
    day, reason = revoked
    when = f"已于{day:%Y年%m月%d日}" if day else "已"
    paragraph(doc, f"【已撤销】本决定{when}撤销，不再执行。" + (f"撤销理由：{reason}" if reason else ""),
              bold=True, align="justify")


def render_decision(decision: Decision) -> tuple[str, bytes]:
    """(file name, .docx bytes) of the decision's document."""
    if decision.kind == Decision.Kind.TRANSFER:
        return _render_transfer(decision)
    case, ent = decision.case, decision.case.enterprise
    org = decision.decided_by_org or case.opened_by_org
    title = TITLES[decision.kind]
    doc = new_document(org.name, title)
    paragraph(doc, f"文号：{decision.number}", align="right")
    _mark_revoked(doc, decision)
    rows = [["当事人", decision.party.name], ["统一社会信用代码", ent.credit_code], ["地址", ent.address or "—"],
            ["主要负责人", ent.principal_name or "—"]]
    if decision.party.kind == "person":
        rows[0] = ["当事人", f"{decision.party.name}（{ent.name}{decision.party.get_role_display()}）"]
        if decision.party.id_number:  # the 决定书 identifies the person it is served on: the whole number
            rows.insert(1, ["公民身份号码", decision.party.id_number])
    table(doc, rows, widths_mm=[40, 116])
    paragraph(doc, f"案由：{case.title}")
    if decision.kind != Decision.Kind.RESUMPTION:  # a review's opinion, not a finding of facts
        paragraph(doc, f"违法事实：{case.facts or case.title}", align="justify")
    if decision.kind == Decision.Kind.RESUMPTION:
        _resumption_body(doc, decision)
    elif decision.kind == Decision.Kind.PENALTY:
        art = decision.article
        paragraph(doc, f"以上事实违反了安全生产有关法律规定。依据{art.citation}（{art.conduct}）的规定，"
                       f"本机关决定对当事人处以罚款人民币{decision.amount:,.2f}元。", align="justify")
        paragraph(doc, "当事人应自收到本决定书之日起十五日内缴纳罚款。逾期不缴纳的，每日按罚款数额的百分之三加处罚款。")
        paragraph(doc, REMEDIES)
    elif decision.kind == Decision.Kind.NO_PENALTY:
        paragraph(doc, f"本机关决定：不予行政处罚。理由：{decision.reason}", align="justify")
    else:
        deadline = f"，整顿期限至{decision.correction_deadline:%Y年%m月%d日}" if decision.correction_deadline else ""
        art = decision.article  # none on a suspension recorded before its clause was required
        basis = f"{art.citation}（{art.conduct}）" if art else "《中华人民共和国安全生产法》"
        paragraph(doc, f"鉴于：{decision.reason}。依据{basis}的规定，责令你单位自收到本指令书之日起"
                       f"停产停业整顿{deadline}。整顿期间不得从事生产经营活动，整改完成后向本机关申请复查，经复查合格方可恢复生产经营。",
                  align="justify")
        paragraph(doc, REMEDIES)
    paragraph(doc, "")
    paragraph(doc, org.name, align="right")
    paragraph(doc, f"{decision.decided_on:%Y年%m月%d日}", align="right")
    return f"{title}-{decision.number}.docx", to_bytes(doc)


def _resumption_body(doc, decision: Decision) -> None:
    """整改复查意见书: the suspension it lifts (its 指令书's number and day), the hazard's 销号, the
    review's opinion and the approval to resume under 安全生产法 第六十五条第一款第（三）项."""
    lifted, hazard = decision.lifts, decision.case.hazard
    order = (f"本机关于{lifted.decided_on:%Y年%m月%d日}以《{TITLES[Decision.Kind.SUSPENSION]}》（{lifted.number}）"
             f"责令你单位停产停业整顿" if lifted else "你单位被责令停产停业整顿")
    paragraph(doc, f"{order}。本机关对整改情况进行了复查。", align="justify")
    if hazard is not None and hazard.closed_at is not None:
        paragraph(doc, f"本案的重大事故隐患（{hazard.number}）已于{timezone.localdate(hazard.closed_at):%Y年%m月%d日}验收销号。",
                  align="justify")
    paragraph(doc, f"复查意见：{decision.reason}", align="justify")
    paragraph(doc, f"依据{RESUMPTION_CITATION}的规定，经审查，同意你单位恢复生产经营。", align="justify")


def _render_transfer(decision: Decision) -> tuple[str, bytes]:
    """涉嫌犯罪案件移送书 of a 移送司法机关 (the party is a person): addressed to the 公安机关 the decision
    names (第三条: 同级公安机关; a transfer recorded before it was asked names none: "公安机关"), the person with his whole 公民身份号码 (the receiving organ must
    identify him; everywhere else the number stays masked), the facts and reason, 危险作业罪 when flagged,
    the materials of 第六条, the 抄送 to the 人民检察院 and the 回执 the 公安机关 signs (第七条).

    The 抄送 is not in 国务院令第310号 itself: the 两法衔接 rules ask it (高检会〔2006〕2号《关于在行政执法中
    及时移送涉嫌犯罪案件的意见》一; for 安全生产 应急〔2019〕54号《安全生产行政执法与刑事司法衔接工作办法》)."""
    case, ent, person = decision.case, decision.case.enterprise, decision.party
    org = decision.decided_by_org or case.opened_by_org
    title = TITLES[decision.kind]
    doc = new_document(org.name, title)
    paragraph(doc, f"文号：{decision.number}", align="right")
    _mark_revoked(doc, decision)
    paragraph(doc, f"{decision.transfer_to or '公安机关'}：")
    table(doc, [["当事人", f"{person.name}（{ent.name}{person.get_role_display()}）"],
                ["公民身份号码", person.id_number or "未登记"],
                ["所在单位", ent.name], ["统一社会信用代码", ent.credit_code]], widths_mm=[40, 116])
    paragraph(doc, f"案由：{case.title}")
    paragraph(doc, f"涉嫌犯罪事实及移送理由：{decision.reason}", align="justify")
    if decision.dangerous_ops:
        paragraph(doc, f"经审查，当事人{person.name}涉嫌危险作业罪（《中华人民共和国刑法》第一百三十四条之一）。",
                  align="justify")
    paragraph(doc, f"依照{TRANSFER_RULES}第三条的规定，当事人的行为涉嫌构成犯罪，依法需要追究刑事责任，"
                   f"现将本案移送公安机关审查。请依照该规定第八条，自接受之日起三日内进行审查，"
                   f"并将立案或者不予立案的决定书面通知本机关。", align="justify")
    paragraph(doc, f"附件（{TRANSFER_RULES}第六条）：")
    for i, name in enumerate(TRANSFER_ATTACHMENTS, 1):
        paragraph(doc, f"{i}. {name}")
    paragraph(doc, "")
    paragraph(doc, org.name, align="right")
    paragraph(doc, f"{decision.decided_on:%Y年%m月%d日}", align="right")
    paragraph(doc, "抄送：同级人民检察院")
    paragraph(doc, "")
    paragraph(doc, "回　执", bold=True, align="center")
    paragraph(doc, f"{org.name}：你单位《{title}》（{decision.number}）及所附材料已收到。", align="justify")
    paragraph(doc, "接收机关（印章）：")
    paragraph(doc, "签收人：")
    paragraph(doc, "签收日期：　　年　　月　　日")
    paragraph(doc, f"（依照{TRANSFER_RULES}第七条，由接收案件的公安机关在本回执上签字；不属于本机关管辖的，"
                   f"应当在24小时内转送有管辖权的机关，并书面告知移送案件的行政执法机关。）", align="justify", size=10)
    return f"{title}-{decision.number}.docx", to_bytes(doc)
