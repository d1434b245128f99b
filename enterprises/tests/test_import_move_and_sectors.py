"""The directory import follows the page's rules (audit F3, F4).

F3 — 属地管理: a row that moves a unit to another township moves its open hazards and its login
organisation with it (``services.follow_region``, as the page, API and admin do), one
``hazard.relocated`` event each, in the import's transaction; the dry run lists the move and writes
nothing. F4 — an industry department acts on its region × its sectors (PRODUCT.md, 管行业必须管安全):
it adds or removes only sectors inside its competence, on the API, the page and in the import.
"""

import datetime

import pytest

from accounts.models import Organisation, Sector
from core.models import Event
from enterprises import services
from enterprises.importing import import_enterprises
from enterprises.models import Enterprise
from hazards import services as hs
from hazards.models import Hazard

pytestmark = pytest.mark.django_db


def _hazard(world, ent, description):
    return hs.register_hazard(world.user("commerce"), enterprise=ent, sector=Sector.objects.get(code="commerce"),
                              description=description, grade="general", basis_reason="",
                              deadline=datetime.date.today() + datetime.timedelta(days=30), notify_people=False)


def _row(ent, township, sectors="commerce"):
    return {"单位名称": ent.name, "统一社会信用代码": ent.credit_code, "乡镇（街道）代码": township, "行业领域": sectors}


def test_an_import_that_moves_a_unit_moves_its_open_hazards_and_its_login_organisation(world):
    ent = services.create_enterprise(world.user("committee"), name="迁移测试商贸有限公司", credit_code="91120105MA05ABCD1H",
                                     region=world.townships[0], sectors=[Sector.objects.get(code="commerce")])
    org = services.ensure_enterprise_organisation(None, ent)
    old, new = world.townships[0], world.townships[1]
    assert (old.name, new.name) == ("光复道街道", "望海楼街道")
    open_ones = [_hazard(world, ent, "安全出口锁闭"), _hazard(world, ent, "灭火器过期")]
    voided = _hazard(world, ent, "重复登记")
    hs.void(world.user("commerce"), voided, reason="重复登记")
    events = Event.objects.count()

    dry = import_enterprises(world.user("emergency"), [_row(ent, new.code)], dry_run=True)
    assert dry.updated == 1 and dry.moves == [{"row": 2, "credit_code": ent.credit_code, "name": ent.name,
                                               "from": old.code, "to": new.code, "open_hazards": 2}]
    assert Event.objects.count() == events
    assert set(Hazard.objects.filter(enterprise=ent).values_list("township_code", flat=True)) == {old.code}

    real = import_enterprises(world.user("emergency"), [_row(ent, new.code)], dry_run=False)
    assert real.updated == 1 and real.errors == []
    codes = dict(Hazard.objects.filter(enterprise=ent).values_list("pk", "township_code"))
    assert codes == {open_ones[0].pk: new.code, open_ones[1].pk: new.code, voided.pk: old.code}  # over: stays
    assert Event.objects.filter(verb="hazard.relocated").count() == 2
    assert Organisation.objects.get(pk=org.pk).township_code == new.code
    # the new township's office sees the two open hazards, the old one none of them
    assert Hazard.objects.visible_to(world.user("township_other")).filter(enterprise=ent, status="registered").count() == 2
    assert not Hazard.objects.visible_to(world.user("township")).filter(enterprise=ent).exclude(status="void").exists()
    from hazards import tallies

    assert tallies.differences() == []


@pytest.fixture
def two_sector_unit(world):
    """A unit in 轻工 and 商贸 (the commerce bureau competent for 商贸 only)."""
    return services.create_enterprise(world.user("committee"), name="双行业测试有限公司", credit_code="91120105MA05ABCD1H",
                                      region=world.townships[0],
                                      sectors=list(Sector.objects.filter(code__in=["light_industry", "commerce"])))


def _sectors(ent):
    return sorted(Enterprise.objects.get(pk=ent.pk).sectors.values_list("code", flat=True))


def _patch(client, world, persona, ent, data):
    client.force_login(world.user(persona))
    etag = client.get(f"/api/v1/enterprises/{ent.pk}/")["ETag"]
    return client.patch(f"/api/v1/enterprises/{ent.pk}/", data, content_type="application/json", HTTP_IF_MATCH=etag)


