"""The ``calendar_days`` flag of a tip deadline rule (tips.DeadlineRule) decides whether a stage's
days are calendar days (自然日) or working days (工作日, national arrangement via core.workdays).

Oracle, worked by hand from the State Council's 2025 arrangement (国办发明电〔2024〕12号): 国庆节、中秋节
10月1日至8日放假调休，9月28日（周日）、10月11日（周六）上班. From Friday 2025-09-26:
* 5 calendar days → 2025-10-01; 10 calendar days → 2025-10-06.
* working days after 26 Sep: 28 Sep (1, 调休上班), 29 (2), 30 (3), 9 Oct (4), 10 Oct (5),
  11 Oct (6, 调休上班), 13 (7), 14 (8), 15 (9), 16 (10) → 5 working days = 2025-10-10,
  10 working days = 2025-10-16.
Each boundary is tested the day before, of and after the due day, for both settings."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core import ruletables
from core.services import ServiceError
from tips import deadlines, handling, services
from tips.models import DeadlineRule, Tip

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
START = datetime.date(2025, 9, 26)  # a Friday before the 2025 National Day holiday
D = datetime.date
DUE = {(5, True): D(2025, 10, 1), (5, False): D(2025, 10, 10), (10, True): D(2025, 10, 6), (10, False): D(2025, 10, 16)}


def at(day, hour=10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ), tick=False)


def _rule(world, stage, days, calendar):
    """The rule in force from 2025-01-01 (a revision on the rule-table page by the designated admin)."""
    row, _ = DeadlineRule.objects.get_or_create(stage=stage, defaults={"working_days": days, "calendar_days": calendar})
    if (row.working_days, row.calendar_days) != (days, calendar):
        ruletables.revise_row(world.user("admin"), ruletables.table("deadlines"), row,
                              {"working_days": days, "calendar_days": calendar}, effective_from=D(2025, 1, 1),
                              note="测试")
    assert deadlines.rule(stage, START) == (days, calendar)


@pytest.mark.parametrize("calendar", [True, False])
@pytest.mark.parametrize("stage,days", [("feedback", 10), ("accept", 5), ("delisting", 5), ("review", 10)])
def test_a_stage_counts_calendar_or_working_days_as_its_rule_says(world, stage, days, calendar):
    """Hand-worked dates above (2025 National Day arrangement)."""
    _rule(world, stage, days, calendar)
    assert deadlines.due(stage, START) == DUE[(days, calendar)]


@pytest.mark.parametrize("calendar", [True, False])
def test_the_accept_deadline_of_a_new_tip_follows_the_flag(world, submit, calendar):
    """RULES.md §1 受理 (5 days, working by default); with the flag set, calendar days."""
    _rule(world, "accept", 5, calendar)
    with at(START):
        tip, _ = submit()
    assert tip.accept_deadline == DUE[(5, calendar)]


def _closed_on(world, submit, day):
    with at(day):
        tip, _ = submit()
        tip = services.accept(world.user("commerce"), tip)
        services.start_verification(world.user("commerce"), tip)
        tip = services.verify(world.user("commerce"), tip, result="unfounded", note="现场未发现")
        return services.close(world.user("commerce"), tip)


@pytest.mark.parametrize("calendar", [True, False])
@pytest.mark.parametrize("shift,late", [(-1, False), (0, False), (1, True)])
def test_feedback_is_late_only_after_the_due_day(world, submit, calendar, shift, late):
    """RULES.md §1: result told to the reporter within 10 days of closing (2012 rules, 自然日 by
    default); feedback the day before / of the due day is on time, the day after is late."""
    _rule(world, "feedback", 10, calendar)
    tip = _closed_on(world, submit, START)
    due = DUE[(10, calendar)]
    assert tip.feedback_due == due
    with at(due + datetime.timedelta(days=shift)):
        handling.give_feedback(world.user("commerce"), tip, text="经核查，举报事项不属实。")
    from core.models import Event

    event = Event.objects.filter(verb="tip.feedback", object_id=tip.pk).latest("id")
    assert event.data["late"] is late


@pytest.mark.parametrize("calendar", [True, False])
@pytest.mark.parametrize("shift,ok", [(-1, True), (0, True), (1, False)])
def test_the_review_request_window_follows_the_flag(world, submit, calendar, shift, ok):
    """应急〔2023〕106号 复查 request window (our default R), here 10 days from the feedback: the day
    before / of the last day accepted, the day after refused."""
    _rule(world, "review_request", 10, calendar)
    tip = _closed_on(world, submit, D(2025, 9, 20))
    with at(START):
        tip = handling.give_feedback(world.user("commerce"), tip, text="经核查不属实")
    today = DUE[(10, calendar)] + datetime.timedelta(days=shift)
    if ok:
        assert handling.request_review(tip, reason="现场仍有货物堵塞", today=today).review_requested_at is not None
    else:
        with pytest.raises(ServiceError, match="期限已过"):
            handling.request_review(tip, reason="现场仍有货物堵塞", today=today)


@pytest.mark.parametrize("calendar", [True, False])
def test_an_extension_of_handling_adds_calendar_or_working_days(world, submit, calendar, approve_extension):
    """RULES.md §1 延期办理: the extension's days counted as the rule says (5 days from 2025-09-26)."""
    _rule(world, "extension", 30, calendar)
    with at(D(2025, 9, 20)):
        tip, _ = submit()
        tip = services.accept(world.user("commerce"), tip)
    Tip.objects.filter(pk=tip.pk).update(handle_deadline=START)  # fixture: a known handling deadline
    tip.refresh_from_db()
    with at(D(2025, 9, 22)):
        tip = approve_extension(tip, 5)
    assert tip.handle_deadline == DUE[(5, calendar)]


def test_the_extension_limit_names_working_days_when_counted_so(world, submit):
    """The refusal says what the limit counts (最多30个工作日)."""
    _rule(world, "extension", 30, False)
    tip, _ = submit()
    tip = services.accept(world.user("commerce"), tip)
    with pytest.raises(ServiceError, match="最多30个工作日"):
        handling.request_extension(world.user("commerce"), tip, extra_days=31, reason="需调取监控")
