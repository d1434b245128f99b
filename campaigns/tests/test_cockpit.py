"""The committee office's cockpit (驾驶舱): colours, figures that lead to exactly their hazards,
scope, weekly snapshots backfilled from the event trail, and this week's dispatch status."""

import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Sector
from campaigns import services as cs
from campaigns.models import BoardSnapshot
from core.models import Event
from core.navigation import menu_for
from core.testing import check_matrix, client_as
from hazards import services as hs
from hazards.models import Hazard
from supervision import services as sv

TZ = datetime.timezone(datetime.timedelta(hours=8))
OPEN = ("registered", "rectifying", "pending_acceptance")


def _hazard(world, persona, ent, *, deadline, grade="major", found_ago=60):
    today = timezone.localdate()
    return hs.register_hazard(world.user(persona), enterprise=ent, sector=Sector.objects.get(code="commerce"),
                              description="安全出口锁闭", grade=grade, basis_reason="可能导致群死群伤" if grade == "major" else "",
                              found_on=min(today - datetime.timedelta(days=found_ago), deadline), deadline=deadline,
                              notify_people=False)


def _world_with_colours(world):
    """光复道 (ent_commerce): a major hazard 40 days overdue → red, plus a general overdue one (never
    counted); 望海楼 (ent_commerce2): one major 3 days overdue and listed (挂牌督办) → red by the
    listed-overdue rule, and one major due in 60 days."""
    today = timezone.localdate()
    red = _hazard(world, "enterprise", world.ent_commerce, deadline=today - datetime.timedelta(days=40))
    _hazard(world, "enterprise", world.ent_commerce, deadline=today - datetime.timedelta(days=10), grade="general")
    # listed ten days ago with the notice's deadline 3 days ago (the hazard's deadline is the notice's)
    import time_machine

    with time_machine.travel(timezone.now() - datetime.timedelta(days=10), tick=False):
        listed = _hazard(world, "commerce", world.ent_commerce2, deadline=today - datetime.timedelta(days=3))
        listing = sv.propose_listing(world.user("committee"), hazard=listed, responsible_department=world.org("commerce"),
                                     deadline=today - datetime.timedelta(days=3), requirements="限期整改")
        sv.approve(world.user("committee_lead"), listing)
    _hazard(world, "commerce", world.ent_commerce2, deadline=today + datetime.timedelta(days=60))
    return red, listed


def _oracle(code: str, figure: str) -> int:
    """An independent count in Python over every hazard row (not through the board nor the ledger)."""
    from supervision.models import Listing

    today = timezone.localdate()
    in_force = {lst.hazard_id for lst in Listing.objects.all() if lst.status in ("listed", "delisting_requested")}
    n = 0
    for h in Hazard.objects.all():
        if code not in (h.county_code, h.township_code) or h.grade != "major" or h.status in ("merged", "void"):
            continue
        is_open = h.status in OPEN
        overdue = is_open and h.deadline is not None and h.deadline < today
        n += {"total": True, "open": is_open, "overdue": overdue, "closed": h.status == "closed",
              "listed": h.pk in in_force, "listed_overdue": h.pk in in_force and overdue}[figure]
    return n


def _ledger_total(client, url: str) -> int:
    resp = client.get(url)
    assert resp.status_code == 200, url
    return resp.context["page_obj"].paginator.count


