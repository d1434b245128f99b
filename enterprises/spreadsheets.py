"""Reading uploaded enterprise files (xlsx / csv) and writing the template and the list export."""

import csv
import io
import zipfile

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from accounts.models import Sector
from core import xlsx
from core.intake import NO_DATA_ROWS, check_spreadsheet
from core.services import ServiceError
from core.text import clean_cell

from .importing import COLUMNS, EXAMPLE_MARK, MAX_ROWS, REQUIRED, canonical_header
from .validators import make_credit_code

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows_from_matrix(matrix) -> list[dict]:
    rows = []
    header = None
    for number, values in enumerate(matrix, 1):
        values = list(values)
        if header is None:
            header = [str(v).strip() if v is not None else "" for v in values]
            if not any(header):
                raise ServiceError("第1行应为表头（列名）。", "file")
            continue
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ServiceError(f"文件超过{MAX_ROWS}行，请拆分后导入。", "file")
        row = {h: (clean_cell(values[i]) if i < len(values) else None) for i, h in enumerate(header) if h}
        row["_row"] = number
        rows.append(row)
    if header is None:
        raise ServiceError("文件为空。", "file")
    if not rows:
        raise ServiceError(NO_DATA_ROWS, "file")
    return rows


def read_rows(data: bytes, filename: str) -> list[dict]:
    """Rows of an uploaded file as dicts keyed by header text, each with its spreadsheet "_row"."""
    name = (filename or "").lower()
    check_spreadsheet(data, name)  # limits before parsing (also when run as a job or command)
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ServiceError("CSV 文件编码无法识别（请使用 UTF-8 或 GB18030）。", "file")
        # a cell our export quoted against formulas ('+86 …) is read back without the quote;
        # newline="": line breaks inside quoted cells and CR-only files (Excel for Mac) are read as such
        try:
            return _rows_from_matrix([xlsx.unquote_csv(v) for v in r] for r in csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise ServiceError(f"CSV 文件格式有误（{exc}），请用 Excel 另存为“CSV UTF-8（逗号分隔）”后再导入。", "file") from None
    if name.endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
            raise ServiceError("无法读取 Excel 文件，请使用 .xlsx 格式。", "file")
        try:
            return _rows_from_matrix(_directory_sheet(wb).iter_rows(values_only=True))
        finally:
            wb.close()
    raise ServiceError("只支持 .xlsx 或 .csv 文件。", "file")


def _directory_sheet(wb):
    """The first worksheet whose first row names every required column (the template's own
    sheets after it — 行业领域代码, 填写说明 — may have been moved in front), else the first."""
    wanted = {header for key, header, _ in COLUMNS if key in REQUIRED}
    for ws in wb.worksheets:
        first = next(ws.iter_rows(max_row=1, values_only=True), None) or ()
        if wanted <= {canonical_header(v) for v in first if v is not None}:
            return ws
    return wb.worksheets[0]


def template_workbook() -> bytes:
    """The import template: headers (required ones marked *), one example row, and a sheet of sectors."""
    wb = Workbook()
    ws = wb.active
    ws.title = "生产经营单位"
    ws.append([h + ("*" if required else "") for _, h, required in COLUMNS])
    ws.append([f"{EXAMPLE_MARK}天津市某某商贸有限公司", make_credit_code("91120105MA0000001"), "120105001", "commerce、light_industry",
               "天津市河北区示范路1号", "117.2", "39.15", "规下", 25, "张三", "李四", "13800000000", "王五",
               "13900000000", "正常经营", "否", "是", "是", "否"])
    for col in ws.columns:
        ws.column_dimensions[col[0].column_letter].width = 18
    ref = wb.create_sheet("行业领域代码")
    ref.append(["代码", "名称", "上级", "高危行业"])
    for s in Sector.objects.filter(is_active=True).select_related("parent"):
        ref.append(xlsx.row(ref, [s.code, s.name, s.parent.name if s.parent else "", "是" if s.high_risk else "否"]))
    notes = wb.create_sheet("填写说明")
    for line in [
        "第1行为表头，请勿修改列名；带*的列为必填。",
        f"第2行为示例行，导入前请删除或改为实际单位（单位名称以“{EXAMPLE_MARK}”开头的行不会导入）。",
        "统一社会信用代码：18位，字母大写（小写会自动转换），不含I、O、Z、S、V。",
        "乡镇（街道）代码：9位统计用区划代码。",
        "行业领域：填代码或名称，多个用顿号、逗号或分号分隔。",
        "经纬度：WGS-84 小数，须在中国境内。",
        "规模：规上/规下；经营状态：正常经营/停产整顿/关闭；是否类：是/否。",
        "已登记的单位按统一社会信用代码更新；未变化的行不会产生任何记录。",
    ]:
        notes.append([line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _coordinate(value):
    return float(value) if value is not None else None


# The export's columns: the import template's names (a file exported here can be edited and
# imported again), one value per column.
EXPORT_COLUMNS = [
    ("单位名称", lambda e: e.name), ("统一社会信用代码", lambda e: e.credit_code),
    ("乡镇（街道）", lambda e: e.region.name), ("乡镇（街道）代码", lambda e: e.region.code),
    ("行业领域", lambda e: "、".join(s.name for s in e.sectors.all())),
    ("高危行业企业", lambda e: "是" if e.high_risk else "否"), ("规模", lambda e: e.get_scale_display()),
    ("从业人员数", lambda e: e.employees), ("主要负责人", lambda e: e.principal_name),
    ("主要负责人电话", lambda e: e.principal_phone), ("经营状态", lambda e: e.get_status_display()),
    ("地址", lambda e: e.address), ("经度", lambda e: _coordinate(e.longitude)),
    ("纬度", lambda e: _coordinate(e.latitude)),
]


def export_columns() -> list:
    """``EXPORT_COLUMNS`` as the streamed writer's columns (``hazards.exports.Column``)."""
    from hazards.exports import Column

    return [Column(header, value) for header, value in EXPORT_COLUMNS]
