"""A ledger file is parsed once, also when its jobs run in other processes than the page: the
page's check keeps the rows (signed, by the file's digest) and the dry run's and 正式导入's jobs
read them instead of parsing the file again. What a job reads is what parsing gives (the parser
itself is the oracle); a kept file that was edited, cut short or signed for another file is
ignored and the file parsed again. "Another process" is this one with its memory cleared
(``parsed_rows.forget``) and the job run by ``jobs.runner.run``, as a worker runs it."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.testing import client_as
from hazards import importing, parsed_rows
from hazards.models import Hazard
from jobs import runner
from jobs.models import Job

from .test_import import good_rows, xlsx
from .test_import_inputs import failed_formula

pytestmark = pytest.mark.django_db


@pytest.fixture
def parses(monkeypatch, settings):
    """The jobs queued, not run in the request; the parser's calls counted."""
    settings.QINGLING_JOBS_INLINE = False
    parsed_rows.forget()
    calls = []
    real = importing.iter_rows
    monkeypatch.setattr(importing, "iter_rows", lambda data, *a, **k: calls.append(1) or real(data, *a, **k))
    yield calls
    parsed_rows.forget()


def _queued(response) -> Job:
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))


def _in_another_process(job: Job) -> Job:
    parsed_rows.forget()
    assert runner.run(job.pk) == "done"
    job.refresh_from_db()
    return job


def test_the_page_parses_the_file_and_both_jobs_in_other_processes_read_the_kept_rows(client, world, parses):
    rows = good_rows(world)
    data = xlsx(rows)
    client_as(client, world, "commerce")
    dry = _queued(client.post("/hazards/import/", {"file": SimpleUploadedFile("台账.xlsx", data), "dry_run": "on"}))
    assert len(parses) == 1  # the page's check
    dry = _in_another_process(dry)
    assert dry.summary["created"] == len(rows) and not dry.summary["errors"]
    real = _in_another_process(_queued(client.post(f"/hazards/import/{dry.pk}/run/")))
    assert real.summary["committed"] is True and len(parses) == 1
    assert sorted(Hazard.objects.values_list("description", flat=True)) == sorted(r["隐患描述"] for r in rows)


def test_a_dry_run_job_keeps_its_rows_for_the_import_and_a_direct_import_keeps_nothing(client, world, parses):
    data = xlsx(good_rows(world))
    client_as(client, world, "commerce")
    digest = importing.import_records.digest(data)
    importing.import_hazards(world.user("commerce"), data, dry_run=True)  # no job: nothing follows it
    assert not parsed_rows.path(digest).exists()
    dry = Job.objects.create(kind="hazards.import", owner=world.user("commerce"), title="t",
                             params={"file": _stored(data), "dry_run": True, "name": "台账.xlsx"})
    _in_another_process(dry)
    assert parsed_rows.path(digest).exists() and len(parses) == 2
    real = _in_another_process(_queued(client.post(f"/hazards/import/{dry.pk}/run/")))
    assert real.summary["committed"] is True and len(parses) == 2


def _stored(data: bytes) -> str:
    from django.core.files.storage import default_storage

    return default_storage.save("imports/hazards/t/台账.xlsx", io.BytesIO(data))


@pytest.mark.parametrize("damage", ["edited", "cut short", "another file's", "not json"])
def test_a_kept_file_that_does_not_hold_its_signature_is_parsed_again(client, world, parses, damage):
    rows = good_rows(world)
    data = xlsx(rows)
    digest = importing.import_records.digest(data)
    client_as(client, world, "commerce")
    dry = _queued(client.post("/hazards/import/", {"file": SimpleUploadedFile("台账.xlsx", data), "dry_run": "on"}))
    kept = parsed_rows.path(digest)
    content = kept.read_bytes()
    if damage == "edited":  # a description changed, the signature kept
        content = content.replace("灭火器过期0".encode(), "已篡改的描述".encode())
    elif damage == "cut short":
        content = content[:len(content) // 2]
    elif damage == "another file's":  # a correctly signed file of other bytes, under this file's name
        other = xlsx(good_rows(world, n=1))
        parsed_rows.read_rows(other, keep=True)
        content = parsed_rows.path(importing.import_records.digest(other)).read_bytes()
    else:
        content = content.split(b"\n", 1)[0] + b"\n{not json"
    kept.write_bytes(content)
    parses.clear()
    real = _in_another_process(_queued(client.post(f"/hazards/import/{_in_another_process(dry).pk}/run/")))
    assert real.summary["committed"] is True
    assert sorted(Hazard.objects.values_list("description", flat=True)) == sorted(r["隐患描述"] for r in rows)
    assert len(parses) == 1  # the dry run parsed the file again (and kept its rows again: the import read them)


def test_kept_rows_are_what_parsing_gives_for_dates_times_numbers_and_failed_formulas(world, parses):
    code = world.ent_commerce.credit_code
    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "隐患描述", "隐患等级", "行业领域", "发现日期", "整改期限", "整改责任人", "责任人电话"])
    ws.append([code, "日期", "一般", "commerce", datetime.date(2026, 1, 5), datetime.datetime(2026, 2, 5, 8, 30), 3, 1.5])
    ws.append([code, "时间", "一般", "commerce", datetime.time(9, 15), None, "张三", 13700000000])
    buf = io.BytesIO()
    wb.save(buf)
    failed = failed_formula(buf.getvalue(), "G3")  # the whole file read by openpyxl, the cell kept as an error
    values = set()
    for data in (buf.getvalue(), failed):
        parsed = parsed_rows.read_rows(data, keep=True)
        values |= {type(v) for row in parsed for v in row.values()}
        assert len(parses) == 1
        parsed_rows.forget()
        assert parsed_rows.read_rows(data) == parsed == tuple(importing.iter_rows(data))
        assert len(parses) == 2  # the read above was the kept file; the last call the oracle
        parses.clear()
    assert {datetime.datetime, datetime.time, float, int, str, list} <= values, values
    assert parsed[1]["_errors"] == [("整改责任人", "#N/A")]


def test_cleanup_deletes_kept_rows_with_the_jobs_temporary_files(world, parses, settings):
    import os
    import time

    from jobs.services import cleanup

    data = xlsx(good_rows(world))
    parsed_rows.read_rows(data, keep=True)
    kept = parsed_rows.path(importing.import_records.digest(data))
    fresh = xlsx(good_rows(world, n=1))
    parsed_rows.read_rows(fresh, keep=True)
    old = time.time() - 2 * 86400
    os.utime(kept, (old, old))
    cleanup()
    assert not kept.exists() and parsed_rows.path(importing.import_records.digest(fresh)).exists()
