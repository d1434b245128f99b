"""Registry pages: list (filters, sort, constant queries), export, detail, create, edit, contacts."""

import io

import pytest
from openpyxl import load_workbook

from accounts.models import Sector
from core.models import Event, SecurityLog
from core.testing import exported
from enterprises import services
from enterprises.models import Enterprise
from enterprises.queries import supervising_departments
from enterprises.validators import make_credit_code


def add_enterprises(world, n, prefix="计数测试"):
    commerce = Sector.objects.get(code="commerce")
    for i in range(n):
        services.create_enterprise(None, name=f"{prefix}{i:03d}", credit_code=make_credit_code(f"91120105MD{prefix.__len__()}{i:06d}"),
                                   region=world.townships[i % 3], sectors=[commerce])


def rows(response):
    return response.content.decode().count('data-testid="enterprise-row"')


def test_list_filters_and_sort(client, world):
    client.force_login(world.user("committee"))
    total = Enterprise.objects.visible_to(world.user("committee")).count()
    assert rows(client.get("/enterprises/")) == total
    assert rows(client.get("/enterprises/?sector=commerce")) == Enterprise.objects.filter(
        county_code="120105", sectors__code="commerce").count()
    assert rows(client.get("/enterprises/?sector=industry_trade")) >= 8  # parent sector includes children
    assert rows(client.get(f"/enterprises/?region={world.townships[0].code}")) == Enterprise.objects.filter(
        township_code=world.townships[0].code).count()
    assert rows(client.get("/enterprises/?region=120105")) == total - 0
    assert rows(client.get("/enterprises/?high_risk=true")) == Enterprise.objects.filter(
        county_code="120105", high_risk=True).count()
    assert rows(client.get("/enterprises/?q=鑫隆")) == 1
    assert rows(client.get(f"/enterprises/?q={world.ent_commerce.credit_code.lower()}")) == 1
    html = client.get("/enterprises/?sort=-employees").content.decode()
    assert html.index("锦绣印刷") < html.index("鑫隆商贸")
    bad = client.get("/enterprises/?region=12x&sector=nope&status=zzz")
    assert bad.status_code == 400 and rows(bad) == 0
    assert 'data-field="region"' in bad.content.decode() and 'data-field="sector"' in bad.content.decode()
    assert client.get("/enterprises/?page=999").status_code == 200


def test_commerce_bureau_sees_only_commerce(client, world):
    client.force_login(world.user("commerce"))
    html = client.get("/enterprises/").content.decode()
    assert "鑫隆商贸" in html and "津建第三建筑" not in html


