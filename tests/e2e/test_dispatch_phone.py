"""Browser, phone (390 px): the weekly dispatch table (调度表) puts each row of the official form on its own
line — label, value, unit — instead of six cells twice the screen's width scrolled sideways; the 是/否 row
entered by hand is a choice of 是 / 否 (its box showed the word "True"), and what is chosen is what is
submitted."""

import datetime

import pytest

from campaigns import services as cs
from campaigns.models import Submission
from tests.e2e.session import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_dispatch_table_fits_a_phone_and_its_yes_no_row_is_a_choice(browser, live_server, tworld):
    cs.create_campaign(None, name="治本攻坚", issuer=tworld.org("committee"), region=tworld.district,
                       start=datetime.date(2024, 1, 1), end=datetime.date(2030, 12, 31))
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server.url, "hb_shangwu", next_url="/campaigns/dispatch/", wait_for="[data-testid=dispatch-table]")
    table = page.locator("[data-testid=dispatch-table]")
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # no cell beyond the screen's right edge
    # 1.1 and 1.2, paired on one line of the form, stand one above the other
    first, second = (page.locator(f'[data-code="{code}"]').bounding_box() for code in ("1.1", "1.2"))
    assert second["y"] > first["y"] + first["height"] - 1 and abs(second["x"] - first["x"]) < 2, (first, second)
    media = page.locator('select[name="row_4.6"]')
    assert media.locator("option").all_inner_texts() == ["未填", "是", "否"]
    media.select_option("否")
    page.fill('input[name="row_4.7"]', "2")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=confirm-modal].show")  # 报送 is confirmed first
    with page.expect_navigation():
        page.click("[data-testid=confirm-ok]")
    submission = Submission.objects.get()
    assert (submission.values["4.6"], submission.values["4.7"]) == (False, 2)
    context.close()
