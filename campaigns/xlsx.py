"""Excel export of a dispatch table in the printed layout: title, 单位/时间 header, four sections,
two items per line (label · value · unit), remarks under the table."""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from core import xlsx

from . import rows as R
from .tables import lines_for

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE = "重大事故隐患专项排查整治行动进展情况调度表"


def _cell_value(row, value):
    if value is None:
        return None
    if row.kind == "bool":
        return "是" if value else "否"
    if row.kind == "decimal":
        return float(value)
    return value


def workbook(title_unit: str, as_of, values: dict, auto: set) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "调度表"
    ws.merge_cells("A1:F1")
    ws["A1"] = TITLE
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    day = timezone.localtime(as_of).date()
    xlsx.put(ws, 2, 1, f"单位：{title_unit}")
    ws["D2"] = f"时间：{day.year}年{day.month}月{day.day}日"
    r = 3
    for section in lines_for(values, auto):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
        xlsx.put(ws, r, 1, section["title"]).font = Font(bold=True)
        r += 1
        for line in section["lines"]:
            for i, item in enumerate(line):
                col = 1 + i * 3
                main = item[0]
                label = f"{main['row'].code} {main['row'].label}"
                value = _cell_value(main["row"], main["value"])
                unit = main["row"].unit
                for extra in item[1:]:
                    label += f"，{extra['row'].label}"
                    unit += f"，{extra['row'].unit}"
                if len(item) > 1:
                    parts = [_cell_value(c["row"], c["value"]) for c in item]
                    value = "，".join("" if p is None else str(p) for p in parts)
                xlsx.put(ws, r, col, label)
                xlsx.put(ws, r, col + 1, value)
                xlsx.put(ws, r, col + 2, unit)
                for c in range(col, col + 3):
                    ws.cell(r, c).border = BOX
                    ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="center")
            r += 1
    r += 1
    ws.cell(r, 1, "备注：").font = Font(bold=True)
    r += 1
    ws.cell(r, 1, "1. 各项数据均为自行动开始之日起至统计截止时间的累计数（4.7为当前人数）。")
    for row in R.ROWS:
        if row.remark:
            r += 1
            ws.cell(r, 1, f"{row.code} {row.label}：{row.remark}")
    for col, width in zip("ABCDEF", (46, 10, 8, 46, 10, 8), strict=True):
        ws.column_dimensions[col].width = width
    return wb


def export_bytes(title_unit: str, as_of, values: dict, auto: set) -> bytes:
    buf = BytesIO()
    workbook(title_unit, as_of, values, auto).save(buf)
    return buf.getvalue()
