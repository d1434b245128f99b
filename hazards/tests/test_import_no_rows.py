"""A ledger file holding only its header row (or a header and rows of nothing visible) is refused
like any other bad file — on the page's dry run and real run (400, the reason on the file field,
no job queued) and in the import itself (a job, a caller) — and nothing is written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.models import Event
from core.services import ServiceError
from core.testing import client_as
from hazards.importing import COLUMNS, import_hazards
from hazards.models import Hazard
from jobs.models import Job

pytestmark = pytest.mark.django_db

REASON = "文件中没有数据行"


def _workbook(*rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEADER_ONLY = {"header only": lambda: _workbook(),
               "header and blank rows": lambda: _workbook([None] * 4, [" ", "\u200b"], [])}


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "real run"])
@pytest.mark.parametrize("make", HEADER_ONLY.values(), ids=HEADER_ONLY.keys())
def test_the_page_refuses_a_file_without_data_rows(client, world, make, dry_run):
    client_as(client, world, "commerce")
    jobs, events = Job.objects.count(), Event.objects.count()
    form = {"file": SimpleUploadedFile("ledger.xlsx", make())} | ({"dry_run": "on"} if dry_run else {})
    response = client.post("/hazards/import/", form)
    assert response.status_code == 400
    assert REASON in response.content.decode()
    assert Job.objects.count() == jobs and Event.objects.count() == events and not Hazard.objects.exists()


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "real run"])
def test_the_import_itself_refuses_it(world, dry_run):
    with pytest.raises(ServiceError) as refused:
        import_hazards(world.user("commerce"), _workbook(), dry_run=dry_run)
    assert refused.value.field == "file" and REASON in refused.value.message
    assert not Hazard.objects.exists()


def test_a_queued_job_of_such_a_file_fails_with_the_reason(world):
    from hazards.services import start_import

    job = start_import(world.user("commerce"), SimpleUploadedFile("ledger.xlsx", _workbook()), dry_run=False)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and REASON in job.message
    assert not Hazard.objects.exists()
