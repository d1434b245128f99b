"""The only writer of ``Job`` rows: submit, claim, finish, retry, sweep.

Every state change is a compare-and-set on (status, attempts) and writes a ``core.events`` event
in the same transaction. The queue carries only the job id; a duplicate delivery is harmless
because ``claim`` lets exactly one worker run an attempt."""

import datetime
import logging
import os

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.events import record
from core.notifications import notify
from core.services import ServiceError
from core.text import json_safe

from . import registry
from .models import Job
from .progress import clear_side, read_side

log = logging.getLogger("qingling.jobs")
S = Job.Status


# Writers split out of this module (the AST test core/tests/test_writers.py allows them): job progress (compare-and-set on the running attempt) and the declared schedules
SERVICE_MODULES = ('progress', 'schedules')

def stale_after() -> datetime.timedelta:
    """A running job with neither progress nor heartbeat (``progress.Heartbeat``, a few times
    within this delay) for this long is taken to have lost its worker."""
    return datetime.timedelta(seconds=getattr(settings, "QINGLING_JOB_STALE_SECONDS", 180))


def _lost(job: Job, now) -> str | None:
    """Why a running job whose worker is gone is not tried again (None: retry it): its attempts
    are used up, or it ran as long as the queue lets a task run (the queue killed it; another
    attempt would be killed the same way)."""
    timeout = getattr(settings, "QINGLING_JOB_TIMEOUT", 3600)
    if job.started_at and now - job.started_at >= datetime.timedelta(seconds=timeout):
        return (f"任务运行超过最长时间（{max(1, timeout // 60)} 分钟）被终止，未再重试：请缩小范围（例如按区域或日期筛选）"
                f"后重新提交。")
    if job.attempts >= job.max_attempts:
        return f"执行任务的进程意外中断，已尝试 {job.attempts} 次仍未完成，任务终止。请重新提交。"
    return None


def backoff(attempt: int) -> datetime.timedelta:
    """Delay before attempt ``attempt + 1``: base · 2^(attempt−1), capped."""
    base = getattr(settings, "QINGLING_JOB_RETRY_BASE_SECONDS", 30)
    return datetime.timedelta(seconds=min(base * 2 ** max(attempt - 1, 0), 3600))


def enqueue(job_id: int) -> None:
    """Hand the job to the queue after the current transaction commits (inline in tests/dev
    when ``QINGLING_JOBS_INLINE`` is set)."""
    if getattr(settings, "QINGLING_JOBS_INLINE", False):
        from .runner import run

        run(job_id)
        return

    def send():
        from django_q.tasks import async_task

        async_task("jobs.runner.run", job_id, task_name=f"job-{job_id}")

    transaction.on_commit(send)


def submit(owner, kind: str, title: str, params: dict | None = None, *, max_attempts: int = 3,
           queue: bool = True) -> Job:
    """Create a job and queue it (``queue=False``: the caller runs it itself, e.g. a periodic
    pass already inside a worker)."""
    if registry.handler_for(kind) is None:
        raise ServiceError(f"未知的任务类型：{kind}", "kind")
    with transaction.atomic():
        job = Job.objects.create(owner=owner, kind=kind, title=title[:200], params=json_safe(params or {}),
                                 max_attempts=max_attempts)
        record(owner, "job.submitted", job, to_state=S.PENDING, data={"kind": kind})
    if queue:
        enqueue(job.pk)
        job.refresh_from_db()
    return job


def _heartbeat(job) -> datetime.datetime | None:
    side = read_side(job.pk)
    beats = [b for b in (job.heartbeat_at, job.started_at) if b]
    if side and side.get("at"):
        beats.append(datetime.datetime.fromtimestamp(side["at"], tz=datetime.UTC))
    return max(beats) if beats else None


def _fail(job, message: str, actor=None) -> bool:
    with transaction.atomic():
        n = Job.objects.filter(pk=job.pk, status=job.status, attempts=job.attempts).update(
            status=S.FAILED, message=message[:500], finished_at=timezone.now())
        if n:
            record(actor, "job.failed", job, from_state=job.status, to_state=S.FAILED, note=message[:500])
            hook = registry.on_fail_for(job.kind)
            if hook:
                hook(job, message)
            _tell_owner(job, failed=True, message=message)
    clear_side(job.pk)
    return bool(n)