def test_list_query_count_is_constant(client, world, django_assert_max_num_queries):
    client.force_login(world.user("committee"))
    add_enterprises(world, 5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        assert rows(client.get("/enterprises/?q=计数测试")) == 5
    add_enterprises(world, 25, prefix="计数测试B")
    with django_assert_max_num_queries(len(five.captured_queries)):
        assert rows(client.get("/enterprises/?q=计数测试")) == 30


def test_pagination_50(client, world):
    add_enterprises(world, 60, prefix="分页")
    client.force_login(world.user("committee"))
    assert rows(client.get("/enterprises/?q=分页")) == 50
    assert rows(client.get("/enterprises/?q=分页&page=2")) == 10


def test_export_filtered_list_logs_security(client, world):
    client.force_login(world.user("commerce"))
    job, content = exported(client, "/enterprises/export.xlsx", {"q": "商贸"})
    wb = load_workbook(io.BytesIO(content))
    data = list(wb.active.iter_rows(values_only=True))
    assert data[0][0] == "单位名称" and len(data) - 1 == Enterprise.objects.visible_to(
        world.user("commerce")).filter(name__contains="商贸").count()
    assert job.summary["rows"] == len(data) - 1 and job.message == f"已导出 {len(data) - 1} 家单位。"
    log = SecurityLog.objects.filter(kind=SecurityLog.Kind.EXPORT).latest("id")
    assert log.username == "hb_shangwu" and log.detail["job"] == job.pk and log.detail["filters"] == {"q": "商贸"}
    assert client.get("/enterprises/export.xlsx?region=bad").status_code == 400


def test_detail_shows_supervisors_and_applicable_standards(client, world, catalogue):
    client.force_login(world.user("committee"))
    ent = world.enterprises[1]  # 海河之星超市: commerce, fire key unit, uses gas
    html = client.get(f"/enterprises/{ent.pk}/").content.decode()
    assert "河北区商务局" in html and "望海楼街道办事处" in html
    assert "工贸企业重大事故隐患判定标准" in html and "重大火灾隐患判定规则" in html
    assert "城镇燃气" in html and "商贸行业重点检查事项" in html


def test_supervising_departments_function(world):
    sup = supervising_departments(world.enterprises[15])  # 月牙河精密铸造: machinery + metallurgy (工贸)
    names = {s.organisation.name for s in sup["industry"]}
    assert "河北区应急管理局" in names  # competent for 工贸 (parent)
    assert "河北区商务局" not in names and "河东区应急管理局" not in names
    assert [s.organisation.name for s in sup["territorial"]] == [f"{world.townships[9].name}办事处"]
    sup = supervising_departments(world.ent_construction)
    assert {s.organisation.name for s in sup["industry"]} == {"河北区住房和建设委员会"}


def profile_post(world, **overrides):
    data = {"name": "天津测试新登记有限公司", "credit_code": make_credit_code("91120105MA0099999").lower(),
            "region": world.townships[0].pk, "sectors": [Sector.objects.get(code="commerce").pk],
            "scale": "below", "employees": "12", "status": "operating", "standardisation_grade": "none",
            "high_risk_override": "unknown", "longitude": "117.2", "latitude": "39.15"}
    data.update(overrides)
    return data


def test_create_normalises_credit_code(client, world):
    client.force_login(world.user("commerce"))
    response = client.post("/enterprises/new/", profile_post(world))
    assert response.status_code == 302
    ent = Enterprise.objects.get(name="天津测试新登记有限公司")
    assert ent.credit_code == make_credit_code("91120105MA0099999") and ent.township_code == world.townships[0].code
    assert Event.objects.filter(verb="enterprise.created", object_id=ent.pk).exists()


@pytest.mark.parametrize("overrides, field", [
    ({"credit_code": "91120105MA00999990"}, "credit_code"),
    ({"credit_code": "abc"}, "credit_code"),
    ({"name": ""}, "name"),
    ({"sectors": []}, "sectors"),
    ({"longitude": "2.35", "latitude": "48.85"}, "longitude"),
    ({"longitude": "abc"}, "longitude"),
    ({"employees": "-3"}, "employees"),
    ({"high_risk_override": "true", "high_risk_reason": ""}, "high_risk_reason"),
    ({"region": "abc"}, "region"),  # an id of nothing (or out of scope) is a 404: test_scope_ids.py
])
def test_create_bad_input_names_the_field(client, world, overrides, field):
    client.force_login(world.user("committee"))
    response = client.post("/enterprises/new/", profile_post(world, **overrides))
    assert response.status_code == 400
    assert f'data-field="{field}"' in response.content.decode()


def test_create_outside_sector_or_duplicate_refused(client, world):
    client.force_login(world.user("commerce"))
    construction = Sector.objects.get(code="construction")
    response = client.post("/enterprises/new/", profile_post(world, sectors=[construction.pk]))
    assert response.status_code == 400 and 'data-field="sectors"' in response.content.decode()
    response = client.post("/enterprises/new/", profile_post(world, credit_code=world.ent_commerce.credit_code))
    assert response.status_code == 400 and "已登记" in response.content.decode()


def test_edit_profile_changes_the_profile_but_never_the_status(client, world):
    """停产整顿 is an enforcement decision (安全生产法 art. 65): the edit page has no status field and
    a posted one is ignored."""
    client.force_login(world.user("emergency"))
    ent = world.ent_commerce
    data = profile_post(world, name=ent.name + "（更名）", credit_code=ent.credit_code, status="suspended")
    assert 'name="status"' not in client.get(f"/enterprises/{ent.pk}/edit/").content.decode()
    assert client.post(f"/enterprises/{ent.pk}/edit/", data).status_code == 302
    ent.refresh_from_db()
    assert ent.name.endswith("（更名）") and ent.status == "operating" and ent.employees == 12
    assert not Event.objects.filter(verb="enterprise.status", object_id=ent.pk).exists()


def test_enterprise_edits_only_its_contacts(client, world):
    client.force_login(world.user("enterprise"))
    ent = world.ent_commerce
    url = f"/enterprises/{ent.pk}/contacts/"
    form = {"principal_phone": "13811112222", "controller_phone": "13933334444", "sm-TOTAL_FORMS": "2",
            "sm-INITIAL_FORMS": "0", "sm-0-name": "安全员甲", "sm-0-phone": "13700000000", "sm-0-full_time": "on",
            "sm-1-name": ""}
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    ent.refresh_from_db()
    assert ent.principal_phone == "13811112222"
    assert [m.name for m in ent.safety_managers.all()] == ["安全员甲"]
    events = Event.objects.filter(verb="enterprise.contacts_updated", object_id=ent.pk).count()
    assert client.post(url, form).status_code == 302  # same data: no new event
    assert Event.objects.filter(verb="enterprise.contacts_updated", object_id=ent.pk).count() == events
    bad = client.post(url, {**form, "principal_phone": "1" * 30})
    assert bad.status_code == 400 and 'data-field="principal_phone"' in bad.content.decode()
    assert client.post(f"/enterprises/{ent.pk}/edit/", profile_post(world)).status_code == 403
    assert client.post(f"/enterprises/{world.ent_construction.pk}/contacts/", form).status_code == 404


def test_the_detail_shows_the_latest_changes_and_the_history_pages_through_all_of_them(client, world):
    """The detail page lists the latest 20 changes and links the history, which shows every event
    of the enterprise once, newest first, 50 a page with the total."""
    from core.events import events_for
    from enterprises import services

    ent = world.ent_commerce
    for i in range(60):
        services.update_enterprise(world.user("commerce"), ent, address=f"河北区测试路{i}号")
    expected = list(events_for(ent).order_by("-created_at", "-id").values_list("pk", flat=True))
    assert len(expected) >= 61
    client.force_login(world.user("commerce"))
    detail = client.get(f"/enterprises/{ent.pk}/").content.decode()
    assert f"最近 20 条，共 {len(expected)} 条" in detail and f"/enterprises/{ent.pk}/history/" in detail
    seen, number = [], 1
    while True:
        page = client.get(f"/enterprises/{ent.pk}/history/?page={number}")
        assert page.status_code == 200 and page.context["page_obj"].paginator.count == len(expected)
        seen += [ev.pk for ev in page.context["events"]]
        if not page.context["page_obj"].has_next():
            break
        number += 1
    assert seen == expected and number == -(-len(expected) // 50)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_can_be_imported_again_unchanged(client, world, fmt):
    """The export uses the import template's columns: the file read back by the importer has no
    bad row and, imported as a dry run by the same officer, changes nothing."""
    from enterprises.importing import import_enterprises
    from enterprises.spreadsheets import read_rows

    client.force_login(world.user("emergency"))
    job, content = exported(client, "/enterprises/export.xlsx", {"format": fmt})
    rows = read_rows(content, f"enterprises.{fmt}")
    assert len(rows) == job.summary["rows"] > 0
    result = import_enterprises(world.user("emergency"), rows, dry_run=True)
    assert result.errors == [] and result.created == 0
    assert result.updated == 0 and result.unchanged == len(rows)
