"""Every HTML form page that calls a service posts through ``core.views.submit_form`` (the one flow: call,
refusal on the form or the 403 page, message, redirect). Walk the code and fail on a view that lands a
refusal on a form by itself. Allowed: ``core/views.py`` (the flow itself) and the Django admin's forms
(``admin.py``: the admin has its own form flow, which they feed)."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", "node_modules", "tests", "migrations", "bench", "staticfiles", "var", "__pycache__"}
ALLOWED = {"core/views.py": "the flow itself", "enterprises/admin.py": "the admin's form", "accounts/admin.py": "the admin's form"}


def _sources():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if not SKIP_DIRS.intersection(rel.parts):
            yield rel.as_posix(), path.read_text(encoding="utf-8")


def test_no_view_lands_a_service_refusal_on_a_form_by_itself():
    found = sorted(rel for rel, text in _sources() if "service_error_to_form(" in text and rel not in ALLOWED)
    assert found == [], f"post these forms through core.views.submit_form: {found}"


#: a refusal's field put on a form by hand (``form.add_error(exc.field …)``): the same flow written again
BY_HAND = re.compile(r"add_error\(\s*(exc|e|error)\.field")
BY_HAND_ALLOWED: dict[str, str] = {}


def test_no_view_puts_a_refusal_s_field_on_a_form_by_hand():
    found = sorted(rel for rel, text in _sources() if BY_HAND.search(text) and rel not in BY_HAND_ALLOWED)
    assert found == [], f"post these forms through core.views.submit_form: {found}"
    sources = dict(_sources())
    assert [rel for rel in BY_HAND_ALLOWED if not BY_HAND.search(sources[rel])] == []


def test_every_allowed_place_still_does_it():
    sources = dict(_sources())
    assert [rel for rel in ALLOWED if "service_error_to_form(" not in sources.get(rel, "")] == []


def test_the_form_pages_use_the_one_flow():
    users = sorted(rel for rel, text in _sources() if "submit_form(" in text and rel != "core/views.py")
    assert len(users) >= 25, users  # every app's form pages (25 modules when this test was written)


#: a refusal flashed and redirected (a 302 saying nothing went wrong): buttons answer through core.views.press
FLASHED = re.compile(r"messages\.error\(\s*request,\s*(exc|e|error)\.message")


def test_no_view_flashes_a_refusal_and_redirects():
    found = sorted(rel for rel, text in _sources() if FLASHED.search(text))
    assert found == [], f"answer these buttons through core.views.press: {found}"


def test_the_buttons_use_the_one_flow():
    users = sorted(rel for rel, text in _sources() if "press(request" in text and rel != "core/views.py")
    assert len(users) >= 6, users  # accidents, assessment, enforcement, hazards, inspections (+ the imports) when written
