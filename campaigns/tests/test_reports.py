"""Enterprise statistics reports (16号令): due dates, submission, who is missing, permissions."""

import datetime

import pytest
import time_machine

from campaigns.models import EnterpriseReport
from campaigns.reports import due_date, submit_report
from core.services import NotPermitted, ServiceError
from core.testing import check_matrix, client_as


def test_due_dates():
    assert due_date(2026, 1) == datetime.date(2026, 4, 15)
    assert due_date(2026, 4) == datetime.date(2027, 1, 15)
    assert due_date(2026, 0) == datetime.date(2027, 1, 31)


def test_enterprise_submits_and_government_sees_who_is_missing(client, world):
    with time_machine.travel(datetime.datetime(2026, 4, 20, 9, tzinfo=datetime.UTC), tick=False):
        rep = submit_report(world.user("enterprise"), enterprise=world.ent_commerce, year=2026, quarter=1)
        assert rep.late and rep.figures["found"] == 0
        with pytest.raises(ServiceError):
            submit_report(world.user("enterprise"), enterprise=world.ent_commerce, year=2026, quarter=1)
        with pytest.raises(ServiceError):
            submit_report(world.user("enterprise"), enterprise=world.ent_commerce, year=2026, quarter=2)
        with pytest.raises(NotPermitted):
            submit_report(world.user("enterprise_other"), enterprise=world.ent_commerce, year=2026, quarter=1)
    client_as(client, world, "committee")
    html = client.get("/campaigns/reports/?year=2026&quarter=1").content.decode()
    missing = html.split('data-testid="missing"')[1].split("</ul>")[0]
    assert world.ent_commerce.name not in missing and world.ent_commerce2.name in missing
    assert EnterpriseReport.objects.visible_to(world.user("other_region")).count() == 0
    assert EnterpriseReport.objects.visible_to(world.user("housing")).count() == 0
    assert EnterpriseReport.objects.visible_to(world.user("commerce")).count() == 1


def test_reports_page_permissions(client, world):
    check_matrix(client, world, "/campaigns/reports/", {
        "anon": "login", "committee": 200, "commerce": 200, "enterprise": 200, "other_region": 200, "agency": 404, "nobody": 404})
    client_as(client, world, "enterprise")
    assert client.post("/campaigns/reports/", {"year": "2099", "quarter": "1"}).status_code == 400


def test_the_page_submits_with_the_remarks_cleaned(client, world):
    client_as(client, world, "enterprise")
    with time_machine.travel(datetime.datetime(2026, 4, 20, 9, tzinfo=datetime.UTC), tick=False):
        r = client.post("/campaigns/reports/", {"year": "2026", "quarter": "1", "remarks": "本季度\x00无新增\x0b隐患 "})
    assert r.status_code == 302
    # a form's text is cleaned so (core.text.clean_text): a NUL was a 500 on PostgreSQL
    assert EnterpriseReport.objects.get(enterprise=world.ent_commerce).remarks == "本季度无新增\n隐患"
