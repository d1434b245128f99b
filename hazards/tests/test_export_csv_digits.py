"""CSV exports keep long and zero-led digit strings as text for Excel: a text cell of ASCII digits
that Excel would turn into a number and change — a leading zero (0123 → 123), 11 digits or more
(phone numbers; an 18-digit credit code → 9.11201E+17, last digits lost) — is written after a tab
(docs/security.md, “CSV exports”), never as a formula (="0123"); other text, numbers and xlsx
cells are unchanged, and our own importer reads the cell back as it was (core.xlsx.unquote_csv).

Expected cells are spelled out here (the documented format), read back with the csv module and
openpyxl."""

import csv
import io

import pytest
from openpyxl import load_workbook

from core.testing import exported
from core.xlsx import unquote_csv
from enterprises.models import Enterprise
from enterprises.validators import CHARSET, check_character
from hazards.exports import AUTO, TEXT, Column, export_ledger, write_csv, write_xlsx
from hazards.models import Hazard

TAB = "\t"
# (value, the CSV cell expected)
CASES = [
    ("0123", TAB + "0123"), ("007", TAB + "007"), ("13800000000", TAB + "13800000000"),
    ("02223456789", TAB + "02223456789"), ("911201051234567893", TAB + "911201051234567893"),
    ("120105", "120105"), ("120105001", "120105001"), ("1380000000", "1380000000"), ("12", "12"), ("0", "0"),
    ("", ""), ("0123abc", "0123abc"), ("1e5", "1e5"), ("０１２３", "０１２３"), ("138 0000 0000", "138 0000 0000"),
    ("=1+1", "'=1+1"), ("-0123", "'-0123"), ("灭火器过期", "灭火器过期"), ("多行\n0123", "多行\n0123"),
]


def _read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


@pytest.mark.parametrize("kind", [TEXT, AUTO])
def test_each_text_cell_is_written_as_documented(tmp_path, kind):
    columns = [Column("值", lambda v: v, kind=kind), Column("说明", lambda v: "普通文本", kind=kind)]
    path = tmp_path / "out.csv"
    write_csv([value for value, _ in CASES], columns, path)
    rows = _read_csv(path)
    assert rows[0] == ["值", "说明"]
    assert [r[0] for r in rows[1:]] == [expected for _, expected in CASES]
    assert all(r[1] == "普通文本" for r in rows[1:])
    assert [unquote_csv(r[0]) for r in rows[1:]] == [v for v, _ in CASES]  # what our importer reads back


def test_numbers_stay_numbers_and_xlsx_cells_stay_as_they_are(tmp_path):
    columns = [Column("值", lambda v: v)]
    write_csv([123, 1380000000012, 0.5], columns, tmp_path / "n.csv")
    assert [r[0] for r in _read_csv(tmp_path / "n.csv")[1:]] == ["123", "1380000000012", "0.5"]
    write_xlsx(["0123", "13800000000"], [Column("值", lambda v: v, kind=TEXT)], tmp_path / "t.xlsx")
    cells = [c.value for (c,) in load_workbook(tmp_path / "t.xlsx").active.iter_rows(min_row=2)]
    assert cells == ["0123", "13800000000"]


def test_unquote_removes_only_our_own_marks():
    assert unquote_csv("\t0123") == "0123" and unquote_csv("\t13800000000") == "13800000000"
    assert unquote_csv("\tabc") == "\tabc" and unquote_csv("\t12") == "\t12"  # not a mark of ours
    assert unquote_csv("'\t0123") == "\t0123"  # a value that itself began with a tab: quoted, kept
    assert unquote_csv("'=1+1") == "=1+1" and unquote_csv("0123") == "0123"


def _all_digit_credit_code() -> str:
    """A valid credit code of digits only (its check character happens to be a digit)."""
    for n in range(1000):
        body = f"91120105{n:09d}"
        if check_character(body) in CHARSET[:10]:
            return body + check_character(body)
    raise AssertionError("no all-digit code found")


@pytest.mark.django_db
def test_the_ledger_csv_keeps_an_all_digit_credit_code_as_text(world, tmp_path):
    from accounts.models import Sector
    from hazards import services

    code = _all_digit_credit_code()
    Enterprise.objects.filter(pk=world.ent_commerce.pk).update(credit_code=code)
    world.ent_commerce.refresh_from_db()
    services.register_hazard(world.user("commerce"), enterprise=world.ent_commerce,
                             sector=Sector.objects.get(code="commerce"), grade="general", description="灭火器过期")
    export_ledger(Hazard.objects.all(), tmp_path / "l.csv", "csv")
    header, row = _read_csv(tmp_path / "l.csv")
    assert dict(zip(header, row, strict=True))["统一社会信用代码"] == TAB + code
    export_ledger(Hazard.objects.all(), tmp_path / "l.xlsx", "xlsx")
    header, row = load_workbook(tmp_path / "l.xlsx").active.iter_rows(values_only=True)
    assert dict(zip(header, row, strict=True))["统一社会信用代码"] == code


@pytest.mark.django_db
def test_the_enterprise_csv_export_marks_zero_led_and_long_numbers_and_imports_back_unchanged(client, world):
    from enterprises.importing import import_enterprises
    from enterprises.spreadsheets import read_rows

    code = _all_digit_credit_code()
    Enterprise.objects.filter(pk=world.ent_commerce.pk).update(credit_code=code, principal_phone="02223456789")
    client.force_login(world.user("emergency"))
    job, content = exported(client, "/enterprises/export.xlsx", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    header = rows[0]
    mine = [dict(zip(header, r, strict=True)) for r in rows[1:] if r[header.index("统一社会信用代码")].endswith(code)]
    assert len(mine) == 1
    assert mine[0]["统一社会信用代码"] == TAB + code and mine[0]["主要负责人电话"] == TAB + "02223456789"
    back = read_rows(content, "enterprises.csv")
    ours = [r for r in back if r["统一社会信用代码"] == code]
    assert len(ours) == 1 and ours[0]["主要负责人电话"] == "02223456789"
    result = import_enterprises(world.user("emergency"), back, dry_run=True)
    assert result.errors == [] and result.created == 0 and result.updated == 0 and result.unchanged == len(back)
