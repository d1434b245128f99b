"""Browser: the district 安委办 proposes listing a major hazard, its leader approves, the board shows it."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Sector
from hazards import services as hz
from supervision.models import Listing
from tests.e2e.session import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_committee_proposes_leader_approves_board_shows(page, live_server, tworld):
    hazard = hz.register_hazard(
        tworld.user("commerce"), enterprise=tworld.ent_commerce, sector=Sector.objects.get(code="commerce"),
        description="商场安全出口上锁，疏散通道堆放货物", grade="major", basis_reason="可能导致群死群伤",
        deadline=timezone.localdate() + datetime.timedelta(days=60))
    deadline = (timezone.localdate() + datetime.timedelta(days=45)).isoformat()

    log_in(page, live_server.url, "hb_anweiban")
    page.goto(f"{live_server.url}/supervision/propose/?hazard={hazard.pk}")
    assert page.input_value("#id_hazard") == str(hazard.pk)
    assert page.input_value("#id_responsible_department") == str(tworld.org("commerce").pk)
    page.fill("#id_deadline", deadline)
    page.fill("#id_requirements", "限期整改，每月报告整改进展")
    page.click("[data-testid=propose-submit]")
    page.wait_for_selector("[data-testid=listing-status]")
    assert page.inner_text("[data-testid=listing-status]") == "拟挂牌（待审批）"
    assert page.locator("[data-testid=form-approve]").count() == 0  # the proposer cannot approve
    listing = Listing.objects.get(hazard=hazard)
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/**")

    log_in(page, live_server.url, "hb_anweiban_lead")
    page.goto(f"{live_server.url}/supervision/{listing.pk}/")
    page.click("[data-testid=submit-approve]")
    page.wait_for_selector("[data-testid=confirm-modal].show")  # listing notifies the enterprise: confirmed first
    assert "挂牌督办" in page.inner_text("[data-testid=confirm-modal] .modal-body")
    page.click("[data-testid=confirm-ok]")
    page.wait_for_selector("text=已批准挂牌督办。")
    assert page.inner_text("[data-testid=listing-status]") == "挂牌督办中"

    page.goto(f"{live_server.url}/supervision/board/")
    item = page.locator("[data-testid=level-county] [data-testid=board-item][data-status=listed]")
    assert item.count() == 1
    assert "天津市河北区鑫隆商贸有限公司" in item.inner_text()
    assert page.inner_text("[data-testid=count-listed]") == "1"
    page.screenshot(path="/tmp/qingling-listing-board.png", full_page=True)
