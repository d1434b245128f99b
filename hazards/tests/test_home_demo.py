"""Home cards and the demo ledger."""

import datetime

import pytest
from django.utils import timezone

from hazards import demo, home
from hazards.models import Hazard, HazardSource

from .conftest import make_general, make_major

pytestmark = pytest.mark.django_db


def test_cards_are_scoped(world):
    make_major(world)
    h = make_general(world, ent=world.ent_commerce2)
    Hazard.objects.filter(pk=h.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=2))
    by_key = {c["key"]: c["value"] for c in home.cards(world.user("commerce"))}
    assert by_key == {"hazards_open": 2, "hazards_open_major": 1, "hazards_overdue": 1}
    by_key = {c["key"]: c["value"] for c in home.cards(world.user("enterprise"))}
    assert by_key == {"hazards_open": 1, "hazards_open_major": 1, "hazards_overdue": 0}
    assert {c["value"] for c in home.cards(world.user("other_region"))} == {0}


def test_demo_ledger_is_realistic_and_idempotent(world):
    demo.load(world.ctx)
    count = Hazard.objects.count()
    demo.load(world.ctx)
    assert Hazard.objects.count() == count and 35 <= count <= 45
    statuses = set(Hazard.objects.values_list("status", flat=True))
    assert {"registered", "rectifying", "pending_acceptance", "closed", "merged", "void"} <= statuses
    assert Hazard.objects.overdue().count() >= 3
    assert Hazard.objects.filter(reopen_count__gt=0).exists()
    assert Hazard.objects.filter(grade="major", plan__isnull=False, reported_at__isnull=False).exists()
    assert len(set(HazardSource.objects.values_list("channel", flat=True))) >= 3
    # each 隐患类别 a user chose, and hazards registered without one (注明隐患类别 offered)
    assert set(Hazard.objects.values_list("category", flat=True)) == {"", "behaviour", "state", "management"}
