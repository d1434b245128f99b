"""The demo loader lists two major hazards and is idempotent."""

from supervision import demo
from supervision.models import Listing


def test_demo_is_idempotent(world):
    demo.load(world.ctx)
    demo.load(world.ctx)
    assert Listing.objects.count() == 2
    assert set(Listing.objects.values_list("status", flat=True)) == {"listed", "proposed"}
    assert Listing.objects.get(status="listed").progress_reports.count() == 1
