"""Rules the listing authority owns: extensions of listed hazards, the 摘牌 acceptance timer and
the public 公示 page.

Sources: RULES.md §2 (湖北 2011: the 安委会 issues the notice and decides; acceptance within 10 days
of the request; results published; 青岛 "3+X": extension decided by the listing side within 10
working days); 国办发明电〔2024〕12号 (2025 holidays) for the working-day oracle."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Event, Notification
from core.services import NotPermitted, ServiceError
from core.testing import link_href
from enforcement import services as es
from hazards import services as hz
from hazards.models import Hazard
from supervision import extensions, services
from supervision.models import Listing

from .helpers import PLAN, close_hazard, listed, major_hazard, propose


def _rectifying_listed(world):
    hazard = major_hazard(world)
    listing = listed(world, hazard)
    hz.report_hazard(world.user("enterprise"), hazard, department=world.org("commerce"))
    hazard = hz.submit_plan(world.user("enterprise"), hazard, plan=PLAN)
    new = listing.deadline + datetime.timedelta(days=45)
    hz.request_extension(world.user("enterprise"), Hazard.objects.get(pk=hazard.pk), new_deadline=new, reason="设备到货延迟")
    return Hazard.objects.get(pk=hazard.pk), listing, new


def test_extension_of_a_listed_hazard_goes_to_the_listing_authority(world):
    """RULES.md §2: the listing body (安委会) decides; the department alone cannot, and the listing's
    deadline follows the decision."""
    hazard, listing, new = _rectifying_listed(world)
    with pytest.raises(ServiceError, match="挂牌单位审批"):
        hz.decide_extension(world.user("commerce_lead"), hazard, approve=True)
    with pytest.raises(NotPermitted, match="负责人审批"):
        extensions.decide_listed_extension(world.user("committee"), hazard, approve=True)  # office staff, not a leader
    with pytest.raises(NotPermitted):
        extensions.decide_listed_extension(world.user("commerce_lead"), hazard, approve=True)
    extensions.decide_listed_extension(world.user("committee_lead"), hazard, approve=True, note="同意")
    assert Hazard.objects.get(pk=hazard.pk).deadline == new
    assert Listing.objects.get(pk=listing.pk).deadline == new
    assert Event.objects.filter(object_type="supervision.listing", object_id=listing.pk,
                                verb="listing.extension_decided").exists()


def test_denied_extension_keeps_both_deadlines_and_needs_a_reason(world):
    """RULES.md §2: a refusal by the listing body keeps the notice's deadline; it states a reason."""
    hazard, listing, _ = _rectifying_listed(world)
    with pytest.raises(ServiceError, match="理由"):
        extensions.decide_listed_extension(world.user("committee_lead"), hazard, approve=False)
    extensions.decide_listed_extension(world.user("committee_lead"), hazard, approve=False, note="理由不充分")
    assert Listing.objects.get(pk=listing.pk).deadline == listing.deadline
    assert Hazard.objects.get(pk=hazard.pk).deadline == hazard.deadline


def test_an_extension_cannot_shorten_the_notices_deadline(world):
    """The approval gave the hazard the notice's deadline (here 90 days, not its own 60): a request
    not later than it is refused when made. A hazard whose deadline is earlier than the notice's
    (a listing approved before the two were made one) may still ask for a date between the two:
    approving it is refused (the listing keeps its deadline), so the 延期 never brings the 整改期限
    forward."""
    hazard = major_hazard(world)
    listing = listed(world, hazard, days=90)
    hz.report_hazard(world.user("enterprise"), hazard, department=world.org("commerce"))
    hz.submit_plan(world.user("enterprise"), hazard, plan=PLAN)
    hazard = Hazard.objects.get(pk=hazard.pk)
    assert hazard.deadline == listing.deadline
    with pytest.raises(ServiceError, match="须晚于当前整改期限"):
        hz.request_extension(world.user("enterprise"), hazard, new_deadline=listing.deadline, reason="设备到货延迟")
    legacy = listing.deadline - datetime.timedelta(days=30)  # the hazard's own deadline, as before the fix
    Hazard.objects.filter(pk=hazard.pk).update(deadline=legacy)
    hazard = Hazard.objects.get(pk=hazard.pk)
    earlier = legacy + datetime.timedelta(days=10)
    assert earlier < listing.deadline
    hz.request_extension(world.user("enterprise"), hazard, new_deadline=earlier, reason="设备到货延迟")
    with pytest.raises(ServiceError, match="不晚于挂牌督办通知书的整改期限") as err:
        extensions.decide_listed_extension(world.user("committee_lead"), hazard, approve=True, note="同意")
    assert err.value.field == "approve"
    assert Listing.objects.get(pk=listing.pk).deadline == listing.deadline
    extensions.decide_listed_extension(world.user("committee_lead"), hazard, approve=False, note="未超出通知书期限，无须延期")


