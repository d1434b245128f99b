"""Figures as of their date: one instant in three offsets, two quarters of bulletin and board,
listings in force only. Expected values are worked out by hand from the scenario below."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Sector
from campaigns import dispatch as D
from campaigns import services as cs
from campaigns.board import board
from campaigns.bulletin import bulletin_docx
from campaigns.models import BoardSnapshot
from core.testing import client_as
from documents.render import docx_text
from hazards import asof
from hazards import services as hs
from hazards.asof import instant as parse_as_of
from supervision import services as sv

TZ = ZoneInfo("Asia/Shanghai")
PLAN = dict(goal_tasks="消除隐患", measures="整改", funds_materials="已落实", responsible="设备部",
            deadline=datetime.date(2025, 12, 31), safety_emergency="应急预案")


def at(y, m, d, hour=9):
    return time_machine.travel(datetime.datetime(y, m, d, hour, 0, tzinfo=TZ), tick=False)


def _major(world, persona, ent, deadline):
    return hs.register_hazard(world.user(persona), enterprise=ent, sector=Sector.objects.get(code="commerce"),
                              description="安全出口锁闭", grade="major", basis_reason="可能导致群死群伤",
                              deadline=deadline, notify_people=False)


def _close(world, h):
    h = hs.submit_plan(world.user("enterprise"), h, plan=PLAN)
    hs.submit_completion(world.user("enterprise"), h, evidence_note="已整改")
    h.refresh_from_db()
    return hs.accept(world.user("commerce_lead"), h, opinion="验收通过")


def _list(world, h, deadline):
    listing = sv.propose_listing(world.user("committee"), hazard=h, responsible_department=world.org("commerce"),
                                 deadline=deadline, requirements="限期整改")
    return listing


# ---------------------------------------------------------------- one instant, three offsets

def test_dispatch_table_is_identical_for_one_instant_in_three_offsets(world):
    from campaigns.tables import unit_table

    with at(2026, 1, 1):
        campaign = cs.create_campaign(None, name="治本攻坚", issuer=world.org("committee"), region=world.district,
                                      start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
    with at(2026, 6, 16, 9):  # both entered after the cut-off, dated the cut-off's Shanghai day
        cs.record_activity(world.user("commerce"), unit=world.org("commerce"), kind="study", date=datetime.date(2026, 6, 16))
        cs.record_activity(world.user("commerce"), unit=world.org("commerce"), kind="study", date=datetime.date(2026, 6, 15))
    with at(2026, 6, 15, 10):
        _major(world, "enterprise", world.ent_commerce, datetime.date(2026, 9, 30))
    writings = ["2026-06-16T00:30:00+08:00", "2026-06-15T16:30:00Z", "2026-06-15T11:30:00-05:00"]
    instants = [parse_as_of(w) for w in writings]
    assert len(set(instants)) == 1
    for unit in ("commerce", "township0", "committee"):
        tables = [unit_table(world.org(unit), m, campaign).values for m in instants]
        assert tables[0] == tables[1] == tables[2], unit
    region = [D.region_table(world.district, D.start_datetime(campaign.start), m) for m in instants]
    assert region[0] == region[1] == region[2]
    # by hand: the cut-off falls on 16 June in Shanghai, so both activities (15th and 16th) count
    commerce = unit_table(world.org("commerce"), instants[1], campaign).values
    assert commerce["4.1"] == 2 and commerce["1.1"] == 1
    assert asof.local_day(instants[2]) == datetime.date(2026, 6, 16)


def test_a_bare_date_is_the_end_of_that_day_in_shanghai():
    moment = parse_as_of("2025-03-31")
    assert moment.astimezone(TZ).date() == datetime.date(2025, 3, 31)
    assert moment.astimezone(TZ).time() >= datetime.time(23, 59, 59)
    assert parse_as_of("2025-03-31T12:00") == datetime.datetime(2025, 3, 31, 12, tzinfo=TZ)


# ---------------------------------------------------------------- two quarters

def _q1_then_q2(world):
    """Q1 2025: H1 (光复道) due 03-20, listed 03-25 (notice deadline 03-20), still open on 03-31 → overdue and listed → red;
    H2 (望海楼) due 06-30, open → blue. Q2: H1 closed, delisted; H2 voided; H3 registered."""
    g, w = world.townships[0], world.townships[1]
    with at(2025, 2, 10):
        h1 = _major(world, "enterprise", world.ent_commerce, datetime.date(2025, 3, 20))
    with at(2025, 3, 5):
        h2 = _major(world, "commerce", world.ent_commerce2, datetime.date(2025, 6, 30))
    with at(2025, 3, 19):
        # the notice keeps H1's deadline: approval gives the hazard the notice's (one 整改期限)
        listing = _list(world, h1, datetime.date(2025, 3, 20))
    with at(2025, 3, 25):
        sv.approve(world.user("committee_lead"), listing)
    return g, w, h1, h2, listing


def _later(world, h1, h2, listing):
    with at(2025, 4, 10):
        h1.refresh_from_db()
        _close(world, h1)
    with at(2025, 4, 12):
        listing.refresh_from_db()
        sv.request_delisting(world.user("committee"), listing, note="已销号")
    with at(2025, 4, 15):
        listing.refresh_from_db()
        sv.decide_delisting(world.user("committee_lead"), listing, accept=True, reason="同意摘牌")
    with at(2025, 5, 1):
        hs.void(world.user("commerce"), h2, reason="误报")
        _major(world, "commerce", world.ent_commerce2, datetime.date(2025, 5, 20))


def test_earlier_quarter_bulletin_and_snapshot_are_unchanged_by_later_events(world):
    g, w, h1, h2, listing = _q1_then_q2(world)
    with at(2025, 4, 1, 8):
        text_before = docx_text(bulletin_docx(world.district, "河北区安委办", 2025, 1))
        cs.snapshot_board(None, world.district, datetime.date(2025, 4, 1))  # week of Monday 31 March
    snaps_before = {s.region.code: (s.colour, s.figures) for s in BoardSnapshot.objects.filter(week=datetime.date(2025, 3, 31))}
    items = {i["code"]: i for i in board(world.district, datetime.date(2025, 3, 31))}
    # by hand, as of 31 March 2025
    assert (items[g.code]["total"], items[g.code]["overdue"], items[g.code]["listed"], items[g.code]["colour"]) == (1, 1, 1, "red")
    assert items[g.code]["max_overdue_days"] == 11
    assert (items[w.code]["total"], items[w.code]["open"], items[w.code]["colour"]) == (1, 1, "blue")
    assert "截至2025年3月31日" in text_before and "累计排查重大事故隐患2项，已整改销号0项" in text_before
    assert "挂牌督办1项（逾期1项）" in text_before
    assert snaps_before[g.code][0] == "red" and snaps_before[w.code][0] == "blue"

    _later(world, h1, h2, listing)
    with at(2025, 7, 2):
        text_after = docx_text(bulletin_docx(world.district, "河北区安委办", 2025, 1))
        cs.snapshot_board(None, world.district, datetime.date(2025, 4, 2))
        now_items = {i["code"]: i for i in board(world.district)}
    assert text_after == text_before
    snaps_after = {s.region.code: (s.colour, s.figures) for s in BoardSnapshot.objects.filter(week=datetime.date(2025, 3, 31))}
    assert snaps_after == snaps_before
    # recomputing the same week from scratch gives the same figures (as of its Monday)
    BoardSnapshot.objects.all().delete()
    with at(2025, 7, 2):
        cs.snapshot_board(None, world.district, datetime.date(2025, 3, 31))
    assert {s.region.code: (s.colour, s.figures) for s in BoardSnapshot.objects.filter(week=datetime.date(2025, 3, 31))} == snaps_before
    # and today's board does see the later events: H1 closed and delisted, H2 voided, H3 overdue
    assert now_items[g.code]["closed"] == 1 and now_items[g.code]["listed"] == 0
    assert now_items[w.code]["total"] == 1 and now_items[w.code]["overdue"] == 1
    with at(2025, 7, 2):
        q2 = docx_text(bulletin_docx(world.district, "河北区安委办", 2025, 2))
    assert "截至2025年6月30日" in q2 and "累计排查重大事故隐患2项，已整改销号1项" in q2


def test_snapshot_writes_an_event(world):
    from core.models import Event

    with at(2025, 4, 1):
        cs.snapshot_board(world.user("committee"), world.district)
    assert Event.objects.filter(verb="campaigns.board_snapshot").count() == 1
    with at(2025, 4, 2):
        cs.snapshot_board(world.user("committee"), world.district)
    assert Event.objects.filter(verb="campaigns.board_snapshot").count() == 1  # nothing new written


# ---------------------------------------------------------------- listings in force only

@pytest.mark.parametrize("outcome", ["declined", "delisted"])
def test_a_declined_or_delisted_listing_never_colours_a_region(world, client, outcome):
    g = world.townships[0]
    with at(2026, 3, 1):
        h = _major(world, "enterprise", world.ent_commerce, datetime.date(2026, 3, 20))
        # the notice keeps the hazard's deadline: approval gives the hazard the notice's (one 整改期限)
        listing = _list(world, h, datetime.date(2026, 3, 20))
    with at(2026, 3, 2):
        if outcome == "declined":
            sv.decline(world.user("committee_lead"), listing, reason="已由行业部门督办")
        else:
            sv.approve(world.user("committee_lead"), listing)
            h.refresh_from_db()
            _close(world, h)
            listing.refresh_from_db()
            sv.request_delisting(world.user("committee"), listing, note="已销号")
            listing.refresh_from_db()
            sv.decide_delisting(world.user("committee_lead"), listing, accept=True, reason="同意")
            h.refresh_from_db()
            hs.reopen(world.user("enterprise"), h, reason="再次发现")  # open again, deadline 03-20 kept
    with at(2026, 3, 25):  # overdue 5 days: orange, never red through a listing not in force
        item = {i["code"]: i for i in board(world.district)}[g.code]
        assert (item["overdue"], item["listed"], item["listed_overdue"], item["colour"]) == (1, 0, 0, "orange")
        assert asof.state_of(h, asof.now())["listed"] is False
        client_as(client, world, "committee")
        from django.urls import reverse

        link = f'href="{reverse("hazards:detail", args=[h.pk])}"'
        assert link not in client.get("/hazards/?listed=true").content.decode()
        assert link in client.get("/hazards/?listed=false").content.decode()
        from campaigns.stats import statistics
        from hazards.models import Hazard

        stats = statistics(Hazard.objects.all(), world.district)
        assert all(r.get("listed", 0) == 0 for r in stats["by_region"])


def test_state_of_reads_the_event_trail(world):
    with at(2026, 3, 1):
        h = _major(world, "enterprise", world.ent_commerce, datetime.date(2026, 3, 20))
    with at(2026, 3, 5):
        h = _close(world, h)
    with at(2026, 3, 10):
        hs.reopen(world.user("enterprise"), h, reason="再次发现")
    day = datetime.date
    assert asof.state_of(h, day(2026, 2, 28)) == {"exists": False}
    assert asof.state_of(h, day(2026, 3, 4))["state"] == "registered"
    assert asof.state_of(h, day(2026, 3, 6))["state"] == "closed"
    s = asof.state_of(h, day(2026, 3, 25))
    assert s["state"] == "rectifying" and s["overdue"] is True and s["grade"] == "major"
    assert s["deadline"] == day(2026, 3, 20)


def test_board_and_stats_pages_as_of_a_past_date(client, world):
    g = world.townships[0]
    with at(2025, 2, 10):
        h = _major(world, "enterprise", world.ent_commerce, datetime.date(2025, 3, 20))
    with at(2025, 4, 10):
        h.refresh_from_db()
        _close(world, h)
    client_as(client, world, "committee")
    with at(2025, 7, 1):
        past = client.get("/campaigns/board/?as_of=2025-03-31").content.decode()
        now = client.get("/campaigns/board/").content.decode()
        stats = client.get("/campaigns/stats/?as_of=2025-03-31")
        assert client.get("/campaigns/board/?as_of=31.03.2025").status_code == 400
    assert f'data-region="{g.name}" data-colour="orange"' in past  # 11 days overdue on 31 March
    assert "2025年3月31日" in past
    assert f'data-region="{g.name}" data-colour="green"' in now
    assert stats.status_code == 200 and stats.context["data"]["by_region"][0]["overdue"] == 1


def test_dispatch_table_command_is_identical_for_three_writings_of_one_instant(world):
    import io
    import json

    from django.core.management import call_command

    with at(2023, 1, 1):
        cs.create_campaign(None, name="2023行动", issuer=world.org("committee"), region=world.district,
                           start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    with at(2023, 6, 20):  # a visit on 16 June entered later: inside the cut-off's Shanghai day
        from inspections import services as ins

        ins.record_visit(world.user("commerce"), kind="help_enterprise", visited_on=datetime.date(2023, 6, 16),
                         content="帮扶", enterprise=world.ent_commerce)
    outs = []
    for written in ("2023-06-16T00:30:00+08:00", "2023-06-15T16:30:00Z", "2023-06-15T11:30:00-05:00"):
        out = io.StringIO()
        call_command("dispatch_table", "--unit", str(world.org("commerce").pk), "--as-of", written, "--format", "json",
                     stdout=out)
        outs.append(json.loads(out.getvalue())["values"])
    assert outs[0] == outs[1] == outs[2]
    assert outs[0]["3.2"] == 1


def test_a_duplicate_merged_into_a_closed_hazard_does_not_move_its_closing_day(world):
    """Closed on 10 February against a 15 February deadline: on time, whatever happens to it later
    (docs/tallies.md: closed on or before the deadline). A duplicate report (found in January,
    registered in May) merged into it records an event on it, but it was not closed again then."""
    township = world.ent_commerce.region.code
    with at(2025, 1, 5):
        first = _major(world, "commerce", world.ent_commerce, datetime.date(2025, 2, 15))
        hs.report_hazard(world.user("enterprise"), first, department=world.org("commerce"))
    with at(2025, 2, 10):
        _close(world, first)
    with at(2025, 5, 1):  # an inspection record of January registered late: the same hazard, before it was fixed
        duplicate = hs.register_hazard(world.user("commerce"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                                       description="安全出口锁闭", grade="major", basis_reason="可能导致群死群伤",
                                       found_on=datetime.date(2025, 1, 20), deadline=datetime.date(2025, 5, 20),
                                       notify_people=False)
    with at(2025, 5, 2):
        first.refresh_from_db()
        hs.merge(world.user("commerce"), duplicate, into=first, reason="重复报告")
    with at(2025, 7, 10):
        for quarter_end in (datetime.date(2025, 3, 31), datetime.date(2025, 6, 30)):
            row = {r["code"]: r for r in board(world.district, quarter_end)}[township]
            assert (row["closed"], row["on_time"]) == (1, 1), quarter_end


def test_a_date_not_yet_come_shows_todays_figures_not_a_forecast(client, world):
    """DISPATCH_TABLE.md: facts are never in the future. A hazard due on 20 July is not overdue on
    10 July, whatever date the address asks for."""
    with at(2025, 7, 1):
        _major(world, "commerce", world.ent_commerce, datetime.date(2025, 7, 20))
    with at(2025, 7, 10):
        client_as(client, world, "committee")
        for url in ("/campaigns/board/", "/campaigns/stats/"):
            future = client.get(url, {"as_of": "2025-12-31"})
            assert future.status_code == 200
            assert future.context["as_of_day"] == datetime.date(2025, 7, 10), url
        row = {i["code"]: i for i in client.get("/campaigns/board/", {"as_of": "2025-12-31"}).context["items"]}
        assert row[world.ent_commerce.region.code]["overdue"] == 0


def test_the_bulletin_says_24时_only_for_a_quarter_that_is_over_and_rounds_its_summary_as_its_rows(client, world):
    with at(2025, 7, 1):
        for _ in range(16):
            _major(world, "commerce", world.ent_commerce, datetime.date(2025, 12, 20))
        from hazards.models import Hazard

        first = Hazard.objects.order_by("pk").first()
        hs.report_hazard(world.user("enterprise"), first, department=world.org("commerce"))
        _close(world, first)
    with at(2025, 7, 10):
        client_as(client, world, "committee")
        current = client.get("/campaigns/bulletin/", {"year": 2025, "quarter": 3}).content.decode()
        assert "2025年7月10日（本季度尚未结束" in current and "24时" not in current
        past = client.get("/campaigns/bulletin/", {"year": 2025, "quarter": 2}).content.decode()
        assert "2025年6月30日24时" in past
        text = docx_text(bulletin_docx(world.district, "河北区安委办", 2025, 3))
    # 1 of 16 = 6.25 %: two decimals, as real bulletins print rates (RULES.md §4: 70 of 75 = 93.33 %)
    assert "整改率6.25%" in text and "6.3%" not in text
