"""The on-site acceptance of a listed hazard after its 整改完成 submission has a due day (audit D3).

RULES.md §2 (湖北 2011, V): "within **10 days** after the deadline or the request, the issuing body
organises on-site acceptance"; DOMAIN.md §3.2 (provincial rule, V): "department reviews on site
within 10 days". No 工作日: calendar days. Seeds 000–004 give no period.

Hand count: submitted Monday 2026-11-02 → due 2026-11-12 (11-02 + 10 calendar days). "Due soon" from
3 days before (11-09), the due day itself not overdue, overdue from 11-13."""

import datetime

import pytest
from django.utils import timezone

from core.models import Notification
from hazards import services as hz
from hazards.models import Acceptance, Hazard
from supervision import extensions
from supervision.alerts import send_listing_alerts
from tips.models import DeadlineRule

from .helpers import PLAN, listed, major_hazard

SUBMITTED = datetime.date(2026, 11, 2)
DUE = datetime.date(2026, 11, 12)


def _submitted(world, on=SUBMITTED):
    hazard = major_hazard(world)
    listing = listed(world, hazard)
    hz.report_hazard(world.user("enterprise"), hazard, department=world.org("commerce"))
    hz.submit_plan(world.user("enterprise"), hazard, plan=PLAN)
    hz.submit_completion(world.user("enterprise"), Hazard.objects.get(pk=hazard.pk), evidence_note="门锁已拆除，通道已清理")
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
    Acceptance.objects.filter(hazard=hazard).update(submitted_at=at)
    listing.refresh_from_db()
    return listing


def test_the_rule_row_holds_ten_calendar_days_with_its_citation(world):
    row = DeadlineRule.objects.get(stage="listed_accept")
    assert (row.working_days, row.calendar_days) == (10, True)
    assert "湖北2011" in row.basis and "V" in row.basis


def test_acceptance_is_due_ten_calendar_days_after_the_completion_submission(world):
    listing = _submitted(world)
    assert extensions.acceptance_due(listing) == DUE


def test_no_acceptance_timer_before_the_submission_or_after_the_acceptance(world):
    listing = listed(world)
    assert extensions.acceptance_due(listing) is None
    listing = _submitted(world)
    hz.accept(world.user("commerce_lead"), Hazard.objects.get(pk=listing.hazard_id), mode="on_site", opinion="整改到位")
    listing.refresh_from_db()
    assert extensions.acceptance_due(listing) is None
    assert extensions.send_acceptance_alerts(DUE + datetime.timedelta(days=5)) == {"acceptance_due_soon": 0,
                                                                                   "acceptance_overdue": 0}


@pytest.mark.parametrize("today,soon,overdue", [
    (datetime.date(2026, 11, 8), False, False),   # four days before the due day
    (datetime.date(2026, 11, 9), True, False),    # three days before: "due soon"
    (DUE, True, False),                           # the due day itself is not overdue
    (datetime.date(2026, 11, 13), False, True),   # the day after: overdue
])
def test_acceptance_alerts_around_the_due_day_are_sent_once(world, today, soon, overdue):
    _submitted(world)
    counts = send_listing_alerts(today)
    assert (counts["acceptance_due_soon"] > 0, counts["acceptance_overdue"] > 0) == (soon, overdue)
    kind = "listing.acceptance_overdue" if overdue else "listing.acceptance_due"
    if soon or overdue:
        for persona in ("committee", "committee_lead", "commerce", "commerce_lead"):  # listing body, department
            assert Notification.objects.filter(recipient=world.user(persona), kind=kind).count() == 1, persona
    assert Notification.objects.filter(recipient=world.user("province"), kind="listing.acceptance_overdue").exists() is overdue
    assert not Notification.objects.filter(recipient=world.user("enterprise"), kind__startswith="listing.acceptance").exists()
    assert extensions.send_acceptance_alerts(today) == {"acceptance_due_soon": 0, "acceptance_overdue": 0}  # once


def test_the_listing_page_shows_the_acceptance_due_day(client, world):
    listing = _submitted(world)
    client.force_login(world.user("committee"))
    page = client.get(f"/supervision/{listing.pk}/").content.decode()
    assert 'data-testid="acceptance-due"' in page and "2026-11-12" in page and "已逾期" in page