def test_the_map_colours_the_townships_and_every_figure_leads_to_exactly_its_hazards(world, client):
    _world_with_colours(world)
    client_as(client, world, "committee")
    resp = client.get("/campaigns/cockpit/")
    assert resp.status_code == 200
    items = {i["name"]: i for i in resp.context["items"]}
    assert len(items) == len(world.townships)
    assert items["光复道街道"]["colour"] == "red" and items["望海楼街道"]["colour"] == "red"
    assert {i["colour"] for n, i in items.items() if n not in ("光复道街道", "望海楼街道")} == {"green"}
    html = resp.content.decode()
    assert html.count('data-testid="region-tile"') == len(world.townships)  # townships: no shapes, the coloured grid
    assert 'id="cockpit-map"' not in html and 'id="cockpit-trend"' not in html  # no snapshots yet
    assert "<script>" not in html.replace('<script src=', '')  # CSP: no inline scripts (json_script is data)
    checked = 0
    for item in [*resp.context["items"], resp.context["own"]]:
        for figure, url in item["links"].items():
            assert item[figure] == _oracle(item["code"], figure), (item["name"], figure)
            assert _ledger_total(client, url) == item[figure], (item["name"], figure, url)
            checked += 1
    assert checked == 6 * (len(world.townships) + 1)
    assert resp.context["own"]["overdue"] == 2 and resp.context["own"]["listed"] == 1
    assert resp.context["overdue_total"] == 2 and resp.context["listed_total"] == 1


def test_clicking_a_region_opens_its_own_cockpit_with_its_overdue_figure(world, client):
    red, _ = _world_with_colours(world)
    client_as(client, world, "committee")
    html = client.get("/campaigns/cockpit/").content.decode()
    tile = re.search(r'<a class="cockpit-tile" href="([^"]+)"[^>]*data-code="' + world.townships[0].code, html)
    assert tile, "the red township's tile links to its cockpit"
    resp = client.get(tile.group(1).replace("&amp;", "&"))
    assert resp.status_code == 200 and resp.context["leaf"] and resp.context["region"] == world.townships[0]
    overdue = resp.context["own"]["links"]["overdue"]
    assert parse_qs(urlparse(overdue).query) == {"region": [world.townships[0].code], "grade": ["major"], "progress": ["overdue"]}
    ledger = client.get(overdue)
    assert [h.pk for h in ledger.context["page_obj"].object_list] == [red.pk]


def test_only_committee_offices_of_the_region_and_above_see_the_cockpit(world, client):
    check_matrix(client, world, "/campaigns/cockpit/", {
        "committee": 200, "committee_lead": 200, "province": 200, "admin": 200,
        "commerce": 404, "emergency_lead": 404, "township": 404, "other_region": 404,
        "enterprise": 404, "agency": 404, "nobody": 404, "anon": "login"})
    district, other = world.district.code, "120102"
    check_matrix(client, world, f"/campaigns/cockpit/?region={world.townships[0].code}",
                 {"committee": 200, "province": 200, "commerce": 404, "enterprise": 404, "anon": "login"})
    check_matrix(client, world, f"/campaigns/cockpit/?region={other}", {"committee": 404, "province": 200})
    check_matrix(client, world, "/campaigns/cockpit/?region=12", {"committee": 404, "province": 200})
    check_matrix(client, world, f"/campaigns/cockpit/?region={district}", {"committee": 200, "province": 200})
    check_matrix(client, world, "/campaigns/cockpit/?region=999999", {"committee": 404, "province": 404})
    client_as(client, world, "committee")
    resp = client.get("/campaigns/cockpit/?as_of=not-a-date")
    assert resp.status_code == 400 and "截止时间" in resp.content.decode()


def test_the_menu_shows_the_cockpit_to_committee_offices_only(world):
    def has(persona):
        return any(e.url == "/campaigns/cockpit/" for e in menu_for(world.user(persona)))

    assert has("committee") and has("province")
    assert not any(has(p) for p in ("commerce", "township", "enterprise", "agency"))


def test_a_municipality_cockpit_shows_its_districts_on_the_vendored_map(world, client):
    _world_with_colours(world)
    client_as(client, world, "province")
    resp = client.get("/campaigns/cockpit/")
    assert resp.context["region"].code == "12" and resp.context["shown"].code == "1201"  # through 市辖区
    assert resp.context["geo_url"].endswith("vendor/maps/province/tianjin.json")
    data = {d["code"]: d for d in resp.context["chart"]["map"]["data"]}
    assert data["120105"]["name"] == "河北区" and data["120105"]["itemStyle"]["areaColor"] == "#d9534f"  # red
    assert data["120105"]["url"] == "/campaigns/cockpit/?region=120105"
    assert data["120102"]["itemStyle"]["areaColor"] == "#22a06b"  # 河东区: green
    assert 'id="cockpit-map"' in resp.content.decode()


