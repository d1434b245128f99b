"""Child process of B7: run one ledger export job for a user, print rows/s and peak RSS (JSON).
The process first does what the worker does once when it starts (``jobs.runner.warm``: the list
views imported), timed apart as ``worker_start_s``; the rows/s time the job itself.
With a time limit (seconds, third argument) a watchdog reports how far the job got when the limit
is reached (rows from the job's own progress counter) and ends the process: an export that does
not finish in the bench's budget is reported as such, never extrapolated."""

import json
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("QINGLING_DEV", "1")

from bench.memory import peak_rss_mb  # noqa: E402 - after the path is set


def main(user_id: int, fmt: str, limit: float) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from jobs import services
    from jobs.models import Job
    from jobs.runner import run, warm

    started = time.perf_counter()
    warm()  # what run_worker does once before its cluster forks the job processes
    worker_start = time.perf_counter() - started
    user = get_user_model().objects.get(pk=user_id)
    job = services.submit(user, "lists.export", f"B7 {fmt}", {"list": "hazards.ledger", "query": {}, "format": fmt},
                          queue=False)
    t = time.perf_counter()

    def watchdog():
        time.sleep(limit)
        row = Job.objects.filter(pk=job.pk).values("done", "total", "status").first() or {}
        elapsed = time.perf_counter() - t
        print(json.dumps({"status": "stopped at the time limit", "timed_out": True, "rows": row.get("done", 0),
                          "total": row.get("total", 0), "seconds": round(elapsed, 2),
                          "rows_per_s": round(row.get("done", 0) / max(elapsed, 1e-6)), "peak_rss_mb": peak_rss_mb(),
                          "worker_start_s": round(worker_start, 2)}))
        sys.stdout.flush()
        os._exit(0)

    if limit > 0:
        threading.Thread(target=watchdog, daemon=True).start()
    status = run(job.pk)
    elapsed = time.perf_counter() - t
    job = Job.objects.get(pk=job.pk)
    rows = job.summary.get("rows", 0)
    size = job.result.size if job.result else 0
    if job.result:
        job.result.delete(save=False)
    print(json.dumps({"status": status, "timed_out": False, "rows": rows, "total": job.total, "seconds": round(elapsed, 2),
                      "rows_per_s": round(rows / max(elapsed, 1e-6)), "file_mb": round(size / 2**20, 1),
                      "peak_rss_mb": peak_rss_mb(), "worker_start_s": round(worker_start, 2)}))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 0)
