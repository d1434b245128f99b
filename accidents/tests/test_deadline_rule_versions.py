"""accidents.DeadlineRule is a registered, versioned rule table ("accident-deadlines"): an
accident's time limits are those in force on the day it occurred.

Source: 生产安全事故报告和调查处理条例 (国务院令第493号) art. 29 — the investigation report is due
within 60 days of the accident (version 1, from 2007-06-01, data migration core/0007); art. 13 —
casualty changes reported within 30 days. Revision in this test (hypothetical local revision, the
mechanism not the number is under test): 45 days from D = 2025-06-10. Dates worked by hand:
occurred 2025-06-09 → 2025-06-09 + 60 = 2025-08-08; occurred 2025-06-10 → + 45 = 2025-07-25;
occurred 2025-06-11 → + 45 = 2025-07-26."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accidents.models import DeadlineRule
from core import ruletables
from core.models import Event, RuleVersion

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date(2025, 6, 10)


def test_existing_accident_deadlines_are_version_one_from_the_regulation_date():
    """Data migration core/0007: version 1 of each row, effective 2007-06-01 (493号令 in force)."""
    row = DeadlineRule.objects.get(code="investigation_days")
    v = RuleVersion.objects.get(table="accident-deadlines", row_id=row.pk)
    assert (v.version, v.effective_from, v.values["amount"]) == (1, datetime.date(2007, 6, 1), "60")
    assert RuleVersion.objects.filter(table="accident-deadlines").count() == DeadlineRule.objects.count() == 7


def test_the_committee_edits_accident_deadlines_on_the_rule_table_pages(client, world):
    """Registered table: rows page and revision form open for the committee office."""
    client.force_login(world.user("committee"))
    assert client.get("/rules/accident-deadlines/").status_code == 200
    row = DeadlineRule.objects.get(code="investigation_days")
    page = client.get(f"/rules/accident-deadlines/{row.pk}/")
    assert page.status_code == 200 and 'data-testid="rule-history"' in page.content.decode()


@pytest.mark.parametrize("occurred,due", [
    (datetime.date(2025, 6, 9), datetime.date(2025, 8, 8)),    # the day before D: art. 29's 60 days
    (D, datetime.date(2025, 7, 25)),                           # the day of D: the revision's 45 days
    (datetime.date(2025, 6, 11), datetime.date(2025, 7, 26)),  # the day after D
])
def test_a_revision_effective_d_changes_deadlines_of_accidents_on_or_after_d_only(world, report, occurred, due):
    row = DeadlineRule.objects.get(code="investigation_days")
    with time_machine.travel(datetime.datetime(2025, 6, 2, 9, tzinfo=TZ), tick=False):
        ruletables.revise_row(world.user("committee"), ruletables.table("accident-deadlines"), row, {"amount": 45},
                              effective_from=D, note="地方规定")
    ev = Event.objects.get(verb="rule.revised", data__key="accident-deadlines")
    assert ev.data["changes"]["amount"] == ["60", "45"]
    # reported the day after it occurred, at 10:00 (Asia/Shanghai), after the revision took effect
    with time_machine.travel(datetime.datetime(2025, 6, 12, 10, tzinfo=TZ), tick=False):
        accident = report(occurred_at=datetime.datetime.combine(occurred, datetime.time(8), tzinfo=TZ))
    assert accident.investigation_due == due
    assert accident.supplement_until == occurred + datetime.timedelta(days=30)  # art. 13, not revised
