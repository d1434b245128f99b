"""Every way a major hazard enters the ledger tells the unit's principal and actual controller (seed 002
item 11; PRODUCT.md: 重大隐患 → the principal and the actual controller are alerted at once): registered on
the page, imported from a ledger (``hazards.registering``), or become major when a major duplicate is merged
into it. The recipients expected here are read from the enterprise's record (its principal accounts, its
principal's and controller's phones), not from the alert code; a second pass sends nothing."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Membership, Sector
from core.models import Notification, OutboxMessage
from hazards import alerts
from hazards import services as hs
from hazards.importing import import_hazards
from hazards.models import Hazard

from .test_import import good_rows, xlsx

pytestmark = pytest.mark.django_db


def _expected(ent):
    principals = set(Membership.objects.filter(organisation_id=ent.organisation_id, role=Membership.Role.PRINCIPAL,
                                               user__is_active=True).values_list("user_id", flat=True))
    phones = {p for p in (ent.principal_phone, ent.controller_phone) if p}
    return principals, phones


def _told(hazard):
    notes = set(Notification.objects.filter(kind="hazard.major_registered", object_id=hazard.pk)
                .values_list("recipient_id", flat=True))
    sms = set(OutboxMessage.objects.filter(kind="hazard.major_registered", object_id=hazard.pk, channel="sms")
              .values_list("address", flat=True))
    return notes, sms


def test_an_imported_open_major_hazard_tells_the_principal_and_the_controller_once(world):
    ent = world.ent_commerce
    principals, phones = _expected(ent)
    assert principals and len(phones) == 2, "the demo unit has a principal account and both phones: nothing proved"
    data = xlsx(good_rows(world))
    import_hazards(world.user("commerce"), data, dry_run=True)
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()  # a dry run sends nothing
    result = import_hazards(world.user("commerce"), data, dry_run=False)
    assert result["committed"]
    major = Hazard.objects.get(grade="major")
    assert _told(major) == (principals, phones)
    emails = OutboxMessage.objects.filter(kind="hazard.major_registered", object_id=major.pk, channel="email")
    assert set(emails.values_list("recipient_user_id", flat=True)) == principals
    note = Notification.objects.filter(kind="hazard.major_registered", object_id=major.pk).first()
    assert major.number in note.body and ent.name in note.title and note.url == f"/hazards/{major.pk}/"
    for h in Hazard.objects.exclude(pk=major.pk):  # 一般, and the one imported as 已销号
        assert _told(h) == (set(), set())
    # the same keys as a registration on the page: telling it again sends nothing
    before = (Notification.objects.count(), OutboxMessage.objects.count())
    alerts.notify_major_registered(major)
    assert alerts.notify_major_registered_bulk([major]) == 0
    assert (Notification.objects.count(), OutboxMessage.objects.count()) == before


def test_a_general_hazard_become_major_by_a_merge_tells_the_principal_and_the_controller(world):
    ent = world.ent_commerce
    principals, phones = _expected(ent)
    commerce = Sector.objects.get(code="commerce")
    found = timezone.localdate() - datetime.timedelta(days=3)
    general = hs.register_hazard(world.user("enterprise"), enterprise=ent, sector=commerce, description="安全出口堵塞",
                                 grade="general", found_on=found)
    major = hs.register_hazard(world.user("commerce"), enterprise=ent, sector=commerce, description="安全出口锁闭",
                               grade="major", basis_reason="可能导致群死群伤", found_on=found, notify_people=False,
                               deadline=found + datetime.timedelta(days=30))
    assert _told(general) == (set(), set())
    hs.merge(world.user("committee"), major, into=general, reason="同一隐患")
    general.refresh_from_db()
    assert general.grade == "major"
    assert _told(general) == (principals, phones)


@pytest.mark.parametrize("path", ["page", "import"])
def test_a_principal_who_is_also_the_controller_gets_one_sms_not_two(world, path):
    """One person, one number: a unit whose 主要负责人 is its 实际控制人 (the same phone, typed once with spaces)
    is texted once about its 重大隐患, whichever way the hazard arrives — the deadline pass did so already."""
    ent = world.ent_commerce
    number = ent.principal_phone
    assert number and ent.controller_phone != number, "the demo unit has two numbers: nothing proved"
    ent.controller_name, ent.controller_phone = ent.principal_name, f"{number[:3]} {number[3:7]} {number[7:]}"
    ent.save(update_fields=["controller_name", "controller_phone"])
    if path == "page":
        found = timezone.localdate() - datetime.timedelta(days=3)
        major = hs.register_hazard(world.user("commerce"), enterprise=ent, sector=Sector.objects.get(code="commerce"),
                                   description="安全出口锁闭", grade="major", basis_reason="可能导致群死群伤",
                                   found_on=found, deadline=found + datetime.timedelta(days=30))
    else:
        assert import_hazards(world.user("commerce"), xlsx(good_rows(world)), dry_run=False)["committed"]
        major = Hazard.objects.get(grade="major")
    sms = list(OutboxMessage.objects.filter(kind="hazard.major_registered", object_id=major.pk, channel="sms")
               .values_list("address", flat=True))
    assert sms == [number]


def test_major_alerts_written_in_bulk_read_the_units_in_one_query_whatever_the_caller_loaded(world):
    """The import hands its hazards over with enterprises read for its checks only (a few columns): the bulk
    alert reads the names, units and people it needs for the whole batch at once — its queries do not grow
    with the enterprises — and tells each unit what its own record says (the oracle: ``_expected``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enterprises.models import Enterprise

    units = [world.ent_commerce, world.ent_commerce2, world.ent_construction, world.ent_hazchem]
    found = timezone.localdate() - datetime.timedelta(days=3)
    majors = []
    for ent in units:
        sector = ent.sectors.first()
        majors.append(hs.register_hazard(world.user("committee"), enterprise=ent, sector=sector, description="安全出口锁闭",
                                         grade="major", basis_reason="可能导致群死群伤", found_on=found, notify_people=False,
                                         deadline=found + datetime.timedelta(days=30)))
    assert all(_told(h) == (set(), set()) for h in majors)

    def as_imported(hazards):  # each with its enterprise as the import reads it: every other column deferred
        fresh = list(Hazard.objects.filter(pk__in=[h.pk for h in hazards]).order_by("pk"))
        for h in fresh:
            h.enterprise = Enterprise.objects.only("id", "credit_code", "region_id").get(pk=h.enterprise_id)
        return fresh

    one, rest = as_imported(majors[:1]), as_imported(majors[1:])
    with CaptureQueriesContext(connection) as q1:
        alerts.notify_major_registered_bulk(one)
    with CaptureQueriesContext(connection) as q3:
        alerts.notify_major_registered_bulk(rest)
    assert len(q3.captured_queries) == len(q1.captured_queries), [x["sql"][:120] for x in q3.captured_queries]
    told = 0
    for h, ent in zip(majors, units):
        principals, phones = _expected(ent)
        told += bool(principals or phones)
        assert _told(h) == (principals, phones)
        if principals:
            note = Notification.objects.filter(kind="hazard.major_registered", object_id=h.pk).first()
            assert ent.name in note.title
    assert told >= 2, "fewer than two units with anyone to tell: nothing proved"
