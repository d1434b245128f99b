"""An enterprise edited in the Django admin keeps what every other writer derives: its region's
level codes (what scoping filters on), 高危 from its sectors, its name's search tokens."""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Sector
from core.models import ChangeLog
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
    log = ChangeLog.objects.filter(object_type="enterprises.enterprise", object_id=str(ent.pk)).latest("pk")
    assert log.post["township_code"] == codes["township"]


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
