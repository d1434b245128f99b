"""Browser, phone viewport: an inspector answers every line of a record inline (no page reload), with one
finding, signs it, and the finding lands in the hazard ledger."""

import pytest

from hazards.models import Hazard, HazardSource
from inspections.models import Record
from tests.e2e.pickers import pick
from tests.e2e.session import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_inspector_fills_and_signs_on_a_phone(page, live_server, tworld):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, "hb_yingji")

    ent = tworld.ent_commerce
    page.goto(f"{live_server.url}/inspections/records/new/")
    assert no_horizontal_scroll(page)
    pick(page, "#id_enterprise", ent.name[:8], ent.name)
    page.select_option("#id_kind", "unannounced")
    page.fill("#id_location", "一号仓库")
    page.click("[data-testid=create-record]")
    page.wait_for_selector("[data-testid=record-title]")
    assert no_horizontal_scroll(page)

    page.evaluate("window.__sameDocument = true")  # gone if anything reloads the page
    items = page.locator("[data-testid=item]")
    total = items.count()
    first = items.first
    first.locator("textarea[name$=note]").fill("安全出口被货物堵塞")
    first.get_by_text("存在隐患", exact=True).click()
    item_id = first.get_attribute("id")
    page.wait_for_selector(f"#{item_id} select[name$=grade]")
    first = items.first
    assert "隐患等级" in first.inner_text()  # the line asks for what a hazard needs
    first.locator("select[name$=grade]").select_option("general")
    items.first.locator("[data-testid=item-state]", has_text="已保存").wait_for()
    # the 发现隐患 card comes with the answer (out of band), with the finding's 台账中的同一隐患 choice
    page.locator("#findings [data-testid=finding]", has_text="安全出口被货物堵塞").wait_for()
    assert page.locator("#findings [data-testid=match-form]").count() == 1
    for i in range(1, total):
        line = items.nth(i)
        line.get_by_text("符合", exact=True).click()
        line.locator("[data-testid=item-state]", has_text="已保存").wait_for()
    assert page.inner_text("[data-testid=progress]") == f"已填写 {total}/{total} 项"
    assert page.locator("#findings [data-testid=finding]").count() == 1  # still the one finding
    assert page.evaluate("window.__sameDocument === true")  # every answer saved inline, no reload
    assert no_horizontal_scroll(page)

    page.click("[data-testid=sign]")
    page.wait_for_selector("[data-testid=confirm-modal].show")  # signing locks the record: confirmed first
    assert "锁定" in page.inner_text("[data-testid=confirm-modal] .modal-body")
    page.click("[data-testid=confirm-ok]")
    page.wait_for_selector("text=已签名，记录已锁定")
    assert page.inner_text("[data-testid=record-status]") == "已签名锁定"
    assert page.locator("[data-testid=save-item]").count() == 0
    page.screenshot(path="/tmp/qingling-inspection-mobile.png", full_page=False)

    rec = Record.objects.get(enterprise=ent)
    assert rec.locked and rec.kind == "unannounced"
    hazard = Hazard.objects.get(enterprise=ent, description="安全出口被货物堵塞")
    assert hazard.channel == Hazard.Channel.INSPECTION and hazard.grade == "general"
    assert hazard.basis_item_id is None  # a 一般 finding does not cite the 判定标准 item (hazards.grading)
    assert HazardSource.objects.filter(hazard=hazard, reference=f"inspections.record:{rec.pk}").exists()
