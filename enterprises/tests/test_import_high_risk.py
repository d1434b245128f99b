"""The directory import records a change of 高危 class as the page's edit does (docs/import-formats.md,
docs/rules.md 高危行业企业).

The definition the expected answers come from: a unit with 人工认定 (``high_risk_override``) is what the
override says; otherwise it is high-risk when one of its own sectors is (the reference data: 危险化学品
``hazchem`` is 高危行业, 商贸 ``commerce`` is not — asserted where used). Every writer that changes a
unit's class records it in that unit's ``enterprise.updated`` event as ``changes.high_risk`` [old,
new] ("False" / "True"), the old value as stored when the change is written; the class of a past day
(``inspections.frequency.class_on``, the 涉企检查频次上限 of a record) is the "before" of the first
such change after it. Files are built as a user uploads them (xlsx, openpyxl) and read by
``spreadsheets.read_rows``."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Sector
from core.models import Event
from enterprises import importing, services
from enterprises.importing import import_enterprises
from enterprises.models import Enterprise
from enterprises.spreadsheets import read_rows
from enterprises.tests.test_import import xlsx
from enterprises.validators import make_credit_code
from inspections import frequency

pytestmark = pytest.mark.django_db

_codes = iter(range(1, 100_000))


def _code(prefix="91120105MD") -> str:
    return make_credit_code(f"{prefix}{next(_codes):07d}")


def _xlsx_rows(rows) -> list[dict]:
    """``rows`` (dicts by header) as an uploaded .xlsx file, read back as the import reads it."""
    return read_rows(xlsx(rows), "单位名录.xlsx")


def _row(ent, sectors: str, **extra) -> dict:
    return {"单位名称": ent.name, "统一社会信用代码": ent.credit_code, "乡镇（街道）代码": ent.region.code,
            "行业领域": sectors, "从业人员数": ent.employees, **extra}


def _sector(code: str) -> Sector:
    return Sector.objects.get(code=code)


@pytest.fixture
def hazchem_and_commerce():
    hazchem, commerce = _sector("hazchem"), _sector("commerce")
    assert hazchem.high_risk and not commerce.high_risk  # the reference data the cases rely on
    return hazchem, commerce


def _unit(world, name, sectors, override=None) -> Enterprise:
    extra = {"high_risk_override": override, "high_risk_reason": "经研判人工认定"} if override is not None else {}
    return services.create_enterprise(None, name=name, credit_code=_code(), region=world.townships[0],
                                      sectors=sectors, employees=12, **extra)


def _updates(ent) -> list[dict]:
    return [e["changes"] for e in Event.objects.filter(object_type="enterprises.enterprise", object_id=ent.pk,
                                                       verb="enterprise.updated")
            .order_by("created_at", "id").values_list("data", flat=True)]


def _classes(ent) -> tuple[bool, bool]:
    """(class yesterday, class today) as frequency.class_on reads them."""
    ent = Enterprise.objects.get(pk=ent.pk)
    today = timezone.localdate()
    return frequency.class_on(ent, today - datetime.timedelta(days=1))[0], frequency.class_on(ent, today)[0]


def test_an_import_that_moves_a_unit_into_a_high_risk_sector_records_the_class_change(world, hazchem_and_commerce):
    hazchem, commerce = hazchem_and_commerce
    ent = _unit(world, "导入转入危化品的公司", [commerce])
    assert Enterprise.objects.get(pk=ent.pk).high_risk is False
    result = import_enterprises(world.user("emergency"), _xlsx_rows([_row(ent, "hazchem")]), dry_run=False)
    assert (result.errors, result.updated) == ([], 1)
    assert Enterprise.objects.get(pk=ent.pk).high_risk is True
    assert _updates(ent) == [{"sectors": [["commerce"], ["hazchem"]], "high_risk": ["False", "True"]}]
    assert _classes(ent) == (False, True)  # yesterday it was not high-risk, today it is


def test_an_import_that_moves_a_unit_out_of_high_risk_sectors_records_the_class_change(world, hazchem_and_commerce):
    hazchem, commerce = hazchem_and_commerce
    ent = _unit(world, "导入转出危化品的公司", [hazchem])
    assert Enterprise.objects.get(pk=ent.pk).high_risk is True
    result = import_enterprises(world.user("emergency"), _xlsx_rows([_row(ent, "commerce", 从业人员数=30)]),
                                dry_run=False)
    assert (result.errors, result.updated) == ([], 1)
    assert Enterprise.objects.get(pk=ent.pk).high_risk is False
    assert _updates(ent) == [{"employees": ["12", "30"], "sectors": [["hazchem"], ["commerce"]],
                              "high_risk": ["True", "False"]}]
    assert _classes(ent) == (True, False)


def test_the_import_and_the_page_edit_write_the_same_changes_for_the_same_change(world, hazchem_and_commerce):
    """Two alike units, one moved into 危化品 by the page's edit (update_enterprise), one by the import:
    the two events' changes are the same (one format of the trail)."""
    hazchem, commerce = hazchem_and_commerce
    edited, imported = _unit(world, "页面修改的公司", [commerce]), _unit(world, "导入修改的公司", [commerce])
    services.update_enterprise(None, Enterprise.objects.get(pk=edited.pk), sectors=[hazchem], employees=40)
    import_enterprises(None, _xlsx_rows([_row(imported, "hazchem", 从业人员数=40)]), dry_run=False)
    expected = {"employees": ["12", "40"], "sectors": [["commerce"], ["hazchem"]], "high_risk": ["False", "True"]}
    assert _updates(edited) == [expected]
    assert _updates(imported) == [expected]


