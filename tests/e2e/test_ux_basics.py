"""Browser: the frame every page shares speaks Chinese — file pickers, breadcrumbs, the role's menu."""

import pytest

from tests.e2e.session import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_file_field_is_a_chinese_picker_that_names_the_chosen_file(page, live_server, tworld, tmp_path):
    log_in(page, live_server.url, "qy_xinlong")
    page.goto(f"{live_server.url}/hazards/new/")
    picker = page.locator(".qingling-file").first
    assert picker.locator("button").inner_text().startswith("选择文件")
    assert picker.locator("span").inner_text() == "未选择文件"
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    picker.locator("input[type=file]").set_input_files(str(photo))
    assert picker.locator("span").inner_text() == "现场照片.png"


def test_breadcrumbs_lead_back_to_the_section_and_home(page, live_server, tworld):
    log_in(page, live_server.url, "qy_xinlong")
    page.goto(f"{live_server.url}/hazards/new/")
    crumbs = page.locator("[data-testid=breadcrumbs] li").all_inner_texts()
    assert crumbs == ["首页", "隐患台账", "登记隐患"]
    page.click("[data-testid=breadcrumbs] >> text=隐患台账")
    page.wait_for_url(f"{live_server.url}/hazards/")


def test_an_enterprise_menu_has_no_government_work(page, live_server, tworld):
    log_in(page, live_server.url, "qy_xinlong")
    menu = page.locator("[data-testid=menu] a").all_inner_texts()
    assert "隐患台账" in menu and "举报奖励" not in menu and "监督检查" not in menu
