"""Browser: a city committee office opens the roll-up and sees its two districts, one line each,
beside the live recomputation for the whole city."""

import pytest
from django.utils import timezone

from campaigns import services as cs
from campaigns.tests import tree
from tests.e2e.session import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_city_committee_sees_two_district_rollups(page, live_server, tworld):
    t = tree.build(tworld)
    cs.submit(tworld.user("committee"), unit=tworld.org("committee"), campaign=t["campaign"], as_of=timezone.now())

    log_in(page, live_server.url, tree.CITY_USER, next_url="/campaigns/dispatch/rollup/", wait_for="[data-testid=unit-lines]")
    page.screenshot(path="/tmp/qingling-rollup-tree.png", full_page=True)

    hebei = page.locator(f"[data-testid=line-{tworld.org('committee').pk}]")
    hedong = page.locator(f"[data-testid=line-{t['other_office'].pk}]")
    assert "河北区安全生产委员会办公室" in hebei.inner_text() and "已报送（第1版）" in hebei.inner_text()
    assert "河东区安全生产委员会办公室" in hedong.inner_text() and "未报送" in hedong.inner_text()
    assert page.locator("[data-testid=unit-lines] tr[data-testid^=line-]").count() == 2
    assert page.locator("[data-testid=\"live-1.1\"]").inner_text() == "1"
    assert page.locator("[data-testid=\"live-1.3\"]").inner_text() == "1"
    assert "全市实时重算" in page.content()
