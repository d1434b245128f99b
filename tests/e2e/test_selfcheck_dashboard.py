"""Browser: the enterprise principal sees due/overdue obligations, records a drill, and the
drill item is no longer overdue."""

import pytest
from django.utils import timezone

from tests.e2e.session import submit_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_enterprise_records_a_drill_and_it_is_no_longer_overdue(page, live_server, tworld):
    from obligations import demo

    demo.load(tworld.ctx)
    page.goto(f"{live_server.url}/obligations/")
    assert "/accounts/login/" in page.url
    submit_login(page, "qy_xinlong", wait_for="[data-testid=selfcheck-title]")
    assert "鑫隆商贸" in page.inner_text("[data-testid=selfcheck-title]")
    assert page.get_attribute("[data-testid=item-drills]", "data-status") == "overdue"
    assert page.get_attribute("[data-testid=item-list_deputy]", "data-status") == "overdue"
    overdue_before = int(page.inner_text("[data-testid=overdue-count]"))
    assert overdue_before >= 2

    page.click("[data-testid=add-drill]")
    page.select_option("#id_kind", "onsite")
    page.fill("#id_plan", "仓库火灾现场处置方案")
    page.fill("#id_held_on", timezone.localdate().isoformat())
    page.fill("#id_scenario", "二层仓库货物起火，疏散顾客")
    page.fill("#id_participants", "18")
    page.fill("#id_evaluation", "疏散有序")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=selfcheck-title]")
    assert page.get_attribute("[data-testid=item-drills]", "data-status") == "ok"
    assert "仓库火灾现场处置方案" in page.inner_text("[data-testid=drills]")
    assert int(page.inner_text("[data-testid=overdue-count]")) == overdue_before - 1
    page.screenshot(path="/tmp/qingling-selfcheck.png", full_page=True)
