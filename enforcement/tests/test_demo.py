"""The demo loader runs on the demo world and is idempotent."""

from enforcement import demo
from enforcement.models import Case, Decision


def test_demo_load_idempotent(world):
    demo.load(world.ctx)
    demo.load(world.ctx)
    assert Case.objects.filter(title__in=demo.TITLES).count() == 3
    assert Decision.objects.filter(kind="no_penalty").count() == 1
    assert world.enterprises[1].__class__.objects.get(pk=world.enterprises[1].pk).status == "suspended"
