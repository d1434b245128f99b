"""`make test` runs the API contract check (scripts/api_contract.py): a demo server on 127.0.0.1,
schemathesis for three personas, a generated client driving the 重大 loop (ledger export as a job,
its download, an official document) with ASCII enum member names. On the database the suite runs
on: SQLite, and in CI's PostgreSQL pass a throw-away database on that server — PostgreSQL refuses
what SQLite stores (a number beyond its column was a 500 there only)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.contract
@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_api_contract():
    out = subprocess.run([sys.executable, "scripts/api_contract.py"], cwd=ROOT, text=True, capture_output=True,
                         env={**os.environ, "QINGLING_DEV": "1"}, timeout=1450)
    print(out.stdout[-12000:], out.stderr[-3000:])
    assert out.returncode == 0, out.stdout[-12000:] + out.stderr[-3000:]
    assert "failures 0 / loop steps 11/11" in out.stdout
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    assert f"database: {'PostgreSQL' if on_postgres else 'SQLite'}" in out.stdout
