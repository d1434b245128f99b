import pytest

from tips.models import Reward, Tip

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_has_a_paid_reward(world):
    from tips import demo

    demo.load(world.ctx)
    demo.load(world.ctx)
    assert Tip.objects.count() == 5  # incl. the named tip for the identity-reveal demo
    assert set(Tip.objects.values_list("status", flat=True)) == {"submitted", "accepted", "transferred", "closed"}
    assert Reward.objects.get().status == Reward.Status.PAID