def claim(job_id: int) -> Job | None:
    """Start the next attempt of a job, or None when there is nothing to do: finished, waiting
    for its back-off, or running in a live worker. A job found running with a stale heartbeat
    lost its worker: it is retried, or failed with a message once its attempts are used up."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return None
    now = timezone.now()
    if job.status == S.RETRYING and job.retry_at and job.retry_at > now:
        return None
    if job.status == S.RUNNING:
        beat = _heartbeat(job)
        if beat and now - beat < stale_after():
            return None
        reason = _lost(job, now)
        if reason:
            _fail(job, reason)
            return None
    if job.attempts >= job.max_attempts:
        _fail(job, f"已尝试 {job.attempts} 次仍未完成，任务终止。请重新提交。")
        return None
    resumed = job.status == S.PENDING and job.started_at is not None  # put back by ``requeue``: its progress stays
    with transaction.atomic():
        n = Job.objects.filter(pk=job.pk, status=job.status, attempts=job.attempts).update(
            status=S.RUNNING, attempts=job.attempts + 1, started_at=now, heartbeat_at=now, retry_at=None,
            # the first start is kept (the database's value, not this read's: another share may have set it)
            first_started_at=Coalesce(F("first_started_at"), Value(now, output_field=DateTimeField())),
            done=job.done if resumed else 0,
            message=job.message if resumed else "" if job.status == S.PENDING else f"正在进行第 {job.attempts + 1} 次尝试。")
        if not n:
            return None
        record(None, "job.started", job, from_state=job.status, to_state=S.RUNNING, data={"attempt": job.attempts + 1})
    clear_side(job.pk)
    job.refresh_from_db()
    return job


def complete(job: Job, outcome) -> None:
    """Store the result file and the summary; tell the owner."""
    result_name = ""
    if outcome is not None and (outcome.path or outcome.content is not None):
        result_name = outcome.name or f"job-{job.pk}"
        if outcome.path:
            with open(outcome.path, "rb") as fh:
                job.result.save(result_name, File(fh), save=False)
            os.unlink(outcome.path)
        else:
            job.result.save(result_name, ContentFile(outcome.content), save=False)
    with transaction.atomic():
        n = Job.objects.filter(pk=job.pk, status=S.RUNNING, attempts=job.attempts).update(
            status=S.DONE, finished_at=timezone.now(), heartbeat_at=timezone.now(),
            message=(outcome.message if outcome else "")[:500], done=max(job.done, job.total), total=max(job.done, job.total),
            summary=outcome.data if outcome else {},
            result=job.result.name or "", result_name=result_name,
            result_type=outcome.content_type if result_name else "")
        if n:
            record(None, "job.done", job, from_state=S.RUNNING, to_state=S.DONE, data={"attempt": job.attempts})
            job.refresh_from_db()
            _tell_owner(job, failed=False, message=job.message)
        elif job.result.name:
            job.result.delete(save=False)  # this attempt lost the race (a sweep took the job back)
    clear_side(job.pk)


def requeue(job: Job, outcome) -> None:
    """A share of a long job is done (``Outcome(resume=True)``): the job waits at the end of the
    queue again — jobs submitted meanwhile go first, so a long backfill never holds a worker for
    longer than one share — keeping its progress and ``outcome.data`` (as ``summary``) for the
    next share. Its attempt is given back: a share is not an attempt (``claim`` counts it again)."""
    now = timezone.now()
    with transaction.atomic():
        n = Job.objects.filter(pk=job.pk, status=S.RUNNING, attempts=job.attempts).update(
            status=S.PENDING, attempts=job.attempts - 1, heartbeat_at=now, done=job.done, total=job.total,
            summary=json_safe(outcome.data), message=(outcome.message or "已完成一部分，排队继续处理。")[:500])
        if n:
            record(None, "job.requeued", job, from_state=S.RUNNING, to_state=S.PENDING,
                   data={"attempt": job.attempts, "done": job.done, "total": job.total})
    clear_side(job.pk)
    if n:
        enqueue(job.pk)


def record_commit(job: Job, summary: dict) -> None:
    """Inside the transaction that commits a job's writes (an import): store ``summary`` as the
    attempt's committed outcome, so that a retry — the worker lost after the commit but before
    ``complete`` — reports it instead of writing a second time (``committed_summary``). Refused
    (ServiceError, the caller's writes roll back) when this attempt no longer owns the job."""
    n = Job.objects.filter(pk=job.pk, status=S.RUNNING, attempts=job.attempts).update(
        summary={"committed": True, **json_safe(summary)})
    if not n:
        raise ServiceError("该任务已由另一次执行接手，本次执行的写入已撤销。", "job")
    record(None, "job.committed", job, data={"attempt": job.attempts})


def committed_summary(job: Job) -> dict | None:
    """The outcome an earlier attempt committed (``record_commit``), or None."""
    summary = Job.objects.filter(pk=job.pk).values_list("summary", flat=True).first() or {}
    return summary if summary.get("committed") else None


def cleanup(now=None) -> dict:
    """Periodic (daily): result files of jobs finished more than ``QINGLING_JOB_RESULT_DAYS`` ago
    are deleted (exports and document batches are copies of what the platform keeps; the job row
    stays, saying so), and so are the temporary files of attempts whose worker died, progress
    files of finished jobs and the parsed rows kept for an import's jobs (hazards.parsed_rows).
    Uploaded import files are kept: they are the source of imported records."""
    now = now or timezone.now()
    days = getattr(settings, "QINGLING_JOB_RESULT_DAYS", 30)
    counts = {"results": 0, "temporary": 0}
    old = Job.objects.filter(status__in=[S.DONE, S.FAILED], finished_at__lt=now - datetime.timedelta(days=days)).exclude(result="")
    for job in old.iterator():
        name = job.result.name
        with transaction.atomic():
            n = Job.objects.filter(pk=job.pk, result=name).update(
                result="", message=f"{job.message} 结果文件已超过保留期（{days} 天）并已清理，如需请重新提交。"[:500])
            if n:
                record(None, "job.result_removed", job, data={"file": name, "days": days})
        if n:
            try:
                job.result.storage.delete(name)
            except OSError:
                log.warning("job %s: could not delete %s", job.pk, name)
            counts["results"] += 1
    from django.core.files.storage import default_storage

    limit = now.timestamp() - getattr(settings, "QINGLING_JOB_TIMEOUT", 3600) - stale_after().total_seconds()
    for folder in ("jobs/tmp", "jobs/progress", "jobs/parsed"):
        path = os.path.join(str(default_storage.location), folder)
        for entry in os.scandir(path) if os.path.isdir(path) else ():
            if entry.is_file() and entry.stat().st_mtime < limit:
                try:
                    os.unlink(entry.path)
                    counts["temporary"] += 1
                except OSError:
                    pass
    return counts


def give_up(job: Job, message: str) -> None:
    """A problem of the input (ServiceError): fail now, no retry."""
    _fail(job, message)


def retry_later(job: Job, reason: str) -> None:
    """A transient failure: wait for the back-off, or fail once the attempts are used up."""
    if job.attempts >= job.max_attempts:
        _fail(job, f"任务执行失败（已尝试 {job.attempts} 次）：{reason}")
        return
    at = timezone.now() + backoff(job.attempts)
    with transaction.atomic():
        n = Job.objects.filter(pk=job.pk, status=S.RUNNING, attempts=job.attempts).update(
            # the sweep (every minute) queues it again once ``at`` has passed: "after", not "at"
            status=S.RETRYING, retry_at=at, message=f"第 {job.attempts} 次执行失败，将在 {timezone.localtime(at):%H:%M:%S} 之后重试：{reason}"[:500])
        if n:
            record(None, "job.retry", job, from_state=S.RUNNING, to_state=S.RETRYING, note=reason[:500],
                   data={"attempt": job.attempts, "retry_at": at.isoformat()})
    clear_side(job.pk)


def sweep(now=None) -> dict:
    """Periodic (every minute): re-enqueue jobs whose back-off has passed, take back running
    jobs whose worker died (retry or fail with a message) and re-enqueue pending jobs that the
    queue lost. Returns counts."""
    now = now or timezone.now()
    counts = {"retried": 0, "recovered": 0, "failed": 0, "requeued": 0}
    for job in Job.objects.filter(status=S.RETRYING, retry_at__lte=now):
        enqueue(job.pk)
        counts["retried"] += 1
    for job in Job.objects.filter(status=S.RUNNING, heartbeat_at__lt=now - stale_after()):
        beat = _heartbeat(job)
        if beat and now - beat < stale_after():
            continue
        reason = _lost(job, now)
        if reason:
            if _fail(job, reason):
                counts["failed"] += 1
            continue
        with transaction.atomic():
            n = Job.objects.filter(pk=job.pk, status=S.RUNNING, attempts=job.attempts).update(
                status=S.RETRYING, retry_at=now, message=f"第 {job.attempts} 次执行时进程意外中断，正在重试。")
            if n:
                record(None, "job.retry", job, from_state=S.RUNNING, to_state=S.RETRYING, note="worker lost")
        if n:
            enqueue(job.pk)
            counts["recovered"] += 1
    waited = now - stale_after()  # a job put back by ``requeue`` has waited since its heartbeat
    for job in Job.objects.filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=waited), status=S.PENDING,
                                  created_at__lt=waited):
        enqueue(job.pk)
        counts["requeued"] += 1
    return counts


def _tell_owner(job: Job, *, failed: bool, message: str) -> None:
    if job.owner_id is None:
        return
    verb = "失败" if failed else "已完成"
    notify(kind="jobs.failed" if failed else "jobs.done", dedupe_key=f"job:{job.pk}:{'failed' if failed else 'done'}",
           title=f"后台任务{verb}：{job.title}", body=message[:300], url=f"/jobs/{job.pk}/", obj=job,
           user=job.owner, channels=("inapp",))
