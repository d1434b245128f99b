"""Revising a rule-table row at a date before an existing later version (issue 17 item 2; the
behaviour documented in docs/rules.md "Revising before a later version"): the revision is
*inserted between* — in force from its date until the day before the later version — and the later
version keeps its own complete values (a version is a complete text with its own effective date,
as an amending text is; the administrator is told on the page how far the revision reaches).

Values: seed 002 item 8 (principal's 专题研究 每季度 = 3 months, version 1 from 2021-09-01). The
revisions below are the test's own; expected values by hand from the dates: a version applies from
its effective date to the day before the next one."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core import ruletables
from core.models import Event, RuleVersion
from obligations.models import ObligationRule
from obligations.services import rule

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2025, 6, 2)
D = datetime.date


def at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=TZ), tick=False)


def _revise(world, row, data, effective_from, persona="committee"):
    return ruletables.revise_row(world.user(persona), ruletables.table("obligations"), row, data,
                                 effective_from=effective_from, note="测试修订")


def test_a_revision_before_a_later_version_is_in_force_only_until_the_later_one(world):
    row = ObligationRule.objects.get(code="principal_study_months")
    with at(TODAY):
        later = _revise(world, row, {"value": 2, "note": "自7月起每两月"}, D(2025, 7, 1))
        later_values = dict(RuleVersion.objects.get(pk=later.pk).values)
        inserted = _revise(world, row, {"value": 1, "tag": "P"}, D(2025, 6, 10))
        assert ObligationRule.objects.get(pk=row.pk).value == 3  # neither in force today
    # 3 until 06-09, 1 from 06-10 to 06-30, 2 from 07-01 (the later version untouched)
    assert [rule("principal_study_months", d) for d in (D(2025, 6, 9), D(2025, 6, 10), D(2025, 6, 30),
                                                      D(2025, 7, 1), D(2026, 1, 1))] == [3, 1, 1, 2, 2]
    assert RuleVersion.objects.get(pk=later.pk).values == later_values  # its tag and note not changed
    assert later_values["tag"] != "P"
    ev = Event.objects.filter(verb="rule.revised").latest("id")
    assert (ev.data["until"], ev.data["later_version"], ev.data["later_effective_from"]) == ("2025-06-30", 2, "2025-07-01")
    notice = ruletables.later_notice(inserted)
    assert "施行至2025-06-30" in notice and "2025-07-01" in notice and "第2版" in notice
    with at(D(2025, 7, 1)):  # the daily pass brings the live row to the later version, unchanged
        ruletables.apply_due()
    assert ObligationRule.objects.get(pk=row.pk).value == 2


def test_a_backdated_insertion_before_the_version_in_force_leaves_the_live_row(world):
    """A designated admin corrects a past period; the version in force today stays the live row."""
    row = ObligationRule.objects.get(code="principal_study_months")
    with at(TODAY):
        _revise(world, row, {"value": 2}, D(2025, 5, 1), persona="admin")
        assert ObligationRule.objects.get(pk=row.pk).value == 2
        _revise(world, row, {"value": 1}, D(2025, 3, 1), persona="admin")
        assert ObligationRule.objects.get(pk=row.pk).value == 2
        assert [rule("principal_study_months", d) for d in (D(2025, 2, 28), D(2025, 3, 1), D(2025, 4, 30),
                                                          D(2025, 5, 1), TODAY)] == [3, 1, 1, 2, 2]


def test_a_revision_after_the_last_version_has_no_notice(world):
    row = ObligationRule.objects.get(code="principal_study_months")
    with at(TODAY):
        v = _revise(world, row, {"value": 2}, D(2025, 7, 1))
    assert ruletables.later_notice(v) == ""
    assert "until" not in Event.objects.get(verb="rule.revised").data


def test_the_page_tells_the_editor_how_far_an_inserted_revision_reaches(client, world):
    row = ObligationRule.objects.get(code="principal_study_months")
    with at(TODAY):
        _revise(world, row, {"value": 2}, D(2025, 7, 1))
        client.force_login(world.user("committee"))
        r = client.post(f"/rules/obligations/{row.pk}/", {"value": "1", "tag": "R", "note": "",
                                                         "effective_from": "2025-06-10"}, follow=True)
    assert r.status_code == 200
    page = r.content.decode()
    assert "施行至2025-06-30" in page and "自2025-07-01起仍按已有的第2版施行" in page


def test_a_reward_policy_revision_before_a_later_version_is_inserted_between(world):
    """Same behaviour for the reward-policy table (tips.rule_admin): 办法 (2018) art. 12 15 % as
    version 1; the test's own revisions 20 % from 2030-03-01, then 18 % from 2030-02-01."""
    from tips import rule_admin
    from tips.models import RewardPolicy

    with at(TODAY):
        v1 = RewardPolicy.in_force("major", TODAY)
        later = rule_admin.revise_reward_policy(world.user("committee"), v1, effective_from=D(2030, 3, 1), percent="20")
        inserted = rule_admin.revise_reward_policy(world.user("committee"), v1, effective_from=D(2030, 2, 1), percent="18")
    assert [str(RewardPolicy.in_force("major", d).percent) for d in (D(2030, 1, 31), D(2030, 2, 1), D(2030, 2, 28),
                                                                     D(2030, 3, 1))] == [str(v1.percent), "18.00", "18.00", "20.00"]
    assert RewardPolicy.objects.get(pk=later.pk).percent == 20
    assert "施行至2030-02-28" in ruletables.later_notice(inserted)
    assert Event.objects.filter(verb="rule.revised").latest("id").data["until"] == "2030-02-28"
