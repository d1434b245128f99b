"""Project-wide fixtures: the personas world, browser launch arguments for Debian's chromium."""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(autouse=True)
def _restore_migration_data(request):
    """Transactional tests (live_server, browser, races) flush every table after themselves,
    including the rows data migrations loaded; put those back before the next one — a transactional
    test, or any other database test that runs after one in the same worker (pytest-django runs
    them last, but xdist's distribution does not guarantee that nothing follows): for those the
    restore is committed before the test's own transaction begins."""
    from core.testing import restore_migration_data

    if {"transactional_db", "live_server", "tworld"} & set(request.fixturenames) or \
            any(m.kwargs.get("transaction") for m in request.node.iter_markers("django_db")):
        request.getfixturevalue("transactional_db")
        restore_migration_data()
    elif "db" in request.fixturenames or any(True for _ in request.node.iter_markers("django_db")):
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            restore_migration_data()
    yield


@pytest.fixture(autouse=True)
def _fresh_api_throttles():
    """API throttle counters live in the cache; every test starts with none."""
    from django.core.cache import caches

    caches["throttle"].clear()
    caches["default"].clear()
    yield


@pytest.fixture(autouse=True)
def _no_sms_quiet_hours(settings):
    """Reminder SMS are held at night (QINGLING_SMS_QUIET_HOURS): tests do not depend on the hour
    they run at; the quiet-hours tests set the window themselves."""
    settings.QINGLING_SMS_QUIET_HOURS = ""


@pytest.fixture
def world(db):
    """Regions fixture + the demo district's organisations, enterprises and personas."""
    from core.testing import build_world

    return build_world()


@pytest.fixture
def tworld(transactional_db):
    """The same world for transactional (live_server / browser) tests."""
    from core.testing import build_world

    return build_world()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    have_chromium = os.path.exists(CHROMIUM)
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL)"))
        if "e2e" in item.keywords and not have_chromium and not os.environ.get("CI"):
            # In CI a missing browser is a failure, never a skip.
            item.add_marker(pytest.mark.skip(reason="chromium not installed (make test installs it)"))
