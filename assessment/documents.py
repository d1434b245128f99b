"""The Word report of one unit and the summary workbook for the organisation department."""

import io

from docx import Document
from openpyxl import Workbook

#: an indicator with nothing to count (0 of 0) has no value and no score (assessment.workflow)
NOT_APPLICABLE = "—"


def _points(value):
    """A score cell: the number, or NOT_APPLICABLE for an indicator not scored."""
    return NOT_APPLICABLE if value is None else float(value)


def _cell(value) -> str:
    """Spreadsheet-safe text: a leading = + - @ would be read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def unit_report(a) -> bytes:
    s = a.indicator_set
    doc = Document()
    doc.add_heading(f"{s.year}年度安全生产目标责任考评结果", level=1)
    doc.add_paragraph(f"被考评单位：{a.unit.name}")
    doc.add_paragraph(f"考评组织单位：{s.organisation.name}")
    doc.add_paragraph(f"总分：{a.total}　等次：{a.get_rating_display() or '—'}　排名：{a.rank or '—'}")
    if a.veto_note:
        doc.add_paragraph(f"否决情况：{a.veto_note}")
    table = doc.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ("指标", "分值", "指标值", "得分", "调整理由")):
        cell.text = text
    for sc in a.scores.select_related("indicator"):
        row = table.add_row().cells
        row[0].text = sc.indicator.name
        row[1].text = str(sc.indicator.weight)
        row[2].text = NOT_APPLICABLE if sc.value is None else str(sc.value.normalize())
        row[3].text = NOT_APPLICABLE if sc.final is None else str(sc.final)
        row[4].text = sc.adjust_reason
    debriefs = list(a.debriefs.all())
    if debriefs:
        doc.add_heading("述职情况", level=2)
        for d in debriefs:
            doc.add_paragraph(f"{d.held_on} {d.position} {d.leader_name}：{d.content}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def summary_workbook(s, assessments) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "考评结果汇总"
    indicators = list(s.indicators.all())
    ws.append(["排名", "单位", "类别"] + [_cell(i.name) for i in indicators] + ["总分", "等次", "否决情况"])
    for a in assessments:
        finals = {sc.indicator_id: sc.final for sc in a.scores.all()}
        ws.append([a.rank, _cell(a.unit.name), a.unit.get_kind_display()] + [_points(finals.get(i.pk, 0)) for i in indicators]
                  + [float(a.total), a.get_rating_display(), _cell(a.veto_note)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
