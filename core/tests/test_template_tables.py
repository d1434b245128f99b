"""Every table a template writes sits directly in a ``.table-responsive``: on a phone a row longer than the
screen (a long name, a code, ten columns of figures) scrolls the table, never the page. The list partial's
table is one too (its rows are cards below md). tests/e2e/test_phone_width.py checks the rendered pages on a
375 px phone; this finds a new template's bare table without a browser and without its data."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

BASE = Path(settings.BASE_DIR).resolve()
WRAPPED = re.compile(r'<div class="table-responsive[^"]*">\s*\Z')


def project_templates():
    dirs = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    dirs += [Path(app.path) / "templates" for app in apps.get_app_configs()]
    for folder in dirs:
        folder = folder.resolve()
        if folder.is_dir() and folder.is_relative_to(BASE) and ".venv" not in folder.parts:
            yield from sorted(folder.glob("**/*.html"))


def bare_tables(text: str) -> list[int]:
    """Line numbers of the tables not opened right after ``<div class="table-responsive …">``."""
    return [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"<table\b", text)
            if not WRAPPED.search(text[max(0, m.start() - 200):m.start()])]


def test_the_check_tells_a_wrapped_table_from_a_bare_one():
    assert bare_tables('<div class="table-responsive mb-3"><table class="table">') == []
    assert bare_tables('<div class="table-responsive">\n  <table class="table">') == []
    assert bare_tables('<p>x</p>\n<table class="table">') == [2]
    assert bare_tables('<div class="table-responsive"><p>x</p><table>') == [1]


def test_every_template_table_sits_in_a_table_responsive():
    templates = list(project_templates())
    assert len(templates) > 100  # the project's own templates, not Django's or a package's
    bare = [f"{path.relative_to(BASE)}:{line}" for path in templates for line in bare_tables(path.read_text())]
    assert not bare, "wrap these tables in <div class=\"table-responsive mb-3\"> (and give the table mb-0):\n" + "\n".join(bare)
