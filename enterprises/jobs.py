"""Running an ImportJob: parse the stored file, import (dry or real), record progress and result.

The page runs large files in a background thread (progress polled with htmx); small files and
tests (``settings.QINGLING_IMPORT_SYNC``) run inline. ``import_enterprises`` itself is synchronous.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from core.services import ServiceError

from .importing import import_enterprises
from .models import ImportJob
from .spreadsheets import read_rows

log = logging.getLogger("qingling.enterprises")
SYNC_MAX_BYTES = 64 * 1024


def run_job(job_id: int) -> ImportJob:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    try:
        with job.file.open("rb") as f:
            data = f.read()
        rows = read_rows(data, job.file_name)
        ImportJob.objects.filter(pk=job.pk).update(total=len(rows))

        def progress(done, total):
            ImportJob.objects.filter(pk=job.pk).update(processed=done, total=total)

        result = import_enterprises(job.created_by, rows, dry_run=job.dry_run, progress=progress,
                                    source=f"导入文件 {job.file_name}")
    except ServiceError as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, message=exc.message[:300], finished_at=timezone.now(),
            errors=[{"row": 0, "column": "文件", "reason": exc.message}])
    except Exception:  # noqa: BLE001 - a job must always finish; details go to the log
        log.exception("enterprise import job %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, message="导入过程中发生内部错误，未写入任何数据。", finished_at=timezone.now())
    else:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.DONE, total=result.total, processed=result.total, created=result.created,
            updated=result.updated, unchanged=result.unchanged, errors=result.errors, finished_at=timezone.now())
    job.refresh_from_db()
    return job


def _thread_main(job_id: int) -> None:
    close_old_connections()
    try:
        run_job(job_id)
    finally:
        close_old_connections()


def start_job(job: ImportJob) -> None:
    """Run now for small files (or when QINGLING_IMPORT_SYNC is set), else in a thread after commit."""
    if getattr(settings, "QINGLING_IMPORT_SYNC", False) or job.file.size <= SYNC_MAX_BYTES:
        run_job(job.pk)
        return
    transaction.on_commit(lambda: threading.Thread(target=_thread_main, args=(job.pk,), daemon=True).start())
