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


# ---------------------------------------------------------------- 注明隐患类别 (the classify action)

def test_a_hazard_without_its_class_is_given_one_once_on_its_page_with_an_event(client, world):
    hazard = make_general(world)
    client_as(client, world, "enterprise")
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert f'action="/hazards/{hazard.pk}/actions/classify/"' in page and "注明隐患类别" in page
    url = f"/hazards/{hazard.pk}/actions/classify/"
    response = client.post(url, {})  # none chosen: refused on the form, nothing written
    assert response.status_code == 400 and "请选择隐患类别。" in response.content.decode()
    assert client.post(url, {"classify-category": ""}).status_code == 400
    hazard.refresh_from_db()
    assert hazard.category == ""
    assert client.post(url, {"classify-category": "management"}).status_code == 302
    hazard.refresh_from_db()
    assert (hazard.category, hazard.status) == ("management", "registered")
    event = Event.objects.get(object_type="hazards.hazard", object_id=hazard.pk, verb="hazard.classify")
    assert event.data == {"category": "management"} and event.actor == world.user("enterprise")
    assert event.from_state == event.to_state == "registered"
    # stated now: not offered again, and a second class is refused with nothing changed
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert f'action="/hazards/{hazard.pk}/actions/classify/"' not in page and "<td>管理缺陷</td>" in page
    response = client.post(url, {"classify-category": "behaviour"})
    assert response.status_code == 400 and "隐患类别已注明" in response.content.decode()
    hazard.refresh_from_db()
    assert hazard.category == "management"
    assert Event.objects.filter(verb="hazard.classify").count() == 1


def test_a_chosen_class_cannot_be_overwritten_and_an_empty_one_cannot_be_given(world):
    chosen = make_general(world, category="state")
    with pytest.raises(services.ServiceError, match="隐患类别已注明"):
        services.classify(world.user("commerce"), chosen, category="behaviour")
    unstated = make_general(world)
    for wrong in ("", "other"):
        with pytest.raises(services.ServiceError) as exc:
            services.classify(world.user("commerce"), unstated, category=wrong)
        assert exc.value.field == "category"
    assert dict(Hazard.objects.values_list("pk", "category")) == {chosen.pk: "state", unstated.pk: ""}
    assert not Event.objects.filter(verb="hazard.classify").exists()


def test_a_stale_page_loses_to_the_class_given_meanwhile(world):
    hazard = make_general(world)
    stale = Hazard.objects.get(pk=hazard.pk)  # read before the other user's class was given
    services.classify(world.user("enterprise"), hazard, category="behaviour")
    with pytest.raises(services.StaleState):
        services.classify(world.user("commerce"), stale, category="management")
    assert Hazard.objects.get(pk=hazard.pk).category == "behaviour"
    assert Event.objects.filter(verb="hazard.classify").count() == 1


def test_who_may_give_a_class_and_who_is_not_shown_the_hazard(client, world):
    from core.testing import check_matrix

    hazard = make_general(world)
    url = f"/hazards/{hazard.pk}/actions/classify/"
    check_matrix(client, world, url, {
        "housing": 404, "other_region": 404, "enterprise_other": 404, "agency": 404, "nobody": 404, "anon": "login",
        "committee": 400, "province": 400}, method="post", data={"classify-category": "state"})
    assert Hazard.objects.get(pk=hazard.pk).category == ""
    for persona, category in (("township", "behaviour"), ("commerce", "state"), ("enterprise", "management")):
        h = make_general(world)
        check_matrix(client, world, f"/hazards/{h.pk}/actions/classify/", {persona: 302}, method="post",
                     data={"classify-category": category})
        assert Hazard.objects.get(pk=h.pk).category == category, persona


def test_a_closed_hazard_from_an_old_ledger_is_given_its_class_and_stays_closed(world):
    import_hazards(world.user("commerce"), xlsx(good_rows(world, 1), header=OLD_LEDGER), dry_run=False)
    closed = Hazard.objects.get(status="closed")
    assert closed.category == ""
    services.classify(world.user("commerce"), closed, category="management")
    closed.refresh_from_db()
    assert (closed.status, closed.category, closed.next_alert_on) == ("closed", "management", None)


def test_the_api_gives_a_class_once_and_answers_a_repeat_with_409(client, world):
    hazard = make_general(world)
    client_as(client, world, "commerce")
    url = f"/api/v1/hazards/{hazard.pk}/actions/classify/"
    assert "classify" in client.get(f"/api/v1/hazards/{hazard.pk}/").json()["available_actions"]
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 400 and "category" in response.json()["errors"]
    response = client.post(url, {"category": "behaviour"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["category"] == "behaviour"
    assert "classify" not in response.json()["available_actions"]
    assert client.post(url, {"category": "behaviour"}, content_type="application/json").status_code == 409
    response = client.post(url, {"category": "state"}, content_type="application/json")
    assert response.status_code == 400 and "隐患类别已注明" in str(response.json())
    assert Hazard.objects.get(pk=hazard.pk).category == "behaviour"
    client_as(client, world, "housing")
    assert client.post(url, {"category": "state"}, content_type="application/json").status_code == 404


def test_the_ledger_filters_by_class_including_not_stated_on_the_page_and_the_api(client, world):
    by_class = {c: make_general(world, category=c, description=f"类别{c or '未注明'}")
                for c in ("", "behaviour", "state", "management")}
    client_as(client, world, "commerce")
    for asked, expected in (("unstated", ""), ("behaviour", "behaviour"), ("state", "state"), ("management", "management")):
        page = client.get("/hazards/", {"category": asked}).content.decode()
        shown = {pk for pk in (h.pk for h in by_class.values()) if f'href="/hazards/{pk}/"' in page}
        assert shown == {by_class[expected].pk}, asked
        rows = client.get("/api/v1/hazards/", {"category": asked}).json()["results"]
        assert [r["id"] for r in rows] == [by_class[expected].pk], asked
    assert len(client.get("/api/v1/hazards/").json()["results"]) == 4  # no class asked: all
    page = client.get("/hazards/").content.decode()
    box = re.search(r'<select name="category".*?</select>', page, re.S).group(0)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", box)[1:] == ["未注明", *NAMES]
    response = client.get("/api/v1/hazards/", {"category": "other"})
    assert response.status_code == 400 and "category" in response.json()["errors"]
