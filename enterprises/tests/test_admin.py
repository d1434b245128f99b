"""An enterprise added or edited in the Django admin goes through the enterprise services, as on its
pages: what every writer derives (its region's level codes — what scoping filters on —, 高危 from its
sectors, its name's search tokens), the service's refusals under their fields with nothing written,
and the service's event (enterprise.created / enterprise.updated) — never a bare admin save. It is
never deleted there (关闭 is close_enterprise)."""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Sector
from core.models import ChangeLog, Event
from core.testing import admin_change_data
from enterprises.models import Enterprise
from hazards.search import tokens

pytestmark = pytest.mark.django_db


def _post_change(client, ent, **changes):
    superuser = get_user_model().objects.create_superuser("ent_admin", "a@example.invalid", "x-Pass-12345")
    data = admin_change_data(superuser, ent)
    assert not {"province_code", "city_code", "county_code", "township_code", "high_risk"} & set(data)  # read-only
    data.update(changes)
    client.force_login(superuser)
    response = client.post(f"/admin/enterprises/enterprise/{ent.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:1500]
    return Enterprise.objects.get(pk=ent.pk)


def test_moving_an_enterprise_to_another_township_in_the_admin_moves_its_scope(client, world):
    ent = world.ent_commerce
    target = next(t for t in world.townships if t.pk != ent.region_id)
    assert Enterprise.objects.visible_to(world.user("township")).filter(pk=ent.pk).exists()
    moved = _post_change(client, ent, region=str(target.pk), name="鑫隆商贸（迁址）")
    codes = target.level_codes()  # the oracle: the region tree's own codes of the new township
    assert (moved.township_code, moved.county_code, moved.city_code, moved.province_code) == \
        (codes["township"], codes["county"], codes["city"], codes["province"])
    assert moved.name_tokens == tokens("鑫隆商贸（迁址）")
    assert not Enterprise.objects.visible_to(world.user("township")).filter(pk=ent.pk).exists()
    event = Event.objects.get(verb="enterprise.updated", object_type="enterprises.enterprise", object_id=ent.pk)
    assert event.data["changes"]["region"] == [ent.region.code, target.code]
    assert event.data["changes"]["name"] == [ent.name, "鑫隆商贸（迁址）"]
    assert event.actor.username == "ent_admin"
    assert not ChangeLog.objects.filter(object_type="enterprises.enterprise").exists()  # one trail: the event


def test_changing_the_sectors_in_the_admin_derives_high_risk_again(client, world):
    ent = world.ent_commerce
    hazchem = Sector.objects.filter(high_risk=True).first()
    assert hazchem is not None and not ent.high_risk and ent.high_risk_override is None
    changed = _post_change(client, ent, sectors=[str(s.pk) for s in [*ent.sectors.all(), hazchem]])
    assert changed.high_risk is True and hazchem in changed.sectors.all()


def test_moving_an_enterprise_in_the_admin_takes_its_open_hazards_along(client, world):
    """The admin's move does what the service's does (enterprises/tests/test_move.py): the open
    hazard goes to the new township, with its hazard.relocated event."""
    import datetime

    from core.models import Event
    from hazards import services as hs

    ent = world.ent_commerce
    hazard = hs.register_hazard(world.user("enterprise"), enterprise=ent, sector=Sector.objects.get(code="commerce"),
                                description="安全出口锁闭", grade="general", basis_reason="",
                                deadline=datetime.date.today() + datetime.timedelta(days=30), notify_people=False)
    target = next(t for t in world.townships if t.pk != ent.region_id)
    _post_change(client, ent, region=str(target.pk))
    hazard.refresh_from_db()
    assert hazard.township_code == target.code
    assert Event.objects.filter(verb="hazard.relocated", object_id=hazard.pk).count() == 1


def _superuser(client):
    superuser = get_user_model().objects.create_superuser("ent_admin", "a@example.invalid", "x-Pass-12345")
    client.force_login(superuser)
    return superuser


def test_an_enterprise_added_in_the_admin_is_registered_by_the_service_with_its_event(client, world):
    superuser = _superuser(client)
    township = world.townships[0]
    commerce = Sector.objects.get(code="commerce")
    response = client.post("/admin/enterprises/enterprise/add/", {
        "name": "新登记商贸有限公司", "credit_code": "91120105MA05XW8K9P", "region": str(township.pk),
        "sectors": [str(commerce.pk)], "scale": "below", "employees": "3", "standardisation_grade": "none",
        "high_risk_override": "unknown"})
    assert response.status_code == 302, response.content.decode()[:2000]
    ent = Enterprise.objects.get(credit_code="91120105MA05XW8K9P")
    assert ent.township_code == township.code and ent.status == Enterprise.Status.OPERATING
    event = Event.objects.get(verb="enterprise.created", object_id=ent.pk)
    assert event.actor == superuser and event.data["sectors"] == ["commerce"]


@pytest.mark.parametrize("field, value, under, reason", [
    ("region", "district", "region", "所在区划须为乡镇（街道）。"),  # services._validate: a township only
    ("high_risk_override", "true", "high_risk_reason", "人工认定（或取消）高危须填写理由。"),  # and no reason given
])
def test_the_services_refusals_show_under_their_fields_and_nothing_is_written(client, world, field, value, under,
                                                                              reason):
    superuser = _superuser(client)
    ent = world.ent_commerce
    data = admin_change_data(superuser, ent)
    data[field] = str(world.district.pk) if value == "district" else value
    data["name"] = "不应保存的名称"
    events = Event.objects.count()
    response = client.post(f"/admin/enterprises/enterprise/{ent.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {under: [reason]}
    ent.refresh_from_db()
    assert ent.name != "不应保存的名称" and Event.objects.count() == events


def test_an_enterprise_is_never_deleted_in_the_admin(client, world):
    _superuser(client)
    ent = world.ent_commerce2
    assert client.get(f"/admin/enterprises/enterprise/{ent.pk}/delete/").status_code == 403
    assert client.post(f"/admin/enterprises/enterprise/{ent.pk}/delete/", {"post": "yes"}).status_code == 403
    changelist = client.get("/admin/enterprises/enterprise/").content.decode()
    assert 'value="delete_selected"' not in changelist
    assert Enterprise.objects.filter(pk=ent.pk).exists()
