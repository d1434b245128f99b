"""The reward-policy rule table: versioned with an effective date, each change an event, a reward
decided on a date uses the version in force then (issue 17 item 2). Amounts: 办法 (2018) art. 12 as
in RULES.md §1 (15 % of the fine, 3,000 – 300,000 元) and the revised figure the test sets."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import Event
from core.services import NotPermitted, ServiceError
from tips import rule_admin, services
from tips.models import RewardPolicy

pytestmark = pytest.mark.django_db
D = datetime.date


def _major():
    return RewardPolicy.in_force("major", timezone.localdate())


@pytest.mark.parametrize("on,version", [(D(2030, 2, 28), 1), (D(2030, 3, 1), 2), (D(2030, 3, 2), 2)])
def test_version_in_force_on_a_date(world, on, version):
    """The version with the latest effective date on or before the day applies (day before / of / after)."""
    rule_admin.revise_reward_policy(world.user("committee"), _major(), effective_from=D(2030, 3, 1), percent="20")
    assert RewardPolicy.in_force("major", on).version == version


def test_edit_is_an_event_and_only_for_the_committee_office(world):
    with pytest.raises(NotPermitted):
        rule_admin.revise_reward_policy(world.user("commerce"), _major(), effective_from=timezone.localdate(), percent="20")
    with pytest.raises(ServiceError) as err:
        rule_admin.revise_reward_policy(world.user("committee"), _major(),
                                        effective_from=timezone.localdate() - datetime.timedelta(days=1), percent="20")
    assert err.value.field == "effective_from"
    new = rule_admin.revise_reward_policy(world.user("committee"), _major(), effective_from=timezone.localdate(),
                                          percent="20")
    ev = Event.objects.get(verb="rule.revised")
    assert ev.data["changes"]["percent"] == ["15.00", "20"] and new.version == 2


def _verified(world, submit):
    tip, _ = submit()
    services.accept(world.user("commerce"), tip)
    services.start_verification(world.user("commerce"), tip)
    return services.verify(world.user("commerce"), tip, result="true", note="属实")


def test_next_decision_uses_the_version_in_force(world, submit):
    """办法 art. 12: 15 % of a 100,000 元 fine = 15,000; after a revision to 20 % in force today the
    next decision gives 20,000; a revision in force tomorrow does not apply today."""
    old = _major()
    rule_admin.revise_reward_policy(world.user("committee"), old, effective_from=timezone.localdate() + datetime.timedelta(days=1),
                                    percent="25")
    tip = _verified(world, submit)
    assert services.decide_reward(world.user("commerce"), tip, policy=old, fine_amount=100000).amount == Decimal("15000.00")
    rule_admin.revise_reward_policy(world.user("committee"), old, effective_from=timezone.localdate(), percent="20")
    tip2 = _verified(world, submit)
    reward = services.decide_reward(world.user("commerce"), tip2, policy=old, fine_amount=100000)
    assert reward.amount == Decimal("20000.00") and reward.policy.version == 3


def test_pages_scoped_to_the_committee_office(client, world):
    client.force_login(world.user("commerce"))
    assert client.get("/tips/rules/rewards/").status_code == 403
    client.force_login(world.user("committee"))
    assert client.get("/tips/rules/rewards/").status_code == 200
    r = client.post("/tips/rules/rewards/major/edit/", {"name": "x", "kind": "percent", "percent": "-1", "min_amount": "0",
                                                       "max_amount": "0", "fixed_amount": "0",
                                                       "internal_topup_percent": "0", "basis": "",
                                                       "effective_from": timezone.localdate().isoformat()})
    assert r.status_code == 400
