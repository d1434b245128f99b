"""Browser: a committee officer goes from a red region of the cockpit's map to the overdue hazards
behind it in two clicks; at 390 px the cockpit does not overflow."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Sector
from hazards import services as hs
from hazards.models import Hazard
from tests.e2e.session import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _major(world, persona, ent, deadline, grade="major"):
    today = timezone.localdate()
    return hs.register_hazard(world.user(persona), enterprise=ent, sector=Sector.objects.get(code="commerce"),
                              description="安全出口锁闭", grade=grade, basis_reason="可能导致群死群伤" if grade == "major" else "",
                              found_on=min(today - datetime.timedelta(days=60), deadline), deadline=deadline, notify_people=False)


def test_from_a_red_region_to_its_overdue_hazards_in_two_clicks(page, live_server, tworld):
    today = timezone.localdate()
    red = [_major(tworld, "enterprise", tworld.ent_commerce, today - datetime.timedelta(days=40)),
           _major(tworld, "enterprise", tworld.ent_commerce, today - datetime.timedelta(days=2))]
    _major(tworld, "enterprise", tworld.ent_commerce, today + datetime.timedelta(days=20))  # open, not overdue
    _major(tworld, "enterprise", tworld.ent_commerce, today - datetime.timedelta(days=9), grade="general")  # not major
    _major(tworld, "commerce", tworld.ent_commerce2, today - datetime.timedelta(days=5))  # 望海楼: orange
    expected = sorted(h.number for h in Hazard.objects.filter(pk__in=[h.pk for h in red]))

    log_in(page, live_server.url, "hb_anweiban", next_url="/campaigns/cockpit/", wait_for="[data-testid=region-tiles]")
    tile = page.locator("[data-testid=region-tile][data-colour=red]")
    assert tile.count() == 1 and "光复道街道" in tile.inner_text()

    tile.click()  # click 1: the region
    page.wait_for_selector("[data-testid=own-figures]")
    assert page.locator("[data-testid=page-title]").inner_text().startswith("光复道街道")
    figure = page.locator("[data-testid=figure-overdue]")
    assert figure.locator("[data-testid=figure-value]").inner_text() == "2"

    figure.click()  # click 2: its overdue figure
    page.wait_for_url("**/hazards/?*")
    page.wait_for_selector("[data-testid=ledger]")
    text = page.locator("[data-testid=ledger]").inner_text()
    import re

    shown = sorted(set(re.findall(r"YH\d{6}-\d{7}", text)))
    assert shown == expected, (shown, expected)
    page.screenshot(path="/tmp/qingling-cockpit-ledger.png", full_page=True)


def test_the_cockpit_does_not_overflow_at_390_px(page, live_server, tworld):
    today = timezone.localdate()
    _major(tworld, "enterprise", tworld.ent_commerce, today - datetime.timedelta(days=40))
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, "hb_anweiban", next_url="/campaigns/cockpit/", wait_for="[data-testid=ranking-table]")
    page.wait_for_selector("#cockpit-ranking canvas")  # the charts drew
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{overflow}px horizontal overflow at 390 px"
    page.screenshot(path="/tmp/qingling-cockpit-390.png", full_page=True)


def test_on_a_city_map_the_red_district_shape_opens_its_cockpit_then_its_overdue_hazards(page, live_server, tworld):
    """The province office (天津市) sees its districts on the vendored map; clicking 河北区's shape (at the
    GeoJSON's own centre point) opens 河北区's cockpit, whose overdue figure opens exactly those hazards."""
    import json

    from django.contrib.staticfiles import finders

    today = timezone.localdate()
    red = _major(tworld, "enterprise", tworld.ent_commerce, today - datetime.timedelta(days=40))
    with open(finders.find("vendor/maps/province/tianjin.json"), encoding="utf-8") as fh:
        cp = next(f["properties"]["cp"] for f in json.load(fh)["features"] if f["id"] == "120105")
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server.url, "tj_anweiban", next_url="/campaigns/cockpit/", wait_for="#cockpit-map[data-ready='1']")
    page.locator("#cockpit-map").scroll_into_view_if_needed()
    x, y = page.evaluate("(cp) => echarts.getInstanceByDom(document.getElementById('cockpit-map')).convertToPixel({seriesIndex: 0}, cp)", cp)
    box = page.locator("#cockpit-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)  # click 1: the red district on the map
    page.wait_for_url("**/campaigns/cockpit/?region=120105")
    page.locator("[data-testid=figure-overdue]").click()  # click 2: its overdue figure
    page.wait_for_selector("[data-testid=ledger]")
    import re

    assert sorted(set(re.findall(r"YH\d{6}-\d{7}", page.locator("[data-testid=ledger]").inner_text()))) == [red.number]
