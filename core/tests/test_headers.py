"""Security headers on real pages, and no inline script anywhere in the templates (CSP)."""

import re
from pathlib import Path

import pytest

from core.testing import client_as

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)


def _policy(response) -> dict:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/accounts/login/", "/public/tips/new/"])
def test_public_pages_send_security_headers(client, db, url):
    r = client.get(url)
    assert r.status_code == 200
    policy = _policy(r)
    assert policy["script-src"] == ["'self'"] and policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert r["Cross-Origin-Opener-Policy"] == "same-origin"


def test_logged_in_pages_too(client, world):
    client_as(client, world, "committee")
    r = client.get("/")
    assert r.status_code == 200 and _policy(r)["script-src"] == ["'self'"]


def test_no_inline_scripts_or_handlers_in_templates():
    offenders = []
    for path in ROOT.glob("*/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in INLINE_SCRIPT.finditer(text)]
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0).strip()}" for m in INLINE_HANDLER.finditer(text)]
    for path in (ROOT / "templates").glob("**/*.html"):
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in INLINE_SCRIPT.finditer(text)]
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0).strip()}" for m in INLINE_HANDLER.finditer(text)]
    assert not offenders, offenders


def test_scripts_come_from_our_static_files_only():
    external = []
    for path in list(ROOT.glob("*/templates/**/*.html")) + list((ROOT / "templates").glob("**/*.html")):
        for m in re.finditer(r"<script[^>]*\bsrc=\"([^\"]+)\"", path.read_text(encoding="utf-8")):
            if not m.group(1).startswith("{% static"):
                external.append(f"{path.name}: {m.group(1)}")
    assert not external, external
