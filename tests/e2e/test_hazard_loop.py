"""Browser: the closed loop of a major hazard through the pages — the enterprise registers it and
its plan, submits rectification, the commerce bureau rejects with a reason, the enterprise
resubmits, the bureau's lead accepts and the hazard is 销号."""

import datetime

import pytest
from django.utils import timezone

from hazards.models import Hazard
from tests.e2e.pickers import pick
from tests.e2e.session import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/**")


def act(page, action, fields, confirm=None, choose=None):
    """Open the action, fill it, choose in its boxes (they start on 请选择), submit; ``confirm`` is a
    phrase the confirmation step must state."""
    page.click(f"[data-testid=action-{action}] summary")
    for name, value in fields.items():
        page.fill(f"#id_{action}-{name}", value)
    for name, value in (choose or {}).items():
        page.select_option(f"#id_{action}-{name}", value)
    page.click(f"[data-testid=submit-{action}]")
    if confirm:
        page.wait_for_selector("[data-testid=confirm-modal].show")
        assert confirm in page.inner_text("[data-testid=confirm-modal] .modal-body")
        # keyboard-accessible: the confirm button takes the focus, Enter confirms
        page.locator("[data-testid=confirm-ok]:focus").wait_for()
        with page.expect_navigation():
            page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_major_hazard_closed_loop(page, live_server, tworld):
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    log_in(page, live_server.url, "qy_xinlong")
    page.goto(f"{live_server.url}/hazards/new/")
    pick(page, "select[name=sector]", "商贸", "商贸服务和仓储物流")  # only the enterprise's own sectors are offered
    page.select_option("select[name=grade]", "major")
    page.select_option("select[name=category]", "management")  # both start on 请选择
    page.fill("#id_description", "二楼安全出口锁闭，疏散通道堆放货物")
    page.fill("#id_basis_reason", "安全出口锁闭可能导致群死群伤")
    page.fill("#id_deadline", deadline)
    page.click("[data-testid=register-form] button[type=submit]")
    page.wait_for_selector("[data-testid=hazard-status]")
    hazard = Hazard.objects.get()
    assert hazard.grade == "major" and hazard.enterprise == tworld.ent_commerce
    act(page, "submit_plan", {"goal_tasks": "恢复安全出口畅通", "measures": "拆除门锁，清理货物", "funds_materials": "资金2万元已落实",
                              "responsible": "行政部 李四", "deadline": deadline, "safety_emergency": "整改期间设专人值守"})
    assert page.inner_text("[data-testid=hazard-status]") == "整改中"
    assert "恢复安全出口畅通" in page.inner_text("[data-testid=plan]")
    act(page, "submit_completion", {"evidence_note": "门锁已拆除，货物已清理"})
    assert page.inner_text("[data-testid=hazard-status]") == "待验收"
    logout(page)

    log_in(page, live_server.url, "hb_shangwu")
    page.goto(f"{live_server.url}/hazards/{hazard.pk}/")
    act(page, "reject", {"reason": "北侧出口仍有货物堆放", "next_steps": "清理北侧出口后重新提交"}, choose={"mode": "on_site"})
    assert page.inner_text("[data-testid=hazard-status]") == "整改中"
    logout(page)

    log_in(page, live_server.url, "qy_xinlong")
    page.goto(f"{live_server.url}/hazards/{hazard.pk}/")
    assert "北侧出口仍有货物堆放" in page.inner_text("[data-testid=acceptances]")
    act(page, "submit_completion", {"evidence_note": "北侧出口货物已清理"})
    assert page.inner_text("[data-testid=hazard-status]") == "待验收"
    logout(page)

    log_in(page, live_server.url, "hb_shangwu_lead")
    page.goto(f"{live_server.url}/hazards/{hazard.pk}/")
    act(page, "accept", {"opinion": "现场核查已整改到位"}, confirm="销号", choose={"mode": "on_site"})
    assert page.inner_text("[data-testid=hazard-status]") == "已销号"
    page.screenshot(path="/tmp/qingling-hazard-closed.png", full_page=True)
    hazard.refresh_from_db()
    assert hazard.status == "closed" and hazard.closed_at is not None
