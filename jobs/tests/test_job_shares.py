"""A long job done in shares (``Outcome(resume=True)``): between two shares it waits behind the
jobs submitted meanwhile, keeps its progress and its attempt count, and the sweep does not take
it for a job the queue lost."""

import datetime

import pytest
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.signing import SignedPackage

from core.models import Event
from jobs import registry, services
from jobs.models import Job
from jobs.registry import Outcome
from jobs.runner import run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]

SHARES = 3


@pytest.fixture
def kinds():
    """``jobs.test_long``: three shares of two steps each, resumed from what ``job.summary`` says;
    ``jobs.test_short``: one step. Both append what they ran to ``ran``."""
    ran = []

    def long(job, progress):
        share = (job.summary or {}).get("shares", 0) + 1
        ran.append(("long", share, job.done))
        progress(2 * share, 2 * SHARES, force=True)
        return Outcome(message=f"第{share}段", data={"shares": share}, resume=share < SHARES)

    def short(job, progress):
        ran.append(("short", 1, job.done))
        return Outcome(message="完成")

    registry._HANDLERS["jobs.test_long"] = long
    registry._HANDLERS["jobs.test_short"] = short
    yield ran
    registry._HANDLERS.pop("jobs.test_long", None)
    registry._HANDLERS.pop("jobs.test_short", None)


def _work(capture, limit: int = 20) -> list:
    """What a worker process does: take the queue's tasks one at a time in the broker's order (the
    database broker of the settings) and run them; returns the job ids run, in order."""
    broker = get_broker()
    order = []
    for _ in range(limit):
        with capture(execute=True):  # what the task queues (a share's requeue) reaches the broker at commit
            tasks = broker.dequeue()
            if not tasks:
                break
            for task_id, payload in tasks:
                task = SignedPackage.loads(payload)
                assert task["func"] == "jobs.runner.run"
                order.append(task["args"][0])
                run(*task["args"])
                broker.acknowledge(task_id)
    return order


def test_a_job_submitted_while_a_long_job_runs_waits_for_one_share_not_for_the_whole_job(world, kinds,
                                                                                         django_capture_on_commit_callbacks):
    get_broker().purge_queue()
    with django_capture_on_commit_callbacks(execute=True):
        long = services.submit(None, "jobs.test_long", "回填")
    with django_capture_on_commit_callbacks(execute=True):
        short = services.submit(None, "jobs.test_short", "导出")
    order = _work(django_capture_on_commit_callbacks)
    assert order == [long.pk, short.pk, long.pk, long.pk]
    assert kinds == [("long", 1, 0), ("short", 1, 0), ("long", 2, 2), ("long", 3, 4)]
    long.refresh_from_db()
    assert long.status == "done" and long.message == "第3段" and long.summary == {"shares": 3}
    assert long.attempts == 1 and (long.done, long.total) == (6, 6)  # shares are not attempts
    verbs = list(Event.objects.filter(object_type="jobs.job", object_id=long.pk).order_by("id").values_list("verb", flat=True))
    assert verbs == ["job.submitted", "job.started", "job.requeued", "job.started", "job.requeued", "job.started", "job.done"]


def test_between_two_shares_the_job_waits_in_the_queue_with_its_progress_and_message(world, kinds,
                                                                                      django_capture_on_commit_callbacks):
    job = services.submit(None, "jobs.test_long", "回填", queue=False)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert run(job.pk) == "resumed"
    assert len(queued) == 1  # handed back to the queue once its state is committed
    job.refresh_from_db()
    assert job.status == "pending" and job.attempts == 0 and (job.done, job.total) == (2, 6)
    assert job.message == "第1段" and job.summary == {"shares": 1} and job.percent == 33
    claimed = services.claim(job.pk)  # the next share: its bar and its line stay where the first left them
    assert claimed.status == "running" and claimed.attempts == 1
    assert (claimed.done, claimed.total, claimed.message) == (2, 6, "第1段")


def test_the_sweep_requeues_a_waiting_share_only_once_it_has_waited_longer_than_the_stale_delay(world, kinds, settings):
    settings.QINGLING_JOB_STALE_SECONDS = 180
    job = services.submit(None, "jobs.test_long", "回填", queue=False)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    run(job.pk)
    assert services.sweep()["requeued"] == 0  # put back a moment ago: queued, not lost
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=4))
    assert services.sweep()["requeued"] == 1


def test_a_share_whose_attempt_was_taken_over_is_not_put_back(world, kinds):
    job = services.submit(None, "jobs.test_long", "回填", queue=False)
    claimed = services.claim(job.pk)
    Job.objects.filter(pk=job.pk).update(status="retrying", retry_at=timezone.now())  # the sweep took it back
    services.requeue(claimed, Outcome(message="第1段", data={"shares": 1}, resume=True))
    job.refresh_from_db()
    assert job.status == "retrying" and not Event.objects.filter(verb="job.requeued", object_id=job.pk).exists()
