"""A hazard cites as 判定依据 only an item of a standard in force for the enterprise's sectors
(STANDARDS.md: the 2023 工贸 standard art. 15 repeals the 2017 one; the 2022 房屋市政 version is kept
"as repealed … for legacy records"; an article tied to a sub-sector — 工贸 2023 art. 4, 冶金 —
applies to that sub-sector only). The page's picker offered only those; the API and the import
accepted any item of the catalogue."""

import datetime

import pytest
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import Sector
from core.services import ServiceError
from core.testing import client_as
from hazards import services
from hazards.models import Hazard
from standards.models import Item

# for a 商贸 enterprise (工贸 standard, STANDARDS.md §1): in force and general (art. 3) — or not
APPLIES = "GONGMAO-2023-3-1"
REFUSED = {"GONGMAO-2017-DUST-1": "repealed 2017 工贸 standard", "COAL-2020-3-1": "coal mines",
           "GONGMAO-2023-4-1": "冶金 article", "HOUSING-2022-4-4": "repealed 2022 房屋市政 version"}


def item(code):
    found = Item.objects.filter(code=code).first()
    if found is None:
        pytest.skip(f"{code} not in the catalogue")
    return found


def register(world, code, persona="emergency"):
    return services.register_hazard(world.user(persona), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                                    description="消防通道堵塞", grade="major", basis_item=item(code),
                                    deadline=timezone.localdate() + datetime.timedelta(days=30), notify_people=False)


@pytest.mark.parametrize("code", sorted(REFUSED))
def test_an_item_that_does_not_apply_to_the_enterprise_is_refused_by_the_service(world, code):
    with pytest.raises(ServiceError) as exc:
        register(world, code)
    assert exc.value.field == "basis_item" and "不适用" in exc.value.message
    assert not Hazard.objects.exists()


def test_an_item_in_force_for_its_sector_is_accepted(world):
    assert register(world, APPLIES).basis_item.code == APPLIES


@pytest.mark.parametrize("persona", ["emergency", "enterprise"])
def test_the_api_answers_400_on_basis_item(client, world, persona):
    client_as(client, world, persona)
    body = {"enterprise": world.ent_commerce.pk, "sector": "commerce", "description": "测试", "grade": "major",
            "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()}
    for code in REFUSED:
        r = client.post("/api/v1/hazards/", {**body, "basis_item": item(code).pk}, content_type="application/json")
        assert r.status_code == 400 and "basis_item" in r.json()["errors"], code
    assert client.post("/api/v1/hazards/", {**body, "basis_item": item(APPLIES).pk},
                       content_type="application/json").status_code == 201
    assert Hazard.objects.count() == 1


def test_the_import_reports_the_row_of_a_repealed_item(client, world, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "隐患描述", "隐患等级", "行业领域", "发现日期", "整改期限", "判定依据条款编码", "状态"])
    today = timezone.localdate()
    for code in ("GONGMAO-2017-DUST-1", APPLIES):
        item(code)
        ws.append([world.ent_commerce.credit_code, "粉尘除尘系统未按规定设置", "重大", "commerce", today.isoformat(),
                   (today + datetime.timedelta(days=30)).isoformat(), code, "已登记"])
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    from hazards.importing import import_hazards

    result = import_hazards(world.user("emergency"), path.read_bytes(), dry_run=True)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "判定依据条款编码")]
    assert "不适用" in result["errors"][0]["reason"]


# ---------------------------------------------------------------- unverified and repealed items are marked

def test_the_picker_marks_an_item_whose_wording_is_only_partly_verified(client, world):
    partial = item("COAL-REG-2024-36-1")  # STANDARDS.md tags the 2024 煤矿 regulation's items P
    client_as(client, world, "emergency")
    results = client.get("/pickers/standard-items/", {"q": partial.summary_zh[:8]}).json()["results"]
    hints = {r["value"]: r["hint"] for r in results}
    assert hints.get(partial.pk) == "部分核实"
    verified = item(APPLIES)
    results = client.get("/pickers/standard-items/", {"q": verified.summary_zh[:8]}).json()["results"]
    assert {r["value"]: r["hint"] for r in results}.get(verified.pk) == ""


def test_a_legacy_hazard_citing_a_repealed_unverified_item_shows_both_facts(client, world):
    hazard = register(world, APPLIES)
    legacy = item("HOUSING-2022-4-4")  # repealed version; art. 4(4) tagged R in STANDARDS.md / DOMAIN.md §2.4
    Hazard.objects.filter(pk=hazard.pk).update(basis_item=legacy)  # a record from before the repeal
    client_as(client, world, "emergency")
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    basis = page[page.index('data-testid="basis"'):]
    basis = basis[:basis.index("</td>")]
    assert "待核实" in basis and "已废止" in basis
    hazard2 = register(world, APPLIES)
    page = client.get(f"/hazards/{hazard2.pk}/").content.decode()
    basis = page[page.index('data-testid="basis"'):]
    basis = basis[:basis.index("</td>")]
    assert "已核实" in basis and "已废止" not in basis
