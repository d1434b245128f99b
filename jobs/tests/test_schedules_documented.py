"""The operations guide is what an operator reads to know what runs unattended: every periodic job
declared in code must be in its table, and the table must not list a job that no longer exists."""

import re
from pathlib import Path

from jobs.schedules import PERIODIC

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def documented_jobs() -> set[str]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Background jobs and periodic work", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_.]+)` \|", section, flags=re.M))


def test_every_declared_periodic_job_is_in_the_operations_guide():
    assert {p.name for p in PERIODIC} - documented_jobs() == set()


def test_the_operations_guide_lists_no_job_that_is_not_declared():
    assert documented_jobs() - {p.name for p in PERIODIC} == set()
