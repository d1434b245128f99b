"""Directory files as people save them: CSV from Excel for Mac (CR line ends), a broken quote,
a header with a unit in brackets, a head count no unit has — each read as meant or refused with
a reason, never an internal error that leaves the import job retrying."""

import csv
import io

import pytest

from core.services import ServiceError
from enterprises.importing import COLUMNS, MAX_EMPLOYEES, import_enterprises
from enterprises.models import Enterprise
from enterprises.spreadsheets import read_rows
from enterprises.validators import make_credit_code

pytestmark = pytest.mark.django_db


def _csv(world, *, employees="30", newline="\r\n", header=None) -> bytes:
    headers = [h for _, h, _ in COLUMNS]
    values = {"单位名称": "导入测试1有限公司", "统一社会信用代码": make_credit_code("91120105ME0000001"),
              "乡镇（街道）代码": world.townships[0].code, "行业领域": "commerce", "从业人员数": employees,
              "地址": "示范路1号\n二楼"}
    row = [values.get(h, "") for h in headers]
    if header:
        headers = [header.get(h, h) for h in headers]
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline, quoting=csv.QUOTE_ALL).writerows([headers, row])
    return buf.getvalue().encode("utf-8-sig")


def test_a_csv_with_mac_line_ends_is_read_with_its_quoted_line_break(world):
    rows = read_rows(_csv(world, newline="\r"), "单位.csv")
    assert [r["单位名称"] for r in rows] == ["导入测试1有限公司"] and rows[0]["地址"] == "示范路1号\n二楼"


def test_a_csv_with_a_broken_quote_is_refused_with_a_reason(world):
    data = _csv(world) + b'"unterminated,' + b"x" * 200_000
    with pytest.raises(ServiceError) as refused:
        read_rows(data, "单位.csv")
    assert refused.value.field == "file" and "CSV" in refused.value.message


def test_a_header_with_a_unit_in_brackets_is_the_column(world):
    rows = read_rows(_csv(world, employees="99", header={"从业人员数": "从业人员数（人）", "单位名称": "单位名称 (必填)"}),
                     "单位.csv")
    result = import_enterprises(world.user("committee"), rows, dry_run=False)
    assert not result.errors, result.errors
    assert Enterprise.objects.get(name="导入测试1有限公司").employees == 99


def test_a_head_count_no_unit_can_have_is_refused_in_the_dry_run_already(world):
    rows = read_rows(_csv(world, employees=str(MAX_EMPLOYEES + 1)), "单位.csv")
    result = import_enterprises(world.user("committee"), rows, dry_run=True)
    assert [e["column"] for e in result.errors] == ["从业人员数"], result.errors
    assert str(MAX_EMPLOYEES) in result.errors[0]["reason"]
