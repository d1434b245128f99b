"""The ledger export names the county and the township of each hazard (河北区, 光复道街道), not
only their codes, in xlsx and CSV; the codes stay in their own columns. Expected names are the
ones the test world is built with (core.testing: 鑫隆商贸 lies in 光复道街道, 河北区), read back
with openpyxl and the csv module."""

import csv
import datetime

import pytest
from openpyxl import load_workbook

from accounts.models import Sector
from hazards import services
from hazards.exports import export_ledger
from hazards.models import Hazard

pytestmark = pytest.mark.django_db


@pytest.fixture
def hazard(world):
    return services.register_hazard(
        world.user("commerce"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
        grade="general", description="灭火器过期", deadline=datetime.date.today() + datetime.timedelta(days=30))


def _by_header(header, row) -> dict:
    return dict(zip(header, row, strict=True))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_names_the_county_and_the_township_beside_their_codes(hazard, tmp_path, fmt):
    path = tmp_path / f"ledger.{fmt}"
    assert export_ledger(Hazard.objects.all(), path, fmt) == 1
    if fmt == "xlsx":
        header, row = load_workbook(path).active.iter_rows(values_only=True)
    else:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header, row = csv.reader(fh)
    cells = _by_header(header, row)
    assert cells["县（市、区）"] == "河北区"
    assert cells["乡镇（街道）"] == "光复道街道"
    assert cells["县级代码"] == "120105" and cells["乡级代码"] == hazard.township_code
    assert str(cells["乡级代码"]).startswith("120105") and len(str(cells["乡级代码"])) == 9
