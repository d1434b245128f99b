"""Who is told, and what: the days an alert says are the days left; one SMS per phone; a hazard
in a sector nobody leads in its county still reaches an official; a listed hazard's approved
extension alerts again for its new deadline; a tip's deadline is told once per stage; a
deactivated account is not told. Oracles: the deadline arithmetic and the routing rule of
docs/tips.md (lead department, else the comprehensive department, else the committee office)."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model

from accounts.models import Organisation, Sector
from core.models import Notification, OutboxMessage
from hazards import services as hs
from hazards.alerts import send_daily_alerts, send_deadline_alerts

from .conftest import PLAN, make_general

pytestmark = pytest.mark.django_db
D0 = datetime.date(2026, 3, 2)
TZ = datetime.timezone(datetime.timedelta(hours=8))


def _at(day, hour=10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ), tick=False)


def _principal_titles(world, pk):
    return list(Notification.objects.filter(recipient=world.user("enterprise"), object_id=pk, kind__startswith="hazard.")
                .exclude(kind="hazard.major_registered").order_by("pk").values_list("title", flat=True))


@pytest.mark.parametrize("left,said", [(0, "整改期限为今天"), (1, "整改期限还有1天"), (3, "整改期限还有3天"),
                                       (5, "整改期限还有5天"), (7, "整改期限还有7天")])
def test_an_alert_says_the_days_actually_left(world, left, said):
    with _at(D0):
        h = make_general(world, deadline=D0 + datetime.timedelta(days=left), responsible_person="张三",
                         responsible_phone="13700000001")
        send_deadline_alerts(D0)
    assert [t.split("：")[0] for t in _principal_titles(world, h.pk)] == [f"隐患{said}"]
    assert OutboxMessage.objects.get(object_id=h.pk, address="13700000001").subject.startswith(f"隐患{said}")


def test_one_phone_holding_several_roles_gets_one_sms_per_alert(world):
    from enterprises.models import Enterprise

    Enterprise.objects.filter(pk=world.ent_commerce.pk).update(principal_phone="13800000001", controller_phone="138 0000 0001")
    with _at(D0 - datetime.timedelta(days=30)):
        h = make_general(world, deadline=D0 - datetime.timedelta(days=1), responsible_person="王总",
                         responsible_phone="13800000001")
    send_deadline_alerts(D0)
    assert OutboxMessage.objects.filter(object_id=h.pk, channel="sms").count() == 1


def test_an_overdue_hazard_in_a_sector_nobody_leads_reaches_the_comprehensive_department(world):
    from accounts.models import Competence

    agriculture = Sector.objects.get(code="agriculture")
    district = world.district.code
    assert not Competence.objects.filter(role="lead", sector=agriculture, department__county_code=district).exists()
    world.ent_commerce.sectors.add(agriculture)
    with _at(D0 - datetime.timedelta(days=30)):
        h = make_general(world, actor="committee", sector="agriculture", deadline=D0 - datetime.timedelta(days=10),
                         description="农机库房电线私拉乱接")
    with _at(D0, 8):
        send_daily_alerts(D0)
    # the oracle: tips' routing rule — the county's comprehensive department (应急管理局)
    emergency = Organisation.objects.get(kind="department", county_code=district, department_type__comprehensive=True,
                                         is_active=True)
    told = {n.recipient.membership.organisation_id for n in Notification.objects.filter(kind="hazard.digest")
            if h.number in n.body}
    assert told == {emergency.pk}
    others = Notification.objects.filter(kind="hazard.digest", recipient__membership__organisation=world.org("commerce"))
    assert all(h.number not in n.body for n in others)


def test_an_extension_approved_for_a_listed_hazard_after_its_overdue_alert_alerts_again(world):
    from hazards.models import Hazard
    from supervision import extensions
    from supervision import services as sv

    with _at(D0):
        h = hs.register_hazard(world.user("commerce"), enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                               description="安全出口锁闭", grade="major", basis_reason="可能导致群死群伤",
                               deadline=D0 + datetime.timedelta(days=20))
        sv.approve(world.user("committee_lead"), sv.propose_listing(
            world.user("committee"), hazard=h, responsible_department=world.org("commerce"),
            deadline=D0 + datetime.timedelta(days=20), requirements="限期整改"))
        hs.report_hazard(world.user("enterprise"), h, department=world.org("commerce"))
        hs.submit_plan(world.user("enterprise"), Hazard.objects.get(pk=h.pk), plan=PLAN)
        new_deadline = D0 + datetime.timedelta(days=40)
        hs.request_extension(world.user("enterprise"), Hazard.objects.get(pk=h.pk), new_deadline=new_deadline,
                             reason="设备到货延迟")
    for d in range(0, 23):
        send_deadline_alerts(D0 + datetime.timedelta(days=d))
    with _at(D0 + datetime.timedelta(days=22)):
        extensions.decide_listed_extension(world.user("committee_lead"), Hazard.objects.get(pk=h.pk), approve=True, note="同意")
    for d in range(23, 45):
        send_deadline_alerts(D0 + datetime.timedelta(days=d))
    bodies = list(Notification.objects.filter(recipient=world.user("enterprise"), object_id=h.pk,
                                              kind__in=["hazard.due7", "hazard.due1", "hazard.overdue"])
                  .order_by("pk").values_list("kind", "body"))
    assert [(k, b.endswith(f"整改期限 {new_deadline:%Y-%m-%d}。")) for k, b in bodies[3:]] == \
        [("hazard.due7", True), ("hazard.due1", True), ("hazard.overdue", True)]


def test_a_tips_handling_deadline_is_told_once_when_the_tip_moves_to_verification(world):
    from tips import services as ts
    from tips.alerts import send_alerts
    from tips.models import Tip

    tip, _code = ts.submit_tip(None, region=world.ent_commerce.region, sector=Sector.objects.get(code="commerce"),
                               address="示范路1号", content="消防通道被货物堵塞，存在重大隐患。", enterprise=world.ent_commerce)
    tip = ts.accept(world.user("commerce"), Tip.objects.get(pk=tip.pk))
    deadline = tip.handle_deadline
    send_alerts(deadline - datetime.timedelta(days=2))
    ts.start_verification(world.user("commerce"), Tip.objects.get(pk=tip.pk))
    assert Tip.objects.get(pk=tip.pk).handle_deadline == deadline
    send_alerts(deadline - datetime.timedelta(days=1))
    assert Notification.objects.filter(recipient=world.user("commerce"), object_id=tip.pk, kind="tip.due_soon").count() == 1


def test_a_deactivated_account_gets_no_certificate_alert(world):
    from obligations.management.commands.send_certificate_alerts import send_alerts
    from obligations.services import add_special_worker

    worker = add_special_worker(world.user("enterprise"), world.ent_commerce, name="李四", operation="electrician",
                                certificate_no="T123", issued_on=D0 - datetime.timedelta(days=3 * 365 - 20))
    get_user_model().objects.filter(pk=world.user("enterprise_safety").pk).update(is_active=False)
    send_alerts(worker.review_due_on - datetime.timedelta(days=25))
    told = set(Notification.objects.filter(kind="obligations.certificate").values_list("recipient__username", flat=True))
    assert told == {world.user("enterprise").username}


def test_the_digests_link_opens_the_ledger_on_exactly_the_hazards_it_lists(client, world):
    with _at(D0 - datetime.timedelta(days=30)):
        overdue = make_general(world, deadline=D0 - datetime.timedelta(days=2), description="逾期的隐患")
        soon = make_general(world, deadline=D0 + datetime.timedelta(days=3), description="三日内到期")
        later = make_general(world, deadline=D0 + datetime.timedelta(days=10), description="十日后到期")
    with _at(D0, 8):
        send_daily_alerts(D0)
        digest = Notification.objects.filter(kind="hazard.digest", recipient=world.user("commerce")).get()
        listed = {h.number for h in (overdue, soon, later) if h.number in digest.body}
        assert listed == {overdue.number, soon.number}  # the oracle: overdue or due within 7 days
        client.force_login(world.user("commerce"))
        page = client.get(digest.url).content.decode()
    assert {h.number for h in (overdue, soon, later) if h.number in page} == listed
