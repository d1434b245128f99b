"""Region tree loading: test fixture in every test; the national file in one slow test."""

import pytest

from regions.loader import DATA_FILE, TEST_FILE, load_regions, read_rows
from regions.models import Region


def test_test_fixture_loads_a_four_level_tree(db):
    load_regions(TEST_FILE)
    hebei = Region.objects.get(code="120105")
    assert hebei.name == "河北区" and hebei.level == "county"
    assert hebei.path == "12/1201/120105"
    assert hebei.level_codes() == {"province": "12", "city": "1201", "county": "120105"}
    assert hebei.children.count() == 10
    assert hebei.full_name() == "天津市河北区"
    township = Region.objects.get(code="120105001")
    assert township.parent == hebei and township.level == "township"


def test_reloading_changes_nothing(db):
    load_regions(TEST_FILE)
    ids = dict(Region.objects.values_list("code", "pk"))
    result = load_regions(TEST_FILE)
    assert result["created"] == 0 and result["updated"] == 0
    assert dict(Region.objects.values_list("code", "pk")) == ids


def test_national_file_counts():
    rows = read_rows(DATA_FILE)
    counts = {}
    for r in rows:
        counts[r["level"]] = counts.get(r["level"], 0) + 1
    assert counts["province"] >= 31
    assert counts["county"] >= 2800
    assert counts["township"] >= 38000
    municipalities = {r["code"] for r in rows if r["level"] == "city" and r["parent_code"] in {"11", "12", "31", "50"}}
    assert {"1101", "1201", "3101", "5001"} <= municipalities


@pytest.mark.slow
@pytest.mark.django_db
def test_load_regions_command_loads_the_whole_country_quickly_and_idempotently():
    import time

    from django.core.management import call_command

    started = time.monotonic()
    call_command("load_regions")
    assert time.monotonic() - started < 60
    assert Region.objects.filter(level="township").count() >= 38000
    assert Region.objects.filter(level="province").count() >= 31
    result = load_regions(DATA_FILE)
    assert result == {"created": 0, "updated": 0, "total": Region.objects.count()}
