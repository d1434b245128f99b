"""A job's 开始时间 is when it first started: a long job that goes on in a later share (or a job
retried later) keeps its first start (``first_started_at``), while ``started_at`` — which the
queue's timeout and the dead-worker sweep read — is the start of the latest share or attempt.
The times expected here are the test's own clock values (time_machine), not read back from the
code under test."""

import datetime
import importlib
import zoneinfo

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from jobs import registry, services
from jobs.models import Job
from jobs.registry import Outcome
from jobs.runner import run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
FIRST = datetime.datetime(2026, 3, 2, 9, 0, 5, tzinfo=TZ)
SECOND = datetime.datetime(2026, 3, 2, 9, 18, 40, tzinfo=TZ)

filled = importlib.import_module("jobs.migrations.0003_job_first_started_at")


@pytest.fixture
def long_kind():
    """``jobs.test_two_shares``: its first share asks to go on (``resume``), its second finishes."""

    def two_shares(job, progress):
        share = (job.summary or {}).get("shares", 0) + 1
        progress(share, 2, force=True)
        return Outcome(message=f"第{share}段", data={"shares": share}, resume=share < 2)

    registry._HANDLERS["jobs.test_two_shares"] = two_shares
    yield "jobs.test_two_shares"
    registry._HANDLERS.pop("jobs.test_two_shares", None)


def _at(moment):
    return time_machine.travel(moment, tick=False)


def test_a_job_whose_second_share_starts_later_keeps_its_first_start_and_its_page_shows_it(client, world, long_kind):
    owner = world.user("committee")
    with _at(FIRST - datetime.timedelta(minutes=1)):
        job = services.submit(owner, long_kind, "回填看板", queue=False)
    with _at(FIRST):
        assert run(job.pk) == "resumed"  # the first share, put back in the queue
    with _at(SECOND):
        claimed = services.claim(job.pk)  # the second share starts
    assert claimed is not None and claimed.status == "running"
    job.refresh_from_db()
    assert job.first_started_at == FIRST and job.started_at == SECOND

    client.force_login(owner)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "开始时间：2026-03-02 09:00:05" in page
    assert "本次开始：2026-03-02 09:18:40" in page
    listed = client.get(reverse("jobs:list")).content.decode()
    assert "<th>开始时间</th>" in listed
    assert '<td data-label="开始时间"><time datetime="2026-03-02 09:00">2026-03-02 09:00</time></td>' in listed and "2026-03-02 09:18" not in listed
    api = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert datetime.datetime.fromisoformat(api["first_started_at"]) == FIRST
    assert datetime.datetime.fromisoformat(api["started_at"]) == SECOND


def test_a_retry_started_later_keeps_the_first_start_and_the_timeout_still_counts_from_the_retry(world):
    job = services.submit(None, "jobs.selftest", "自检", {"steps": 1, "delay": 0}, queue=False)
    with _at(FIRST):
        services.claim(job.pk)
    Job.objects.filter(pk=job.pk).update(status="retrying", retry_at=FIRST)  # as ``retry_later`` leaves it
    with _at(SECOND):
        services.claim(job.pk)
    job.refresh_from_db()
    assert (job.attempts, job.first_started_at, job.started_at) == (2, FIRST, SECOND)


def test_a_brand_new_start_sets_both_start_times_and_the_page_shows_one_start(client, world):
    owner = world.user("committee")
    job = services.submit(owner, "jobs.selftest", "自检", {"steps": 1, "delay": 0}, queue=False)
    assert (job.first_started_at, job.started_at) == (None, None)
    client.force_login(owner)
    assert "开始时间：" not in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()  # not started yet
    with _at(FIRST):
        services.claim(job.pk)
    job.refresh_from_db()
    assert job.first_started_at == FIRST and job.started_at == FIRST
    page = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "开始时间：2026-03-02 09:00:05" in page and "本次开始" not in page


def test_the_migration_gives_jobs_that_already_started_their_start_and_leaves_the_others(world):
    started = services.submit(None, "jobs.selftest", "自检", queue=False)
    waiting = services.submit(None, "jobs.selftest", "自检", queue=False)
    kept = services.submit(None, "jobs.selftest", "自检", queue=False)
    Job.objects.filter(pk=started.pk).update(started_at=SECOND)
    Job.objects.filter(pk=kept.pk).update(started_at=SECOND, first_started_at=FIRST)

    filled.fill(apps, None)

    assert Job.objects.get(pk=started.pk).first_started_at == SECOND
    assert Job.objects.get(pk=waiting.pk).first_started_at is None
    assert Job.objects.get(pk=kept.pk).first_started_at == FIRST
