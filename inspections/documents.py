"""Official documents (.docx): 现场检查记录, 责令限期整改指令书, 整改复查意见书."""

from documents.render import new_document, paragraph, table, to_bytes

from .models import RecordItem


def _names(rec) -> str:
    return "、".join(ri.user.get_full_name() or ri.user.username for ri in rec.inspectors.all())


def record_docx(rec) -> bytes:
    doc = new_document("现场检查记录", f"{rec.organisation.name}  编号：{rec.number}")
    ent = rec.enterprise
    table(doc, [["被检查单位", ent.name], ["地址", ent.address], ["主要负责人", ent.principal_name],
                ["检查类型", rec.get_kind_display()], ["检查日期", f"{rec.inspected_on:%Y年%m月%d日}"],
                ["检查场所", rec.location], ["检查人员", _names(rec)]])
    paragraph(doc, "检查情况：", bold=True)
    paragraph(doc, rec.summary or "（无）")
    rows = [["序号", "检查内容", "结论", "说明"]]
    for i, item in enumerate(rec.items.exclude(result=RecordItem.Result.PENDING), start=1):
        rows.append([str(i), item.text, item.get_result_display(), item.note])
    table(doc, rows, header=True, widths_mm=[12, 80, 24, 40])
    paragraph(doc, "检查人员签名：", bold=True)
    for ri in rec.inspectors.all():
        signed = f"{ri.signed_at:%Y-%m-%d %H:%M} 已签名" if ri.signed_at else "未签名"
        paragraph(doc, f"{ri.user.get_full_name() or ri.user.username}（执法证号 {getattr(ri.user.membership, 'inspector_cert', '')}）{signed}")
    for a in rec.addenda.all():
        paragraph(doc, f"补正（{a.created_at:%Y-%m-%d} {a.author.get_full_name()}）：{a.text}")
    return to_bytes(doc)


def order_docx(rec, item) -> bytes:
    h = item.hazard
    doc = new_document("责令限期整改指令书", f"{rec.organisation.name}  编号：{rec.number}-{item.pk}")
    paragraph(doc, f"{rec.enterprise.name}：")
    paragraph(doc, f"经{rec.inspected_on:%Y年%m月%d日}现场检查，你单位存在下列事故隐患：")
    paragraph(doc, f"{h.number if h else ''} {item.note}（{h.get_grade_display() if h else item.grade}隐患）")
    if item.standard_item_id:
        paragraph(doc, f"判定依据：{item.standard_item}")
    deadline = (h.deadline if h else item.deadline)
    paragraph(doc, f"现责令你单位于{deadline:%Y年%m月%d日}前整改完毕，达到有关法律法规规章和标准规定的要求。" if deadline
              else "现责令你单位立即整改。")
    paragraph(doc, "整改期间，应采取有效措施确保安全；逾期未整改的，依法予以处理。")
    paragraph(doc, f"检查人员：{_names(rec)}", align="right")
    paragraph(doc, f"{rec.organisation.name}", align="right")
    return to_bytes(doc)


def review_docx(batch) -> bytes:
    doc = new_document("整改复查意见书", f"{batch.organisation.name}  {batch.title}")
    rows = [["隐患编号", "单位", "隐患描述", "复查结论", "复查意见"]]
    for t in batch.tasks.select_related("hazard__enterprise"):
        rows.append([t.hazard.number, t.hazard.enterprise.name, t.hazard.description[:60], t.get_conclusion_display(), t.note])
    table(doc, rows, header=True)
    paragraph(doc, f"{batch.organisation.name}", align="right")
    return to_bytes(doc)
