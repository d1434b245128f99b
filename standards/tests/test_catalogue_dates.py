"""Dates of the 房屋市政 2024 and 燃气 2023 standards as STANDARDS.md gives them (the oracle, quoted):

* §2 "房屋市政工程生产安全重大事故隐患判定标准（2024版） — 建质规〔2024〕5号 / Dated 2024-12-13; art. 18
  repeals the 2022 version" → issued (published) 2024-12-13, and in force that day: the 2022
  version it repeals is out of force from 2024-12-13 (the catalogue's repeal date, migration 0003),
  so no day is left without a version in force.
* §3 "城镇燃气经营安全重大隐患判定标准 — 建城规〔2023〕4号 (住建部) / Dated and effective 2023-09-21."
  → published 2023-09-21, in force 2023-09-21.

The rows migrated from an older catalogue (dates empty) are filled by migration 0004; a fresh load
(catalogue.json) gives the same."""

import datetime
import importlib

import pytest

from standards import loader
from standards.models import Standard

pytestmark = pytest.mark.django_db

QUOTED = {  # (published, effective), from STANDARDS.md
    "HOUSING-2024": (datetime.date(2024, 12, 13), datetime.date(2024, 12, 13)),
    "GAS-2023": (datetime.date(2023, 9, 21), datetime.date(2023, 9, 21)),
}
MIGRATION = "standards.migrations.0004_housing_2024_and_gas_2023_dates"


def _dates(code):
    row = Standard.objects.get(code=code, version=1)
    return row.published, row.effective


def test_the_catalogue_rows_carry_the_dates_standards_md_gives(catalogue):
    for code, quoted in QUOTED.items():
        assert _dates(code) == quoted, code
    repealed_2022 = Standard.objects.get(code="HOUSING-2022", version=1).repealed
    assert _dates("HOUSING-2024")[1] == repealed_2022  # the 2024 version takes over the day the 2022 one ends


def test_a_fresh_load_of_the_catalogue_file_gives_the_same_dates():
    for std in loader.read_catalogue():
        if std["code"] in QUOTED:
            assert (loader._date(std["published"]), loader._date(std["effective"])) == QUOTED[std["code"]], std["code"]


def test_the_migration_fills_rows_loaded_from_the_old_catalogue_and_keeps_entered_values(catalogue):
    from django.apps import apps

    migration = importlib.import_module(MIGRATION)
    old_notes = {code: old for code, (old, _new) in migration.NOTES.items()}
    Standard.objects.filter(code="HOUSING-2024").update(published=None, effective=None, source_note=old_notes["HOUSING-2024"])
    # a value someone entered since stays as it is
    Standard.objects.filter(code="GAS-2023").update(published=datetime.date(2023, 9, 22), source_note="本地核实")
    migration.forward(apps, None)
    assert _dates("HOUSING-2024") == QUOTED["HOUSING-2024"]
    assert "资料未载" not in Standard.objects.get(code="HOUSING-2024").source_note
    gas = Standard.objects.get(code="GAS-2023")
    assert (gas.published, gas.source_note) == (datetime.date(2023, 9, 22), "本地核实")
