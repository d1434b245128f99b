"""Browser: the committee office edits the reward policy (15 % → 20 %, in force today) on its page,
and the next reward decision uses it. Source: 办法 (2018) art. 12 via RULES.md §1 (15 % default)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.e2e.session import log_in
from tips import services
from tips.models import RewardPolicy

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_committee_edits_reward_policy_and_next_decision_uses_it(page, live_server, tworld):
    log_in(page, live_server.url, "hb_anweiban")
    page.goto(f"{live_server.url}/tips/rules/rewards/")
    page.click("[data-testid=edit-major]")
    page.fill("#id_percent", "20")
    page.fill("#id_effective_from", timezone.localdate().isoformat())
    page.click("[data-testid=save-policy]")
    page.wait_for_selector("[data-testid=policy-major-v2]")
    assert "现行" in page.inner_text("[data-testid=policy-major-v2]")

    ent = tworld.ent_commerce
    tip, _ = services.submit_tip(None, region=ent.region, sector=ent.sectors.first(), address="示范路1号",
                                 enterprise=ent, content="仓库堆放货物堵塞疏散通道，安全出口上锁。")
    officer = tworld.user("commerce")
    services.accept(officer, tip)
    services.start_verification(officer, tip)
    tip = services.verify(officer, tip, result="true", note="属实")
    reward = services.decide_reward(officer, tip, policy=RewardPolicy.objects.get(code="major", version=1),
                                    fine_amount=100000)
    assert reward.amount == Decimal("20000.00") and reward.policy.version == 2
    log_in(page, live_server.url, "hb_shangwu", fresh=True)
    page.goto(f"{live_server.url}/tips/{tip.pk}/")
    assert "20000.00" in page.content()
