"""Verifying a tip may link a ledger hazard (关联已有隐患). A hazard the handler cannot see is not
found: 404, exactly as an id that names no hazard — never a 400 that tells "it exists, elsewhere"
(PRODUCT.md: "Anything outside a user's scope is a 404, never a 403 that leaks existence"; the
inspection finding's "台账中的同一隐患" answers the same, inspections/tests/test_existing_hazard_pages.py).
Users who do not see the tip (another region, another sector, enterprises, anonymous) get what
they get for any tip action, and nothing is linked either way."""

import pytest

from accounts.models import Sector
from core.models import Event
from core.services import NotPermitted, ServiceError
from core.testing import check_matrix
from hazards import services as hs
from hazards.models import Hazard, HazardSource
from tips import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def verifying(world, submit):
    """A tip about 鑫隆商贸 (commerce), accepted and under verification by the commerce bureau."""
    tip, _ = submit()
    services.accept(world.user("commerce"), tip)
    return services.start_verification(world.user("commerce"), tip)


def _hazard(world, persona, ent, sector, description):
    return hs.register_hazard(world.user(persona), enterprise=ent, sector=Sector.objects.get(code=sector),
                              description=description, grade="general", notify_people=False)


@pytest.fixture
def hazards(world):
    return {
        "own": _hazard(world, "commerce", world.ent_commerce, "commerce", "二楼疏散通道堆放货物"),
        # the same district, another sector: the commerce bureau does not see the construction firm's hazard
        "other_sector": _hazard(world, "housing", world.ent_construction, "construction", "脚手架未设置连墙件"),
        # another district (河东区)
        "other_region": _hazard(world, "other_region", world.ent_other_region,
                                world.ent_other_region.sectors.first().code, "配电箱无防护"),
    }


def _verify(client, tip, hazard_id):
    return client.post(f"/tips/{tip.pk}/verify/", {"result": "true", "note": "核查属实", "hazard": hazard_id})


def _linked_nothing(tip, hazards):
    tip.refresh_from_db()
    assert tip.status == "verifying" and tip.hazard_id is None
    assert not HazardSource.objects.filter(hazard__in=hazards.values(), channel="tip").exists()
    assert not Event.objects.filter(verb="tip.verify").exists()


@pytest.mark.parametrize("which", ["other_sector", "other_region", "missing"])
def test_a_hazard_the_handler_cannot_see_is_not_found(client, world, verifying, hazards, which):
    hazard_id = hazards[which].pk if which in hazards else max(h.pk for h in hazards.values()) + 1000
    client.force_login(world.user("commerce"))
    response = _verify(client, verifying, hazard_id)
    assert response.status_code == 404
    for h in hazards.values():
        assert h.number not in response.content.decode()
    _linked_nothing(verifying, hazards)


def test_a_hazard_in_scope_is_linked(client, world, verifying, hazards):
    """Control: the handler's own hazard is linked (a 举报 source on it, the tip verified)."""
    client.force_login(world.user("commerce"))
    response = _verify(client, verifying, hazards["own"].pk)
    assert response.status_code == 302
    verifying.refresh_from_db()
    assert verifying.status == "verified" and verifying.hazard_id == hazards["own"].pk
    assert HazardSource.objects.filter(hazard=hazards["own"], channel="tip").count() == 1


def test_users_who_do_not_see_the_tip_link_nothing(client, world, verifying, hazards):
    data = {"result": "true", "note": "核查属实", "hazard": hazards["own"].pk}
    check_matrix(client, world, f"/tips/{verifying.pk}/verify/", {
        "anon": "login", "other_region": 404, "housing": 404, "enterprise": 403, "enterprise_other": 403,
        "agency": 403}, method="post", data=data)
    _linked_nothing(verifying, hazards)


# ---------------------------------------------------------------- the tip's enterprise
# A verified tip is about the enterprise it names: the 举报奖励 condition (2018 办法 art. 6, RULES.md §1)
# and the fine are judged on that enterprise's hazard, and the hazard the reported enterprise reads is
# its own. A hazard of another enterprise — even one the handler sees — is refused on the field.

def test_a_hazard_of_another_enterprise_is_refused_on_the_field(client, world, verifying):
    # 海河之星超市: commerce, the same district — the commerce bureau sees it, but the tip is about 鑫隆商贸
    other = _hazard(world, "commerce", world.ent_commerce2, "commerce", "冷库门口堆放纸箱")
    assert verifying.enterprise_id == world.ent_commerce.pk != other.enterprise_id
    client.force_login(world.user("commerce"))
    response = _verify(client, verifying, other.pk)
    assert response.status_code == 400
    errors = response.context["verify_form"].errors
    assert errors["hazard"] == [f"{other.number}不是被举报单位（{world.ent_commerce.name}）的隐患，不能关联。"]
    _linked_nothing(verifying, {"other": other})


def test_the_service_refuses_another_enterprises_hazard(world, verifying):
    other = _hazard(world, "commerce", world.ent_commerce2, "commerce", "冷库门口堆放纸箱")
    with pytest.raises(ServiceError) as exc:
        services.verify(world.user("commerce"), verifying, result="true", note="核查属实", hazard=other)
    assert exc.value.field == "hazard" and not isinstance(exc.value, NotPermitted)
    _linked_nothing(verifying, {"other": other})


@pytest.mark.parametrize("which", ["other_sector", "other_region"])
def test_the_service_refuses_a_hazard_out_of_scope(world, verifying, hazards, which):
    """Called directly (not through the page's 404), a hazard the handler cannot see is NotPermitted —
    the pages answer it as 404 (``get_visible_or_404`` before the call)."""
    with pytest.raises(NotPermitted):
        services.verify(world.user("commerce"), verifying, result="true", note="核查属实", hazard=hazards[which])
    _linked_nothing(verifying, hazards)


def test_registering_for_another_enterprise_is_refused(world, verifying):
    with pytest.raises(ServiceError) as exc:
        services.verify(world.user("commerce"), verifying, result="true", note="核查属实", register={
            "enterprise": world.ent_commerce2, "description": "冷库门口堆放纸箱", "grade": "general"})
    assert exc.value.field == "enterprise"
    assert "被举报单位（" + world.ent_commerce.name in exc.value.message
    verifying.refresh_from_db()
    assert verifying.status == "verifying" and verifying.hazard_id is None
    assert not Hazard.objects.filter(enterprise=world.ent_commerce2).exists()


def test_a_tip_naming_no_platform_enterprise_links_the_hazard_the_handler_identifies(world, sectors):
    """Control for the decision in docs/tips.md: a reporter who named the enterprise in words only
    (``Tip.enterprise`` empty) leaves nothing to compare; the handler's verification identifies it."""
    ent = world.ent_commerce2
    tip, _ = services.submit_tip(None, region=ent.region, sector=sectors["commerce"], address="示范路2号",
                                 enterprise=None, enterprise_name="路口那家超市",
                                 content="仓库堆放货物堵塞疏散通道，安全出口上锁。")
    handler = world.user("commerce")
    services.start_verification(handler, services.accept(handler, tip))
    hazard = _hazard(world, "commerce", ent, "commerce", "冷库门口堆放纸箱")
    tip = services.verify(handler, tip, result="true", note="核查属实", hazard=hazard)
    assert tip.status == "verified" and tip.hazard_id == hazard.pk