def test_extension_page_for_the_listing_leader(client, world):
    hazard, listing, new = _rectifying_listed(world)
    client.force_login(world.user("committee_lead"))
    page = client.get(f"/supervision/{listing.pk}/").content.decode()
    assert "审批延期申请" in page
    r = client.post(f"/supervision/{listing.pk}/decide_extension/", {"decide_extension-decision": "approve"})
    assert r.status_code == 302 and Listing.objects.get(pk=listing.pk).deadline == new


def _delisting_requested(world, requested_on: datetime.date) -> Listing:
    hazard = major_hazard(world)
    listing = listed(world, hazard)
    close_hazard(world, hazard)
    listing = services.request_delisting(world.user("commerce"), listing, note="已整改销号")
    at = timezone.make_aware(datetime.datetime.combine(requested_on, datetime.time(10)))
    Listing.objects.filter(pk=listing.pk).update(delisting_requested_at=at)
    return Listing.objects.get(pk=listing.pk)


def test_delisting_due_ten_working_days_after_a_request_made_under_version_1(world):
    """Version 1 of the row (before tips/0012, in force until 2026-12-02) counted 10 working days;
    a request made then keeps that due day. 国办发明电〔2024〕12号: from 2025-09-30 the 10th working
    day is 2025-10-21 (10-01..08 off, 10-11 a make-up Saturday)."""
    listing = _delisting_requested(world, datetime.date(2025, 9, 30))
    assert extensions.delisting_due(listing) == datetime.date(2025, 10, 21)


def test_delisting_due_ten_calendar_days_after_a_request_from_the_correction(world):
    """RULES.md §2 (湖北 2011, V): acceptance "within 10 days" of the request — 日 without 工作日 are
    calendar days (migration tips/0012, in force from 2026-12-03). Counted by hand: 2026-12-03 + 10
    = 2026-12-13 (a Sunday: calendar days do not skip it); the day before the correction, 10
    working days from Wednesday 2026-12-02 are 12-03, 04, 07, 08, 09, 10, 11, 14, 15, 16."""
    from tips.models import DeadlineRule

    row = DeadlineRule.objects.get(stage="delisting")
    assert (row.working_days, row.calendar_days) == (10, True) and "湖北2011" in row.basis and "V" in row.basis
    assert extensions.delisting_days(datetime.date(2026, 12, 3)) == 10
    assert extensions.delisting_due(_delisting_requested(world, datetime.date(2026, 12, 3))) == datetime.date(2026, 12, 13)
    assert extensions.delisting_due(_delisting_requested(world, datetime.date(2026, 12, 2))) == datetime.date(2026, 12, 16)


@pytest.mark.parametrize("today,soon,overdue", [
    (datetime.date(2025, 10, 17), 0, 0),   # four days before the due day
    (datetime.date(2025, 10, 18), 1, 0),   # three days before: "due soon"
    (datetime.date(2025, 10, 21), 1, 0),   # the due day itself is not overdue
    (datetime.date(2025, 10, 22), 0, 1),   # the day after: overdue
])
def test_delisting_alerts_around_the_due_day(world, today, soon, overdue):
    """RULES.md §2: the 10-working-day acceptance; alerts to the listing body (and the next-higher
    安委办 once overdue)."""
    listing = _delisting_requested(world, datetime.date(2025, 9, 30))
    counts = extensions.send_delisting_alerts(today)
    assert (counts["delisting_due_soon"] > 0, counts["delisting_overdue"] > 0) == (bool(soon), bool(overdue))
    if overdue:
        assert Notification.objects.filter(recipient=world.user("committee"), kind="listing.delisting_overdue").exists()
        assert Notification.objects.filter(recipient__membership__organisation=world.org("province_committee"),
                                           kind="listing.delisting_overdue").exists()
    assert extensions.send_delisting_alerts(today) == {"delisting_due_soon": 0, "delisting_overdue": 0}  # once
    assert listing.pk


