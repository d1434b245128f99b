"""Browser: the committee office opens the five-colour board and sees its townships coloured."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Sector
from hazards import services as hs
from tests.e2e.session import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _major(world, persona, ent, deadline):
    return hs.register_hazard(world.user(persona), enterprise=ent, sector=Sector.objects.get(code="commerce"),
                              description="安全出口锁闭", grade="major", basis_reason="可能导致群死群伤", deadline=deadline,
                              notify_people=False)


def test_committee_sees_the_five_colour_board(page, live_server, tworld):
    today = timezone.localdate()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=60), tick=False):
        _major(tworld, "enterprise", tworld.ent_commerce, today - datetime.timedelta(days=40))  # 光复道: red
    _major(tworld, "commerce", tworld.ent_commerce2, today + datetime.timedelta(days=3))  # 望海楼: yellow

    log_in(page, live_server.url, "hb_anweiban", next_url="/campaigns/board/", wait_for="[data-testid=board-table]")
    page.screenshot(path="/tmp/qingling-board.png", full_page=True)

    rows = page.locator("[data-testid=board-row]")
    assert rows.count() == len(tworld.townships)
    colours = {rows.nth(i).get_attribute("data-region"): rows.nth(i).get_attribute("data-colour") for i in range(rows.count())}
    assert colours["光复道街道"] == "red" and colours["望海楼街道"] == "yellow"
    assert {c for name, c in colours.items() if name not in ("光复道街道", "望海楼街道")} == {"green"}
    first = rows.nth(0)
    assert first.get_attribute("data-region") == "光复道街道"
    assert first.locator("[data-testid=colour]").inner_text() == "红"
