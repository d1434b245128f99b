"""A listing and the hazard it supervises stay consistent (found by an audit of 挂牌督办):

* PRODUCT.md: "Overdue is derived (deadline passed while open)" — a listed hazard accepted and 销号
  is not overdue, whatever its listing's deadline; what is left is 摘牌 (RULES.md §2: acceptance,
  then 核销/摘牌), and the listing body is told so, once; the enterprise is no longer asked for
  progress reports.
* A hazard under (or proposed for) 挂牌督办 is not merged away or voided: its listing could never be
  delisted (摘牌 needs the hazard 销号) and would alert for ever.
* Approval re-reads the hazard: one closed, voided or regraded since the proposal is not listed.
* The notice's 〔year〕 is the year in Beijing time."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from core.models import Notification
from core.services import ServiceError
from hazards import services as hz
from supervision import services
from supervision.alerts import send_listing_alerts
from supervision.models import Listing

from .helpers import close_hazard, listed, major_hazard, propose

pytestmark = pytest.mark.django_db


def _past_deadline(listing, days=40):
    Listing.objects.filter(pk=listing.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=days),
                                                 approved_at=timezone.now() - datetime.timedelta(days=days + 31))


def test_a_listed_hazard_accepted_is_not_overdue_and_the_office_is_asked_to_delist(world):
    listing = listed(world)
    close_hazard(world, listing.hazard)
    _past_deadline(listing)
    assert not Listing.objects.overdue().filter(pk=listing.pk).exists()
    assert Listing.objects.not_overdue().filter(pk=listing.pk).exists()
    counts = send_listing_alerts()
    assert (counts["overdue"], counts["escalated"], counts["progress_due"]) == (0, 0, 0)
    assert counts["delisting_prompted"] >= 1
    prompt = Notification.objects.get(recipient=world.user("committee"), kind="listing.delisting_prompt")
    assert "请办理摘牌" in prompt.title
    assert send_listing_alerts()["delisting_prompted"] == 0  # once
    assert not Notification.objects.filter(kind="listing.progress_due").exists()


def test_an_open_listed_hazard_past_its_deadline_is_overdue(world):
    listing = listed(world)
    _past_deadline(listing)
    assert Listing.objects.overdue().filter(pk=listing.pk).exists()
    counts = send_listing_alerts()
    assert counts["overdue"] >= 1 and counts["progress_due"] >= 1 and counts["delisting_prompted"] == 0


@pytest.mark.parametrize("stage", ["proposed", "listed"])
def test_a_hazard_under_a_listing_is_neither_voided_nor_merged_away(world, stage):
    listing = propose(world, major_hazard(world))
    if stage == "listed":
        listing = services.approve(world.user("committee_lead"), listing)
    hazard = listing.hazard
    with pytest.raises(ServiceError) as err:
        hz.void(world.user("commerce"), hazard, reason="重复登记")
    assert "挂牌督办" in err.value.message and "不能作废" in err.value.message
    duplicate = major_hazard(world, description="安全出口锁闭（重复登记）")
    with pytest.raises(ServiceError, match="合并到该挂牌隐患"):
        hz.merge(world.user("commerce"), hazard, into=duplicate, reason="重复")
    hazard.refresh_from_db()
    assert hazard.is_open()
    # the other way round is the way: the duplicate goes into the listed hazard
    hz.merge(world.user("commerce"), duplicate, into=hazard, reason="重复")
    assert Listing.objects.get(pk=listing.pk).hazard_id == hazard.pk


def test_a_declined_proposal_does_not_hold_the_hazard(world):
    listing = propose(world, major_hazard(world))
    services.decline(world.user("committee_lead"), listing, reason="由部门督办即可")
    hz.void(world.user("commerce"), listing.hazard, reason="重复登记")


def test_approval_rereads_the_hazard(world):
    """Proposed while open; accepted and 销号 before the leader approves: not listed."""
    listing = propose(world, major_hazard(world))
    close_hazard(world, listing.hazard)
    with pytest.raises(ServiceError, match="已销号，不能批准挂牌") as err:
        services.approve(world.user("committee_lead"), listing)
    assert err.value.field == "hazard"
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.PROPOSED
    services.decline(world.user("committee_lead"), listing, reason="隐患已整改销号")


def test_the_notice_year_is_beijing_time(world):
    listing = propose(world, major_hazard(world))
    # 2027-01-01 03:00 in Beijing is still 2026 in UTC
    with time_machine.travel(datetime.datetime(2027, 1, 1, 3, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        listing = services.approve(world.user("committee_lead"), listing)
    assert "〔2027〕1号" in listing.notice_number
