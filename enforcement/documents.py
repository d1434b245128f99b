"""公文 of enforcement decisions (.docx via documents.render): 行政处罚决定书,
不予行政处罚决定书, 责令停产停业整顿指令书."""

from documents.render import new_document, paragraph, table, to_bytes

from .models import Decision

TITLES = {
    Decision.Kind.PENALTY: "行政处罚决定书",
    Decision.Kind.NO_PENALTY: "不予行政处罚决定书",
    Decision.Kind.SUSPENSION: "责令停产停业整顿指令书",
}


def renderable(decision: Decision) -> bool:
    return decision.kind in TITLES


def render_decision(decision: Decision) -> tuple[str, bytes]:
    """(file name, .docx bytes) of the decision's document."""
    case, ent = decision.case, decision.case.enterprise
    org = decision.decided_by_org or case.opened_by_org
    title = TITLES[decision.kind]
    doc = new_document(org.name, title)
    paragraph(doc, f"文号：{decision.number}", align="right")
    rows = [["当事人", decision.party.name], ["统一社会信用代码", ent.credit_code], ["地址", ent.address or "—"],
            ["主要负责人", ent.principal_name or "—"]]
    if decision.party.kind == "person":
        rows[0] = ["当事人", f"{decision.party.name}（{ent.name}{decision.party.get_role_display()}）"]
        if decision.party.id_number:  # the 决定书 identifies the person it is served on: the whole number
            rows.insert(1, ["公民身份号码", decision.party.id_number])
    table(doc, rows, widths_mm=[40, 116])
    paragraph(doc, f"案由：{case.title}")
    paragraph(doc, f"违法事实：{case.facts or case.title}", align="justify")
    if decision.kind == Decision.Kind.PENALTY:
        art = decision.article
        paragraph(doc, f"以上事实违反了安全生产有关法律规定。依据{art.citation}（{art.conduct}）的规定，"
                       f"本机关决定对当事人处以罚款人民币{decision.amount:,.2f}元。", align="justify")
        paragraph(doc, "当事人应自收到本决定书之日起十五日内缴纳罚款。逾期不缴纳的，每日按罚款数额的百分之三加处罚款。")
        paragraph(doc, "如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。")
    elif decision.kind == Decision.Kind.NO_PENALTY:
        paragraph(doc, f"本机关决定：不予行政处罚。理由：{decision.reason}", align="justify")
    else:
        deadline = f"，整顿期限至{decision.correction_deadline:%Y年%m月%d日}" if decision.correction_deadline else ""
        paragraph(doc, f"鉴于：{decision.reason}。依据《中华人民共和国安全生产法》的规定，责令你单位自收到本指令书之日起"
                       f"停产停业整顿{deadline}。整顿期间不得从事生产经营活动，整改完成后向本机关申请复查，经复查合格方可恢复生产经营。",
                  align="justify")
    paragraph(doc, "")
    paragraph(doc, org.name, align="right")
    paragraph(doc, f"{decision.decided_on:%Y年%m月%d日}", align="right")
    return f"{title}-{decision.number}.docx", to_bytes(doc)
