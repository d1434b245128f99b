"""A real worker (django-q2 cluster, separate processes) is killed with SIGKILL mid-job: the job
is retried by another worker, or failed with a message when its attempts are used up — never
left "running". PostgreSQL only: the worker processes need to share the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from jobs import services
from jobs.models import Job

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]
ROOT = Path(__file__).resolve().parents[2]


def _worker(media) -> subprocess.Popen:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "QINGLING_DEV": "1", "DJANGO_SETTINGS_MODULE": "config.settings", "QINGLING_WORKERS": "2", "MEDIA_ROOT": str(media),
           "QINGLING_JOBS_INLINE": "0"}
    return subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait(predicate, seconds=90):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_killed_worker_job_is_retried_or_failed(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QINGLING_JOBS_INLINE = False
    retried = services.submit(None, "jobs.selftest", "可重试", {"steps": 40, "delay": 0.1}, max_attempts=3)
    last = services.submit(None, "jobs.selftest", "只试一次", {"steps": 40, "delay": 0.1}, max_attempts=1)
    first = _worker(tmp_path / "media")
    try:
        assert _wait(lambda: Job.objects.filter(pk__in=[retried.pk, last.pk], status="running", done__gte=2).count() == 2)
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    time.sleep(1.5)
    assert set(Job.objects.filter(pk__in=[retried.pk, last.pk]).values_list("status", flat=True)) == {"running"}

    settings.QINGLING_JOB_STALE_SECONDS = 1  # the heartbeats are now older than this
    counts = services.sweep(timezone.now())
    assert counts["recovered"] == 1 and counts["failed"] == 1
    last.refresh_from_db()
    assert last.status == "failed" and "进程意外中断" in last.message and last.attempts == 1

    second = _worker(tmp_path / "media")
    try:
        assert _wait(lambda: Job.objects.get(pk=retried.pk).status == "done")
    finally:
        os.killpg(second.pid, signal.SIGKILL)
        second.wait()
    retried.refresh_from_db()
    assert retried.attempts == 2 and retried.done == 40 and retried.result
