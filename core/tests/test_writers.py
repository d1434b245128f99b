"""Services are the only writers: walk the code (AST) and fail on a model write outside them.

A "write" is a call of ``.save()`` (no positional argument — ``wb.save(buf)``, ``img.save(buf)`` and
``fieldfile.save(name, content)`` are file writes, not row writes), ``.delete(``, ``.create(``,
``.get_or_create(``, ``.update_or_create(``, any ``.bulk_*(``, and ``.update(`` on a queryset
expression (``X.objects….update(`` — ``dict.update`` on a name is not flagged). ``super().create``
(a DRF viewset delegating to its serializer/perform_create) is not a write.

Allowed, and why (keep this list small; every entry is checked to still contain a write):

* ``<app>/services.py`` and the modules it names in ``SERVICE_MODULES`` (writers split out of a
  long services module, e.g. ``inspections/review.py``);
* migrations, tests, ``tests/``, ``bench/``, ``conftest.py``, ``core/testing.py`` (fixtures);
* CORE_WRITERS: the infrastructure services call — the event log, the notification outbox, the
  security log, the COPY bulk helper — and the admin's audit trail (ChangeLog rows for superuser
  edits in the Django admin);
* REFERENCE_LOADERS: idempotent loaders of read-only reference catalogues (regions, standards,
  sectors, obligation/risk/penalty catalogues), run by migrations and ``load_*`` commands.

There is no "pending" list: a new writer outside these places fails the test.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
WRITE_METHODS = {"save", "delete", "create", "get_or_create", "update_or_create", "update"}
SKIP_DIRS = {".venv", "node_modules", "tests", "migrations", "bench", "staticfiles", "var", "__pycache__"}
SKIP_FILES = {"conftest.py", "core/testing.py", "mutmut_config.py", "manage.py"}

CORE_WRITERS = {
    "core/events.py": "core.events.record — the event written inside every service transaction",
    "core/notifications.py": "the outbox/inbox behind core.notifications.notify (+ mark_read of one's own inbox)",
    "core/security.py": "core.security.log_security — the security log",
    "core/bulk.py": "COPY/bulk insert helper used by services and importers",
    "core/admin.py": "ChangeLog audit rows for superuser edits in the Django admin",
    "core/api_http.py": "the API's Idempotency-Key store (stored answers, 24 h)",
    "core/api_auth.py": "API tokens (knox): issue, refresh, revoke, revoke on password change",
}
REFERENCE_LOADERS = {
    "regions/loader.py": "GB/T 2260 region tree",
    "standards/loader.py": "判定标准 catalogue seeds",
    "accounts/reference.py": "sectors and organisation kinds",
    "obligations/reference.py": "obligation catalogue",
    "risks/reference.py": "risk band tables",
    "enforcement/catalogue.py": "penalty article catalogue",
}


def _is_write(call: ast.Call) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    name, recv = func.attr, func.value
    if isinstance(recv, ast.Call) and isinstance(recv.func, ast.Name) and recv.func.id == "super":
        return False
    if name.startswith("bulk_"):
        return True
    if name not in WRITE_METHODS:
        return False
    if name == "save":
        return not call.args
    if name == "update":
        return isinstance(recv, ast.Call) or (isinstance(recv, ast.Attribute) and recv.attr == "objects")
    return True


def writes_in(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    return sorted((n.lineno, ast.unparse(n.func)[:100]) for n in ast.walk(tree) if isinstance(n, ast.Call) and _is_write(n))


def _service_modules() -> set[str]:
    """<app>/services.py plus the modules each names in a literal SERVICE_MODULES tuple."""
    allowed = set()
    for services in ROOT.glob("*/services.py"):
        app = services.parent.name
        allowed.add(f"{app}/services.py")
        for node in ast.parse(services.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "SERVICE_MODULES" for t in node.targets):
                allowed.update(f"{app}/{name}.py" for name in ast.literal_eval(node.value))
    return allowed


def _python_files():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if SKIP_DIRS & set(rel.parts[:-1]) or rel.as_posix() in SKIP_FILES:
            continue
        yield rel.as_posix(), path


def test_no_model_writes_outside_services():
    allowed = _service_modules() | set(CORE_WRITERS) | set(REFERENCE_LOADERS)
    offenders = [f"{rel}:{line}: {call}" for rel, path in _python_files() if rel not in allowed
                 for line, call in writes_in(path.read_text(encoding="utf-8"))]
    assert offenders == [], "model writes outside services:\n" + "\n".join(offenders)


def test_allow_list_entries_still_write():
    files = dict(_python_files())
    stale = [rel for rel in {**CORE_WRITERS, **REFERENCE_LOADERS}
             if rel not in files or not writes_in(files[rel].read_text(encoding="utf-8"))]
    assert stale == [], f"remove these from the allow-list, they no longer write: {stale}"


def test_the_detector_sees_writes_and_ignores_look_alikes():
    found = [call for _, call in writes_in("""
Model.objects.create(a=1)
Model.objects.filter(pk=1).update(a=2)
obj.save()
obj.delete()
Model.objects.bulk_create(rows)
obj.children.get_or_create(a=1)
ctx.update(a=1)
wb.save(buf)
job.file.save("n", content, save=False)
super().create(request)
""")]
    assert found == ["Model.objects.create", "Model.objects.filter(pk=1).update", "obj.save", "obj.delete",
                     "Model.objects.bulk_create", "obj.children.get_or_create"]
