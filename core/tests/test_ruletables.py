"""Rule tables editable on pages by the committee office; each change an event (issue 17 item 2).
Values used: 国办发明电〔2024〕12号 (2025-10-08 a national holiday) for the holiday override."""

import datetime

import pytest

from core.models import Event
from core.workdays import add_working_days
from obligations.models import ObligationRule

pytestmark = pytest.mark.django_db


def test_committee_edits_an_obligation_rule_with_an_event(client, world):
    row = ObligationRule.objects.get(code="principal_study_months")
    client.force_login(world.user("commerce"))
    assert client.get("/rules/obligations/").status_code == 403
    client.force_login(world.user("committee"))
    assert client.get("/rules/").status_code == 200
    assert client.get("/rules/obligations/").status_code == 200
    today = datetime.date.today().isoformat()
    r = client.post(f"/rules/obligations/{row.pk}/", {"value": "2", "tag": "R", "note": "本地从严", "effective_from": today})
    assert r.status_code == 302
    assert ObligationRule.objects.get(pk=row.pk).value == 2  # effective today: in force at once
    ev = Event.objects.get(verb="rule.revised")
    assert ev.data["changes"]["value"] == ["3", "2"]
    assert client.post(f"/rules/obligations/{row.pk}/", {"value": "-1", "tag": "R", "effective_from": today}).status_code == 400
    assert client.get("/rules/nope/").status_code == 404


def test_committee_adds_a_local_holiday_and_deadlines_follow(client, world):
    """A local override row (a working day turned off) moves every working-day deadline."""
    assert add_working_days(datetime.date(2025, 10, 8), 1) == datetime.date(2025, 10, 9)
    client.force_login(world.user("committee"))
    r = client.post("/rules/holidays/", {"date": "2025-10-09", "name": "地方调休", "is_workday": ""})
    assert r.status_code == 302 and Event.objects.filter(verb="rule.added").exists()
    assert add_working_days(datetime.date(2025, 10, 8), 1) == datetime.date(2025, 10, 10)
