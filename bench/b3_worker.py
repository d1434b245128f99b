"""B3's job worker: ``run_worker`` without syncing the periodic schedules — a bench database
declares none, so no alert pass or sweep competes with the import being measured (production's
worker runs them on their intervals). Started by ``bench.b3_import`` in its own process group."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from jobs.runner import warm

    warm()
    call_command("qcluster")
