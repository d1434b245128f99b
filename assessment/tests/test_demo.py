import pytest

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(world):
    from accidents import demo as accident_demo
    from assessment import demo
    from assessment.models import Assessment, IndicatorSet

    accident_demo.load(world.ctx)
    demo.load(world.ctx)
    demo.load(world.ctx)
    assert IndicatorSet.objects.count() == 1
    assert Assessment.objects.exclude(rating="").count() == Assessment.objects.count() > 0
