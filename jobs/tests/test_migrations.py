"""jobs 0002: unfinished ledger exports of the old kind become list exports the worker runs."""

import importlib

from django.apps import apps

from jobs import runner
from jobs.models import Job

renamed = importlib.import_module("jobs.migrations.0002_ledger_exports_are_list_exports")


def test_an_unfinished_ledger_export_of_the_old_kind_runs_as_a_list_export_and_finished_ones_keep_their_kind(world):
    from hazards.tests.conftest import make_general

    make_general(world)
    owner = world.user("committee")
    waiting = Job.objects.create(owner=owner, kind="hazards.export", title="导出隐患台账（csv）",
                                 params={"query": {}, "format": "csv"})
    finished = Job.objects.create(owner=owner, kind="hazards.export", title="导出隐患台账（xlsx）",
                                  params={"query": {}, "format": "xlsx"}, status=Job.Status.DONE)

    renamed.rename(apps, None)

    waiting.refresh_from_db()
    finished.refresh_from_db()
    assert (waiting.kind, waiting.params) == ("lists.export", {"query": {}, "format": "csv", "list": "hazards.ledger"})
    assert finished.kind == "hazards.export"
    outcome = runner.run(waiting.pk)
    assert outcome == "done", Job.objects.get(pk=waiting.pk).message
    waiting.refresh_from_db()
    assert waiting.summary == {"rows": 1} and waiting.message == "已导出 1 条隐患。"
    renamed.back(apps, None)
    assert Job.objects.get(pk=waiting.pk).kind == "lists.export"  # finished by now: history keeps its kind


def test_a_worker_process_that_served_no_page_finds_every_exporting_list():
    """The job worker never loads the URLconf by itself; the export job must still find the list
    it was asked for (in a fresh interpreter, as the worker starts)."""
    code = ("import django; django.setup()\n"
            "from core.lists import REGISTRY, registered\n"
            "assert not REGISTRY, sorted(REGISTRY)\n"
            "names = ['hazards.ledger', 'enterprises.list', 'enforcement.cases', 'inspections.spot_checks', 'risks.list']\n"
            "print(','.join(registered(n).__name__ for n in names))\n")
    assert _fresh_interpreter(code).strip() == "HazardLedger,EnterpriseList,CaseList,SpotCheckList,RiskPointList"


def test_the_worker_loads_every_exporting_list_before_its_cluster_forks_the_job_processes(tmp_path):
    """``run_worker`` imports the list views once, before ``qcluster`` forks the processes that run
    the jobs: a forked job process starts with them (no export pays the ~0.7 s import), with no
    open database connection inherited from its parent, and with what is loaded then out of the
    garbage collector's full passes (frozen)."""
    code = ("import django, gc; django.setup()\n"
            "from unittest import mock\n"
            "from django.db import connection\n"
            "from core.lists import REGISTRY\n"
            "import jobs.management.commands.run_worker as rw\n"
            "assert not REGISTRY and not gc.get_freeze_count(), sorted(REGISTRY)\n"
            "connection.ensure_connection()\n"
            "seen = {}\n"
            "def qcluster(name, *a, **k):\n"
            "    seen[name] = (sorted(REGISTRY), connection.connection is None, gc.get_freeze_count())\n"
            "with mock.patch.object(rw, 'call_command', qcluster), mock.patch.object(rw, 'sync', lambda: {}):\n"
            "    rw.Command().handle()\n"
            "names, closed, frozen = seen['qcluster']\n"
            "want = ['hazards.ledger', 'enterprises.list', 'enforcement.cases', 'inspections.spot_checks', 'risks.list']\n"
            "print(all(n in names for n in want), closed, frozen > 100_000)\n")
    # its own SQLite file (an in-memory one is never closed): the connection must not depend on the suite's database
    out = _fresh_interpreter(code, DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite3'}")
    assert out.strip().splitlines()[-1] == "True True True"


def _fresh_interpreter(code: str, **environ) -> str:
    """Run ``code`` in a new Python process (as the worker starts: nothing imported yet), with
    ``environ`` added to the environment; its stdout."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **environ}
    done = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout
