"""An enterprise file holding only its header row (xlsx or CSV) is refused like any other bad file:
the import job fails with the reason (dry run and real run), it cannot be run for real, the
command refuses it, and nothing is written."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from core.models import Event
from enterprises.importing import import_enterprises
from enterprises.models import Enterprise, ImportJob

from .test_import import HEADERS, xlsx

REASON = "文件中没有数据行"


def _csv_header_only() -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerow(HEADERS)
    buf.write(",,,\r\n\r\n")  # blank lines only
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


FILES = {"xlsx": ("e.xlsx", lambda: xlsx([])), "csv": ("e.csv", _csv_header_only)}


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "real run"])
@pytest.mark.parametrize("kind", FILES)
def test_the_job_of_a_header_only_file_fails_with_the_reason(client, world, kind, dry_run):
    name, make = FILES[kind]
    client.force_login(world.user("emergency"))
    enterprises = Enterprise.objects.count()
    written = Event.objects.filter(verb__in=["enterprise.created", "enterprise.updated"]).count()
    form = {"file": SimpleUploadedFile(name, make())} | ({"dry_run": "on"} if dry_run else {})
    response = client.post("/enterprises/import/", form)
    assert response.status_code == 302
    job = ImportJob.objects.latest("id")
    assert job.status == ImportJob.Status.FAILED and REASON in job.message
    assert REASON in client.get(f"/enterprises/import/{job.pk}/").content.decode()
    assert client.post(f"/enterprises/import/{job.pk}/run/").status_code == 409  # nothing to run for real
    assert Enterprise.objects.count() == enterprises
    assert Event.objects.filter(verb__in=["enterprise.created", "enterprise.updated"]).count() == written


def test_the_function_and_the_command_refuse_it(world, tmp_path):
    result = import_enterprises(world.user("emergency"), [], dry_run=False)
    assert [e["reason"] for e in result.errors] and REASON in result.errors[0]["reason"]
    path = tmp_path / "e.xlsx"
    path.write_bytes(xlsx([]))
    with pytest.raises(CommandError, match=REASON):
        call_command("import_enterprises", str(path))
