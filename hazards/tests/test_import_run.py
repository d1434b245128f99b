"""正式导入 from a passed dry run's job page: the file the dry run checked is imported for real as a
new job, without uploading it again (as the enterprise import does). Only the dry run's owner may
do it, only for a dry run that found no bad row; asked twice, it answers the import already
started; a file imported before still needs 仍要导入. Expected counts come from the rows the test
writes, not from the code under test."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Event
from core.testing import client_as
from hazards.models import Hazard
from jobs.models import Job

from .test_import import good_rows, xlsx

pytestmark = pytest.mark.django_db


def _upload(client, data: bytes, dry_run: bool = True) -> Job:
    form = {"file": SimpleUploadedFile("台账.xlsx", data)} | ({"dry_run": "on"} if dry_run else {})
    response = client.post("/hazards/import/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))


def _run(client, job: Job, **form):
    return client.post(f"/hazards/import/{job.pk}/run/", form)


def _followed(response) -> Job:
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))


def test_a_passed_dry_run_offers_the_import_and_it_imports_the_same_file_once(client, world):
    rows = good_rows(world)  # 5 rows, one of them 已销号
    client_as(client, world, "commerce")
    dry = _upload(client, xlsx(rows))
    assert dry.status == Job.Status.DONE and dry.summary["created"] == len(rows) and not Hazard.objects.exists()
    page = client.get(f"/jobs/{dry.pk}/").content.decode()
    assert 'data-testid="job-follow-up"' in page and f'action="/hazards/import/{dry.pk}/run/"' in page
    assert "正式导入" in page and "仍要导入" not in page  # no earlier import of this file
    assert 'data-testid="job-link"' not in page  # nothing in the ledger yet

    real = _followed(_run(client, dry))
    assert real.pk != dry.pk and real.status == Job.Status.DONE and real.summary["committed"] is True
    assert real.params["file"] == dry.params["file"] and real.params["dry_run"] is False
    assert real.params["checked"] == dry.pk
    assert Hazard.objects.count() == len(rows)
    assert Hazard.objects.filter(status=Hazard.Status.CLOSED).count() == 1
    assert Event.objects.filter(verb="job.submitted", object_id=str(real.pk)).count() == 1
    page = client.get(f"/jobs/{real.pk}/").content.decode()
    assert 'data-testid="job-follow-up"' not in page
    assert '<a class="btn btn-primary" href="/hazards/" data-testid="job-link">查看隐患台账</a>' in page

    page = client.get(f"/jobs/{dry.pk}/").content.decode()  # the dry run's page now leads to that import
    assert f"查看正式导入（任务 #{real.pk}）" in page and ">正式导入<" not in page
    again = _followed(_run(client, dry))  # a second click: the import already done, not a second one
    assert again.pk == real.pk and Hazard.objects.count() == len(rows)
    assert Job.objects.filter(kind="hazards.import").count() == 2


def test_only_the_owner_who_may_import_can_run_it(client, world):
    client_as(client, world, "commerce")
    dry = _upload(client, xlsx(good_rows(world)))
    jobs = Job.objects.count()
    for persona in ("commerce_lead", "emergency", "other_region", "committee"):  # the same unit too
        client_as(client, world, persona)
        assert _run(client, dry).status_code == 404, persona
        assert client.get(f"/jobs/{dry.pk}/").status_code == 404, persona
    for persona in ("enterprise", "agency"):
        client_as(client, world, persona)
        assert _run(client, dry).status_code == 403, persona
    client_as(client, world, "anon")
    response = _run(client, dry)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Job.objects.count() == jobs and not Hazard.objects.exists()

    client_as(client, world, "commerce")
    assert client.post("/hazards/import/99999999/run/").status_code == 404
    assert client.get(f"/hazards/import/{dry.pk}/run/").status_code == 405
    export = Job.objects.create(owner=world.user("commerce"), kind="lists.export", title="导出", status=Job.Status.DONE,
                                params={"dry_run": True}, summary={"created": 5, "errors": []})
    assert _run(client, export).status_code == 404  # the user's own job of another kind
    assert Job.objects.count() == jobs + 1 and not Hazard.objects.exists()


def test_a_dry_run_with_a_bad_row_or_a_real_run_is_refused_with_409(client, world):
    rows = good_rows(world)
    rows[1]["隐患等级"] = "较大"  # not 一般 / 重大
    client_as(client, world, "commerce")
    bad = _upload(client, xlsx(rows))
    assert bad.status == Job.Status.DONE and bad.summary["errors"]
    assert 'data-testid="job-follow-up"' not in client.get(f"/jobs/{bad.pk}/").content.decode()
    response = _run(client, bad)
    assert response.status_code == 409 and "只能对本人已通过的试运行执行正式导入" in response.content.decode()
    # the job's page again (not a bare text), the refusal at its top
    assert 'data-testid="form-errors">只能对本人已通过的试运行执行正式导入' in response.content.decode()
    assert 'data-testid="page-title"' in response.content.decode()

    real = _upload(client, xlsx(good_rows(world)), dry_run=False)
    assert real.summary["committed"] is True
    jobs, hazards = Job.objects.count(), Hazard.objects.count()
    assert _run(client, real).status_code == 409
    running = Job.objects.create(owner=world.user("commerce"), kind="hazards.import", title="试运行",
                                 status=Job.Status.RUNNING, params={"dry_run": True, "file": real.params["file"]})
    assert _run(client, running).status_code == 409
    assert Job.objects.count() == jobs + 1 and Hazard.objects.count() == hazards


def test_a_file_imported_before_needs_the_confirmation_on_the_job_page_too(client, world):
    rows = good_rows(world)
    data = xlsx(rows)
    client_as(client, world, "commerce")
    _upload(client, data, dry_run=False)
    assert Hazard.objects.count() == len(rows)
    dry = _upload(client, data)
    page = client.get(f"/jobs/{dry.pk}/").content.decode()
    assert 'data-testid="job-follow-up"' in page and "仍要导入" in page and "此文件已于" in page

    refused = _followed(_run(client, dry))
    assert refused.status == Job.Status.DONE and not refused.summary.get("committed")
    page = client.get(f"/jobs/{dry.pk}/").content.decode()  # refused, nothing written: offered again
    assert ">正式导入<" in page and "仍要导入" in page and "查看正式导入" not in page
    assert "未写入任何数据" in refused.message and Hazard.objects.count() == len(rows)
    assert 'data-testid="job-link"' not in client.get(f"/jobs/{refused.pk}/").content.decode()  # nothing imported

    confirmed = _followed(_run(client, dry, confirm_duplicate="on"))  # the refused one wrote nothing: a new job
    assert confirmed.pk != refused.pk and confirmed.summary["committed"] is True
    assert Hazard.objects.count() == 2 * len(rows)


def test_an_import_reported_by_a_retry_after_its_commit_still_counts_as_committed(client, world):
    """A worker lost after the import's commit: the retry reports the committed outcome instead of
    importing again (jobs.services.committed_summary) — and that outcome still says committed, so the
    dry run's page leads to it and a second 正式导入 is not queued."""
    from jobs.handlers import hazards_import

    client_as(client, world, "commerce")
    dry = _upload(client, xlsx(good_rows(world)))
    real = Job.objects.create(owner=world.user("commerce"), kind="hazards.import", title="导入", status=Job.Status.RUNNING,
                              params={"file": dry.params["file"], "dry_run": False, "checked": dry.pk},
                              summary={"committed": True, "total": 5, "created": 5, "closed": 1, "errors": [],
                                       "dry_run": False, "duplicate_of": None})
    outcome = hazards_import(real, lambda *a, **k: None)
    assert outcome.data["committed"] is True and not Hazard.objects.exists()  # reported, not imported again
    Job.objects.filter(pk=real.pk).update(status=Job.Status.DONE, summary=outcome.data)
    assert _followed(_run(client, dry)).pk == real.pk
    assert f"查看正式导入（任务 #{real.pk}）" in client.get(f"/jobs/{dry.pk}/").content.decode()
