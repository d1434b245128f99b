"""PostgreSQL with parameters bound on the server (config/settings.py, ``core.postgresql``): a
statement repeated on a connection is prepared once, bulk writes stay under the protocol's
65,535 parameters a statement, and DATABASE_PREPARED_STATEMENTS=0 turns both off."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Value
from django.utils import timezone

from regions.models import Region

ROOT = Path(__file__).resolve().parents[2]


def settings_for(**env) -> dict:
    """The default database's ENGINE and OPTIONS as config/settings.py builds them for ``env``
    (a fresh interpreter: settings are read once a process)."""
    code = ("import json; from django.conf import settings; d = settings.DATABASES['default'];"
            "print(json.dumps({'ENGINE': d['ENGINE'], 'OPTIONS': d.get('OPTIONS', {})}))")
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_PREPARED_STATEMENTS", "DATABASE_POOL")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", "QINGLING_DEV": "1", **env})
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_postgresql_binds_parameters_on_the_server_and_prepares_repeated_statements_by_default():
    found = settings_for(DATABASE_URL="postgres://u:p@127.0.0.1:5432/none")
    assert found["ENGINE"] == "core.postgresql"
    assert found["OPTIONS"]["server_side_binding"] is True
    assert found["OPTIONS"]["prepare_threshold"] == 5


def test_database_prepared_statements_0_keeps_djangos_client_side_binding():
    found = settings_for(DATABASE_URL="postgres://u:p@127.0.0.1:5432/none", DATABASE_PREPARED_STATEMENTS="0")
    assert found["ENGINE"] == "django.db.backends.postgresql"
    assert "server_side_binding" not in found["OPTIONS"] and "prepare_threshold" not in found["OPTIONS"]


def test_sqlite_has_neither():
    found = settings_for(DATABASE_URL="sqlite:////tmp/none.sqlite3")
    assert found["ENGINE"] == "django.db.backends.sqlite3"
    assert "server_side_binding" not in found["OPTIONS"]


def prepared_on_this_connection() -> set:
    with connection.cursor() as cur:
        cur.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cur.fetchall()}


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_statement_run_more_than_five_times_on_a_connection_is_prepared_once():
    region = Region.objects.order_by("pk").first() or Region.objects.create(code="990001", name="测试", level="county",
                                                                            path="99/990001")
    before = prepared_on_this_connection()
    for _ in range(4):
        Region.objects.filter(code=region.code).first()
    assert not [s for s in prepared_on_this_connection() - before if "regions_region" in s]  # not yet
    for _ in range(3):
        assert Region.objects.filter(code=region.code).first() == region
    new = [s for s in prepared_on_this_connection() - before if "regions_region" in s]
    assert len(new) == 1 and "$1" in new[0]  # one statement, its parameter bound by the server


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_bulk_write_of_more_parameters_than_a_statement_takes_is_split_into_batches():
    # a session row has three columns: 22,000 rows are 66,000 parameters, over the protocol's 65,535
    # (an expression among the values: Django then writes VALUES (…), (…) rather than one array a column)
    expires = timezone.now() + timedelta(days=1)
    rows = [Session(session_key=f"bulk{i:028d}", session_data=Value("x"), expire_date=expires) for i in range(22_000)]
    Session.objects.bulk_create(rows)
    assert Session.objects.filter(session_key__startswith="bulk").count() == 22_000
    assert connection.features.max_query_params == 65_535


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_filter_on_more_ids_than_a_statement_takes_is_bound_on_the_client_and_answers():
    # e.g. the enterprises list's 逾期 filter across a province: an __in list of 10⁵ enterprise ids
    region = Region.objects.create(code="990002", name="测试", level="county", path="99/990002")
    ids = [region.pk, *range(10**9, 10**9 + 70_000)]
    assert Region.objects.filter(pk__in=ids).count() == 1
    assert list(Region.objects.exclude(pk__in=ids).filter(code="990002")) == []
