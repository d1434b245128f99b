"""``update_enterprise`` writes on the row as stored when it is locked, not on the caller's copy: a field
the caller did not give keeps what another writer stored after the caller read the unit, and the event's
"before" is the stored value. When the place or the sectors the permission guard judged changed
meanwhile, the edit is refused (StaleState: read again, retry) and writes nothing."""

import pytest

from accounts.models import Sector
from core.models import Event
from core.services import StaleState
from enterprises import services
from enterprises.models import Enterprise


def _copy(world):
    """The caller's copy, read before the other writer acts (with its sectors, as a page that shows them reads it)."""
    return Enterprise.objects.prefetch_related("sectors").get(pk=world.ent_commerce.pk)


def _events(ent):
    return Event.objects.filter(verb="enterprise.updated", object_id=ent.pk).count()


def test_a_field_not_given_keeps_what_another_writer_stored_meanwhile(world):
    mine = _copy(world)
    services.update_enterprise(world.user("commerce"), _copy(world), address="天津市河北区光复道街道新址8号")
    services.update_enterprise(world.user("commerce"), mine, principal_phone="13912345678")
    stored = Enterprise.objects.get(pk=mine.pk)
    assert stored.address == "天津市河北区光复道街道新址8号" and stored.principal_phone == "13912345678"
    changes = Event.objects.filter(verb="enterprise.updated", object_id=mine.pk).latest("pk").data["changes"]
    assert set(changes) == {"principal_phone"}  # not the address back to the copy's value


def test_a_status_set_meanwhile_stays(world):
    mine = _copy(world)
    Enterprise.objects.filter(pk=mine.pk).update(status=Enterprise.Status.CLOSED)  # another writer's committed change
    services.update_enterprise(world.user("commerce"), mine, address="天津市河北区光复道街道8号")
    assert Enterprise.objects.get(pk=mine.pk).status == Enterprise.Status.CLOSED


def test_the_events_before_is_the_stored_value(world):
    mine = _copy(world)
    services.update_enterprise(world.user("commerce"), _copy(world), name="鑫隆商贸（天津）有限公司")
    services.update_enterprise(world.user("commerce"), mine, name="鑫隆商贸集团有限公司")
    changes = Event.objects.filter(verb="enterprise.updated", object_id=mine.pk).latest("pk").data["changes"]
    assert changes["name"] == ["鑫隆商贸（天津）有限公司", "鑫隆商贸集团有限公司"]


def test_sectors_changed_meanwhile_refuse_the_edit(world):
    mine = _copy(world)
    commerce, hazchem = Sector.objects.get(code="commerce"), Sector.objects.get(code="hazchem")
    services.update_enterprise(None, _copy(world), sectors=[commerce, hazchem])
    n = _events(mine)
    with pytest.raises(StaleState):
        services.update_enterprise(world.user("commerce"), mine, address="天津市河北区光复道街道8号")
    assert _events(mine) == n and Enterprise.objects.get(pk=mine.pk).address != "天津市河北区光复道街道8号"


def test_a_move_meanwhile_refuses_the_edit(world):
    mine = _copy(world)
    elsewhere = next(t for t in world.townships if t.pk != mine.region_id)
    services.update_enterprise(None, _copy(world), region=elsewhere)
    n = _events(mine)
    with pytest.raises(StaleState):
        services.update_enterprise(world.user("commerce"), mine, address="天津市河北区光复道街道8号")
    assert _events(mine) == n


def test_a_fresh_copy_edits_as_before(world):
    services.update_enterprise(world.user("commerce"), _copy(world), address="天津市河北区光复道街道8号")
    assert Enterprise.objects.get(pk=world.ent_commerce.pk).address == "天津市河北区光复道街道8号"
