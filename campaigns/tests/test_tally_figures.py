"""Statistics, board and home cards "now" read the tallies (hazards.tallies); their figures equal the
direct counts — the event-trail path of the same functions as of the same instant, and plain
counts of the scoped hazards — for the committee office, departments, a township, the province
and the superuser. The corpus is built through the services over four weeks (deadlines passed
this week and earlier, closures on time and late, reopenings, extensions, merges, voids, a
listing in force and one declined)."""

import datetime
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Sector
from accounts.scope import scope_for
from campaigns.board import figures
from campaigns.stats import statistics
from core.testing import client_as
from hazards import home
from hazards import services as hs
from hazards.models import Hazard
from supervision import services as sv

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PERSONAS = ["committee", "commerce", "housing", "emergency", "township", "township_other", "province", "admin"]
PLAN = dict(goal_tasks="消除隐患", measures="整改", funds_materials="已落实", responsible="设备部",
            deadline=datetime.date(2031, 1, 31), safety_emergency="应急预案")


def travel(day, hour=10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ), tick=False)


def _corpus(world, seed=7):
    rng = random.Random(seed)
    day = datetime.date(2026, 2, 2)  # a Monday; "now" is Thursday 2026-03-05
    made = []
    places = [(world.ent_commerce, "commerce"), (world.ent_commerce2, "commerce"), (world.ent_construction, "construction"),
              (world.ent_hazchem, "hazchem"), (world.ent_other_region, "hazchem")]
    for _ in range(30):  # to Tuesday 3 March
        with travel(day, hour=rng.choice([1, 11, 23])):
            for _ in range(rng.randint(1, 3)):
                ent, sector = rng.choice(places)
                grade = "major" if rng.random() < 0.4 else "general"
                deadline = day + datetime.timedelta(days=rng.choice([0, 2, 5, 9, 16, 30]))
                made.append(hs.register_hazard(
                    None, enterprise=ent, sector=Sector.objects.get(code=sector), description="安全出口锁闭", grade=grade,
                    channel=rng.choice(["self_check", "inspection", "tip"]), deadline=deadline,
                    basis_reason="可能导致群死群伤" if grade == "major" else "", notify_people=False))
            for h in rng.sample(made, min(4, len(made))):
                h.refresh_from_db()
                r = rng.random()
                if h.status == "registered":
                    if r < 0.1:
                        hs.void(None, h, reason="误报")
                    elif r < 0.2:
                        into = Hazard.objects.filter(enterprise=h.enterprise, grade=h.grade, status="registered").exclude(pk=h.pk).first()
                        if into:
                            hs.merge(None, h, into=into, reason="重复")
                    elif r < 0.4 and h.grade == "general":
                        hs.close_now(None, h, evidence_note="已整改")
                    else:
                        hs.submit_plan(None, h, plan=PLAN)
                elif h.status == "rectifying":
                    if r < 0.2 and not h.extensions.filter(status="pending").exists():
                        hs.request_extension(None, h, new_deadline=h.deadline + datetime.timedelta(days=6), reason="材料未到")
                        hs.decide_extension(None, Hazard.objects.get(pk=h.pk), approve=True)
                    else:
                        hs.submit_completion(None, h, evidence_note="已整改")
                elif h.status == "pending_acceptance":
                    (hs.reject(None, h, reason="不合格") if r < 0.3 else hs.accept(None, h, opinion="同意"))
                elif h.status == "closed" and r < 0.3:
                    # with a new deadline or without one (keeps the deadline in force, possibly an
                    # approved extension: asof._deadline must not read it as a deadline change)
                    new = rng.choice([None, 1, 8])
                    hs.reopen(None, h, reason="再次发现",
                              deadline=None if new is None else day + datetime.timedelta(days=new))
        day += datetime.timedelta(days=1)
    # fixed case (issue 16, was wrong on SQLite): an approved extension, closed, reopened without a
    # deadline — on 5 March it is open and not overdue (deadline 28 Feb extended to 12 March)
    with travel(datetime.date(2026, 2, 20)):
        h = hs.register_hazard(None, enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                               description="安全出口锁闭", grade="general", channel="inspection",
                               deadline=datetime.date(2026, 2, 28), notify_people=False)
        h = hs.submit_plan(None, h, plan=PLAN)
        hs.request_extension(None, h, new_deadline=datetime.date(2026, 3, 12), reason="材料未到")
        hs.decide_extension(None, Hazard.objects.get(pk=h.pk), approve=True)
    with travel(datetime.date(2026, 2, 25)):
        hs.submit_completion(None, Hazard.objects.get(pk=h.pk), evidence_note="已整改")
        hs.accept(None, Hazard.objects.get(pk=h.pk), opinion="同意")
    with travel(datetime.date(2026, 2, 26)):
        made.append(hs.reopen(None, Hazard.objects.get(pk=h.pk), reason="再次发现"))
    with travel(datetime.date(2026, 3, 4)):
        majors = list(Hazard.objects.filter(grade="major", status__in=("registered", "rectifying"), county_code="120105"))
        for h, approve in zip(majors[:2], (True, False)):
            listing = sv.propose_listing(world.user("committee"), hazard=h, responsible_department=world.org("commerce"),
                                         deadline=datetime.date(2026, 3, 30), requirements="限期整改")
            if approve:
                sv.approve(world.user("committee_lead"), listing)
            else:
                sv.decline(world.user("committee_lead"), listing, reason="已由行业部门督办")
    return made


