"""Child process of B7: run one ledger export job for a user, print rows/s and peak RSS (JSON)."""

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("QINGLING_DEV", "1")


def main(user_id: int, fmt: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from jobs import services
    from jobs.models import Job
    from jobs.runner import run

    user = get_user_model().objects.get(pk=user_id)
    job = services.submit(user, "hazards.export", f"B7 {fmt}", {"query": {}, "format": fmt}, queue=False)
    t = time.perf_counter()
    status = run(job.pk)
    elapsed = time.perf_counter() - t
    job = Job.objects.get(pk=job.pk)
    rows = job.summary.get("rows", 0)
    size = job.result.size if job.result else 0
    if job.result:
        job.result.delete(save=False)
    print(json.dumps({"status": status, "rows": rows, "seconds": round(elapsed, 2),
                      "rows_per_s": round(rows / max(elapsed, 1e-6)), "file_mb": round(size / 2**20, 1),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
