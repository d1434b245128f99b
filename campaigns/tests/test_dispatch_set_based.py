"""Section 一 of the dispatch table is counted set-based (``hazards.asof.major_rows_sql``: 重大
candidates by the grade index and the grade-change partial index, state and grade at the cut-off
from one pass over each candidate's events). Oracle: the correlated event-trail path
``hazards.asof.major`` (an independent implementation of the same rule: a sub-select per hazard
and per figure), counted in Python — over a randomised corpus built through the services (closures,
reopenings, voids, merges that raise a grade, several events at one instant) plus the trails no
service writes today: a grade lowered with a ``hazard.regraded`` event, a grade changed without
one (legacy fallback), a grade change carrying a JSON null."""

import datetime
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from accounts.models import Sector
from campaigns import dispatch as D
from core.events import record
from core.services import ServiceError
from hazards import asof
from hazards import services as hs
from hazards.models import Hazard
from hazards.querysets import SELF_CHANNELS

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
START = datetime.datetime(2026, 2, 1, tzinfo=TZ)
PLAN = dict(goal_tasks="消除隐患", measures="整改", funds_materials="已落实", responsible="设备部",
            deadline=datetime.date(2031, 1, 31), safety_emergency="应急预案")


def travel(day, hour=10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ), tick=False)


def oracle(qs, start, at) -> dict:
    rows = list(asof.major(qs, at).filter(first_reported_at__gte=start).values_list("channel", "state_at"))
    own = [s for c, s in rows if c in SELF_CHANNELS]
    dept = [s for c, s in rows if c not in SELF_CHANNELS]
    return {"1.1": len(own), "1.2": own.count("closed"), "1.3": len(dept), "1.4": dept.count("closed")}


def _register(world, persona, ent, grade):
    return hs.register_hazard(world.user(persona), enterprise=ent, sector=Sector.objects.get(code="commerce"),
                              description="安全出口锁闭", grade=grade,
                              basis_reason="可能导致群死群伤" if grade == "major" else "",
                              deadline=datetime.date(2030, 6, 30), notify_people=False)


def _regrade(hazard, grade):
    """A grade change written as the trail records it (no service lowers a grade today)."""
    with transaction.atomic():
        record(None, "hazard.regraded", hazard, data={"grade_from": hazard.grade, "grade": grade, "cause": "test"})
        Hazard.objects.filter(pk=hazard.pk).update(grade=grade, basis_reason="可能导致群死群伤")


def _corpus(world, seed):
    rng = random.Random(seed)
    day = datetime.date(2026, 2, 2)
    made = []
    for _ in range(14):
        day += datetime.timedelta(days=rng.choice([0, 1, 1, 2]))
        with travel(day, rng.choice([9, 14, 23])):
            for _ in range(rng.randint(1, 3)):
                own = rng.random() < 0.6
                ent = world.ent_commerce if own or rng.random() < 0.5 else world.ent_commerce2
                grade = "major" if rng.random() < 0.6 else "general"
                made.append(_register(world, "enterprise" if own else "commerce", ent, grade))
            for h in rng.sample(made, min(3, len(made))):
                h.refresh_from_db()
                move = rng.random()
                try:
                    if h.status == "registered" and h.enterprise_id == world.ent_commerce.pk and move < 0.5:
                        # plan, completion and acceptance at one instant: the id breaks the tie
                        h = hs.submit_plan(world.user("enterprise"), h, plan=PLAN)
                        hs.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
                        h.refresh_from_db()
                        hs.accept(world.user("commerce_lead"), h, opinion="验收通过")
                    elif h.status == "closed" and move < 0.7:
                        hs.reopen(world.user("enterprise"), h, reason="再次发现")
                    elif h.status in ("registered", "rectifying") and move < 0.65:
                        hs.void(world.user("commerce"), h, reason="误报")
                    elif h.status in ("registered", "rectifying") and move < 0.85:
                        into = next((o for o in made if o.pk != h.pk and o.enterprise_id == h.enterprise_id
                                     and Hazard.objects.get(pk=o.pk).status in ("registered", "rectifying")), None)
                        if into is not None:
                            into.refresh_from_db()
                            hs.merge(world.user("commerce"), h, into=into, reason="同一隐患")
                    elif move < 0.93:
                        _regrade(h, "general" if h.grade == "major" else "major")
                    elif h.status not in ("merged", "void"):
                        # an inspection that had found it days before it was entered: reported before
                        # its first event (first state and grade until then)
                        hs.add_source(world.user("commerce"), h, channel="inspection",
                                      reported_at=h.first_reported_at - datetime.timedelta(days=rng.choice([1, 3])))
                except ServiceError:
                    pass
    return made, day


