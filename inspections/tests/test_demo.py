from inspections import demo
from inspections.models import Draw, Plan, Record, SpotCheck, Visit


def test_demo_is_idempotent(world):
    demo.load(world.ctx)
    demo.load(world.ctx)
    assert Draw.objects.count() == 1 and Record.objects.filter(status="locked").count() == 2
    assert SpotCheck.objects.count() == 3 and Visit.objects.count() == 3
    assert Record.objects.filter(items__hazard__isnull=False).exists()
    assert Plan.objects.get().done_count == 2  # the demo's records follow its draw
