"""Progress reports of a running job, visible to other processes even when the handler works
inside one long transaction (an all-or-nothing import): outside a transaction the job row is
updated; inside one, a small side file under MEDIA_ROOT/jobs/progress/ is (the row update would
only become visible at commit and would be rolled back with a dry run)."""

import json
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

MIN_INTERVAL = 0.5  # seconds between two writes


def write_whole(path: Path, data: bytes) -> None:
    """Write ``path`` so that a reader in another process sees the old content or the new, never
    half: a temporary file of this process and thread, renamed over it. Raises ``OSError``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def side_file(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "jobs" / "progress" / f"{job_id}.json"


def beat_file(job_id: int) -> Path:
    return side_file(job_id).with_suffix(".beat")


def read_side(job_id: int) -> dict | None:
    """{"done", "total", "at" (epoch seconds)} from the side file, or None; "at" is the latest of
    the last progress report and the last heartbeat (``Heartbeat``)."""
    try:
        data = json.loads(side_file(job_id).read_text())
    except (OSError, ValueError):
        data = None
    data = data if isinstance(data, dict) else None
    try:
        beat = float(beat_file(job_id).read_text())
    except (OSError, ValueError):
        return data
    if data is None:
        return {"at": beat}
    return {**data, "at": max(beat, data.get("at") or 0)}


def clear_side(job_id: int) -> None:
    for path in (side_file(job_id), beat_file(job_id)):
        try:
            path.unlink()
        except OSError:
            pass


def beat_seconds() -> float:
    """How often a running job says it is alive: a quarter of the stale delay, at most a minute."""
    return min(60.0, max(0.05, getattr(settings, "QINGLING_JOB_STALE_SECONDS", 180) / 4))


class Heartbeat:
    """While a handler runs, a thread writes the time to the job's beat file every
    ``beat_seconds()``, so a live worker is never taken for a dead one however long a step takes
    without a progress report (an alert pass, a long statement, a commit). A file, not the job
    row: the handler may hold a long write transaction (SQLite would make a second writer wait)."""

    def __init__(self, job_id: int):
        self.path = beat_file(job_id)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"job-{job_id}-heartbeat", daemon=True)

    def _beat(self) -> None:
        try:
            write_whole(self.path, repr(time.time()).encode())
        except OSError:  # a full disk must not stop the job; the stale delay then decides
            pass

    def _run(self) -> None:
        while not self.stop.wait(beat_seconds()):
            self._beat()

    def __enter__(self):
        self._beat()
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        return False


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
            write_whole(side_file(job.pk), json.dumps({"done": job.done, "total": job.total, "at": time.time()}).encode())
        else:
            Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts).update(
                done=job.done, total=job.total, heartbeat_at=timezone.now())
