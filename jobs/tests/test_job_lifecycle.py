"""What an operator relies on between a job's start and its cleanup: a live job is never taken for
a dead one, a job the queue killed for running too long is failed with that reason (not tried
three more hours), an import that committed is never written twice, a schedule's declared time
is the one it runs at, and old result files do not pile up forever."""

import datetime
import os
import time

import pytest
from django.utils import timezone
from openpyxl import Workbook

from core.models import Event
from hazards.models import Hazard
from jobs import registry, services
from jobs.models import Job
from jobs.registry import Outcome
from jobs.runner import run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]


@pytest.fixture
def silent_kind():
    """A kind whose one step reports no progress for longer than the stale delay, and meanwhile
    runs the sweep as the per-minute schedule would in another process."""
    seen = {}

    def handler(job, progress):
        time.sleep(1.2)
        seen["sweep"] = services.sweep()
        seen["status"] = Job.objects.get(pk=job.pk).status
        return Outcome(message="完成")

    registry._HANDLERS["jobs.test_silent"] = handler
    yield seen
    registry._HANDLERS.pop("jobs.test_silent", None)


def test_a_job_silent_for_longer_than_the_stale_delay_is_not_taken_over_while_its_worker_lives(world, settings, silent_kind):
    settings.QINGLING_JOB_STALE_SECONDS = 0.4  # the heartbeat then beats every 0.1 s
    job = services.submit(None, "jobs.test_silent", "长时间无进度", queue=False)
    assert run(job.pk) == "done"
    assert silent_kind["sweep"]["recovered"] == 0 and silent_kind["status"] == "running"
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 1


def test_a_job_killed_for_running_longer_than_the_queue_allows_fails_with_that_reason(world, settings):
    settings.QINGLING_JOB_TIMEOUT = 3600
    job = services.submit(None, "jobs.selftest", "自检", {"steps": 1, "delay": 0}, max_attempts=3)
    start = timezone.now() - datetime.timedelta(minutes=64)
    beat = timezone.now() - datetime.timedelta(minutes=4)  # it beat until the queue killed it at 60 minutes
    Job.objects.filter(pk=job.pk).update(status="running", attempts=1, started_at=start, heartbeat_at=beat)
    counts = services.sweep()
    job.refresh_from_db()
    assert counts["failed"] == 1 and counts["recovered"] == 0
    assert job.status == "failed" and job.attempts == 1 and "超过最长时间（60 分钟）" in job.message


def _ledger(world, rows: int) -> bytes:
    import io

    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "隐患描述", "隐患等级", "行业领域", "状态"])
    for i in range(rows):
        ws.append([world.ent_commerce.credit_code, f"货架超高{i}", "一般", "commerce", "已登记"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_an_import_whose_worker_was_lost_after_its_commit_is_not_imported_again(world, settings, monkeypatch):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("imports/hazards/test/ledger.xlsx", ContentFile(_ledger(world, 3)))
    job = services.submit(world.user("commerce"), "hazards.import", "导入隐患台账", {"file": name, "dry_run": False},
                          queue=False)
    before = Hazard.objects.count()
    real_complete = services.complete

    def lost(job, outcome):  # the worker dies after the import committed, before the job is marked done
        raise SystemExit("worker lost")

    monkeypatch.setattr(services, "complete", lost)
    with pytest.raises(SystemExit):
        run(job.pk)
    monkeypatch.setattr(services, "complete", real_complete)
    assert Hazard.objects.count() == before + 3
    assert Job.objects.get(pk=job.pk).status == "running"
    settings.QINGLING_JOB_STALE_SECONDS = 0
    from jobs.progress import clear_side

    clear_side(job.pk)  # the dead worker's heartbeat file stops being written; age it out
    assert services.sweep()["recovered"] == 1
    assert run(job.pk) == "done"
    job.refresh_from_db()
    assert Hazard.objects.count() == before + 3  # not six
    assert job.status == "done" and job.attempts == 2 and "已导入 3 条" in job.message
    assert Event.objects.filter(verb="job.committed", object_id=str(job.pk)).count() == 1


def test_a_schedule_whose_declared_time_changed_runs_at_the_new_time_after_the_next_sync(world, monkeypatch):
    from django_q.models import Schedule

    from jobs import schedules

    schedules.sync()
    moved = [p if p.name != "alerts.digests" else schedules.Periodic(p.name, p.func, p.schedule_type, args=p.args,
                                                                        at=datetime.time(8, 15))
             for p in schedules.PERIODIC]
    moved = [p if p.name != "campaigns.board_snapshot" else schedules.Periodic(p.name, p.func, p.schedule_type, args=p.args,
                                                                                  at=p.at, weekday=4)
             for p in moved]
    monkeypatch.setattr(schedules, "PERIODIC", moved)
    assert schedules.sync()["updated"] == 2
    digest = timezone.localtime(Schedule.objects.get(name="qingling:alerts.digests").next_run)
    board = timezone.localtime(Schedule.objects.get(name="qingling:campaigns.board_snapshot").next_run)
    assert (digest.hour, digest.minute) == (8, 15)
    assert board.weekday() == 4 and (board.hour, board.minute) == (12, 5)
    assert schedules.sync()["updated"] == 0


def test_result_files_older_than_the_retention_are_deleted_and_the_job_says_so(world, settings):
    settings.QINGLING_JOB_RESULT_DAYS = 30
    old = services.submit(world.user("committee"), "jobs.selftest", "旧导出", {"steps": 1, "delay": 0}, queue=False)
    recent = services.submit(world.user("committee"), "jobs.selftest", "新导出", {"steps": 1, "delay": 0}, queue=False)
    assert run(old.pk) == run(recent.pk) == "done"
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=31))
    Job.objects.filter(pk=recent.pk).update(finished_at=timezone.now() - datetime.timedelta(days=29))
    old.refresh_from_db()
    old_file = old.result.path
    tmp_dir = os.path.join(settings.MEDIA_ROOT, "jobs", "tmp")
    os.makedirs(tmp_dir, exist_ok=True)
    orphan, fresh = os.path.join(tmp_dir, "orphan.csv"), os.path.join(tmp_dir, "fresh.csv")
    for path in (orphan, fresh):
        with open(path, "w") as fh:
            fh.write("x")
    two_hours_ago = time.time() - 2 * 3600
    os.utime(orphan, (two_hours_ago, two_hours_ago))
    counts = services.cleanup()
    assert counts == {"results": 1, "temporary": 1}
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not os.path.exists(old_file) and not old.result and "保留期（30 天）" in old.message
    assert recent.result and os.path.exists(recent.result.path)
    assert not os.path.exists(orphan) and os.path.exists(fresh)
    assert Event.objects.filter(verb="job.result_removed", object_id=str(old.pk)).count() == 1
    assert services.cleanup() == {"results": 0, "temporary": 0}