def test_an_industry_department_cannot_add_or_remove_sectors_outside_its_competence(client, world, two_sector_unit):
    ent = two_sector_unit
    hazchem, construction = Sector.objects.get(code="hazchem"), Sector.objects.get(code="construction")
    response = _patch(client, world, "commerce", ent, {"sectors": ["hazchem", "construction", "commerce"]})
    assert response.status_code == 400
    reason = response.json()["errors"]["sectors"][0]
    # the audit's repro: 轻工 dropped, 危化 and 建筑施工 added — three sectors outside 商贸
    light = Sector.objects.get(code="light_industry")
    assert all(s.name in reason for s in (hazchem, construction, light)), reason
    assert _sectors(ent) == ["commerce", "light_industry"]
    response = _patch(client, world, "commerce", ent, {"sectors": ["commerce"]})  # removing 轻工 alone
    assert response.status_code == 400 and light.name in response.json()["errors"]["sectors"][0]
    assert _sectors(ent) == ["commerce", "light_industry"]


def test_an_industry_department_edits_the_rest_with_the_other_sectors_kept(client, world, two_sector_unit):
    ent = two_sector_unit
    response = _patch(client, world, "commerce", ent, {"employees": 7, "sectors": ["light_industry", "commerce"]})
    assert response.status_code == 200 and response.json()["employees"] == 7
    # the comprehensive 应急管理局 may change any sector
    assert _patch(client, world, "emergency", ent, {"sectors": ["hazchem", "commerce"]}).status_code == 200
    assert _sectors(ent) == ["commerce", "hazchem"]


def test_other_region_sector_enterprise_and_anonymous_cannot_change_sectors(client, world, two_sector_unit):
    url = f"/api/v1/enterprises/{two_sector_unit.pk}/"
    for persona, expected in {"other_region": 404, "housing": 404, "enterprise_other": 404, "enterprise": 404}.items():
        client.force_login(world.user(persona))
        assert client.patch(url, {"sectors": ["commerce"]}, content_type="application/json",
                            HTTP_IF_MATCH="*").status_code == expected, persona
    client.logout()
    assert client.patch(url, {"sectors": ["commerce"]}, content_type="application/json").status_code in (401, 403)
    assert _sectors(two_sector_unit) == ["commerce", "light_industry"]


def test_the_import_applies_the_same_sector_rule_on_the_row(world, two_sector_unit):
    ent = two_sector_unit
    rows = [_row(ent, ent.region.code, "commerce、hazchem、light_industry")]
    result = import_enterprises(world.user("commerce"), rows, dry_run=False)
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "行业领域")]
    assert Sector.objects.get(code="hazchem").name in result.errors[0]["reason"]
    assert _sectors(ent) == ["commerce", "light_industry"]
    same = import_enterprises(world.user("commerce"), [_row(ent, ent.region.code, "light_industry、commerce")],
                              dry_run=False)
    assert same.errors == [] and same.unchanged == 1
    by_emergency = import_enterprises(world.user("emergency"), rows, dry_run=False)
    assert by_emergency.errors == [] and _sectors(ent) == ["commerce", "hazchem", "light_industry"]


def test_the_dry_run_counts_the_hazards_moving_with_each_unit_in_one_query_whatever_the_units(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enterprises.validators import make_credit_code

    old, new = world.townships[0], world.townships[1]
    units = [services.create_enterprise(world.user("committee"), name=f"迁移测试{i}有限公司",
                                        credit_code=make_credit_code(f"91120105MA05ABC{i:02d}"), region=old,
                                        sectors=[Sector.objects.get(code="commerce")])
             for i in range(3)]
    for ent, n in zip(units, (2, 1, 0)):
        for i in range(n):
            _hazard(world, ent, f"隐患{i}")
    hs.void(world.user("commerce"), _hazard(world, units[2], "重复登记"), reason="重复登记")  # over: does not move

    def dry(rows):
        with CaptureQueriesContext(connection) as queries:
            result = import_enterprises(world.user("emergency"), rows, dry_run=True)
        return result, len(queries)

    three, three_queries = dry([_row(ent, new.code) for ent in units])
    assert [(m["name"], m["open_hazards"]) for m in three.moves] == [
        ("迁移测试0有限公司", 2), ("迁移测试1有限公司", 1), ("迁移测试2有限公司", 0)]
    assert all(set(m) == {"row", "credit_code", "name", "from", "to", "open_hazards"} for m in three.moves)
    one, one_queries = dry([_row(units[0], new.code)])
    assert [m["open_hazards"] for m in one.moves] == [2]
    assert three_queries == one_queries
