"""Browser: 应急管理局 imports a small file — the dry run lists the bad rows, then the real run imports."""

import io

import pytest
from openpyxl import Workbook

from enterprises.importing import COLUMNS
from enterprises.models import Enterprise
from enterprises.validators import make_credit_code
from tests.e2e.session import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def build_file(township_code: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([h for _, h, _ in COLUMNS])
    good = [f"浏览器导入{i}有限公司" for i in range(3)]
    for i, name in enumerate(good):
        ws.append([name, make_credit_code(f"91120105MH{i:07d}"), township_code, "commerce", "", "117.2", "39.15"])
    ws.append(["坏代码有限公司", "91120105MH0000099Z", township_code, "commerce"])
    ws.append(["未知乡镇有限公司", make_credit_code("91120105MH0000098"), "999999999", "commerce"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_through_the_page(page, live_server, tworld, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.QINGLING_JOBS_INLINE = True  # no worker process beside live_server: the job runs in the request
    path = tmp_path / "enterprises.xlsx"
    path.write_bytes(build_file(tworld.townships[0].code))
    log_in(page, live_server.url, "hb_yingji")

    page.goto(f"{live_server.url}/enterprises/import/")
    page.set_input_files("#id_file", str(path))
    assert page.is_checked("#id_dry_run")
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_selector("[data-testid=job-summary]")
    errors = page.locator("[data-testid=import-error]")
    assert errors.count() == 2
    text = page.inner_text("[data-testid=import-errors]")
    assert "统一社会信用代码" in text and "乡镇（街道）代码" in text and "999999999" in text
    assert "将新增 3" in page.inner_text("[data-testid=job-summary]")
    assert not Enterprise.objects.filter(name__startswith="浏览器导入").exists()

    page.click("[data-testid=run-import]")
    page.wait_for_selector("[data-testid=job-summary]:has-text('新增 3')")
    assert Enterprise.objects.filter(name__startswith="浏览器导入").count() == 3
    page.screenshot(path="/tmp/qingling-enterprise-import.png", full_page=True)
    page.goto(f"{live_server.url}/enterprises/?q=浏览器导入")
    assert page.locator("[data-testid=enterprise-row]").count() == 3
