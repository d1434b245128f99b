"""Dispatch rows 2.1–2.9, 3.1, 3.2, 4.8: every spot-check answer is stored and countable."""

import datetime

from inspections import dispatch, services
from inspections.models import SPOT_FIELDS

from .factories import today


def test_unit_and_region_rows(world):
    d = today()
    start = d - datetime.timedelta(days=7)
    commerce, emergency = world.user("commerce"), world.user("emergency")
    for code in SPOT_FIELDS:
        services.record_spot_check(commerce, enterprise=world.ent_commerce, checked_on=d, answers={code: True})
    services.record_spot_check(commerce, enterprise=world.ent_commerce2, checked_on=d, answers={"2.3": True})
    services.record_spot_check(emergency, enterprise=world.ent_commerce, checked_on=d, unclear_duties=True)
    services.record_spot_check(emergency, enterprise=world.ent_construction, checked_on=d - datetime.timedelta(days=30),
                               answers={"2.9": True})  # before the period
    services.record_visit(emergency, kind="help_township", visited_on=d, content="x", township=world.townships[1])
    services.record_visit(emergency, kind="help_enterprise", visited_on=d, content="x", enterprise=world.ent_commerce)
    services.record_visit(emergency, kind="help_enterprise", visited_on=d, content="x", enterprise=world.ent_commerce)
    services.record_visit(world.user("committee"), kind="supervision", visited_on=d, content="x",
                          target_organisation=world.org("township0"))

    rows = dispatch.unit_rows(world.org("commerce"), start, d)
    assert rows["2.1"] == 2 and rows["2.3"] == 2
    assert all(rows[c] == 1 for c in SPOT_FIELDS if c != "2.3")
    assert rows["3.1"] == rows["3.2"] == rows["4.8"] == 0
    rows = dispatch.unit_rows(world.org("emergency"), start, d)
    assert rows["2.1"] == 1 and rows["2.7"] == 1 and rows["2.9"] == 0
    assert (rows["3.1"], rows["3.2"], rows["4.8"]) == (1, 2, 0)
    assert dispatch.unit_rows(world.org("committee"), start, d)["4.8"] == 1

    region = dispatch.region_rows(world.district, start, d)
    assert region["2.1"] == 2  # 鑫隆 counted once across commerce and emergency
    assert region["2.7"] == 1 and region["2.3"] == 2
    assert (region["3.1"], region["3.2"], region["4.8"]) == (1, 2, 1)
    assert all(region[c] <= region["2.1"] for c in SPOT_FIELDS)
    assert dispatch.region_rows(world.org("other_emergency").region, start, d)["2.1"] == 0
    assert set(region) == set(dispatch.ROW_CODES)


def test_a_period_s_checks_and_visits_are_read_by_unit_and_day_not_every_row_of_the_unit(world):
    """Section 二 over a period reads the (unit, day) indexes with both bounds in the index condition
    (EXPLAIN once full scans and bitmaps are off, so the plan shows the index path there is): a
    unit's checks outside the period are not read and filtered away."""
    from django.db import connection

    d = today()
    for region in (None, world.district):
        part = (dispatch.unit_sql(world.org("commerce"), d - datetime.timedelta(days=7), d) if region is None
                else dispatch.region_sql(region, d - datetime.timedelta(days=7), d))
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                for setting in ("enable_seqscan", "enable_bitmapscan"):
                    cur.execute(f"SET LOCAL {setting} = off")
                cur.execute("EXPLAIN " + part.sql, part.params)
                plan = "\n".join(r[0] for r in cur.fetchall())
                for index, day in (("spotcheck_org_day_idx", "checked_on"), ("visit_org_day_idx", "visited_on")):
                    at = plan.index(f"using {index}")
                    condition = plan[at:].split("Index Cond:", 1)[1].split("\n", 1)[0]
                    assert f"{day} >=" in condition and f"{day} <=" in condition, plan
            else:
                cur.execute("EXPLAIN QUERY PLAN " + part.sql, part.params)
                plan = " ".join(str(r) for r in cur.fetchall())
                assert "spotcheck_org_day_idx (organisation_id=? AND checked_on>? AND checked_on<?)" in plan, plan
                assert "visit_org_day_idx (organisation_id=? AND visited_on>? AND visited_on<?)" in plan, plan
