"""Browser + a real job worker (django-q2 cluster in its own process, as under `make run`): the
import page shows the job queued/running and the htmx poll brings in the result when the worker
finishes; a list's export link does the same and the file downloaded from the job page holds the
list's rows; an assessment set's 计算 shows the job's progress bar and the page reloads to the
results. PostgreSQL only: the worker process must share the test database."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from enterprises.models import Enterprise

from .session import log_in
from .test_enterprise_import import build_file

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(tmp_path, settings):
    """The worker as `make run` and the production unit start it (`run_worker`: schedules synced, list
    views loaded, then the django-q2 cluster) in its own process on the test database, killed afterwards."""
    settings.MEDIA_ROOT = tmp_path
    settings.QINGLING_JOBS_INLINE = False
    db = django_settings.DATABASES["default"]
    env = {**os.environ, "QINGLING_DEV": "1", "DJANGO_SETTINGS_MODULE": "config.settings", "QINGLING_WORKERS": "1", "MEDIA_ROOT": str(tmp_path),
           "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"}
    process = subprocess.Popen([sys.executable, "manage.py", "run_worker"], cwd=ROOT, env=env, start_new_session=True,
                               stdout=open(tmp_path / "worker.log", "w"), stderr=subprocess.STDOUT)
    yield process
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def test_import_finishes_in_the_browser_with_a_worker(page, live_server, tworld, tmp_path, worker):
    path = tmp_path / "enterprises.xlsx"
    path.write_bytes(build_file(tworld.townships[0].code))
    log_in(page, live_server.url, "hb_yingji")
    page.goto(f"{live_server.url}/enterprises/import/")
    page.set_input_files("#id_file", str(path))
    page.uncheck("#id_dry_run")
    page.click("[data-testid=import-form] button[type=submit]")
    # the job page first shows the queued job with its progress bar, then the worker's result
    assert page.locator("[data-testid=import-job]").get_attribute("data-status") in ("pending", "running", "done")
    page.wait_for_selector("[data-testid=job-summary]:has-text('新增 3')", timeout=120_000)
    assert Enterprise.objects.filter(name__startswith="浏览器导入").count() == 3
    page.goto(f"{live_server.url}/inbox/")
    assert "后台任务已完成" in page.content()


def test_a_hazard_ledger_dry_run_then_its_import_from_the_job_page_with_a_worker(page, live_server, tworld, tmp_path, worker):
    """The dry run's job page (polled by htmx until the worker is done) offers 正式导入; the click
    queues the real import of the same stored file, whose page then shows it committed."""
    from hazards.models import Hazard
    from hazards.tests.test_import import good_rows, xlsx

    rows = good_rows(tworld)
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx(rows))
    log_in(page, live_server.url, "hb_shangwu")
    page.goto(f"{live_server.url}/hazards/import/")
    page.set_input_files("#id_file", str(path))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_selector(f"[data-testid=job-message]:has-text('试运行通过：共 {len(rows)} 行')", timeout=120_000)
    assert not Hazard.objects.exists()
    page.click("[data-testid=job-follow-up] button[type=submit]")
    page.wait_for_selector(f"[data-testid=job-message]:has-text('已导入 {len(rows)} 条')", timeout=120_000)
    assert Hazard.objects.count() == len(rows)
    assert page.locator("[data-testid=job-follow-up]").count() == 0


def test_a_list_export_finishes_in_the_browser_and_the_file_holds_the_list(page, live_server, tworld, tmp_path, worker):
    """The worker has served no page: it must still find the list (core.lists.registered)."""
    from openpyxl import load_workbook

    log_in(page, live_server.url, "hb_yingji")
    page.goto(f"{live_server.url}/enterprises/?q=河北区")
    total = int(page.inner_text("[data-testid=list-total]").split()[1])
    assert total > 0
    page.click("[data-testid=export-link]")
    page.wait_for_selector("[data-testid=job-download]", timeout=120_000)
    assert f"已导出 {total} 家单位" in page.inner_text("[data-testid=job-message]")
    with page.expect_download() as info:
        page.click("[data-testid=job-download]")
    assert info.value.suggested_filename.startswith("enterprises-") and info.value.suggested_filename.endswith(".xlsx")
    info.value.save_as(tmp_path / info.value.suggested_filename)
    sheet = load_workbook(tmp_path / info.value.suggested_filename, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "单位名称" and len(rows) - 1 == total


def test_the_assessment_computation_runs_on_the_worker_and_the_page_shows_the_results(page, live_server, tworld, worker):
    """计算 queues the job; the set's page shows its progress bar and, when the worker is done,
    reloads itself (htmx HX-Refresh) to the ranked results."""
    from assessment import services
    from assessment.models import Assessment

    s = services.create_set(tworld.user("committee"), year=2026, name="浏览器考评")
    log_in(page, live_server.url, "hb_anweiban")
    page.goto(f"{live_server.url}/assessment/{s.pk}/")
    assert "尚未计算" in page.inner_text("[data-testid=results]")
    page.click("[data-testid=compute]")
    page.wait_for_load_state()
    shown = page.locator("[data-testid=computation] [data-testid=job]")
    if shown.count():  # the worker had not finished when the page came back: the bar, then the reload
        assert shown.get_attribute("data-status") in ("pending", "running", "done")
    page.wait_for_selector("[data-testid=compute]:has-text('重新计算考评结果')", timeout=120_000)
    assert page.locator("[data-testid=computation]").count() == 0
    results = page.inner_text("[data-testid=results]")
    assert "尚未计算" not in results and Assessment.objects.filter(indicator_set=s).count() > 3
    assert all(a.unit.name in results for a in Assessment.objects.filter(indicator_set=s).select_related("unit"))
