"""When the reward decision is due: "decided within 15 working days after the case closes" (RULES.md
§1, local example 荆州: 举报事项核查处理结束后15个工作日内).

"The case closes" in the tip workflow is the end of the tip's handling — the ``verify`` transition
(result, hazard and fine recorded; the handling deadline stops running there). The tip's own
``closed`` state (已办结) cannot be it: it is reachable only after every reward line is approved and
paid (workflow guard REWARDS_SETTLED), i.e. after the decision this deadline is about.

Oracle, hand-worked from the State Council's 2025 arrangement (国办发明电〔2024〕12号: 10月1日至8日放假,
9月28日（周日）、10月11日（周六）上班). Verified on Friday 2025-09-26, the working days after it are
28 Sep (1), 29 (2), 30 (3), 9 Oct (4), 10 (5), 11 (6), 13 (7), 14 (8), 15 (9), 16 (10), 17 (11),
20 (12), 21 (13), 22 (14), 23 (15) → due 2025-10-23."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.services import ServiceError
from tips import services
from tips.models import RewardPolicy

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(day, hour=10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ), tick=False)


def test_reward_decision_due_fifteen_working_days_after_the_case_closes(world, submit):
    officer = world.user("commerce")
    with at(datetime.date(2025, 9, 20)):
        tip, _ = submit(anonymous=False, name="张三", phone="13800138000")
        services.accept(officer, tip)
        services.start_verification(officer, tip)
    with at(datetime.date(2025, 9, 26)):
        tip = services.verify(officer, tip, result="true", note="属实", fine_amount=10000)
    assert tip.reward_deadline == datetime.date(2025, 10, 23)
    assert tip.current_deadline == tip.reward_deadline  # the deadline that runs once the case is closed


def test_the_tips_closed_state_comes_after_the_reward_so_cannot_start_it(world, submit):
    officer = world.user("commerce")
    tip, _ = submit(anonymous=False, name="张三", phone="13800138000")
    services.accept(officer, tip)
    services.start_verification(officer, tip)
    tip = services.verify(officer, tip, result="true", note="属实", fine_amount=10000)
    services.decide_reward(officer, tip, policy=RewardPolicy.objects.get(code="ordinary", version=1))
    tip.refresh_from_db()
    with pytest.raises(ServiceError, match="奖励尚未审批并发放"):
        services.close(officer, tip)