@pytest.mark.parametrize("seed", [3, 11])
def test_section_one_set_based_equals_the_event_trail_at_every_cut_off(world, seed):
    made, last = _corpus(world, seed)
    # the trails no service writes: a grade changed with no event (fallback: today's grade at every
    # instant), and a grade change whose grade is a JSON null
    h = made[0]
    h.refresh_from_db()
    Hazard.objects.filter(pk=h.pk).update(grade="general" if h.grade == "major" else "major", basis_reason="可能导致群死群伤")
    with travel(last + datetime.timedelta(days=1)), transaction.atomic():
        record(None, "hazard.regraded", made[1], data={"grade": None, "cause": "test"})
    units = [D.unit_hazards(world.org(u)) for u in ("commerce", "township0", "township1", "committee")]
    units.append(Hazard.objects.filter(county_code=world.district.code))
    cuts = [datetime.datetime.combine(START.date() + datetime.timedelta(days=d), datetime.time(h), tzinfo=TZ)
            for d in range(0, (last - START.date()).days + 3, 2) for h in (8, 23)]
    seen = 0
    for at in cuts:
        for qs in units:
            want = oracle(qs, START, at)
            # every scope here lies in the district: with its county named (the dispatch pages' path,
            # SQLite's partial index) and without
            for county in (None, world.district.code):
                got = D.section_one(qs, START, at, departments_rows=True, county_code=county)
                assert got == want, (at, county, str(qs.query)[:80])
            seen += got["1.1"] + got["1.3"]
    assert seen > 0
    # the corpus exercised every branch of the rule
    from core.models import Event

    changed = Event.objects.filter(object_type="hazards.hazard", verb="hazard.regraded")
    assert changed.filter(data__grade="general").exists() and changed.filter(data__grade="major").exists()
    assert Event.objects.filter(verb="hazard.source_added", data__has_key="channel_from").exists()  # reported earlier


def test_a_lowered_grade_counts_as_major_before_the_change_and_not_after(world):
    """By the grade trail (hazards/asof.py): 重大 until the 12th, 一般 from then on."""
    with travel(datetime.date(2026, 3, 2)):
        h = _register(world, "enterprise", world.ent_commerce, "major")
    with travel(datetime.date(2026, 3, 12)):
        _regrade(h, "general")
    qs = D.unit_hazards(world.org("commerce"))
    before = datetime.datetime(2026, 3, 11, 12, tzinfo=TZ)
    after = datetime.datetime(2026, 3, 13, 12, tzinfo=TZ)
    assert D.section_one(qs, START, before, departments_rows=True) == {"1.1": 1, "1.2": 0, "1.3": 0, "1.4": 0}
    assert D.section_one(qs, START, after, departments_rows=True) == {"1.1": 0, "1.2": 0, "1.3": 0, "1.4": 0}


def test_section_one_is_one_statement_whatever_the_scope_size(world, django_assert_num_queries):
    with travel(datetime.date(2026, 3, 2)):
        for _ in range(5):
            _register(world, "enterprise", world.ent_commerce, "major")
    qs = D.unit_hazards(world.org("commerce"))
    with django_assert_num_queries(1):
        assert D.section_one(qs, START, datetime.datetime(2026, 3, 3, tzinfo=TZ), departments_rows=True)["1.1"] == 5


def test_a_county_s_major_hazards_are_read_by_its_partial_index_over_the_period(world):
    """The dispatch pages name the county of their scope (``Region.county_code``): SQLite then reads the
    county's 重大 hazards first reported in the period by ``hazard_major_county_idx``, not every
    重大 hazard of the database; PostgreSQL plans that index from the scope itself."""
    from django.db import connection

    township = world.org("township0").region
    assert township.county_code() == world.district.county_code() == world.district.code
    assert world.district.parent.county_code() is None
    from django.test.utils import CaptureQueriesContext

    for unit in ("commerce", "township0"):  # the statement the dispatch page runs, as it ran
        with CaptureQueriesContext(connection) as ran:
            D.unit_table(world.org(unit), START, datetime.datetime(2026, 3, 3, tzinfo=TZ))
        statement = next(q["sql"] for q in ran.captured_queries if "core_event" in q["sql"])
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute("SET LOCAL enable_seqscan = off")
                cur.execute("EXPLAIN " + statement)
            else:
                cur.execute("EXPLAIN QUERY PLAN " + statement)
            plan = " ".join(str(r) for r in cur.fetchall())
        assert "hazard_major_county_idx" in plan, (unit, plan)
        if connection.vendor == "sqlite":
            assert "hazard_major_county_idx (county_code=? AND first_reported_at>? AND first_reported_at<?)" in plan, plan
