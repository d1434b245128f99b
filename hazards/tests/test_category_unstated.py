"""A hazard's 隐患类别 is what somebody chose, or 未注明: an import without the column, an API client
without the field, a finding of an inspection are never given 物的不安全状态 by default."""

import importlib
import re

import pytest
from django.apps import apps

from core.models import Event
from core.testing import client_as
from hazards import services
from hazards.importing import import_hazards
from hazards.models import Hazard, HazardSource

from .conftest import make_general
from .test_import import good_rows, xlsx

pytestmark = pytest.mark.django_db

#: the three classes (人的不安全行为、物的不安全状态、管理缺陷) by the names a user writes them
NAMES = {"人的不安全行为": "behaviour", "物的不安全状态": "state", "管理缺陷": "management"}
HEADER = ["统一社会信用代码", "隐患描述", "隐患等级", "行业领域"]
#: every column of ``good_rows`` but 隐患类别 (an old ledger)
OLD_LEDGER = HEADER + ["发现渠道", "发现日期", "整改期限", "判定理由", "整改责任人", "状态", "整改情况"]


def _rows(world, categories):
    code = world.ent_commerce.credit_code
    return [{"统一社会信用代码": code, "隐患描述": f"灭火器过期{i}", "隐患等级": "一般", "行业领域": "commerce",
             "隐患类别": name} for i, name in enumerate(categories)]


def test_an_imported_ledger_without_the_column_is_stored_as_not_stated(world):
    data = xlsx(good_rows(world), header=OLD_LEDGER)
    result = import_hazards(world.user("commerce"), data, dry_run=False)
    assert result["committed"] and result["errors"] == []
    assert Hazard.objects.count() == 5 and set(Hazard.objects.values_list("category", flat=True)) == {""}
    assert Hazard.objects.first().get_category_display() == "未注明"


def test_an_imported_ledger_keeps_the_class_each_row_names_and_an_empty_cell_is_not_stated(world):
    names = [*NAMES, "", "未注明"]
    result = import_hazards(world.user("commerce"), xlsx(_rows(world, names), header=HEADER + ["隐患类别"]), dry_run=False)
    assert result["committed"], result["errors"]
    stored = dict(Hazard.objects.values_list("description", "category"))
    assert stored == {f"灭火器过期{i}": NAMES.get(name, "") for i, name in enumerate(names)}


def test_an_unknown_class_is_refused_with_its_row_and_column_and_nothing_is_written(world):
    rows = _rows(world, ["管理缺陷", "设备缺陷", "物的不安全状态", "人的因素"])
    for dry_run in (True, False):
        result = import_hazards(world.user("commerce"), xlsx(rows, header=HEADER + ["隐患类别"]), dry_run=dry_run)
        bad = [(e["row"], e["column"]) for e in result["errors"]]
        assert bad == [(3, "隐患类别"), (5, "隐患类别")]
        assert all("人的不安全行为" in e["reason"] and "留空" in e["reason"] for e in result["errors"])
        assert not result["committed"] and not Hazard.objects.exists()


def test_the_api_stores_not_stated_when_the_field_is_left_out_and_refuses_an_empty_class(client, world):
    client_as(client, world, "commerce")
    base = {"enterprise": world.ent_commerce.pk, "sector": "commerce", "description": "灭火器过期", "grade": "general"}
    response = client.post("/api/v1/hazards/", base, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["category"] == "" and Hazard.objects.get().category == ""
    response = client.post("/api/v1/hazards/", base | {"category": "management"}, content_type="application/json")
    assert response.status_code == 201 and Hazard.objects.get(pk=response.json()["id"]).category == "management"
    for wrong in ("", "未注明", "unstated", "other"):
        response = client.post("/api/v1/hazards/", base | {"category": wrong}, content_type="application/json")
        assert response.status_code == 400 and "category" in response.json()["errors"], wrong
    assert Hazard.objects.count() == 2


def test_the_schema_offers_the_three_classes_to_choose_and_says_what_leaving_it_out_means(client, world):
    schema = client.get("/api/schema/?format=json").json()
    field = schema["components"]["schemas"]["HazardCreateRequest"]["properties"]["category"]
    ref = field.get("$ref") or field["allOf"][0]["$ref"]
    enum = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["enum"]
    assert sorted(enum) == sorted(NAMES.values())
    assert "category" not in schema["components"]["schemas"]["HazardCreateRequest"].get("required", [])
    assert "未注明" in field["description"] and "default" not in field  # no default outside the enum


def test_the_registration_page_offers_only_the_three_classes_and_the_hazard_page_shows_not_stated(client, world):
    client_as(client, world, "commerce")
    page = client.get("/hazards/new/").content.decode()
    box = re.search(r'<select name="category".*?</select>', page, re.S).group(0)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", box) == ["请选择", *NAMES]
    hazard = make_general(world)
    assert hazard.category == ""
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert re.search(r"<th>隐患类别</th><td>未注明</td>", page)


def test_the_registration_event_records_the_class(world):
    hazard = make_general(world, category="behaviour")
    event = Event.objects.get(object_type="hazards.hazard", object_id=hazard.pk, verb="hazard.registered")
    assert event.data["category"] == "behaviour"


def test_the_migration_marks_not_stated_only_the_hazards_of_paths_that_never_asked(world):
    import_hazards(world.user("commerce"), xlsx(good_rows(world, 1), header=OLD_LEDGER), dry_run=False)
    open_general = Hazard.objects.get(status="registered", grade="general")
    imported = [open_general, *Hazard.objects.exclude(pk=open_general.pk)]
    assert len(imported) == 3
    page = make_general(world, category="state", description="在页面上选择了物的不安全状态")
    api = make_general(world, category="state", description="API 给出了物的不安全状态", source_reference="")
    # a page-registered survivor into which an imported hazard was merged keeps its class
    survivor = make_general(world, category="state", description="合并后保留的隐患")
    services.merge(world.user("commerce"), imported[0], into=survivor, reason="重复")
    assert HazardSource.objects.filter(hazard=survivor, reference__startswith="import:row").exists()
    Hazard.objects.update(category="state")  # as the column's former default stored them
    importlib.import_module("hazards.migrations.0023_category_unstated").unstated_where_nobody_chose(apps)
    stored = dict(Hazard.objects.values_list("pk", "category"))
    assert {stored[h.pk] for h in imported[1:]} == {""}
    assert stored[page.pk] == stored[api.pk] == stored[survivor.pk] == "state"
    assert stored[imported[0].pk] == ""  # merged away, still registered by the import


def test_a_finding_of_an_inspection_is_registered_as_not_stated(world):
    from inspections import services as inspections
    from inspections.tests.factories import record, with_finding

    rec = record(world)
    item = with_finding(world, rec)
    inspections.answer_remaining(world.user("emergency"), rec)
    inspections.sign(world.user("emergency"), rec)
    item.refresh_from_db()
    assert item.hazard.category == "" and item.hazard.get_category_display() == "未注明"