def test_public_page_shows_what_the_authority_published(client, world):
    """RULES.md §2: listings and their 摘牌 are published in the media — only those the listing body
    chose to publish; the public credit list and typical cases; anonymous access."""
    published = listed(world)
    hidden = services.approve(world.user("committee_lead"),
                              propose(world, major_hazard(world, description="不公告的隐患")), public_notice=False)
    assert Listing.objects.get(pk=hidden.pk).public_notice is False
    from enforcement.tests.helpers import penalised

    for ent in (world.ent_commerce2, world.ent_commerce):  # the ground of a 严重失信 listing (seed 002 item 3)
        penalised(world, ent)
    listing2 = es.propose_listing(world.user("commerce"), enterprise=world.ent_commerce2, reason="一年内多次受到处罚")
    es.confirm_listing(world.user("commerce_lead"), listing2)
    private = es.propose_listing(world.user("commerce"), enterprise=world.ent_commerce, reason="不公开的失信记录", public=False)
    es.confirm_listing(world.user("commerce_lead"), private)
    client.logout()
    r = client.get("/public/supervision/")
    assert r.status_code == 200
    page = r.content.decode()
    assert published.notice_number in page and published.deadline.strftime("%Y-%m-%d") in page
    assert "不公告的隐患" not in page
    assert world.ent_commerce2.name in page and "不公开的失信记录" not in page


def test_the_public_board_pages_through_every_typical_case(client, world):
    """No silent cap: every published typical case is on one of the board's pages (20 a page, with
    the total), newest first, and the listings' pager keeps the typical page."""
    from core.tests.test_lists import _typical
    from enforcement.models import TypicalCase

    _typical(world, 45)
    expected = list(TypicalCase.objects.order_by("-published_on", "-id").values_list("pk", flat=True))
    assert len(expected) == 45
    client.logout()
    seen = []
    for number in (1, 2, 3):
        page = client.get(f"/public/supervision/?typical_page={number}")
        assert page.status_code == 200 and "共 45 条" in page.content.decode()
        seen += [t.pk for t in page.context["typical"]]
    assert seen == expected
    assert 'typical_page=2' in client.get("/public/supervision/").content.decode()


def test_the_public_board_s_two_pagers_each_turn_their_own_list_and_keep_the_other(client, world):
    """The board holds two paged lists (listings, 50 a page, ?page=; typical cases, 20 a page,
    ?typical_page=), both drawn by the one shared pager: each link changes only its own list's page
    and keeps the other's, every listing and case is reached once, and each pager states its total."""
    from core.tests.test_lists import _listings, _typical

    pks = _listings(world, 60)
    Listing.objects.filter(pk__in=pks).update(public_notice=True, published_at=timezone.now(), status="listed")
    _typical(world, 25)
    client.logout()
    first = client.get("/public/supervision/", {"typical_page": 2})
    html = first.content.decode()
    assert first.status_code == 200 and "共 60 条" in html and "共 25 条" in html
    listings_next = link_href(html, "page-next")
    assert "page=2" in listings_next and "typical_page=2" in listings_next
    assert link_href(html, "typical-previous") == "?typical_page=1"
    second = client.get("/public/supervision/" + listings_next)
    assert second.context["page"].number == 2 and second.context["typical"].number == 2
    seen = [x.pk for x in first.context["page"]] + [x.pk for x in second.context["page"]]
    assert sorted(seen) == sorted(pks) and len(set(seen)) == 60
    back = client.get("/public/supervision/" + link_href(second.content.decode(), "typical-previous"))
    assert back.context["page"].number == 2 and back.context["typical"].number == 1


def test_the_public_credit_list_is_paged_by_its_own_pager_and_drops_expired_entries(client, world):
    """The 严重失信主体名单 on the board: 50 a page (?credit_page=) with its total, every entry in force
    reached once (one whose last day is today included), an entry whose term ended yesterday and a
    non-public one never shown; the board reads one page of the list, not every entry."""
    import datetime as dt

    from core.tests.test_lists import _credit
    from enforcement.models import CreditListing

    pks = _credit(world, 57)
    today = timezone.localdate()
    CreditListing.objects.filter(pk__in=pks).update(status="listed", public=True)
    # term over yesterday: never on the board; its last day is today: still on it; not public: never
    CreditListing.objects.filter(pk=pks[0]).update(start=today - dt.timedelta(days=400), ends_on=today - dt.timedelta(days=1))
    CreditListing.objects.filter(pk=pks[-1]).update(start=today - dt.timedelta(days=400), ends_on=today)
    CreditListing.objects.filter(pk=pks[1]).update(public=False)
    client.logout()
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/public/supervision/", {"typical_page": 1})
    credit_reads = [q["sql"] for q in queries.captured_queries if "enforcement_creditlisting" in q["sql"] and "COUNT" not in q["sql"]]
    assert len(credit_reads) == 1 and "LIMIT 50" in credit_reads[0]
    html = first.content.decode()
    assert 'data-testid="credit-total">共 55 条' in html
    following = link_href(html, "credit-next")
    assert "credit_page=2" in following and "typical_page=1" in following
    second = client.get("/public/supervision/" + following)
    seen = [c.pk for c in first.context["credit"]] + [c.pk for c in second.context["credit"]]
    assert len(first.context["credit"]) == 50 and sorted(seen) == sorted(pks[2:])
