"""The enterprise profile shows its credit status (严重失信主体名单) from enforcement."""

from enforcement import services as enf
from enforcement.tests.helpers import penalised


def test_profile_shows_good_then_listed_credit_status(client, world):
    ent = world.ent_commerce
    client.force_login(world.user("commerce"))
    html = client.get(f"/enterprises/{ent.pk}/").content.decode()
    assert "无失信记录" in html
    penalised(world, ent)  # the ground of a listing (seed 002 item 3)
    listing = enf.propose_listing(world.user("commerce"), enterprise=ent, reason="因安全生产违法行为受到行政处罚")
    enf.confirm_listing(world.user("commerce_lead"), listing)
    html = client.get(f"/enterprises/{ent.pk}/").content.decode()
    assert "严重失信主体" in html
    # the enterprise itself sees its own status too
    client.force_login(world.user("enterprise"))
    assert "严重失信主体" in client.get(f"/enterprises/{ent.pk}/").content.decode()