def _region(world, persona):
    from regions.models import Region

    user = world.user(persona)
    membership = getattr(user, "membership", None)
    return membership.organisation.region if membership else Region.objects.filter(level="county").order_by("code").first()


@pytest.fixture
def corpus(world):
    _corpus(world)
    statuses = set(Hazard.objects.values_list("status", flat=True))
    assert {"registered", "rectifying", "pending_acceptance", "closed", "merged", "void"} <= statuses
    return world


def test_statistics_board_and_home_now_from_the_tallies_equal_the_direct_figures(corpus):
    world = corpus
    seen_overdue = seen_listed = seen_on_time = 0
    for weeks in (12, 3):
        for persona in PERSONAS:
            user = world.user(persona)
            region = _region(world, persona)
            with travel(datetime.date(2026, 3, 5), hour=15):
                qs = Hazard.objects.visible_to(user)
                for grade in ("", "major", "general"):
                    fast = statistics(qs, region, grade=grade, weeks=weeks, scope=scope_for(user))
                    slow = statistics(qs, region, grade=grade, weeks=weeks)
                    for part in ("rows", "by_region", "by_channel", "trend"):
                        assert fast[part] == slow[part], (persona, grade, part)
                    assert fast["has_listing"] == slow["has_listing"]
                    seen_overdue += sum(r["overdue"] for r in slow["by_region"])
                    seen_listed += sum(r.get("listed", 0) for r in slow["by_region"])
                board_fast, board_slow = figures(region, hazards=qs, scope=user), figures(region, hazards=qs)
                assert board_fast == board_slow, persona
                seen_on_time += sum(f["on_time"] for f in board_slow)
    assert seen_overdue and seen_listed and seen_on_time  # the corpus exercises every figure
    for persona in PERSONAS + ["enterprise", "agency"]:
        user = world.user(persona)
        with travel(datetime.date(2026, 3, 5), hour=15):
            qs = Hazard.objects.visible_to(user)
            today = datetime.date(2026, 3, 5)
            expected = {"open": qs.open().count(), "open_major": qs.open().major().count(),
                        "overdue": qs.overdue(today).count()}
            assert home.figures(user) == expected, persona


def test_the_pages_now_show_the_tally_figures_and_as_of_the_event_trail(corpus, client):
    world = corpus
    client_as(client, world, "commerce")
    user = world.user("commerce")
    with travel(datetime.date(2026, 3, 5), hour=15):
        page = client.get("/campaigns/stats/")
        past = client.get("/campaigns/stats/", {"as_of": "2026-03-05T15:00+08:00"})
        assert page.status_code == 200 and past.status_code == 200
        assert page.context["data"]["by_region"] == past.context["data"]["by_region"]
        board_now = client.get("/campaigns/board/").context["items"]
        board_past = client.get("/campaigns/board/", {"as_of": "2026-03-05T15:00+08:00"}).context["items"]
        assert board_now == board_past
        assert sum(r["found"] for r in page.context["data"]["by_region"]) == Hazard.objects.visible_to(user).counted().count()
