"""The ledger as an xlsx workbook (Chinese headers)."""

import io

from django.utils import timezone
from openpyxl import Workbook

from core import xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADERS = ["隐患编号", "生产经营单位", "统一社会信用代码", "行业领域", "隐患等级", "隐患描述", "隐患部位", "发现渠道",
           "发现日期", "整改期限", "原定整改期限", "状态", "是否逾期", "整改责任人", "判定依据条款编码", "判定理由",
           "县级代码", "乡级代码", "销号时间"]


def ledger_workbook(queryset) -> tuple[bytes, int]:
    today = timezone.localdate()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("隐患台账")
    ws.append(xlsx.row(ws, HEADERS))
    count = 0
    for h in queryset.select_related("enterprise", "sector", "basis_item").iterator(chunk_size=500):
        ws.append(xlsx.row(ws, [
            h.number, h.enterprise.name, h.enterprise.credit_code, h.sector.name, h.get_grade_display(),
            h.description, h.location, h.get_channel_display(), h.found_on, h.deadline, h.original_deadline,
            h.get_status_display(), "是" if h.is_overdue(today) else "否", h.responsible_person,
            h.basis_item.code if h.basis_item_id else "", h.basis_reason, h.county_code, h.township_code,
            timezone.localtime(h.closed_at).strftime("%Y-%m-%d %H:%M") if h.closed_at else "",
        ]))
        count += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), count
