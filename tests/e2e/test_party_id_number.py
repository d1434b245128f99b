"""Browser, phone viewport: the case handler records the principal's 公民身份号码 on the case page; a
wrong number is refused on the field in Chinese and nothing is kept; the page shows it masked."""

import pytest

from core import idnumber
from enforcement import services
from enforcement.models import CaseParty
from tests.e2e.session import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NUMBER = "11010519491231002X"  # GB 11643-1999's own example (北京市朝阳区, 1949-12-31)


def test_the_handler_records_a_partys_number_on_a_phone(page, live_server, tworld):
    handler = tworld.user("commerce")
    case = services.open_case(handler, enterprise=tworld.ent_commerce, title="未如实记录隐患排查治理情况", facts="台账缺失")
    principal = case.parties.get(role=CaseParty.Role.PRINCIPAL)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, handler.username)
    page.goto(f"{live_server.url}/enforcement/cases/{case.pk}/")
    card = page.locator("[data-testid=action-form-party_id]")
    assert card.locator("h3").inner_text() == "登记当事人身份号码"
    card.locator("select[name=party_id-party]").select_option(str(principal.pk))
    card.locator("input[name=party_id-id_number]").fill(NUMBER[:-1] + "1")  # a wrong check character
    card.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=action-failed]")
    assert "公民身份号码校验位不正确" in page.locator("[data-testid=action-form-party_id]").inner_text()
    assert CaseParty.objects.get(pk=principal.pk).id_number == ""
    card = page.locator("[data-testid=action-form-party_id]")
    card.locator("select[name=party_id-party]").select_option(str(principal.pk))
    card.locator("input[name=party_id-id_number]").fill(" 110105 19491231002x ")
    card.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=party-id]")
    assert page.locator("[data-testid=party-id]").inner_text() == f"身份号码 {idnumber.masked(NUMBER)}"
    assert NUMBER not in page.content()
    assert CaseParty.objects.get(pk=principal.pk).id_number == NUMBER
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
