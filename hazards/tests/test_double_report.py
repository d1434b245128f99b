"""双报告 (安全生产法 art. 41, DOMAIN.md §3.1): a major hazard's status is reported to the
department with safety duties AND to the workers' congress (职工大会或者职工代表大会). Seed 000
三(三)2(1)① proposes 不予处罚 only for a hazard "已按规定报告": both reports, each made before the
case was filed. The congress may be told after the department — its own dated report — but a report
already on record is not made twice."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from core.events import events_for
from core.services import ServiceError
from enforcement import rules
from enforcement.tests.helpers import PLAN, major_hazard, notified_case
from hazards import services as hs
from hazards.models import Hazard

TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(day, hour=9):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ), tick=False)


def _reported_to_department_only(world):
    h = major_hazard(world, report=False, plan=False)
    h = hs.report_hazard(world.user("enterprise"), h, department=world.org("commerce"), to_congress=False)
    return hs.submit_plan(world.user("enterprise"), h, plan=PLAN)


def test_a_report_to_the_department_alone_is_half_the_double_report_no_leniency(world):
    h = _reported_to_department_only(world)
    assert h.reported_at is not None and h.reported_to_congress_at is None
    assert not h.leniency_marker()
    assert not rules.leniency_proposed(notified_case(world, hazard=h))


def test_the_congress_may_be_told_later_on_its_own_date_and_then_the_leniency_is_proposed(world):
    today = timezone.localdate()
    with at(today - datetime.timedelta(days=3)):
        h = _reported_to_department_only(world)
    first = h.reported_at
    with at(today - datetime.timedelta(days=1), 15):
        h = hs.report_hazard(world.user("enterprise"), Hazard.objects.get(pk=h.pk), to_congress=True, note="职代会已通报")
    h.refresh_from_db()
    assert h.reported_at == first and h.reported_to == world.org("commerce")  # the first report is kept
    assert timezone.localtime(h.reported_to_congress_at) == datetime.datetime.combine(
        today - datetime.timedelta(days=1), datetime.time(15), tzinfo=TZ)
    ev = [e for e in events_for(h) if e.verb == "hazard.report_congress"]
    assert len(ev) == 1 and ev[0].created_at == h.reported_to_congress_at and ev[0].note == "职代会已通报"
    assert h.leniency_marker()
    assert rules.leniency_proposed(notified_case(world, hazard=h))


def test_a_congress_report_made_after_the_case_was_filed_does_not_bring_the_leniency(world):
    today = timezone.localdate()
    with at(today - datetime.timedelta(days=3)):
        h = _reported_to_department_only(world)
    with at(today - datetime.timedelta(days=2)):
        case = notified_case(world, hazard=h)
    with at(today - datetime.timedelta(days=1)):
        hs.report_hazard(world.user("enterprise"), Hazard.objects.get(pk=h.pk), department=world.org("commerce"))
    case.refresh_from_db()
    assert Hazard.objects.get(pk=h.pk).leniency_marker()  # the hazard itself is now fully reported
    assert not rules.leniency_proposed(case)  # but not before the enterprise was caught


def test_a_true_duplicate_is_still_refused(world):
    h = _reported_to_department_only(world)
    with pytest.raises(ServiceError, match="无需重复报告") as exc:  # nothing new asked
        hs.report_hazard(world.user("enterprise"), h, department=world.org("commerce"), to_congress=False)
    assert exc.value.field == "department"
    h = hs.report_hazard(world.user("enterprise"), h, department=world.org("commerce"), to_congress=True)
    with pytest.raises(ServiceError, match="无需重复报告"):  # both made
        hs.report_hazard(world.user("enterprise"), h, department=world.org("commerce"), to_congress=True)
    with pytest.raises(ServiceError) as exc:  # a second department is no congress report
        hs.report_hazard(world.user("enterprise"), Hazard.objects.get(pk=h.pk), department=world.org("emergency"))
    assert exc.value.field == "department"
    assert [e.verb for e in events_for(h)].count("hazard.report_congress") == 1


def test_a_second_department_is_refused_when_only_the_congress_is_left(world):
    h = _reported_to_department_only(world)
    with pytest.raises(ServiceError, match="首次报告的部门不能变更") as exc:
        hs.report_hazard(world.user("enterprise"), h, department=world.org("emergency"), to_congress=True)
    assert exc.value.field == "department"
    h.refresh_from_db()
    assert h.reported_to_congress_at is None and h.reported_to == world.org("commerce")


def test_the_hazard_page_takes_the_later_congress_report_without_a_department(client, world):
    h = _reported_to_department_only(world)
    client.force_login(world.user("enterprise"))
    r = client.post(f"/hazards/{h.pk}/actions/report/", {"report-to_congress": "on", "report-note": ""})
    assert r.status_code == 302, r.content.decode()[:500]
    h.refresh_from_db()
    assert h.reported_to_congress_at is not None and h.reported_to == world.org("commerce")
    page = client.get(f"/hazards/{h.pk}/").content.decode()
    assert "已报告职代会" in page and "补报职工代表大会" in page


# ---------------------------------------------------------------- the API (the same rule as the page)

J = "application/json"


def _api_report(client, h, body):
    return client.post(f"/api/v1/hazards/{h.pk}/actions/report/", body, content_type=J)


def test_the_api_takes_the_later_congress_report_without_a_department(client, world):
    """The congress report is the enterprise's report to its own 职工大会或者职工代表大会 (安全生产法
    art. 41), addressed to no department: the API does not ask for one once the department was told."""
    today = timezone.localdate()
    with at(today - datetime.timedelta(days=2)):
        h = _reported_to_department_only(world)
    client.force_login(world.user("enterprise"))
    r = _api_report(client, h, {"to_congress": True, "note": "职代会已通报"})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["reported_to"] == world.org("commerce").pk
    h.refresh_from_db()
    assert h.reported_to_congress_at is not None and h.reported_to == world.org("commerce")
    assert [e.note for e in events_for(h) if e.verb == "hazard.report_congress"] == ["职代会已通报"]
    # the same request again: the congress report is on record (409 already_done, nothing written)
    r = _api_report(client, h, {"to_congress": True})
    assert r.status_code == 409 and r.json()["code"] == "already_done"
    assert [e.verb for e in events_for(h)].count("hazard.report_congress") == 1


def test_the_api_first_report_still_needs_the_department_and_a_second_one_is_refused(client, world):
    h = major_hazard(world, report=False, plan=False)
    client.force_login(world.user("enterprise"))
    for body in ({"to_congress": True}, {"department": None, "to_congress": True}):
        r = _api_report(client, h, body)
        assert r.status_code == 400 and "department" in r.json()["errors"], r.json()
    h.refresh_from_db()
    assert h.reported_at is None and h.reported_to_congress_at is None
    h = _reported_to_department_only(world)
    r = _api_report(client, h, {"department": world.org("emergency").pk, "to_congress": True})
    assert r.status_code == 400 and "department" in r.json()["errors"]
    h.refresh_from_db()
    assert h.reported_to_congress_at is None and h.reported_to == world.org("commerce")


def test_the_schema_does_not_require_a_department_for_the_report(client, world):
    import yaml

    client.force_login(world.user("admin"))
    schema = yaml.safe_load(client.get("/api/schema/").content)
    report = schema["components"]["schemas"]["ReportRequest"]
    assert "department" in report["properties"] and "department" not in report.get("required", [])
    assert report["properties"]["department"].get("nullable") is True
