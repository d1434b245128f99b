"""Running an ImportJob on the task queue (``jobs`` app, kind ``enterprises.import``).

``start_job`` submits a queue job that points at the ImportJob; the worker parses the stored
file, imports (dry or real) and records progress on both rows. A worker that dies mid-import
is detected by ``jobs.services`` and the import retried (it is idempotent: rows are upserted
by credit code inside one transaction) or failed with a message on the ImportJob."""

import logging

from django.utils import timezone

from core.services import ServiceError
from jobs.registry import Outcome, register

from .importing import import_enterprises
from .models import ImportJob
from .spreadsheets import read_rows

log = logging.getLogger("qingling.enterprises")
KIND = "enterprises.import"


def _mark_failed(queue_job, message: str) -> None:
    ImportJob.objects.filter(pk=queue_job.params.get("import_job"), finished_at__isnull=True).update(
        status=ImportJob.Status.FAILED, message=message[:300], finished_at=timezone.now())


@register(KIND, on_fail=_mark_failed)
def run_import(queue_job, progress) -> Outcome:
    job = ImportJob.objects.select_related("created_by").get(pk=queue_job.params["import_job"])
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, processed=0)
    with job.file.open("rb") as f:
        data = f.read()
    try:
        rows = read_rows(data, job.file_name)
    except ServiceError as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, message=exc.message[:300], finished_at=timezone.now(),
            errors=[{"row": 0, "column": "文件", "reason": exc.message}])
        raise
    ImportJob.objects.filter(pk=job.pk).update(total=len(rows))
    progress(0, len(rows), force=True)

    def step(done, total):
        ImportJob.objects.filter(pk=job.pk).update(processed=done, total=total)
        progress(done, total)

    result = import_enterprises(job.created_by, rows, dry_run=job.dry_run, progress=step,
                                source=f"导入文件 {job.file_name}")
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE, total=result.total, processed=result.total, created=result.created,
        updated=result.updated, unchanged=result.unchanged, errors=result.errors, finished_at=timezone.now())
    verb = "将" if job.dry_run else ""
    from jobs.handlers import errors_csv

    return Outcome(message=f"共 {result.total} 行：{verb}新增 {result.created}，{verb}更新 {result.updated}，"
                           f"未变化 {result.unchanged}，错误 {len(result.errors)} 处。{_moves_note(result, verb)}",
                   content=errors_csv(result.errors) if result.errors else None, name="enterprise-import-errors.csv",
                   content_type="text/csv; charset=utf-8")


def _moves_note(result, verb: str) -> str:
    """The units the file moves to another township, and the open hazards that go with them."""
    if not result.moves:
        return ""
    hazards = sum(m["open_hazards"] for m in result.moves)
    return f"其中{verb}迁移乡镇（街道） {len(result.moves)} 家，其未销号隐患 {hazards} 项随迁。"


def start_job(job: ImportJob):
    """Queue the import (it runs after the current transaction commits)."""
    from jobs.services import submit

    title = f"单位名录{'试运行' if job.dry_run else '导入'}：{job.file_name}"
    return submit(job.created_by, KIND, title, {"import_job": job.pk})


def run_job(job_id: int) -> ImportJob:
    """Run an ImportJob now, in this process (management command, tests)."""
    from jobs.runner import run

    queue_job = start_job(ImportJob.objects.get(pk=job_id))
    if not queue_job.finished:
        run(queue_job.pk)
    return ImportJob.objects.get(pk=job_id)
