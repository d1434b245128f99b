"""Two ledger imports at once (PostgreSQL — the job worker runs two processes, so an officer's two
files are imported side by side): both commit every row, each with its event, and the tallies
both add to equal a recount. The two transactions are held mid-write together (a barrier in the
progress callback, called while the rows are being sent), so each writes while the other's rows
and tally updates are uncommitted."""

import datetime
import threading

import pytest
from django.db import connection

from core.models import Event
from hazards.importing import import_hazards
from hazards.models import Hazard

from .test_tallies import _import_rows, assert_tally_is_exact

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_imports_at_once_both_commit_and_the_tallies_equal_a_recount(tworld):
    files = [_import_rows(tworld, 30, datetime.date(2026, 3, 4)), _import_rows(tworld, 21, datetime.date(2026, 3, 9))]
    barrier = threading.Barrier(2)
    results, writing = {}, {}

    def run(i):
        def progress(done, total):
            if done > total // 2 and not writing.get(i):  # the first report from inside the writing transaction
                writing[i] = connection.in_atomic_block
                barrier.wait(timeout=30)

        try:
            results[i] = import_hazards(tworld.user("commerce"), files[i], dry_run=False, chunk_size=10, progress=progress)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert writing == {0: True, 1: True}  # both were inside their transaction at the barrier
    assert [(r["committed"], r["created"], r["errors"]) for r in (results[0], results[1])] == [(True, 30, []), (True, 21, [])], results
    assert Hazard.objects.count() == 51
    assert Event.objects.filter(object_type="hazards.hazard", verb="hazard.registered").count() == 51
    assert_tally_is_exact()