def test_an_import_leaves_the_class_of_a_unit_with_a_manual_determination_alone(world, hazchem_and_commerce):
    """人工认定 holds whatever the sectors: 认定非高危 moved into 危化品 stays 否, 认定高危 moved out of it
    stays 是; the sector change is recorded, no change of class, and the override is kept."""
    hazchem, commerce = hazchem_and_commerce
    not_high = _unit(world, "人工认定非高危的公司", [commerce], override=False)
    high = _unit(world, "人工认定高危的公司", [hazchem], override=True)
    result = import_enterprises(world.user("emergency"),
                                _xlsx_rows([_row(not_high, "hazchem"), _row(high, "commerce")]), dry_run=False)
    assert (result.errors, result.updated) == ([], 2)
    for ent, override, sectors in ((not_high, False, [["commerce"], ["hazchem"]]),
                                   (high, True, [["hazchem"], ["commerce"]])):
        stored = Enterprise.objects.get(pk=ent.pk)
        assert (stored.high_risk, stored.high_risk_override, stored.high_risk_reason) == (override, override, "经研判人工认定")
        assert _updates(ent) == [{"sectors": sectors}]
        assert _classes(ent) == (override, override)


def test_the_old_class_is_the_one_stored_when_the_import_writes_not_the_one_it_read(world, hazchem_and_commerce,
                                                                                    monkeypatch):
    """The import reads the units when it validates and writes later; meanwhile a superuser turned the
    units' sector X high-risk (follow_sector: 否 → 是, one event each). The import then moves one unit
    to 商贸 (是 → 否, as stored: recorded) and the other to 危化品 (是 stays 是: no second 否 → 是)."""
    hazchem, commerce = hazchem_and_commerce
    x = Sector.objects.create(code="trial_import_x", name="导入试验行业", high_risk=False)
    leaving, joining = _unit(world, "转去商贸的公司", [x]), _unit(world, "转去危化品的公司", [x])
    write = importing._write

    def flag_changes_then_write(*args, **kwargs):
        account_services.set_sector_high_risk(None, Sector.objects.get(pk=x.pk), high_risk=True)
        return write(*args, **kwargs)

    monkeypatch.setattr(importing, "_write", flag_changes_then_write)
    result = import_enterprises(None, _xlsx_rows([_row(leaving, "commerce"), _row(joining, "hazchem")]), dry_run=False)
    assert (result.errors, result.updated) == ([], 2)
    assert [Enterprise.objects.get(pk=e.pk).high_risk for e in (leaving, joining)] == [False, True]
    assert [c.get("high_risk") for c in _updates(leaving)] == [["False", "True"], ["True", "False"]]
    assert [c.get("high_risk") for c in _updates(joining)] == [["False", "True"], None]
    assert _updates(joining)[1] == {"sectors": [["trial_import_x"], ["hazchem"]]}
    assert _classes(leaving) == (False, False) and _classes(joining) == (False, True)


def _import_queries(world, n: int, prefix: str) -> tuple[list, list]:
    """Register ``n`` units in 商贸 by one import, then count the statements of a second import moving
    them all into 危化品."""
    rows = [{"单位名称": f"批量{prefix}{i}号公司", "统一社会信用代码": _code(prefix), "乡镇（街道）代码": world.townships[0].code,
             "行业领域": "commerce"} for i in range(n)]
    assert import_enterprises(None, _xlsx_rows(rows), dry_run=False).created == n
    moved = _xlsx_rows([{**r, "行业领域": "hazchem"} for r in rows])
    with CaptureQueriesContext(connection) as ctx:
        result = import_enterprises(None, moved, dry_run=False)
    assert (result.errors, result.updated) == ([], n)
    units = list(Enterprise.objects.filter(credit_code__in=[r["统一社会信用代码"] for r in rows]))
    return [q["sql"] for q in ctx.captured_queries], units


def test_an_import_updating_many_units_locks_and_reads_them_in_a_bounded_number_of_statements(
        world, hazchem_and_commerce):
    """30 and 300 units moved into 危化品 (within one batch of the import, 500): the same reads — the
    units are locked and re-read a batch at a time, not one statement a row — and every unit's class
    change is recorded. (The bulk writes may split by the database's parameter limit: SQLite's
    bulk UPDATE/INSERT take a few statements more for 300 rows, far fewer than one a row.)"""
    small, _ = _import_queries(world, 30, "91120105ME")
    large, units = _import_queries(world, 300, "91120105MF")

    def reads(sqls):
        return [sql for sql in sqls if sql.lstrip().upper().startswith("SELECT")]

    assert len(reads(small)) == len(reads(large)), (reads(small), reads(large))
    assert len(large) < len(small) + 30, (len(small), len(large))
    if connection.vendor == "postgresql":  # the units' row locks: one statement for the batch
        locks = [sql for sql in large if 'FROM "enterprises_enterprise"' in sql and "FOR UPDATE" in sql]
        assert len(locks) == 1 and 'FOR UPDATE OF "enterprises_enterprise"' in locks[0], locks
    assert len(units) == 300 and all(u.high_risk for u in units)
    changes = Event.objects.filter(verb="enterprise.updated", object_id__in=[u.pk for u in units],
                                   object_type="enterprises.enterprise").values_list("data", flat=True)
    assert [c["changes"].get("high_risk") for c in changes] == [["False", "True"]] * 300


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two interleaved transactions need PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_an_import_run_while_the_units_sector_turns_high_risk_records_the_change_from_the_stored_class(tworld):
    """On two connections (test_sector_high_risk_race.py's harness): T1 turns sector X high-risk (the
    unit follows: 否 → 是) and stays open; T2 imports a row moving the unit from X to 商贸, having read
    it as 否. T2 waits for T1, then records 是 → 否 — the class as stored when it writes."""
    from enterprises.tests.test_sector_high_risk_race import first_holds_then_second

    x = Sector.objects.create(code="race_import_x", name="导入竞态试验行业", high_risk=False)
    assert not _sector("commerce").high_risk
    ent = _unit(tworld, "导入竞态转出的公司", [x])
    rows = [_row(ent, "commerce")]
    result = {}

    def turn_on():
        account_services.set_sector_high_risk(None, Sector.objects.get(pk=x.pk), high_risk=True)

    def run_import():
        result["r"] = import_enterprises(None, rows, dry_run=False)

    out = first_holds_then_second(turn_on, run_import)
    assert (out["first"], out["second"]) == ("ok", "ok"), out
    assert out["second_waited"], "the import did not wait for the flag's change"
    assert (result["r"].errors, result["r"].updated) == ([], 1)
    assert Enterprise.objects.get(pk=ent.pk).high_risk is False
    assert [c.get("high_risk") for c in _updates(ent)] == [["False", "True"], ["True", "False"]]
