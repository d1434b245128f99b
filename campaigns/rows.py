"""The dispatch table (调度表) row by row, exactly as printed (docs: DISPATCH_TABLE.md).

Each row: code, section, printed label, unit of measure, who fills it, remark, and where its
number comes from ("hazards" computed here, an app name for ``<app>/dispatch.py``, "activity" for
the leadership activity log, "manual" for hand entry). Sub-values (3.3's amount, 3.8's 其中,
4.5's 其中) are rows of their own with a ``parent``.
"""

from dataclasses import dataclass

SECTIONS = {
    "1": "一、总体情况",
    "2": "二、对企业自查自改进行抽查检查情况",
    "3": "三、区级部门精准严格执法情况（执法部门填写）",
    "4": "四、区级部门、各街道组织领导情况",
}


@dataclass(frozen=True)
class Row:
    code: str
    section: str
    label: str
    unit: str
    filled_by: str  # "all" | "departments" | "enforcement"
    source: str  # "hazards" | "inspections" | "enforcement" | "tips" | "activity" | "manual"
    remark: str = ""
    parent: str = ""
    kind: str = "int"  # "int" | "decimal" | "bool"


_SPOT_REMARK_26 = "现场发现或通过检查动火等特殊作业审批记录发现的电焊等特种作业人员无证上岗的，均计入。"
_SPOT_REMARK_27 = ("承包承租单位不具备安全生产条件或相应资质；未签订安全生产管理协议；安全生产管理职责不明确；"
                   "未纳入本单位统一协调管理的，存在以上任一情形即计入。")

ROWS: tuple[Row, ...] = (
    Row("1.1", "1", "企业自查发现的重大事故隐患", "个", "all", "hazards"),
    Row("1.2", "1", "企业自查发现重大事故隐患中已完成整改的", "个", "all", "hazards"),
    Row("1.3", "1", "部门检查发现的重大事故隐患（行业主管部门填写）", "个", "departments", "hazards"),
    Row("1.4", "1", "部门检查发现重大事故隐患中已完成整改的（行业主管部门填写）", "个", "departments", "hazards"),
    Row("2.1", "2", "抽查检查的企业总数", "家", "all", "inspections"),
    Row("2.2", "2", "企业主要负责人未按要求亲自研究排查整治工作", "家", "all", "inspections"),
    Row("2.3", "2", "企业主要负责人未带队检查", "家", "all", "inspections"),
    Row("2.4", "2", "企业未制定分管负责人职责清单", "家", "all", "inspections"),
    Row("2.5", "2", "企业未依法建立安全管理机构和配足安全管理人员", "家", "all", "inspections"),
    Row("2.6", "2", "电焊等特种作业岗位人员无证上岗作业", "家", "all", "inspections", _SPOT_REMARK_26),
    Row("2.7", "2", "外包外租安全管理混乱", "家", "all", "inspections", _SPOT_REMARK_27),
    Row("2.8", "2", "未按规定开展应急演练、员工不熟悉逃生出口", "家", "all", "inspections"),
    Row("2.9", "2", "未按规定比例提取安全生产费用", "家", "all", "inspections"),
    Row("3.1", "3", "帮扶指导重点街道", "个次", "enforcement", "inspections"),
    Row("3.2", "3", "帮扶指导重点企业", "家次", "enforcement", "inspections"),
    Row("3.3", "3", "行政处罚", "次", "enforcement", "enforcement"),
    Row("3.3_amount", "3", "行政处罚金额", "万元", "enforcement", "enforcement", parent="3.3", kind="decimal"),
    Row("3.4", "3", "企业和企业主要负责人“一案双罚”", "次", "enforcement", "enforcement"),
    Row("3.5", "3", "移送司法机关", "人", "enforcement", "enforcement"),
    Row("3.6", "3", "责令停产整顿", "家", "enforcement", "enforcement"),
    Row("3.7", "3", "曝光、约谈、联合惩戒企业", "家", "enforcement", "enforcement"),
    Row("3.8", "3", "公布典型执法案例", "个", "enforcement", "enforcement"),
    Row("3.8_dangerous_ops", "3", "其中危险作业罪案例", "个", "enforcement", "enforcement", parent="3.8"),
    Row("3.9", "3", "责任倒查追责问责", "人", "enforcement", "enforcement"),
    Row("3.10", "3", "约谈通报街道及部门", "次", "enforcement", "enforcement"),
    Row("4.1", "4", "组织专题学习安全生产十五条硬措施", "次", "all", "activity"),
    Row("4.2", "4", "党政主要负责同志专题研究", "次", "all", "activity"),
    Row("4.3", "4", "有关负责同志现场督导检查", "次", "all", "activity"),
    Row("4.4", "4", "有关负责同志到企业宣讲", "次", "all", "activity"),
    Row("4.5", "4", "举报奖励", "万元", "all", "tips", kind="decimal"),
    Row("4.5_anonymous", "4", "其中匿名举报查实奖励", "万元", "all", "tips", parent="4.5", kind="decimal"),
    Row("4.6", "4", "是否依托媒体设置并播放安全生产专题栏目", "是/否", "all", "activity", kind="bool"),
    Row("4.7", "4", "配备专兼职技术检查员数量", "人", "all", "activity", "当前人数，非累计。"),
    Row("4.8", "4", "组织开展督导检查", "次", "all", "inspections"),
)

BY_CODE = {r.code: r for r in ROWS}
CODES = tuple(r.code for r in ROWS)

#: activity kind → row code (4.6 and 4.7 are handled specially: yes/no and current count)
ACTIVITY_ROWS = {"study": "4.1", "research": "4.2", "onsite": "4.3", "preach": "4.4"}

#: (smaller, larger) pairs that must hold on submit: smaller ≤ larger
INVARIANTS = (
    ("1.2", "1.1"), ("1.4", "1.3"),
    *((f"2.{i}", "2.1") for i in range(2, 10)),
    ("3.8_dangerous_ops", "3.8"), ("4.5_anonymous", "4.5"),
)


def blank_codes(unit) -> set[str]:
    """Rows printed for another kind of unit: 1.3/1.4 （行业主管部门填写） stay blank for a township
    office or a committee office — no input box, nothing submitted."""
    if unit is None or getattr(unit, "kind", "") == "department":
        return set()
    return {r.code for r in ROWS if r.filled_by == "departments"}


def rows_of_section(section: str) -> list[Row]:
    return [r for r in ROWS if r.section == section]


def printed_lines(section: str) -> list[list[Row]]:
    """The printed layout: two items per line; a row with a 其中/amount part keeps it beside it."""
    items = []
    for r in rows_of_section(section):
        if r.parent:
            items[-1] = (*items[-1], r)
        else:
            items.append((r,))
    return [items[i:i + 2] for i in range(0, len(items), 2)]
