"""A sector's 应急演练周期 (``Sector.drill_months``) is the versioned rule table "sector-drills":
version 1 of every sector from 2019-09-01 (生产安全事故应急预案管理办法 as amended by 应急管理部令第2号,
in force that day), revised on the rules page with an effective date by the committee office, and
read-only in the Django admin.

Periods (art. 33; seed 002 item 18): 建筑施工 and 商贸 (a crowded venue) at least half-yearly (6
months), 轻工 yearly (12). Bounds: at least yearly (art. 33 每年至少一次), at most monthly."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.models import Sector
from accounts.reference import SECTORS
from core import ruletables
from core.models import ChangeLog, Event, RuleVersion
from core.testing import admin_change_data

pytestmark = pytest.mark.django_db
SINCE = datetime.date(2019, 9, 1)


def test_the_migration_made_version_one_of_every_sector_from_2019_09_01(world):
    """Every sector the migrations load has exactly one version, 1, with its period, in force from
    2019-09-01; half-yearly for 建筑施工 and 商贸, yearly for 轻工 (art. 33)."""
    versions = {v.row_id: v for v in RuleVersion.objects.filter(table="sector-drills")}
    codes = {code for code, *_ in SECTORS}
    sectors = {s.code: s for s in Sector.objects.filter(code__in=codes)}
    assert set(sectors) == codes
    for code, sector in sectors.items():
        v = versions[sector.pk]
        assert (v.version, v.effective_from, v.note) == (1, SINCE, "初始版本"), code
    assert versions[sectors["construction"].pk].values == {"drill_months": "6"}
    assert versions[sectors["commerce"].pk].values == {"drill_months": "6"}
    assert versions[sectors["light_industry"].pk].values == {"drill_months": "12"}
    assert RuleVersion.objects.filter(table="sector-drills", row_id=sectors["construction"].pk).count() == 1


def test_the_migration_is_reversible_and_idempotent(world):
    """Backwards removes the versions 1 it wrote; forwards writes one per sector again, and a second
    forwards writes none twice."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0004_sector_drill_rule_versions")
    count = Sector.objects.count()
    migration.backwards(apps, None)
    assert not RuleVersion.objects.filter(table="sector-drills").exists()
    migration.forwards(apps, None)
    migration.forwards(apps, None)
    assert RuleVersion.objects.filter(table="sector-drills", version=1, effective_from=SINCE).count() == count


