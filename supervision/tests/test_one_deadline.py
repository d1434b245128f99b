"""A listed hazard has one 整改期限: the 挂牌督办通知书's (audit finding D2).

RULES.md §2 (湖北 2011): the 安委办 proposes items *and deadlines*, the 安委会 leader approves and the
notice goes out with them — from then on the hazard is rectified against the notice's deadline.
Hand-made cases (dates counted by hand, no function under test used for the expected values):

* case A — registered 2026-03-02 with the enterprise's deadline 2026-05-01; listed on 2026-03-05
  with the notice's deadline 2026-03-20. On 2026-03-25 it is 5 days past the notice's deadline and
  still 37 days before the enterprise's: overdue on every board. As of 2026-03-04 (before the
  approval) its deadline was 2026-05-01 and it was neither listed nor overdue.
* case B — registered 2026-03-02 with deadline 2026-03-05 (overdue from 03-06); listed on 2026-03-08
  with the notice's deadline 2026-03-31. As of 2026-03-07 it was overdue (old deadline); as of
  2026-03-20 it is not (the notice's deadline is 11 days away); from 2026-04-01 it is again.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Sector
from campaigns.board import board, figures
from core.models import Event
from core.testing import client_as
from hazards import asof
from hazards import services as hz
from hazards.models import Hazard
from supervision import services
from supervision.models import Listing

TZ = ZoneInfo("Asia/Shanghai")
TOWNSHIP = "光复道街道"  # the enterprise persona's township (core.testing.World.ent_commerce)


def at(day: datetime.date, hour=10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ), tick=False)


def _listed_case(world, *, hazard_deadline, listed_on, notice_deadline):
    with at(datetime.date(2026, 3, 2)):
        hazard = hz.register_hazard(world.user("commerce"), enterprise=world.ent_commerce,
                                    sector=Sector.objects.get(code="commerce"), description="安全出口锁闭",
                                    grade="major", basis_reason="可能导致群死群伤", deadline=hazard_deadline,
                                    notify_people=False)
    with at(listed_on, 9):
        listing = services.propose_listing(world.user("committee"), hazard=hazard,
                                           responsible_department=world.org("commerce"), deadline=notice_deadline,
                                           requirements="限期整改")
    with at(listed_on, 11):
        listing = services.approve(world.user("committee_lead"), listing)
    return Hazard.objects.get(pk=hazard.pk), Listing.objects.get(pk=listing.pk)


def _township(items):
    return next(i for i in items if i["name"] == TOWNSHIP)


def _supervision_board_overdue(client, world, day):
    client_as(client, world, "committee")
    with at(day, 12):
        return client.get("/supervision/board/").context["counts"]["overdue"]


def _five_colour_now(world, day):
    user = world.user("committee")
    with at(day, 12):
        return _township(board(world.district, hazards=Hazard.objects.visible_to(user), scope=user))


@pytest.mark.django_db
def test_approval_gives_the_hazard_the_notices_deadline_with_a_dated_event(world):
    hazard, listing = _listed_case(world, hazard_deadline=datetime.date(2026, 5, 1), listed_on=datetime.date(2026, 3, 5),
                                   notice_deadline=datetime.date(2026, 3, 20))
    assert hazard.deadline == listing.deadline == datetime.date(2026, 3, 20)
    assert hazard.original_deadline == datetime.date(2026, 5, 1)  # the enterprise's first deadline is kept
    ev = Event.objects.get(object_type="hazards.hazard", object_id=hazard.pk, verb="hazard.listing_deadline")
    assert ev.data["deadline"] == "2026-03-20" and ev.data["old_deadline"] == "2026-05-01"
    assert ev.data["listing"] == listing.pk
    assert asof.local_day(ev.created_at) == datetime.date(2026, 3, 5)
    assert ev.from_state == ev.to_state == hazard.status  # no state change


@pytest.mark.django_db
def test_a_listed_hazard_past_the_notices_deadline_is_overdue_on_every_board(client, world):
    hazard, listing = _listed_case(world, hazard_deadline=datetime.date(2026, 5, 1), listed_on=datetime.date(2026, 3, 5),
                                   notice_deadline=datetime.date(2026, 3, 20))
    day = datetime.date(2026, 3, 25)
    assert Listing.objects.overdue(day).filter(pk=listing.pk).exists()
    assert _supervision_board_overdue(client, world, day) == 1
    assert Hazard.objects.overdue(day).filter(pk=hazard.pk).exists()  # the ledger's 逾期 filter
    now = _five_colour_now(world, day)  # "now" from the tallies
    assert (now["overdue"], now["listed"], now["listed_overdue"], now["colour"]) == (1, 1, 1, "red")
    past = _township(figures(world.district, today=day))  # the same day through the event trail
    assert (past["overdue"], past["listed"], past["listed_overdue"], past["max_overdue_days"]) == (1, 1, 1, 5)


@pytest.mark.django_db
def test_figures_as_of_a_day_before_the_approval_keep_the_old_deadline(world):
    hazard, _ = _listed_case(world, hazard_deadline=datetime.date(2026, 5, 1), listed_on=datetime.date(2026, 3, 5),
                             notice_deadline=datetime.date(2026, 3, 20))
    before = asof.state_of(hazard, datetime.date(2026, 3, 4))
    assert (before["deadline"], before["listed"], before["overdue"]) == (datetime.date(2026, 5, 1), False, False)
    after = asof.state_of(hazard, datetime.date(2026, 3, 10))
    assert (after["deadline"], after["listed"], after["overdue"]) == (datetime.date(2026, 3, 20), True, False)
    late = asof.state_of(hazard, datetime.date(2026, 3, 25))
    assert (late["deadline"], late["listed"], late["overdue"]) == (datetime.date(2026, 3, 20), True, True)


@pytest.mark.django_db
def test_a_later_notice_deadline_ends_the_overdue_on_every_board_from_the_approval(client, world):
    hazard, listing = _listed_case(world, hazard_deadline=datetime.date(2026, 3, 5), listed_on=datetime.date(2026, 3, 8),
                                   notice_deadline=datetime.date(2026, 3, 31))
    assert asof.state_of(hazard, datetime.date(2026, 3, 7))["overdue"] is True  # the old deadline, before the approval
    day = datetime.date(2026, 3, 20)
    seen = asof.state_of(hazard, day)
    assert (seen["deadline"], seen["overdue"]) == (datetime.date(2026, 3, 31), False)
    assert _supervision_board_overdue(client, world, day) == 0
    now = _five_colour_now(world, day)
    assert (now["overdue"], now["listed"], now["listed_overdue"]) == (0, 1, 0)
    past = _township(figures(world.district, today=day))
    assert (past["overdue"], past["listed_overdue"]) == (0, 0)
    april = _township(figures(world.district, today=datetime.date(2026, 4, 1)))
    assert (april["overdue"], april["listed_overdue"]) == (1, 1)
    assert _supervision_board_overdue(client, world, datetime.date(2026, 4, 1)) == 1


@pytest.mark.django_db
def test_a_listed_hazard_accepted_and_closed_before_delisting_is_not_overdue_on_the_supervision_board(client, world):
    """docs/supervision.md: overdue is the deadline passed while the hazard is open; once accepted and
    销号 only 摘牌 is left — the board's count and badge agree with the alerts (ListingQuerySet.overdue)."""
    from .helpers import close_hazard

    hazard, listing = _listed_case(world, hazard_deadline=datetime.date(2026, 5, 1), listed_on=datetime.date(2026, 3, 5),
                                   notice_deadline=datetime.date(2026, 3, 20))
    with at(datetime.date(2026, 3, 18)):
        close_hazard(world, hazard)
        services.request_delisting(world.user("commerce"), listing, note="已验收销号")
    day = datetime.date(2026, 3, 25)
    assert not Listing.objects.overdue(day).exists()
    assert _supervision_board_overdue(client, world, day) == 0
    with at(day, 12):
        assert Listing.objects.get(pk=listing.pk).is_overdue() is False
