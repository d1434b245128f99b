"""Progress reports of a running job, visible to other processes even when the handler works
inside one long transaction (an all-or-nothing import): outside a transaction the job row is
updated; inside one, a small side file under MEDIA_ROOT/jobs/progress/ is (the row update would
only become visible at commit and would be rolled back with a dry run)."""

import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

MIN_INTERVAL = 0.5  # seconds between two writes


def side_file(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "jobs" / "progress" / f"{job_id}.json"


def read_side(job_id: int) -> dict | None:
    """{"done", "total", "at" (epoch seconds)} from the side file, or None."""
    try:
        data = json.loads(side_file(job_id).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def clear_side(job_id: int) -> None:
    try:
        side_file(job_id).unlink()
    except OSError:
        pass


class Progress:
    """Callable ``progress(done, total=None)`` handed to a job handler."""

    def __init__(self, job):
        self.job = job
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < MIN_INTERVAL:
            return
        self._last = now
        from .models import Job

        job = self.job
        job.done = done
        if total is not None:
            job.total = total
        if transaction.get_connection().in_atomic_block:
            path = side_file(job.pk)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"done": job.done, "total": job.total, "at": time.time()}))
            os.replace(tmp, path)
        else:
            Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts).update(
                done=job.done, total=job.total, heartbeat_at=timezone.now())
