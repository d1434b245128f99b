"""The job life cycle: queue → run → result (owner only) → notification; retries with back-off;
input errors fail at once; a job whose worker died is retried or failed with a message."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Event, Notification
from jobs import services
from jobs.models import Job
from jobs.runner import run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]


def _login(client, user):
    client.force_login(user)
    return client


def test_done_job_has_result_for_owner_only_and_notifies(client, world, django_capture_on_commit_callbacks):
    owner, other = world.user("committee"), world.user("emergency")
    job = services.submit(owner, "jobs.selftest", "自检", {"steps": 3, "delay": 0})
    assert job.status == Job.Status.PENDING
    assert run(job.pk) == "done"
    job.refresh_from_db()
    assert (job.status, job.attempts, job.done, job.total) == ("done", 1, 3, 3)
    assert Notification.objects.filter(recipient=owner, kind="jobs.done", url=f"/jobs/{job.pk}/").count() == 1
    r = _login(client, owner).get(reverse("jobs:download", args=[job.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"ok\n"
    client.logout()
    assert _login(client, other).get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert run(job.pk) == "skipped"  # a duplicate delivery does nothing
    verbs = list(Event.objects.filter(object_type="jobs.job", object_id=job.pk).values_list("verb", flat=True))
    assert sorted(verbs) == ["job.done", "job.started", "job.submitted"]


def test_progress_page_polls_until_finished(client, world):
    owner = world.user("committee")
    job = services.submit(owner, "jobs.selftest", "自检", {"steps": 2, "delay": 0})
    r = _login(client, owner).get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and b"hx-trigger=\"every 1s\"" in r.content and "排队中" in r.content.decode()
    run(job.pk)
    r = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b"hx-trigger" not in r.content and "自检完成" in r.content.decode()


def test_transient_failure_is_retried_with_exponential_backoff(world, settings):
    settings.QINGLING_JOB_RETRY_BASE_SECONDS = 10
    job = services.submit(None, "jobs.selftest", "自检", {"steps": 1, "delay": 0, "fail_first": 2})
    t0 = timezone.now()
    assert run(job.pk) == "retry"
    job.refresh_from_db()
    assert job.status == "retrying" and 9 <= (job.retry_at - t0).total_seconds() <= 12
    assert run(job.pk) == "skipped"  # back-off not over yet
    Job.objects.filter(pk=job.pk).update(retry_at=timezone.now())
    assert run(job.pk) == "retry"
    job.refresh_from_db()
    assert 19 <= (job.retry_at - timezone.now()).total_seconds() <= 21  # 10 · 2¹
    Job.objects.filter(pk=job.pk).update(retry_at=timezone.now())
    assert run(job.pk) == "done"
    job.refresh_from_db()
    assert job.attempts == 3


def test_transient_failure_fails_after_max_attempts(world):
    job = services.submit(None, "jobs.selftest", "自检", {"fail_first": 9}, max_attempts=2)
    run(job.pk)
    Job.objects.filter(pk=job.pk).update(retry_at=timezone.now())
    run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "已尝试 2 次" in job.message


def test_input_error_fails_at_once(world):
    owner = world.user("committee")
    job = services.submit(owner, "hazards.import", "导入", {"file": "nope.xlsx", "dry_run": True})
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    job.params["file"] = default_storage.save("imports/bad.xlsx", ContentFile(b"not a workbook"))
    Job.objects.filter(pk=job.pk).update(params=job.params)
    assert run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and job.attempts == 1 and "无法读取 Excel 文件" in job.message
    assert Notification.objects.filter(recipient=owner, kind="jobs.failed").count() == 1


def test_running_job_with_stale_heartbeat_is_retried_then_failed(world, settings):
    settings.QINGLING_JOB_STALE_SECONDS = 60
    job = services.submit(None, "jobs.selftest", "自检", {"steps": 1, "delay": 0}, max_attempts=2)
    old = timezone.now() - datetime.timedelta(minutes=5)
    # a worker took it and died: running, heartbeat five minutes old
    Job.objects.filter(pk=job.pk).update(status="running", attempts=1, started_at=old, heartbeat_at=old)
    assert services.sweep()["recovered"] == 1
    job.refresh_from_db()
    assert job.status == "retrying" and "进程意外中断" in job.message
    assert run(job.pk) == "done"
    # second time, with the attempts used up: failed with a message, never stuck
    Job.objects.filter(pk=job.pk).update(status="running", attempts=2, started_at=old, heartbeat_at=old,
                                         finished_at=None)
    counts = services.sweep()
    job.refresh_from_db()
    assert counts["failed"] == 1 and job.status == "failed" and "进程意外中断" in job.message


def test_live_worker_is_not_taken_over(world):
    job = services.submit(None, "jobs.selftest", "自检", {"steps": 1, "delay": 0})
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(status="running", attempts=1, started_at=now, heartbeat_at=now)
    assert run(job.pk) == "skipped"
    assert services.sweep()["recovered"] == 0


def test_schedules_declared_in_code_are_synced_idempotently(world):
    from django_q.models import Schedule

    from jobs.schedules import PERIODIC, PREFIX, sync

    first = sync()
    assert first["created"] == len(PERIODIC)
    assert sync() == {"created": 0, "updated": 0, "removed": 0}
    names = set(Schedule.objects.filter(name__startswith=PREFIX).values_list("name", flat=True))
    assert {"qingling:alerts.hazards", "qingling:alerts.digests", "qingling:alerts.certificates", "qingling:alerts.tips",
            "qingling:campaigns.board_snapshot", "qingling:jobs.sweep"} <= names


def test_periodic_pass_runs_as_system_job(world):
    from jobs.periodic import run_system

    assert run_system("alerts.hazards") == "done"
    job = Job.objects.get(kind="alerts.hazards")
    assert job.owner is None and job.status == "done"
