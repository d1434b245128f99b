"""The WSGI entry point refuses to serve without SECRET_KEY or TIP_IDENTITY_KEY (a fresh
interpreter each time, as gunicorn would import it; production settings, no QINGLING_DEV)."""

import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
SECRET = "test-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz"


def _import_wsgi(**env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import config.wsgi; print('serving')"], cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", **env}, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("env,missing", [
    ({"SECRET_KEY": SECRET}, "TIP_IDENTITY_KEY"),
    ({"SECRET_KEY": SECRET, "TIP_IDENTITY_KEY": "not-a-fernet-key"}, "TIP_IDENTITY_KEY"),
    ({"TIP_IDENTITY_KEY": Fernet.generate_key().decode()}, "SECRET_KEY"),
])
def test_wsgi_refuses_without_secrets(env, missing):
    result = _import_wsgi(**env)
    assert result.returncode != 0 and "serving" not in result.stdout
    assert missing in result.stderr and "ImproperlyConfigured" in result.stderr


def test_wsgi_serves_with_both():
    result = _import_wsgi(SECRET_KEY=SECRET, TIP_IDENTITY_KEY=Fernet.generate_key().decode())
    assert result.returncode == 0 and "serving" in result.stdout, result.stderr[-2000:]
