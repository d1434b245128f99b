"""挂牌督办 through the services: approval, progress, delisting, overdue escalation."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import Event, Notification
from core.services import NotPermitted, ServiceError, StaleState
from supervision import services
from supervision.alerts import next_higher_office, send_listing_alerts
from supervision.models import Listing

from .helpers import close_hazard, listed, major_hazard, propose


def verbs(listing):
    return list(Event.objects.filter(object_type="supervision.listing", object_id=listing.pk).values_list("verb", flat=True))


def test_proposer_cannot_approve_and_leader_can(world):
    hazard = major_hazard(world)
    listing = propose(world, hazard)
    assert listing.status == "proposed" and listing.level == "county" and listing.listing_body == world.org("committee")
    assert Notification.objects.filter(recipient=world.user("committee_lead"), kind="listing.proposed").exists()
    with pytest.raises(ServiceError, match="负责人审批"):
        services.approve(world.user("committee"), listing)
    listing = services.approve(world.user("committee_lead"), listing)
    assert listing.status == "listed" and listing.approved_by == world.user("committee_lead")
    assert listing.notice_number.startswith("河北区安委督〔") and listing.published_at
    assert Notification.objects.filter(recipient=world.user("enterprise"), kind="listing.listed").exists()
    assert verbs(listing) == ["listing.proposed", "listing.approve"]


def test_a_leader_who_proposed_cannot_approve_own_proposal(world):
    listing = propose(world, major_hazard(world), actor="committee_lead")
    with pytest.raises(ServiceError, match="提出人"):
        services.approve(world.user("committee_lead"), listing)


def test_only_committee_offices_propose_and_only_open_major_hazards(world):
    hazard = major_hazard(world)
    for persona in ("emergency", "commerce", "township", "enterprise", "other_region", "nobody"):
        with pytest.raises(NotPermitted):
            propose(world, hazard, actor=persona)
    propose(world, hazard)
    with pytest.raises(ServiceError, match="已在挂牌督办中"):
        propose(world, hazard)
    with pytest.raises(ServiceError) as exc:
        services.propose_listing(world.user("committee"), hazard=major_hazard(world, description="另一处"),
                                 responsible_department=world.org("other_emergency"),
                                 deadline=timezone.localdate(), requirements="x")
    assert exc.value.field == "responsible_department"
    with pytest.raises(ServiceError) as exc:
        propose(world, major_hazard(world, description="第三处"), days=-1)
    assert exc.value.field == "deadline"


def test_province_office_lists_at_province_level(world):
    listing = propose(world, major_hazard(world), actor="province")
    assert listing.level == "province" and listing.listing_body == world.org("province_committee")
    # the district leader is not the province office's leader
    with pytest.raises(NotPermitted):
        services.approve(world.user("committee_lead"), listing)


def test_decline_needs_reason(world):
    listing = propose(world, major_hazard(world))
    with pytest.raises(ServiceError, match="理由"):
        services.decline(world.user("committee_lead"), listing, reason=" ")
    listing = services.decline(world.user("committee_lead"), listing, reason="已由行业部门督办")
    assert listing.status == "declined"
    propose(world, listing.hazard)  # may be proposed again


def test_progress_reports_by_the_enterprise(world):
    listing = listed(world)
    report = services.report_progress(world.user("enterprise"), listing, date=timezone.localdate(), text="已拆除门锁", percentage=60)
    assert report.percentage == 60 and listing.latest_report() == report
    with pytest.raises(ServiceError) as exc:
        services.report_progress(world.user("enterprise"), listing, date=timezone.localdate(), text="x", percentage=120)
    assert exc.value.field == "percentage"
    with pytest.raises(ServiceError) as exc:
        services.report_progress(world.user("enterprise"), listing, date=timezone.localdate() + datetime.timedelta(days=1),
                                 text="x", percentage=10)
    assert exc.value.field == "date"
    with pytest.raises(ServiceError):
        services.report_progress(world.user("commerce"), listing, date=timezone.localdate(), text="x", percentage=10)
    with pytest.raises(NotPermitted):
        services.report_progress(world.user("enterprise_other"), listing, date=timezone.localdate(), text="x", percentage=10)
    assert "listing.report_progress" in verbs(listing)


def test_delisting_only_after_hazard_closed(world):
    listing = listed(world)
    with pytest.raises(ServiceError, match="销号后"):
        services.request_delisting(world.user("enterprise"), listing, note="已整改")
    close_hazard(world, listing.hazard)
    listing = services.request_delisting(world.user("enterprise"), listing, note="已整改并验收销号")
    assert listing.status == "delisting_requested"
    with pytest.raises(ServiceError, match="负责人审批"):
        services.decide_delisting(world.user("committee"), listing, accept=True)
    with pytest.raises(ServiceError, match="理由"):
        services.decide_delisting(world.user("committee_lead"), listing, accept=False)
    listing = services.decide_delisting(world.user("committee_lead"), listing, accept=False, reason="需补充验收材料")
    assert listing.status == "listed" and listing.decision_reason == "需补充验收材料"
    listing = services.request_delisting(world.user("commerce"), listing, note="已补充")
    listing = services.decide_delisting(world.user("committee_lead"), listing, accept=True, reason="同意摘牌")
    assert listing.status == "delisted" and listing.delisted_at and listing.delisting_published_at
    assert verbs(listing)[-1] == "listing.accept_delisting"


def test_stale_state_is_detected(world):
    listing = propose(world, major_hazard(world))
    stale = Listing.objects.get(pk=listing.pk)
    services.approve(world.user("committee_lead"), listing)
    with pytest.raises(StaleState):
        services.decline(world.user("committee_lead"), stale, reason="x")


def test_overdue_escalates_once(world):
    listing = listed(world)
    Listing.objects.filter(pk=listing.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=5))
    first = send_listing_alerts()
    assert first["overdue"] >= 2 and first["escalated"] == 0  # officer + leader of the district office
    assert send_listing_alerts() == {"overdue": 0, "escalated": 0, "progress_due": 0, "delisting_prompted": 0,
                                     "delisting_due_soon": 0, "delisting_overdue": 0, "acceptance_due_soon": 0,
                                     "acceptance_overdue": 0}
    assert Notification.objects.filter(recipient=world.user("committee"), kind="listing.overdue").count() == 1
    assert next_higher_office(world.org("committee")) == world.org("province_committee")
    Listing.objects.filter(pk=listing.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=31))
    call_command("send_listing_alerts")
    call_command("send_listing_alerts")
    assert Notification.objects.filter(recipient=world.user("province"), kind="listing.overdue_escalated").count() == 1
    assert not Notification.objects.filter(recipient=world.user("other_region"), kind__startswith="listing.").exists()


def test_progress_reminder_once_per_period(world):
    listing = listed(world)
    Listing.objects.filter(pk=listing.pk).update(approved_at=timezone.now() - datetime.timedelta(days=31))
    assert send_listing_alerts()["progress_due"] >= 1
    assert send_listing_alerts()["progress_due"] == 0
    services.report_progress(world.user("enterprise"), listing, date=timezone.localdate(), text="进行中", percentage=30)
    assert send_listing_alerts()["progress_due"] == 0


def test_delisted_listing_is_not_overdue(world):
    listing = listed(world)
    close_hazard(world, listing.hazard)
    listing = services.request_delisting(world.user("enterprise"), listing)
    services.decide_delisting(world.user("committee_lead"), listing, accept=True)
    Listing.objects.filter(pk=listing.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=40))
    assert send_listing_alerts()["overdue"] == 0


def test_competent_department_follows_the_sector(world):
    assert services.competent_department(major_hazard(world)) == world.org("commerce")
    assert services.competent_department(major_hazard(world, construction=True)) == world.org("housing")


def test_home_cards_are_scoped(world):
    from supervision.home import cards

    listed(world)
    assert {c["key"]: c["value"] for c in cards(world.user("commerce"))} == {"listings": 1, "listings_overdue": 0}
    assert cards(world.user("housing")) == []


def test_listing_alerts_reach_the_principal_and_the_actual_controller_by_sms(world):
    from core.models import OutboxMessage

    hazard = major_hazard(world)
    listing = services.approve(world.user("committee_lead"), propose(world, hazard))
    ent = hazard.enterprise
    sms = set(OutboxMessage.objects.filter(kind="listing.listed", channel="sms", object_id=listing.pk)
              .values_list("address", flat=True))
    assert sms == {ent.principal_phone, ent.controller_phone}
