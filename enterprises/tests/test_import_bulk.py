"""The 10,000-row import: dry run reports every bad row, real run imports exactly the good ones,
a second run changes nothing. (How fast is measured by the benchmarks, bench/b3_import.py — B3 —
not asserted in a unit test on a shared machine.)"""

import io
import random

import pytest
from openpyxl import Workbook

from core.models import Event
from enterprises.importing import COLUMNS, import_enterprises
from enterprises.models import Enterprise
from enterprises.spreadsheets import read_rows
from enterprises.validators import make_credit_code
from regions.models import Region

SECTORS = ["commerce", "light_industry", "machinery", "hazchem", "construction", "metallurgy"]


def build_file(townships, n=10_000, bad_share=0.03, seed=7):
    """Returns (xlsx bytes, {row number: expected bad column})."""
    rnd = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("sheet")
    ws.append([h for _, h, _ in COLUMNS])
    bad = {}
    kinds = ["credit", "township", "sector", "duplicate", "name", "coords"]
    codes = []
    for i in range(n):
        row_no = i + 2
        code = make_credit_code(f"91120105MB{i:07d}")
        row = [f"测试企业{i:05d}有限公司", code, rnd.choice(townships), "、".join(rnd.sample(SECTORS, rnd.randint(1, 2))),
               f"测试路{i}号", round(117 + rnd.random(), 6), round(39 + rnd.random(), 6), rnd.choice(["规上", "规下"]),
               rnd.randint(1, 500), f"法人{i}", f"负责人{i}", f"138{i:08d}", f"控制人{i}", f"139{i:08d}", "正常经营",
               rnd.choice(["是", "否"]), "否", rnd.choice(["是", "否"]), "否"]
        if i > 10 and rnd.random() < bad_share:
            kind = kinds[len(bad) % len(kinds)]
            if kind == "credit":
                row[1] = code[:17] + ("0" if code[17] != "0" else "1")
                bad[row_no] = "统一社会信用代码"
            elif kind == "township":
                row[2] = "999999999"
                bad[row_no] = "乡镇（街道）代码"
            elif kind == "sector":
                row[3] = "commerce、spaceflight"
                bad[row_no] = "行业领域"
            elif kind == "duplicate":
                row[1] = codes[rnd.randrange(len(codes))]
                bad[row_no] = "统一社会信用代码"
            elif kind == "name":
                row[0] = ""
                bad[row_no] = "单位名称"
            else:
                row[5], row[6] = 2.35, 48.85
                bad[row_no] = "经度"
        if row_no not in bad:
            codes.append(row[1])
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), bad


@pytest.mark.slow
def test_ten_thousand_rows(world):
    townships = list(Region.objects.filter(level="township", parent__code="120105").values_list("code", flat=True))
    data, bad = build_file(townships)
    assert 200 < len(bad) < 400
    rows = read_rows(data, "big.xlsx")
    assert len(rows) == 10_000
    actor = world.user("emergency")
    before_ents, before_events = Enterprise.objects.count(), Event.objects.count()

    dry = import_enterprises(actor, rows, dry_run=True)
    assert {e["row"]: e["column"] for e in dry.errors} == bad
    assert all(e["reason"] for e in dry.errors)
    assert dry.created == 10_000 - len(bad)
    assert (Enterprise.objects.count(), Event.objects.count()) == (before_ents, before_events)

    real = import_enterprises(actor, rows, dry_run=False)
    assert real.created == 10_000 - len(bad) and real.updated == 0
    assert Enterprise.objects.count() == before_ents + real.created
    assert Event.objects.count() == before_events + real.created
    assert not Enterprise.objects.filter(credit_code__in=[rows[r - 2]["统一社会信用代码"] for r in bad
                                                          if bad[r] != "统一社会信用代码"]).exists()
    sample = Enterprise.objects.get(credit_code=rows[0]["统一社会信用代码"])
    assert sample.sectors.count() >= 1 and sample.county_code == "120105"

    again = import_enterprises(actor, rows, dry_run=False)
    assert again.created == 0 and again.updated == 0 and again.unchanged == real.created
    assert Event.objects.count() == before_events + real.created
