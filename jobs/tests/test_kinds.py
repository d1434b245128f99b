"""The job kinds end to end through their pages: document batch, ledger export (xlsx rows =
the page's filtered rows; constant memory), hazard import progress."""

import io
import tracemalloc
import zipfile

import pytest
from openpyxl import load_workbook

from core.testing import client_as
from hazards.exports import Column, write_xlsx
from hazards.tests.conftest import make_general, make_major

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline(settings, tmp_path):
    settings.QINGLING_JOBS_INLINE = True
    settings.MEDIA_ROOT = tmp_path / "media"


def _result(client, response):
    job = response.context["job"]
    r = client.get(f"/jobs/{job.pk}/result/")
    assert r.status_code == 200
    return b"".join(r.streaming_content)


def test_document_batch_zip_holds_one_report_per_visible_major_hazard(client, world):
    a, b = make_major(world), make_major(world)
    make_general(world)
    client_as(client, world, "commerce")
    response = client.get("/documents/hazards/reports.zip", follow=True)
    assert "已生成 2 份" in response.content.decode()
    names = sorted(zipfile.ZipFile(io.BytesIO(_result(client, response))).namelist())
    assert names == sorted(f"重大事故隐患报告表-{h.number}.docx" for h in (a, b))
    client_as(client, world, "other_region")  # sees none of them
    response = client.get("/documents/hazards/reports.zip", follow=True)
    assert response.context["job"].status == "failed" and "没有重大事故隐患" in response.content.decode()


def test_export_rows_equal_the_filtered_page(client, world):
    for i in range(7):
        make_general(world, description=f"一般隐患{i}")
    make_major(world)
    client_as(client, world, "commerce")
    page = client.get("/hazards/?grade=general").content.decode()
    response = client.get("/hazards/export.xlsx?grade=general", follow=True)
    rows = list(load_workbook(io.BytesIO(_result(client, response)), read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 7 and all(r[0] in page for r in rows[1:])


def test_xlsx_writer_memory_does_not_grow_with_rows(tmp_path):
    cols = [Column("编号", lambda i: i), Column("描述", lambda i: f"隐患描述文字{i}" * 3), Column("公式", lambda i: "=1+1")]

    def peak(n):
        tracemalloc.start()
        write_xlsx(range(n), cols, tmp_path / f"{n}.xlsx")
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, big = peak(2_000), peak(40_000)
    assert big < small * 1.5, (small, big)  # 20× the rows, not 20× the memory
    ws = load_workbook(tmp_path / "2000.xlsx").active
    assert ws["C2"].value == "=1+1" and ws["C2"].data_type == "s"  # text, not a formula


def test_hazard_import_errors_are_a_download(client, world):
    from openpyxl import Workbook

    from hazards.importing import REQUIRED

    wb = Workbook()
    wb.active.append(REQUIRED)
    wb.active.append(["91120105MA00000000", "描述", "特大", "commerce"])
    buf = io.BytesIO()
    wb.save(buf)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client_as(client, world, "commerce")
    response = client.post("/hazards/import/", {"file": SimpleUploadedFile("x.xlsx", buf.getvalue()), "dry_run": "on"},
                           follow=True)
    assert "发现" in response.content.decode() and 'data-testid="job-errors"' in response.content.decode()
    body = _result(client, response).decode("utf-8-sig")
    assert body.splitlines()[0] == "行号,列,原因" and "隐患等级" in body


def test_progress_inside_a_transaction_is_visible_through_the_side_file(client, world):
    from django.db import transaction

    from jobs import services
    from jobs.models import Job
    from jobs.progress import Progress

    owner = world.user("committee")
    job = services.submit(owner, "jobs.selftest", "自检", queue=False)
    Job.objects.filter(pk=job.pk).update(status="running", attempts=1)
    job.refresh_from_db()
    with transaction.atomic():
        Progress(job)(7, 20, force=True)
    client_as(client, world, "committee")
    page = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "7 / 20" in page


def test_a_running_job_with_a_heartbeat_and_no_progress_yet_shows_its_page(client, world, settings, tmp_path):
    """The worker's heartbeat file can come before the first progress report: the job's page (and
    its htmx poll) shows the job, it was a 500 (KeyError on the missing progress)."""
    import time

    from jobs import services
    from jobs.models import Job
    from jobs.progress import beat_file

    settings.MEDIA_ROOT = tmp_path
    owner = world.user("committee")
    job = services.submit(owner, "jobs.selftest", "自检", queue=False)
    Job.objects.filter(pk=job.pk).update(status="running", attempts=1)
    beat_file(job.pk).parent.mkdir(parents=True, exist_ok=True)
    beat_file(job.pk).write_text(str(time.time()))
    client_as(client, world, "committee")
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get(f"/jobs/{job.pk}/", **headers)
        assert response.status_code == 200 and 'data-status="running"' in response.content.decode()
