"""A hazard counts from when it was first reported, not from when it was typed in (DISPATCH_TABLE.md, Time:
"Every fact is counted by the date it happened (a hazard by when it was first reported …), not by when it
was typed in"). An inspection finds a hazard on its inspection day; the record is signed — and the finding
filed — days later. A cut-off in between (the live table recomputed afterwards) counts the hazard as found
by the inspection, in its first state and grade; a hazard the inspection found before the enterprise
entered it likewise. A duplicate reported first and merged later already stands for the hazard at such a
cut-off: the hazard is counted once. The expected counts are the hazards that existed in the ledger (or on
the inspectors' record) at each cut-off, written here from the scenario; the app's figures and both
hand-written B1 floors must give them."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Sector
from bench.dispatch_sql import section_one_sql
from campaigns import dispatch as D
from hazards import asof
from hazards import services as hz
from hazards.models import Hazard
from inspections import matching

from .factories import record, today
from .test_existing_hazard import TZ, days_ago, finding, sign

pytestmark = pytest.mark.django_db


def _cutoff(day):
    """The end of ``day`` (Asia/Shanghai; a bare date as a cut-off): a weekly cut-off before the record was signed."""
    return asof.instant(day)


def _section_one(world, as_of):
    """1.1–1.4 for the district from the app, checked against the B1 floor (the same rule by hand)."""
    start = as_of - datetime.timedelta(days=30)
    table = D.region_table(world.district, start, as_of)
    app = [table["1.1"], table["1.2"], table["1.3"], table["1.4"]]
    sql, params = section_one_sql("county", world.district.code, None, start, as_of)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        assert [int(v) for v in cur.fetchone()] == app, "the floor and the app differ"
    return app


def _self_found(world, grade="major", description="安全出口锁闭"):
    kw = {"deadline": today() + datetime.timedelta(days=30)} if grade == "major" else {}
    return hz.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce, grade=grade,
                              sector=Sector.objects.get(code="commerce"), description=description,
                              basis_reason="可能导致群死群伤" if grade == "major" else "", notify_people=False, **kw)


def test_a_finding_filed_days_after_its_inspection_counts_from_the_inspection_day(world):
    with days_ago(3):
        rec = record(world)
    finding(world, rec)
    sign(world, rec)  # today: the finding is filed now
    h = Hazard.objects.get(channel="inspection")
    assert timezone.localtime(h.first_reported_at, TZ).date() == rec.inspected_on
    assert h.first_reported_at < h.created_at
    cut = _cutoff(rec.inspected_on)
    assert _section_one(world, cut) == [0, 0, 1, 0]  # found by the inspection, not rectified
    assert asof.state_of(h, cut) == {"exists": True, "state": "registered", "grade": "major", "listed": False,
                                     "deadline": h.deadline, "overdue": False}
    assert not asof.state_of(h, _cutoff(rec.inspected_on - datetime.timedelta(days=1)))["exists"]
    assert _section_one(world, timezone.now()) == [0, 0, 1, 0]


def test_a_hazard_the_inspection_found_before_the_enterprise_entered_it_counts_from_the_inspection(world):
    with days_ago(3):
        rec = record(world)
    h = _self_found(world)  # entered today
    matching.match_finding(world.user("emergency"), finding(world, rec), hazard=h)
    sign(world, rec)
    h.refresh_from_db()
    assert h.channel == "inspection" and timezone.localtime(h.first_reported_at, TZ).date() == rec.inspected_on
    assert _section_one(world, _cutoff(rec.inspected_on)) == [0, 0, 1, 0]


@pytest.mark.parametrize("survivor_grade", ["major", "general"])  # 一般: raised by the merge (a grade change)
def test_a_duplicate_reported_first_stands_for_the_hazard_until_merged_so_it_counts_once(world, survivor_grade):
    with days_ago(5):
        first = _self_found(world, description="安全出口锁闭（先报）")
    survivor = _self_found(world, grade=survivor_grade, description="安全出口锁闭")  # entered today, the same hazard
    hz.merge(world.user("committee"), first, into=survivor, reason="同一隐患")
    survivor.refresh_from_db()
    assert survivor.grade == "major"
    assert survivor.first_reported_at == Hazard.objects.get(pk=first.pk).first_reported_at
    cut = _cutoff(today() - datetime.timedelta(days=2))  # the duplicate existed, the survivor was not entered
    assert _section_one(world, cut) == [1, 0, 0, 0]
    assert not asof.state_of(survivor, cut)["exists"]
    assert _section_one(world, timezone.now()) == [1, 0, 0, 0]


def test_before_its_first_event_a_hazard_has_its_first_grade(world):
    """Found 一般 by the inspection 3 days ago, entered today and made 重大 today by merging a 重大 duplicate
    reported today: at the inspection day's cut-off it was 一般 — no 重大 hazard then."""
    with days_ago(3):
        rec = record(world)
    h = _self_found(world, grade="general")
    matching.match_finding(world.user("emergency"), finding(world, rec, grade="general"), hazard=h)
    sign(world, rec)
    major = _self_found(world, description="安全出口锁闭，且无应急照明")
    # ``h`` as read before the inspection's source moved its first report back: the merge re-reads it
    # under its lock (it used to write the stale first report back, losing the inspection's)
    hz.merge(world.user("committee"), major, into=h, reason="同一隐患")
    h.refresh_from_db()
    assert h.grade == "major"
    cut = _cutoff(rec.inspected_on)
    assert asof.state_of(h, cut)["grade"] == "general"
    assert _section_one(world, cut) == [0, 0, 0, 0]
    assert _section_one(world, timezone.now()) == [0, 0, 1, 0]
