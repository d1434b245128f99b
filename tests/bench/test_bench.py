"""The benchmark harness measures the right thing: the floors compute the app's numbers, the B3
file imports cleanly with one event per transition. (Timing is never asserted.)"""

import datetime

import pytest
from django.utils import timezone

from bench.actors import ensure_actors
from bench.b3_import import write_file
from bench.generator import generate
from bench.reads import section_one_sql
from core.models import Event
from regions.loader import TEST_FILE, load_regions


@pytest.fixture
def actors(db):
    load_regions(TEST_FILE)
    generate("tiny", seed=3)
    return ensure_actors("tiny")


def test_section_one_floor_matches_the_dispatch_table(actors):
    from django.db import connection

    from campaigns import dispatch as D

    as_of = timezone.now() - datetime.timedelta(days=30)  # a past cut-off: state rebuilt from events
    start = as_of - datetime.timedelta(days=3 * 365)
    for values, (level, code, sectors) in [
        (D.region_table(actors.county, start, as_of), ("county", actors.county.code, None)),
        (D.unit_table(actors.department, start, as_of), ("county", actors.county.code, actors.department.lead_sector_ids())),
    ]:
        sql, params = section_one_sql(level, code, sectors, start, as_of)
        with connection.cursor() as cur:
            cur.execute(sql, params)
            floor = [int(v) for v in cur.fetchone()]
        assert [values["1.1"], values["1.2"], values["1.3"], values["1.4"]] == floor
    assert floor[0] + floor[2] > 0  # the tiny dataset has major hazards in the window


def test_b3_file_imports_with_an_event_per_transition(actors, tmp_path):
    from hazards.importing import import_hazards

    path = tmp_path / "ledger.xlsx"
    write_file(path, actors.county.code, 40)
    before = Event.objects.filter(object_type="hazards.hazard").count()
    result = import_hazards(actors.emergency_user, path.read_bytes(), dry_run=False)
    assert result["errors"] == [] and result["committed"] and result["created"] == 40
    events = Event.objects.filter(object_type="hazards.hazard").count() - before
    assert events == result["created"] + result["closed"]