def _travel(day: datetime.date, hour=9):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False)


def _closed_late(world) -> None:
    """A major hazard of the first township reported on 2026-03-04, due 03-20, closed 04-08."""
    with _travel(datetime.date(2026, 3, 4)):
        h = hs.register_hazard(world.user("enterprise"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                               description="安全出口锁闭", grade="major", basis_reason="重大", deadline=datetime.date(2026, 3, 20),
                               notify_people=False)
    with _travel(datetime.date(2026, 4, 8)):
        plan = dict(goal_tasks="消除隐患", measures="整改", funds_materials="已落实", responsible="设备部",
                    deadline=datetime.date(2026, 6, 30), safety_emergency="应急预案")
        h = hs.submit_plan(world.user("enterprise"), h, plan=plan)
        hs.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
        h.refresh_from_db()
        hs.accept(world.user("commerce_lead"), h, opinion="验收通过")


#: the first township's colour each Monday for ``_closed_late``: green before the report, blue
#: (03-09: within its deadline), yellow (03-16: due within 7 days), orange (03-23 … 04-06: overdue
#: ≤ 30 days), green (04-13: closed)
CLOSED_LATE_WEEKS = {datetime.date(2026, 3, 2): "green", datetime.date(2026, 3, 9): "blue", datetime.date(2026, 3, 16): "yellow",
                     datetime.date(2026, 3, 23): "orange", datetime.date(2026, 3, 30): "orange", datetime.date(2026, 4, 6): "orange",
                     datetime.date(2026, 4, 13): "green"}


def test_snapshots_are_backfilled_from_the_event_trail_when_a_campaign_starts(world, client, settings):
    settings.QINGLING_JOBS_INLINE = True
    g = world.townships[0]
    _closed_late(world)
    with _travel(datetime.date(2026, 4, 15)):
        cs.create_campaign(world.user("committee"), name="治本攻坚", issuer=world.org("committee"), region=world.district,
                           start=datetime.date(2026, 3, 2), end=datetime.date(2026, 12, 31))
        expected = CLOSED_LATE_WEEKS
        got = dict(BoardSnapshot.objects.filter(region=g).values_list("week", "colour"))
        assert got == expected
        assert BoardSnapshot.objects.filter(region__parent=world.district).count() == 7 * len(world.townships)
        # one event per week written (as the weekly job writes one per week), naming its rows
        events = Event.objects.filter(verb="campaigns.board_backfilled", object_id=world.district.pk)
        townships = sorted(t.code for t in world.townships)
        assert sorted((e.data["week"], tuple(sorted(e.data["regions"]))) for e in events) == [
            (week.isoformat(), tuple(townships)) for week in sorted(expected)]
        # idempotent: the weekly job and the command write nothing new
        from django.core.management import call_command

        from jobs.periodic import run_system

        run_system("campaigns.board_snapshot")
        call_command("backfill_board")
        assert BoardSnapshot.objects.filter(region__parent=world.district).count() == 7 * len(world.townships)
        assert events.count() == len(expected)
        client_as(client, world, "committee")
        resp = client.get("/campaigns/cockpit/")
    trend = resp.context["trend"]
    assert [w["week"] for w in trend] == sorted(expected)
    assert [w["orange"] for w in trend] == [0, 0, 0, 1, 1, 1, 0] and [w["overdue"] for w in trend] == [0, 0, 0, 1, 1, 1, 0]
    html = resp.content.decode()
    assert 'id="cockpit-trend"' in html and 'data-testid="trend-table"' in html


def test_a_backfill_done_one_week_a_share_writes_the_same_weeks_and_counts_every_row(world, settings):
    """Shares of no time at all: each share of the campaign's backfill job computes one week (of
    every region missing it: one region here), then the job goes back to the queue (inline here:
    run again at once) — the colours are those of the one-pass backfill above, every missing week
    is one share, and the job's count adds up the shares."""
    from jobs.models import Job

    settings.QINGLING_JOBS_INLINE = True
    settings.QINGLING_JOB_SHARE_SECONDS = 0
    _closed_late(world)
    with _travel(datetime.date(2026, 4, 15)):
        campaign = cs.create_campaign(world.user("committee"), name="治本攻坚", issuer=world.org("committee"),
                                      region=world.district, start=datetime.date(2026, 3, 2), end=datetime.date(2026, 12, 31))
    assert dict(BoardSnapshot.objects.filter(region=world.townships[0]).values_list("week", "colour")) == CLOSED_LATE_WEEKS
    job = Job.objects.get(kind="campaigns.board_backfill", params__campaign=campaign.pk)
    boards = BoardSnapshot.objects.values_list("region__parent", "week").distinct().count()  # (board region, week) pairs
    assert boards >= len(CLOSED_LATE_WEEKS)
    shares = Event.objects.filter(verb="job.requeued", object_id=job.pk).count() + 1
    assert shares == boards == Event.objects.filter(verb="campaigns.board_backfilled").count()
    rows = BoardSnapshot.objects.count()
    assert job.status == "done" and job.attempts == 1 and job.summary == {"rows": rows}
    assert job.message == f"已回填 {rows} 条五色图周快照。" and (job.done, job.total) == (boards, boards)


#: the 河东区 township's colour each Monday for a major hazard reported there on 2026-03-11, due
#: 04-30 and still open on 04-15: green before the report, then blue (open, due in more than 7 days;
#: no rate while nothing is due)
OPEN_LATER_WEEKS = {datetime.date(2026, 3, 2): "green", datetime.date(2026, 3, 9): "green",
                    **{datetime.date(2026, 3, 16) + datetime.timedelta(weeks=i): "blue" for i in range(5)}}


def test_a_backfill_week_computes_every_region_missing_it_together_each_with_its_own_figures(world, settings):
    """A municipality's campaign with two district cockpits (河北区, 河东区) besides its own (the
    districts below 市辖区): each share (share length 0) is one week of every region missing it —
    the two districts' townships in one statement — and each township gets the colours its own
    hazard gives by the board rules; one event per region and week."""
    from accounts import services as accounts
    from accounts.models import Organisation
    from jobs.models import Job
    from regions.models import Region

    settings.QINGLING_JOBS_INLINE = True
    settings.QINGLING_JOB_SHARE_SECONDS = 0
    hedong = Region.objects.get(code="120102")
    accounts.ensure_organisation(None, kind=Organisation.Kind.COMMITTEE, name="河东区安全生产委员会办公室", region=hedong)
    _closed_late(world)
    with _travel(datetime.date(2026, 3, 11)):
        hs.register_hazard(world.user("other_region"), enterprise=world.ent_other_region,
                           sector=world.ent_other_region.sectors.first(), description="储罐区防火堤破损", grade="major",
                           basis_reason="重大", deadline=datetime.date(2026, 4, 30), notify_people=False)
    with _travel(datetime.date(2026, 3, 11)):  # a second 河北区 township: due 04-17, still open
        hs.register_hazard(world.user("commerce"), enterprise=world.ent_commerce2, sector=Sector.objects.get(code="commerce"),
                           description="消防通道堵塞", grade="major", basis_reason="重大", deadline=datetime.date(2026, 4, 17),
                           notify_people=False)
    municipality = world.district.parent.parent
    with _travel(datetime.date(2026, 4, 15)):
        campaign = cs.create_campaign(None, name="治本攻坚", issuer=world.org("province_committee"),
                                      region=municipality, start=datetime.date(2026, 3, 2), end=datetime.date(2026, 12, 31))
    weeks = sorted(CLOSED_LATE_WEEKS)
    colours = lambda region: dict(BoardSnapshot.objects.filter(region=region).values_list("week", "colour"))  # noqa: E731
    assert colours(world.townships[0]) == CLOSED_LATE_WEEKS
    assert colours(world.ent_commerce2.region) == {**{w: "green" for w in weeks[:2]}, **{w: "blue" for w in weeks[2:6]},
                                                   datetime.date(2026, 4, 13): "yellow"}
    assert colours(world.ent_other_region.region) == OPEN_LATER_WEEKS
    # the municipality's board (its districts): 河东区 its township's colours; 河北区 both of its
    # townships' hazards — yellow on 03-16 (the first due in 4 days, the second in 32), orange while
    # the first is overdue, then yellow (the second due in 4 days, and the first closed late: 0 of
    # 1 due closed on time)
    assert colours(world.district) == {**CLOSED_LATE_WEEKS, datetime.date(2026, 4, 13): "yellow"}
    assert colours(hedong) == OPEN_LATER_WEEKS
    last = BoardSnapshot.objects.get(region=world.district, week=datetime.date(2026, 4, 13)).figures
    assert {k: last[k] for k in ("total", "closed", "open", "overdue", "on_time", "min_days_left", "rate")} == {
        "total": 2, "closed": 1, "open": 1, "overdue": 0, "on_time": 0, "min_days_left": 4, "rate": "0.00"}
    boards = [world.district.parent, world.district, hedong]
    for board in boards:
        assert set(BoardSnapshot.objects.filter(region__parent=board).values_list("week", flat=True)) == set(weeks)
        assert BoardSnapshot.objects.filter(region__parent=board).count() == len(weeks) * board.children.count()
    job = Job.objects.get(kind="campaigns.board_backfill", params__campaign=campaign.pk)
    shares = Event.objects.filter(verb="job.requeued", object_id=job.pk).count() + 1
    assert shares == len(weeks)
    events = Event.objects.filter(verb="campaigns.board_backfilled")
    assert sorted((e.object_id, e.data["week"]) for e in events) == sorted((b.pk, w.isoformat()) for b in boards for w in weeks)
    assert job.summary == {"rows": BoardSnapshot.objects.count()} and (job.done, job.total) == (3 * len(weeks), 3 * len(weeks))


def test_a_week_written_in_part_gets_only_its_missing_rows(world):
    """A week whose rows exist for all but one township (a township added since, or a row lost):
    the backfill writes that one row — with the colour the rules give — and keeps the others."""
    _closed_late(world)
    g = world.townships[0]
    with _travel(datetime.date(2026, 4, 15)):
        rows, complete = cs.backfill_board(None, world.district, datetime.date(2026, 3, 2))
        assert complete and rows == len(CLOSED_LATE_WEEKS) * len(world.townships)
        week = datetime.date(2026, 3, 23)
        kept = set(BoardSnapshot.objects.filter(week=week).exclude(region=g).values_list("pk", flat=True))
        BoardSnapshot.objects.filter(region=g, week=week).delete()
        assert cs.backfill_board(None, world.district, datetime.date(2026, 3, 2)) == (1, True)
    assert BoardSnapshot.objects.get(region=g, week=week).colour == CLOSED_LATE_WEEKS[week]
    assert set(BoardSnapshot.objects.filter(week=week).exclude(region=g).values_list("pk", flat=True)) == kept
    assert Event.objects.filter(verb="campaigns.board_backfilled").latest("id").data["regions"] == [g.code]


def test_the_weekly_job_leaves_a_long_backfill_to_a_job_of_its_own(world, settings):
    """The weekly snapshot finds many weeks of a running campaign missing (its backfill job failed):
    it writes what its share allows (one region-week here) and queues the campaign's backfill job
    for the rest; the next week it leaves them to that job (two computing a week would collide)."""
    from jobs.models import Job
    from jobs.periodic import run_system

    settings.QINGLING_JOB_SHARE_SECONDS = 0
    _closed_late(world)
    with _travel(datetime.date(2026, 4, 15)):
        settings.QINGLING_JOBS_INLINE = False  # its backfill job is queued, not run
        campaign = cs.create_campaign(world.user("committee"), name="治本攻坚", issuer=world.org("committee"),
                                      region=world.district, start=datetime.date(2026, 3, 2), end=datetime.date(2026, 12, 31))
        Job.objects.filter(kind="campaigns.board_backfill").update(status="failed")
        run_system("campaigns.board_snapshot")
        run_system("campaigns.board_snapshot")
    queued = Job.objects.filter(kind="campaigns.board_backfill", params__campaign=campaign.pk, status="pending")
    assert queued.count() == 1
    # the second weekly run left the weeks to that job: this week's row and the first run's one share only
    assert set(BoardSnapshot.objects.filter(region=world.townships[0]).values_list("week", flat=True)) == {
        datetime.date(2026, 4, 13), datetime.date(2026, 3, 2)}


def test_a_campaign_starting_later_backfills_nothing_and_the_weekly_job_adds_one_week(world, settings):
    settings.QINGLING_JOBS_INLINE = True
    with _travel(datetime.date(2026, 5, 6)):
        cs.create_campaign(None, name="夏季行动", issuer=world.org("committee"), region=world.district,
                           start=datetime.date(2026, 6, 1), end=datetime.date(2026, 8, 31))
        assert not BoardSnapshot.objects.exists()
    with _travel(datetime.date(2026, 6, 1), 13):
        from jobs.periodic import run_system

        run_system("campaigns.board_snapshot")
        run_system("campaigns.board_snapshot")
    weeks = set(BoardSnapshot.objects.filter(region__parent=world.district).values_list("week", flat=True))
    assert weeks == {datetime.date(2026, 6, 1)}


def test_dispatch_status_of_every_unit_this_week_on_time_late_or_missing(world, client):
    with _travel(datetime.date(2026, 3, 1)):
        campaign = cs.create_campaign(None, name="治本攻坚", issuer=world.org("committee"), region=world.district,
                                      start=datetime.date(2026, 3, 1), end=datetime.date(2026, 12, 31),
                                      report_weekday=2, report_time=datetime.time(12, 0))  # every Wednesday 12:00
    on_time, late = world.org("commerce"), world.org("township0")
    with _travel(datetime.date(2026, 3, 3), 10):  # Tuesday, before the deadline
        cs.submit(world.user("commerce"), unit=on_time, campaign=campaign, as_of=timezone.now())
    with _travel(datetime.date(2026, 3, 4), 15):  # Wednesday 15:00, after 12:00
        cs.submit(world.user("township"), unit=late, campaign=campaign, as_of=timezone.now())
    with _travel(datetime.date(2026, 3, 5), 9):
        cs.submit(world.user("township"), unit=late, campaign=campaign, as_of=timezone.now(), note="更正")  # v2: still late
        client_as(client, world, "committee")
        resp = client.get("/campaigns/cockpit/")
        lines = {x["unit"].pk: x["status"] for x in resp.context["dispatch"]["lines"]}
        from campaigns.tables import reporting_units

        units = {u.pk for u in reporting_units(world.org("committee"), campaign)}
        assert set(lines) == units
        assert lines[on_time.pk] == "on_time" and lines[late.pk] == "late"
        assert {s for pk, s in lines.items() if pk not in (on_time.pk, late.pk)} == {"missing"}
        assert resp.context["dispatch"]["counts"] == {"on_time": 1, "late": 1, "missing": len(units) - 2}
        only_late = client.get("/campaigns/cockpit/?dispatch=late")
        assert [x["unit"].pk for x in only_late.context["dispatch_lines"]] == [late.pk]
        assert 'data-testid="dispatch-missing"' in only_late.content.decode()


@pytest.mark.parametrize("field,value", [("progress", "sideways"), ("listed", "maybe")])
def test_the_ledger_refuses_a_bad_figure_filter_with_the_field_and_a_chinese_reason(world, client, field, value):
    client_as(client, world, "committee")
    resp = client.get(f"/hazards/?region={world.district.code}&{field}={value}")
    assert resp.status_code == 400
    errors = resp.context["filter"].errors
    assert list(errors) == [field] and re.search(r"[\u4e00-\u9fff]", " ".join(errors[field]))
