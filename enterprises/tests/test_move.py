"""An enterprise that moves township (属地管理): its open hazards go with it, the ones that are over
stay where they happened; the move is in the enterprise's event, each hazard's in its own."""

import datetime

import pytest

from accounts.models import Sector
from core.models import Event
from enterprises import services as es
from hazards import services as hs
from hazards.models import Hazard

pytestmark = pytest.mark.django_db


def _hazard(world, description):
    return hs.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                              description=description, grade="general", basis_reason="", deadline=datetime.date.today() + datetime.timedelta(days=30),
                              notify_people=False)


def test_open_hazards_follow_an_enterprise_that_moves_township_and_closed_ones_stay(world):
    old, new = world.ent_commerce.region, world.townships[1]
    assert (old.name, new.name) == ("光复道街道", "望海楼街道")
    open_one = _hazard(world, "安全出口锁闭")
    voided = _hazard(world, "重复登记")
    hs.void(world.user("commerce"), voided, reason="重复登记")
    es.update_enterprise(world.user("committee"), world.ent_commerce, region=new)

    open_one.refresh_from_db()
    assert (open_one.township_code, open_one.county_code) == (new.code, new.parent.code)
    voided.refresh_from_db()
    assert voided.status == "void" and voided.township_code == old.code  # over: stays where it happened
    moved = Event.objects.get(verb="hazard.relocated", object_id=open_one.pk)
    assert moved.data["from"]["township_code"] == old.code and moved.data["to"]["township_code"] == new.code
    assert Event.objects.filter(verb="enterprise.updated").latest("pk").data["changes"]["region"] == [old.code, new.code]
    # the new township's officer sees the hazard, the old one no longer does
    assert Hazard.objects.visible_to(world.user("township_other")).filter(pk=open_one.pk).exists()
    assert not Hazard.objects.visible_to(world.user("township")).filter(pk=open_one.pk).exists()
    from hazards import tallies

    assert tallies.differences() == []  # the pre-aggregated counts moved with the hazard
