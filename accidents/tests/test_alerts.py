import datetime

import pytest
from django.utils import timezone

from accidents import alerts, services
from core.models import Notification

pytestmark = pytest.mark.django_db


def kinds(user):
    return sorted(Notification.objects.filter(recipient=user, kind__startswith="accident.").exclude(kind="accident.reported").values_list("kind", flat=True))


def test_late_report_alerts_the_committee_once(world, report):
    report(reported_delay=datetime.timedelta(minutes=90))
    assert alerts.send_alerts() >= 1
    assert "accident.late_report" in kinds(world.user("committee"))
    before = Notification.objects.count()
    alerts.send_alerts()
    assert Notification.objects.count() == before


def test_supplement_window_alert_to_reporter(world, report):
    a = report(occurred_at=timezone.now() - datetime.timedelta(days=28))
    alerts.send_alerts(today=a.supplement_until - datetime.timedelta(days=4))
    assert "accident.supplement_due" not in kinds(world.user("enterprise"))
    alerts.send_alerts(today=a.supplement_until - datetime.timedelta(days=3))
    assert "accident.supplement_due" in kinds(world.user("enterprise"))


def test_investigation_due_and_overdue(world, report):
    a = report()
    due = a.investigation_due
    alerts.send_alerts(today=due - datetime.timedelta(days=8))
    assert kinds(world.user("committee")) == []
    alerts.send_alerts(today=due - datetime.timedelta(days=7))
    assert kinds(world.user("committee")) == ["accident.investigation_due_soon"]
    alerts.send_alerts(today=due + datetime.timedelta(days=1))
    assert "accident.investigation_overdue" in kinds(world.user("emergency"))


def test_evaluation_due(world, report):
    a = report()
    services.start_investigation(world.user("committee"), a, leader_name="张", members="应急局")
    services.submit_report(world.user("committee"), a, cause="c", nature="责任事故", technical_chapter="t",
                           management_chapter="m")
    services.approve(world.user("committee_lead"), a, doc_no="1号", text="同意")
    alerts.send_alerts(today=a.evaluation_due - datetime.timedelta(days=31))
    assert "accident.evaluation_due_soon" not in kinds(world.user("committee"))
    alerts.send_alerts(today=a.evaluation_due + datetime.timedelta(days=1))
    assert "accident.evaluation_overdue" in kinds(world.user("committee"))


def test_a_major_accidents_deadline_alerts_reach_the_province_that_investigates_it(world):
    """493号令 art. 19: 重大 accidents are investigated by the province's government; the deadline
    alerts go to the investigating units (docs/accidents.md), not only the county's."""
    import datetime

    from django.utils import timezone

    from accidents import alerts, rules, services
    from accounts.models import Sector
    from core.models import Notification

    occurred = timezone.now() - datetime.timedelta(hours=2)
    accident = services.report_accident(world.user("committee"), region=world.ent_commerce.region, place="现场",
                                        enterprise=world.ent_commerce, sector=Sector.objects.get(code="commerce"),
                                        accident_type="fire", occurred_at=occurred, learned_at=occurred,
                                        reported_at=occurred + datetime.timedelta(minutes=10), deaths=10, summary="火灾")
    assert accident.grade == "major" and rules.authority_level("major") == "province"
    alerts.send_alerts(today=accident.investigation_due + datetime.timedelta(days=1))
    told = {n.recipient.username for n in Notification.objects.filter(kind__startswith="accident.investigation")}
    assert world.user("province").username in told and world.user("committee").username in told