def test_the_rules_page_lists_the_sectors_periods_and_the_committee_revises_one(client, world):
    construction = Sector.objects.get(code="construction")
    client.force_login(world.user("committee"))
    assert "/rules/sector-drills/" in client.get("/rules/").content.decode()
    page = client.get("/rules/sector-drills/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "行业应急演练周期" in text and "应急演练周期（月）" in text
    assert re.search(r">建筑施工</td><td[^>]*>6</td>", text) and re.search(r">轻工</td><td[^>]*>12</td>", text)
    assert f'href="/rules/sector-drills/{construction.pk}/"' in text

    later = timezone.localdate() + datetime.timedelta(days=7)
    response = client.post(f"/rules/sector-drills/{construction.pk}/",
                           {"drill_months": "3", "effective_from": later.isoformat(), "revision_note": "seed 001 专项整治"})
    assert response.status_code == 302
    assert Sector.objects.get(pk=construction.pk).drill_months == 6  # from next week, not today
    v2 = RuleVersion.objects.get(table="sector-drills", row_id=construction.pk, version=2)
    assert (v2.effective_from, v2.values, v2.created_by) == (later, {"drill_months": "3"}, world.user("committee"))
    event = Event.objects.get(verb="rule.revised", object_id=construction.pk)
    assert event.data["changes"] == {"drill_months": ["6", "3"]} and event.data["key"] == "sector-drills"
    history = client.get(f"/rules/sector-drills/{construction.pk}/").content.decode()
    assert "第2版" in history and "待施行" in history and later.isoformat() in history


@pytest.mark.parametrize("months", ["0", "13", "-1", "半年"])
def test_a_period_outside_monthly_to_yearly_is_refused_on_its_field(client, world, months):
    construction = Sector.objects.get(code="construction")
    client.force_login(world.user("committee"))
    response = client.post(f"/rules/sector-drills/{construction.pk}/",
                           {"drill_months": months, "effective_from": timezone.localdate().isoformat()})
    assert response.status_code == 400
    errors = response.context["form"].errors["drill_months"]
    assert errors and all(any("\u4e00" <= ch <= "\u9fff" for ch in e) for e in errors), errors  # in Chinese
    assert Sector.objects.get(pk=construction.pk).drill_months == 6
    assert RuleVersion.objects.filter(table="sector-drills", row_id=construction.pk).count() == 1


def test_sectors_are_not_added_on_the_rules_page(client, world):
    count = Sector.objects.count()
    client.force_login(world.user("committee"))
    assert client.post("/rules/sector-drills/", {"drill_months": "6"}).status_code == 405
    assert Sector.objects.count() == count
    assert 'name="drill_months"' not in client.get("/rules/sector-drills/").content.decode()  # no add form


def test_other_users_may_neither_open_nor_revise_the_sector_periods(client, world):
    construction = Sector.objects.get(code="construction")
    data = {"drill_months": "3", "effective_from": timezone.localdate().isoformat()}
    for persona in ("commerce", "emergency", "housing", "township", "other_region", "enterprise", "agency"):
        client.force_login(world.user(persona))
        assert client.get("/rules/sector-drills/").status_code == 403, persona
        assert client.get(f"/rules/sector-drills/{construction.pk}/").status_code == 403, persona
        assert client.post(f"/rules/sector-drills/{construction.pk}/", data).status_code == 403, persona
    client.logout()
    assert client.get("/rules/sector-drills/").status_code == 302  # to the login page
    assert Sector.objects.get(pk=construction.pk).drill_months == 6
    assert RuleVersion.objects.filter(table="sector-drills", row_id=construction.pk).count() == 1


def test_the_admin_shows_the_period_read_only_with_a_link_and_never_saves_it(client, world):
    construction = Sector.objects.get(code="construction")
    admin = world.user("admin")
    client.force_login(admin)
    url = f"/admin/accounts/sector/{construction.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="drill_months"' not in page
    assert f'href="/rules/sector-drills/{construction.pk}/"' in page
    assert "此处只读" in page and "规则表页面修订" in page
    data = admin_change_data(admin, construction)
    assert "drill_months" not in data
    data.update(drill_months="3", name="建筑施工（更名）", _save="保存")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:1500]
    sector = Sector.objects.get(pk=construction.pk)
    assert (sector.name, sector.drill_months) == ("建筑施工（更名）", 6)  # the other fields saved; the period not
    assert RuleVersion.objects.filter(table="sector-drills", row_id=construction.pk).count() == 1
    log = ChangeLog.objects.get(object_type="accounts.sector", object_id=str(construction.pk))
    assert (log.pre["drill_months"], log.post["drill_months"]) == (6, 6)


def test_the_admin_save_does_not_write_back_a_period_revised_after_its_form_was_read(world):
    """The admin read the row while the period was 6; a revision effective today makes it 3 before
    the admin's save (another field changed): the save leaves the 3 — the row's own save does not
    write the period."""
    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    construction = Sector.objects.get(code="construction")
    superuser = world.user("admin")
    request = RequestFactory().post("/")
    request.user = superuser
    model_admin = django_admin.site._registry[Sector]
    stale = Sector.objects.get(pk=construction.pk)  # read as 6
    data = {**admin_change_data(superuser, stale), "name": "建筑施工（更名）"}
    form = model_admin.get_form(request, stale, change=True)(data, instance=stale)
    assert form.is_valid(), form.errors
    ruletables.revise_row(world.user("committee"), ruletables.table("sector-drills"), construction,
                          {"drill_months": 3}, effective_from=timezone.localdate())
    model_admin.save_model(request, form.instance, form, change=True)
    sector = Sector.objects.get(pk=construction.pk)
    assert (sector.name, sector.drill_months) == ("建筑施工（更名）", 3)


def test_the_api_shows_the_period_in_force_today(client, world):
    construction = Sector.objects.get(code="construction")
    later = timezone.localdate() + datetime.timedelta(days=7)
    ruletables.revise_row(world.user("committee"), ruletables.table("sector-drills"), construction,
                          {"drill_months": 3}, effective_from=later)
    client.force_login(world.user("commerce"))
    assert client.get("/api/v1/sectors/construction/").json()["drill_months"] == 6
    ruletables.apply_due(later)
    assert client.get("/api/v1/sectors/construction/").json()["drill_months"] == 3
