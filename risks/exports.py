"""Risk notification card (.docx, A4) and the four-list register (.xlsx)."""

import io

from docx import Document
from docx.shared import Mm, Pt

from core.text import xml_safe

from .models import COLOURS, ControlTier

# view → (sheet title, [(header, getter)])
LIST_VIEWS = {
    "basic": ("基础清单", [
        ("编号", lambda p: p.code), ("风险点", lambda p: p.name), ("类别", lambda p: p.category),
        ("危险有害因素", lambda p: p.hazard_factors), ("可能后果", lambda p: p.consequences),
        ("区", lambda p: p.enterprise.region.parent.name if p.enterprise.region.parent else ""),
        ("街道", lambda p: p.enterprise.region.name), ("单位名称", lambda p: p.enterprise.name),
        ("地址", lambda p: p.enterprise.address), ("位置", lambda p: p.location),
        ("经度", lambda p: p.longitude), ("纬度", lambda p: p.latitude),
        ("单位负责人", lambda p: p.enterprise.legal_representative or p.enterprise.controller_name),
        ("电话", lambda p: p.enterprise.principal_phone)]),
    "control": ("防控清单", [
        ("编号", lambda p: p.code), ("风险点", lambda p: p.name), ("单位名称", lambda p: p.enterprise.name),
        ("风险等级", lambda p: p.get_level_display()), ("颜色", lambda p: p.colour),
        ("管控措施", lambda p: p.control_measures), ("监测监控", lambda p: p.monitoring),
        ("下次评估", lambda p: p.review_on)]),
    "responsibility": ("责任清单", [
        ("编号", lambda p: p.code), ("风险点", lambda p: p.name), ("单位名称", lambda p: p.enterprise.name),
        ("责任单位", lambda p: p.responsible_unit), ("责任人", lambda p: p.responsible_person),
        ("电话", lambda p: p.responsible_phone), ("监管部门及人员", lambda p: p.supervising_department)]),
    "emergency": ("应急清单", [
        ("编号", lambda p: p.code), ("风险点", lambda p: p.name), ("单位名称", lambda p: p.enterprise.name),
        ("应急预案", lambda p: p.emergency_plan), ("应急资源", lambda p: p.emergency_resources)]),
}


def write_register(points, path, *, progress=None) -> int:
    """The four lists (基础/防控/责任/应急清单), one sheet each, of ``points`` — a queryset read once
    per sheet (``iterator``: constant memory) or any re-iterable — to an xlsx file at ``path``
    (``hazards.xlsx_stream.auto_cell``: text kept as text, formula-looking text quoted, a number —
    longitude, latitude — a number and a date a date Excel can sort and filter). Returns the
    number of points."""
    from hazards import xlsx_stream

    def rows(getters):
        for p in (points.iterator(chunk_size=1000) if hasattr(points, "iterator") else points):
            yield tuple(g(p) for g in getters)

    sheets = [(title, [h for h, _ in columns], [14] * len(columns), [xlsx_stream.auto_cell] * len(columns),
               rows([g for _, g in columns])) for title, columns in LIST_VIEWS.values()]
    lists = len(sheets)
    written = xlsx_stream.write_sheets(path, sheets, progress=(lambda n: progress(n // lists)) if progress else None)
    return written // lists


def notification_card(point, assessment) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    title = doc.add_paragraph()
    run = title.add_run("安全风险告知卡")
    run.bold, run.font.size = True, Pt(22)
    colour = COLOURS.get(point.level, ("", ""))[0]
    tier = ControlTier.objects.filter(level=point.level).first()
    rows = [
        ("单位名称", point.enterprise.name), ("风险点编号", point.code), ("风险点名称", point.name),
        ("具体位置", point.location), ("风险类别", point.category),
        ("风险等级", f"{point.get_level_display()}（{colour}色）" if point.level else "未评估"),
        ("评估方法", f"{assessment.get_method_display()}，分值{assessment.score or '—'}，依据{assessment.band_table or '直接判定'}"
         if assessment else "—"),
        ("管控层级", tier.tier if tier else ""), ("危险有害因素", point.hazard_factors),
        ("可能导致的后果", point.consequences), ("管控措施", point.control_measures),
        ("应急处置", point.emergency_plan + "\n" + point.emergency_resources),
        ("责任人及电话", f"{point.responsible_person} {point.responsible_phone}"),
        ("报警电话", "火警119  急救120  报警110"),
    ]
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = xml_safe(label), xml_safe(str(value or ""))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
